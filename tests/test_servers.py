"""The site on real nginx and Apache, configured exactly as README.md says, under a sub-path and at a host's root.

Every page's headers, the site's 404 page, compression (brotli copies to browsers that
accept br, on Apache and on nginx with the brotli module; gzip copies otherwise), caching, the refusal of
`_server/` and dotfiles, zero CSP violations in Chromium, `selfhelp check-deploy`
passing against a right server and failing against wrong ones, and deploys
copied in the wrong order (or by `deploy.sh`) with a reader's tab open,
converging on the new build.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from generator.products.precompress import needs_brotli_copy
from generator.products.security_headers import IMMUTABLE, read_headers

from .conftest import build_site, collect_errors, copy_pack, edit, readme_block, search_site
from .servers import (
    APACHE,
    DEBIAN_DEFAULT_MODULES,
    NGINX,
    NGINX_BROTLI_PACKAGE,
    Apache,
    Nginx,
    ServerFailed,
    WebServer,
    free_fixed_port,
    nginx_brotli_module,
    readable_temp_dir,
    remove_tree,
    require,
)

SUB_PATH = "wellbeing/setbacks/"
OLD_PHONE = "0800 000 111"
NEW_PHONE = "0800 999 222"
PLUGIN_BLOCK = """
  - selfhelp:
      organisation: Example Care Ltd
      urgent_help: {name: Crisis line, phone: "%s"}
      server_headers:
        Strict-Transport-Security: max-age=31536000
"""
INSTALL_GUARD_MS = 120_000
"""Hang guard for a service worker install on a busy machine; never a measured limit."""


# -- builds, README blocks, servers ---------------------------------------------------------


@dataclass(frozen=True)
class Builds:
    old: Path
    """The sleep pack built for SITE_URL, with OLD_PHONE on every page."""
    new: Path
    """The same after an edit: NEW_PHONE on every page."""
    root: Path
    """The shipped site built for a whole host (site_url unset)."""
    scratch: Path
    """A world-readable folder for web roots."""
    port: int
    """The port old and new were built for (site_url), so that instant navigation works there."""


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory, shipped_site: Path) -> Iterator[Builds]:
    scratch = readable_temp_dir("selfhelp-servers-")
    port = free_fixed_port()
    site_url = f"http://127.0.0.1:{port}/{SUB_PATH}"
    try:
        project = copy_pack("sleep-pack", scratch / "project")
        edit(project / "mkdocs.yml", "  - selfhelp\n", PLUGIN_BLOCK % OLD_PHONE)
        # As the shipped site: page changes by instant navigation, the sidebar's sections open.
        edit(
            project / "mkdocs.yml",
            "  font: false\n",
            "  font: false\n  features: [navigation.instant, navigation.sections]\n",
        )
        old = build_site(project / "mkdocs.yml", scratch / "build-old", site_url=site_url)
        edit(project / "mkdocs.yml", OLD_PHONE, NEW_PHONE)
        new = build_site(project / "mkdocs.yml", scratch / "build-new", site_url=site_url)
        root = scratch / "build-root"
        shutil.copytree(shipped_site, root)
        yield Builds(old, new, root, scratch, port)
    finally:
        remove_tree(scratch)


def nginx_as_in_readme(containing: str, readme_root: str, web_root: Path) -> str:
    """The README's server block, with the test's port and folders (no TLS: loopback only)."""
    block = readme_block("nginx", containing)
    assert "listen 443 ssl;" in block
    block = block.replace("listen 443 ssl;", "listen 127.0.0.1:{port};")
    block = "\n".join(line for line in block.splitlines() if "ssl_certificate" not in line)
    return block.replace(readme_root, str(web_root))


def apache_as_in_readme(containing: str, web_root: Path) -> str:
    return readme_block("apache", containing).replace("/var/www/html", str(web_root))


@dataclass
class Deployed:
    server: WebServer
    site: Path
    """The folder the server serves the site from."""
    base: str
    """The site's address."""


def web_root_with(build: Path, sub_path: str) -> tuple[Path, Path]:
    web_root = readable_temp_dir("selfhelp-web-")
    site = web_root / sub_path
    site.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(build, site)
    return web_root, site


def _started(server: WebServer, web_root: Path, site: Path) -> Deployed:
    try:
        server.start()
    except BaseException:
        remove_tree(server.folder)
        remove_tree(web_root)
        raise
    return Deployed(server, site, server.url + SUB_PATH)


def start_nginx(build: Path, port: int | None = None, *, brotli: bool = False) -> Deployed:
    """nginx as the README configures it; with `brotli`, the brotli module loaded and `nginx-brotli.conf`
    included instead of `nginx.conf`, as the README says once the module is installed."""
    require(NGINX, "nginx")
    if brotli:
        nginx_brotli_module()
    web_root, site = web_root_with(build, SUB_PATH)
    block = nginx_as_in_readme("/srv/www/wellbeing/setbacks", "/srv/www", web_root)
    if brotli:
        assert "/_server/nginx.conf;" in block
        block = block.replace("/_server/nginx.conf;", "/_server/nginx-brotli.conf;")
    return _started(Nginx(readable_temp_dir("selfhelp-nginx-"), block, port, brotli=brotli), web_root, site)


def start_apache(build: Path, port: int | None = None, readme_line: str = "AllowOverride FileInfo Indexes") -> Deployed:
    require(APACHE, "apache2")
    web_root, site = web_root_with(build, SUB_PATH)
    # Debian's <Directory /var/www/> (AllowOverride None), then the README's block for the site.
    readme = apache_as_in_readme(readme_line, web_root)
    server = Apache(readable_temp_dir("selfhelp-apache-"), web_root, allow_override="None", extra=readme, port=port)
    return _started(server, web_root, site)


@pytest.fixture(params=["nginx", "apache"])
def deployed(request: pytest.FixtureRequest, builds: Builds) -> Iterator[Deployed]:
    """The old sleep build under the sub-path, on each server as the README configures it."""
    start = start_nginx if request.param == "nginx" else start_apache
    yield from _serving_until_done(start(builds.old, builds.port))


@pytest.fixture(params=["nginx-brotli", "apache"])
def deployed_brotli(request: pytest.FixtureRequest, builds: Builds) -> Iterator[Deployed]:
    """The old sleep build on each server that sends the .br copies: nginx with the brotli module, Apache."""
    if request.param == "nginx-brotli":
        serving = start_nginx(builds.old, brotli=True)
    else:
        serving = start_apache(builds.old)
    yield from _serving_until_done(serving)


def _serving_until_done(serving: Deployed) -> Iterator[Deployed]:
    """A fixture's body: `serving` for the test, then its server stopped and its folders removed."""
    try:
        yield serving
    finally:
        serving.server.stop()
        remove_tree(serving.server.folder)
        remove_tree(serving.site.parents[1])


# -- plain HTTP ------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes
    """As sent (still compressed when Content-Encoding says so)."""

    def one(self, name: str) -> str:
        values = self.headers.get(name.lower(), [])
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    @property
    def text(self) -> bytes:
        encoding = self.headers.get("content-encoding")
        if encoding == ["br"]:
            return bytes(brotli.decompress(self.body))
        return gzip.decompress(self.body) if encoding == ["gzip"] else self.body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, accept_gzip: bool = True, accept: str | None = None) -> Answer:
    """GET `url` with `Accept-Encoding: gzip` (none without `accept_gzip`; `accept` when given)."""
    encodings = accept if accept is not None else ("gzip" if accept_gzip else None)
    request = urllib.request.Request(url, headers={"Accept-Encoding": encodings} if encodings else {})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=30) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    collected: dict[str, list[str]] = {}
    for name, value in headers.items():
        collected.setdefault(name.lower(), []).append(value)
    return Answer(status, collected, body)


def pages_of(site: Path) -> list[str]:
    return sorted(
        "" if path.parent == site else path.parent.relative_to(site).as_posix() + "/"
        for path in site.rglob("index.html")
    )


def assert_security_headers(answer: Answer, expected: dict[str, str], where: str) -> None:
    for name, value in expected.items():
        assert answer.headers.get(name.lower()) == [value], f"{where}: {name}"


def check_deploy(base: str, site: Path) -> subprocess.CompletedProcess[str]:
    """`selfhelp check-deploy`, as an administrator runs it."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "generator", "check-deploy", base, "--site", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )


# -- the configuration, response by response -------------------------------------------------


def test_every_page_has_the_headers_compressed_and_revalidated(deployed: Deployed, builds: Builds) -> None:
    expected = read_headers(builds.old)
    assert expected["Strict-Transport-Security"] == "max-age=31536000", "server_headers reach headers.txt"
    pages = pages_of(builds.old)
    assert len(pages) > 5
    for page in pages:
        answer = get(deployed.base + page)
        assert answer.status == 200, page
        assert_security_headers(answer, expected, page)
        assert answer.one("Content-Encoding") == "gzip", page
        assert "Accept-Encoding" in answer.one("Vary"), page
        assert answer.one("Cache-Control") == "no-cache", page
        assert answer.text == (builds.old / page / "index.html").read_bytes(), page
    plain = get(deployed.base, accept_gzip=False)
    assert "content-encoding" not in plain.headers and plain.body == (builds.old / "index.html").read_bytes()


def test_assets_are_cached_by_their_names(deployed: Deployed, builds: Builds) -> None:
    expected = read_headers(builds.old)
    bundles = sorted(
        p.relative_to(builds.old).as_posix()
        for p in builds.old.glob("assets/*/**/*.min.*")
        if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", p.name)
    )
    assert bundles, "Material's hashed bundles"
    for uri in bundles:
        answer = get(deployed.base + uri)
        assert answer.status == 200 and answer.one("Cache-Control") == IMMUTABLE, uri
        assert_security_headers(answer, expected, uri)
        assert answer.one("Content-Encoding") == "gzip", uri
    for uri in ("sw.js", "search/search_index.json", "assets/selfhelp/site.js", "pdf/wake-plan.pdf"):
        answer = get(deployed.base + uri)
        assert answer.status == 200 and answer.one("Cache-Control") == "no-cache", uri
    worker = get(deployed.base + "sw.js")
    assert worker.one("Content-Type").split(";")[0] in ("application/javascript", "text/javascript")
    assert worker.text == (builds.old / "sw.js").read_bytes()


def files_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def brotli_copies(site: Path) -> list[str]:
    """The files of a build that have a .br copy beside them."""
    return [uri[: -len(".br")] for uri in files_of(site) if uri.endswith(".br")]


def test_the_build_writes_a_brotli_copy_exactly_where_the_rule_says(builds: Builds) -> None:
    for build in (builds.old, builds.root):
        copied = brotli_copies(build)
        wanted = [uri for uri in files_of(build) if needs_brotli_copy(uri)]
        assert copied == wanted
        assert {Path(uri).suffix for uri in copied} == {".css", ".js", ".json", ".svg", ".webmanifest"} & {
            Path(uri).suffix for uri in wanted
        }
        assert "assets/selfhelp/site.js" in copied and "search/search_index.json" in copied
        assert not [uri for uri in copied if uri.endswith(".html")], "pages get a .gz only"
        for uri in copied:
            assert brotli.decompress((build / (uri + ".br")).read_bytes()) == (build / uri).read_bytes(), uri


def test_brotli_to_browsers_that_accept_it_gzip_to_the_others(deployed_brotli: Deployed, builds: Builds) -> None:
    """Every .br copy is sent as it is, with the file's own type, caching and headers; gzip-only and
    no-encoding requests get the .gz copy and the file; pages (no .br) go out gzipped to a br browser too."""
    expected = read_headers(builds.old)
    copied = brotli_copies(builds.old)
    assert len(copied) > 10
    for uri in copied:
        url = deployed_brotli.base + uri
        plain = get(url, accept_gzip=False)
        assert plain.status == 200 and "content-encoding" not in plain.headers, uri
        assert plain.body == (builds.old / uri).read_bytes(), uri
        squeezed = get(url, accept="gzip, deflate, br")
        assert squeezed.status == 200, uri
        assert squeezed.one("Content-Encoding") == "br", uri
        assert squeezed.body == (builds.old / (uri + ".br")).read_bytes(), uri
        assert squeezed.text == plain.body, uri
        assert squeezed.one("Content-Type") == plain.one("Content-Type"), uri
        assert squeezed.one("Cache-Control") == plain.one("Cache-Control"), uri
        assert "Accept-Encoding" in squeezed.one("Vary"), uri
        assert_security_headers(squeezed, expected, uri)
        gzipped = get(url, accept="gzip")
        assert gzipped.one("Content-Encoding") == "gzip", uri
        assert gzipped.text == plain.body, uri
        assert "Accept-Encoding" in gzipped.one("Vary"), uri
        assert get(url, accept="br").one("Content-Encoding") == "br", uri
    bundle = next(uri for uri in copied if re.search(r"bundle\.[0-9a-f]{8}\.min\.js$", uri))
    assert get(deployed_brotli.base + bundle, accept="br, gzip").one("Cache-Control") == IMMUTABLE
    assert get(deployed_brotli.base + "sw.js", accept="br").one("Content-Type").split(";")[0] in (
        "application/javascript",
        "text/javascript",
    )
    for page in pages_of(builds.old)[:5]:
        answer = get(deployed_brotli.base + page, accept="gzip, deflate, br")
        assert answer.one("Content-Encoding") == "gzip", page
        assert answer.text == (builds.old / page / "index.html").read_bytes(), page


def test_a_stale_brotli_copy_is_never_sent(deployed_brotli: Deployed, builds: Builds) -> None:
    """A new build copied over the old one without deleting anything (`rsync -a`, no `--delete`).

    Every file that has a .br in one build has one in every build (the rule is the path's), so the copy
    replaces each old .br with the new one; a .br beside a page, which no build writes (left by hand or
    by some other tool), is never sent, because the servers send .br only for the rule's suffixes."""
    site = deployed_brotli.site
    for uri in files_of(builds.new):
        (site / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(builds.new / uri, site / uri)
    changed = [
        uri for uri in brotli_copies(builds.new) if (builds.old / uri).read_bytes() != (builds.new / uri).read_bytes()
    ]
    assert "sw.js" in changed, "the new build has new bytes behind some .br"
    for uri in changed:
        answer = get(deployed_brotli.base + uri, accept="br, gzip")
        assert answer.one("Content-Encoding") == "br", uri
        assert answer.text == (builds.new / uri).read_bytes(), uri
    old_page = brotli.compress((builds.old / "about-sleep/index.html").read_bytes())
    (site / "about-sleep/index.html.br").write_bytes(old_page)
    (site / "sitemap.xml.br").write_bytes(brotli.compress(b"<urlset></urlset>"))
    page = get(deployed_brotli.base + "about-sleep/", accept="br, gzip")
    assert page.one("Content-Encoding") == "gzip"
    assert page.text == (builds.new / "about-sleep/index.html").read_bytes()
    sitemap = get(deployed_brotli.base + "sitemap.xml", accept="br")
    assert sitemap.headers.get("content-encoding") != ["br"]
    assert sitemap.body == (builds.new / "sitemap.xml").read_bytes()


def test_stock_nginx_refuses_brotli_static_so_it_has_a_file_of_its_own(builds: Builds) -> None:
    """Why nginx-brotli.conf is separate: without the module nginx will not start on `brotli_static`; the
    README names the package that brings it."""
    require(NGINX, "nginx")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert NGINX_BROTLI_PACKAGE in readme and "_server/nginx-brotli.conf" in readme
    assert "brotli_static" not in (builds.old / "_server/nginx.conf").read_text(encoding="utf-8")
    folder = readable_temp_dir("selfhelp-nginx-no-brotli-")
    try:
        include = f"include {builds.old}/_server/nginx-brotli.conf;"
        block = f"server {{ listen 127.0.0.1:{{port}}; root {builds.scratch}; {include} }}"
        refused = Nginx(folder, block).config_test()
        accepted = Nginx(folder, block, brotli=True).config_test()
    finally:
        remove_tree(folder)
    assert refused.returncode != 0 and 'unknown directive "brotli_static"' in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


def test_missing_pages_get_the_sites_404_page(deployed: Deployed, builds: Builds) -> None:
    expected = read_headers(builds.old)
    for missing in ("no-such-page/", "guides/no-such-step/", "assets/no-such.js"):
        answer = get(deployed.base + missing)
        assert answer.status == 404, missing
        assert answer.text == (builds.old / "404.html").read_bytes(), missing
        assert_security_headers(answer, expected, missing)


def test_server_files_and_dotfiles_are_refused(deployed: Deployed, builds: Builds) -> None:
    private = [".htaccess", "web.config", "staticwebapp.config.json"]
    private += [*sorted("_server/" + p.name for p in (builds.old / "_server").iterdir()), "_server/"]
    assert "_server/nginx.conf" in private and "_server/deploy.sh" in private
    for uri in private:
        answer = get(deployed.base + uri)
        assert answer.status in (403, 404), uri
        if not uri.endswith("/"):
            assert (builds.old / uri).read_bytes() not in answer.text, uri
    assert get(deployed.base + "assets/").status in (403, 404), "no folder listing"


def test_check_deploy_passes(deployed: Deployed, builds: Builds) -> None:
    result = check_deploy(deployed.base, builds.old)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Deploy OK" in result.stdout


def test_check_deploy_reports_an_unfinished_deploy_and_a_stale_policy(
    deployed: Deployed, builds: Builds, tmp_path: Path
) -> None:
    local = tmp_path / "site"
    shutil.copytree(builds.old, local)
    edit(local / "_server/headers.txt", "default-src 'self'", "default-src 'self' https://cdn.example")
    (deployed.site / "about-sleep/index.html").write_text("<p>half copied</p>", encoding="utf-8")
    (deployed.site / "about-sleep/index.html.gz").write_bytes(gzip.compress(b"<p>half copied</p>"))
    (deployed.site / "search/search_index.json.gz").unlink()  # JSON: compressed by neither server on the fly
    result = check_deploy(deployed.base, local)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("differs from the local build (2 responses, e.g. " + deployed.base + "about-sleep/)")
        for line in lines
    ), lines
    assert any(
        line.startswith("Content-Security-Policy differs from _server/headers.txt") and "reload" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("text sent uncompressed (1 response, e.g. " + deployed.base + "search/search_index.json)")
        for line in lines
    ), lines
    assert all("Traceback" not in line for line in lines)


# -- misconfigured servers are reported or refused ------------------------------------------------


def test_check_deploy_fails_against_a_server_without_the_configuration(builds: Builds) -> None:
    """The set-up the README used to give: root plus a plain static server, none of the generated file."""
    require(NGINX, "nginx")
    web_root, site = web_root_with(builds.old, SUB_PATH)
    folder = readable_temp_dir("selfhelp-nginx-plain-")
    try:
        with Nginx(folder, f"server {{ listen 127.0.0.1:{{port}}; root {web_root}; }}") as server:
            result = check_deploy(server.url + SUB_PATH, builds.old)
    finally:
        remove_tree(folder)
        remove_tree(web_root)
    assert result.returncode == 1
    problems = result.stderr
    assert "Content-Security-Policy missing" in problems
    assert "Strict-Transport-Security missing" in problems
    assert f"{SUB_PATH}_server/nginx.conf is served to anyone" in problems
    assert f"{SUB_PATH}.htaccess is served to anyone" in problems
    assert "text sent uncompressed" in problems
    assert "not the site's 404.html" in problems
    assert "may be reused without asking the server" in problems


def test_nginx_root_that_misses_the_sub_path_is_reported(builds: Builds) -> None:
    """`root /srv/wellbeing;` for a site in /srv/wellbeing/setbacks: nothing of the build is where nginx looks."""
    require(NGINX, "nginx")
    web_root, site = web_root_with(builds.old, SUB_PATH)
    folder = readable_temp_dir("selfhelp-nginx-wrong-root-")
    block = f"server {{ listen 127.0.0.1:{{port}}; root {web_root}/wellbeing; include {site}/_server/nginx.conf; }}"
    try:
        with Nginx(folder, block) as server:
            result = check_deploy(server.url + SUB_PATH, builds.old)
    finally:
        remove_tree(folder)
        remove_tree(web_root)
    assert result.returncode == 1
    assert "none of the build's" in result.stderr and "root" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_apache_without_mod_headers_refuses_the_site(builds: Builds) -> None:
    require(APACHE, "apache2")
    web_root, site = web_root_with(builds.old, SUB_PATH)
    folder = readable_temp_dir("selfhelp-apache-no-headers-")
    stock = DEBIAN_DEFAULT_MODULES + ("rewrite",)
    try:
        # Included in the configuration: Apache will not start, and says why.
        included = Apache(folder, web_root, modules=stock, allow_override="None",
                          extra=apache_as_in_readme("Include /var/www/html", web_root))  # fmt: skip
        test = included.config_test()
        assert test.returncode != 0
        assert "selfhelp-site needs mod_headers" in test.stderr and "a2enmod headers" in test.stderr
        with pytest.raises(ServerFailed, match="a2enmod headers"):
            included.start()
        # As .htaccess: every answer is a 500, the log says why, and check-deploy says so.
        with Apache(folder, web_root, modules=stock, allow_override="None",
                    extra=apache_as_in_readme("AllowOverride FileInfo Indexes", web_root)) as server:  # fmt: skip
            assert get(server.url + SUB_PATH).status == 500
            result = check_deploy(server.url + SUB_PATH, builds.old)
            log = server.error_log
    finally:
        remove_tree(folder)
        remove_tree(web_root)
    assert "selfhelp-site needs mod_headers" in log
    assert result.returncode == 1
    assert "answered 500" in result.stderr


def test_apache_including_the_configuration_passes_check_deploy(builds: Builds) -> None:
    serving = start_apache(builds.old, readme_line="Include /var/www/html")
    try:
        (serving.site / ".htaccess").unlink()  # Only the included file is in force.
        result = check_deploy(serving.base, builds.old)
    finally:
        serving.server.stop()
        remove_tree(serving.server.folder)
        remove_tree(serving.site.parents[1])
    assert result.returncode == 0, result.stderr


def test_nginx_at_a_hosts_root_as_in_the_readme(builds: Builds) -> None:
    """The shipped site, built without site_url, as the whole of a host."""
    require(NGINX, "nginx")
    web_root = readable_temp_dir("selfhelp-web-root-")
    site = web_root / "site"
    shutil.copytree(builds.root, site)
    folder = readable_temp_dir("selfhelp-nginx-root-")
    try:
        with Nginx(folder, nginx_as_in_readme("/srv/wellbeing/_server", "/srv/wellbeing", site)) as server:
            result = check_deploy(server.url, builds.root)
            missing = get(server.url + "no-such-page/")
    finally:
        remove_tree(folder)
        remove_tree(web_root)
    assert result.returncode == 0, result.stderr
    assert missing.status == 404 and missing.text == (builds.root / "404.html").read_bytes()


# -- in the browser ----------------------------------------------------------------------------------

VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  (window.__violations = window.__violations || []).push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def controlled(page: object) -> None:
    """Wait until the site's worker is active and controls the page (loading it once more if it was in flight)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # type: ignore[attr-defined]
    if not page.evaluate("navigator.serviceWorker.controller !== null"):  # type: ignore[attr-defined]
        page.reload()  # type: ignore[attr-defined]
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=INSTALL_GUARD_MS)  # type: ignore[attr-defined]


@pytest.mark.browser
def test_no_csp_violation_and_offline_behind_each_server(browser: object, deployed: Deployed, builds: Builds) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    errors = collect_errors(page)
    try:
        for path in pages_of(builds.old):
            page.goto(deployed.base + path)
            assert page.evaluate("window.__violations || []") == [], path
        page.goto(deployed.base + "no-such-page/")
        assert page.locator("h1").first.inner_text() == "404 - Not found"
        assert page.evaluate("window.__violations || []") == []
        page.goto(deployed.base + "worksheets/wake-plan/")
        page.fill("#shs-f-wake-time", "Seven")
        search_site(page, "sleep")
        assert page.evaluate("window.__violations || []") == []
        controlled(page)
        context.set_offline(True)
        page.goto(deployed.base + "about-sleep/")
        assert OLD_PHONE in page.inner_text("body")
        assert page.evaluate("window.__violations || []") == []
        assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    finally:
        context.close()


ENTRIES_MATCH_THEIR_REVISION = """async () => {
  const wrong = [];
  let entries = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      entries += 1;
      const revision = new URL(request.url).searchParams.get("__rev");
      const bytes = await (await cache.match(request)).arrayBuffer();
      const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)))
        .map((byte) => byte.toString(16).padStart(2, "0")).join("");
      if (!revision || !digest.startsWith(revision)) wrong.push(request.url);
    }
  }
  return {entries, wrong};
}"""

TRY_UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const worker = registration.installing;
  if (!worker) return "no new worker";
  if (worker.state !== "installing") return worker.state;
  return await new Promise((resolve) =>
    worker.addEventListener("statechange", () => resolve(worker.state), {once: true}));
}"""

ACTIVE_BUILD = """() => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => resolve(event.data.build);
  navigator.serviceWorker.controller.postMessage({type: "selfhelp:changed", url: location.href}, [channel.port2]);
})"""


def build_id(site: Path) -> str:
    return re.search(r'^var BUILD = "([0-9a-f]+)";$', (site / "sw.js").read_text(encoding="utf-8"), re.M).group(1)


def copy_build_over(new: Path, site: Path) -> None:
    """Copy `new` over the deployed `site` file by file, then delete what is gone (rsync -a --delete-after)."""
    for uri in sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()):
        (site / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new / uri, site / uri)
    for stale in [p for p in site.rglob("*") if p.is_file() and not (new / p.relative_to(site)).exists()]:
        stale.unlink()


WORKER_STATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  const state = (worker) => worker && worker.state;
  return {url: location.href, installing: state(registration.installing), waiting: state(registration.waiting),
          active: state(registration.active), controlled: navigator.serviceWorker.controller !== null,
          focus: document.activeElement && document.activeElement.tagName};
}"""


class WorkerVersions:
    """Chromium's own account of the site's worker versions (DevTools' ServiceWorker domain), for failures.

    Each change of a version's running status (starting, running, stopping, stopped) or state, in order:
    a previous worker that stops and starts again while a new one waits shows here, not in the page.
    """

    def __init__(self, page: object) -> None:
        self.changes: list[tuple[str, str, str]] = []
        session = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
        session.on("ServiceWorker.workerVersionUpdated", self._updated)
        session.send("ServiceWorker.enable")

    def _updated(self, event: dict[str, list[dict[str, str]]]) -> None:
        for version in event["versions"]:
            change = (version["versionId"], version["runningStatus"], version["status"])
            if change not in self.changes[-3:]:
                self.changes.append(change)


def wait_for_new_build(page: object, versions: WorkerVersions | None = None) -> None:
    """Wait until the page shows the new build; if it never does, say what the worker was doing."""
    try:
        page.wait_for_function(  # type: ignore[attr-defined]
            "(phone) => document.body.innerText.includes(phone)", arg=NEW_PHONE, timeout=INSTALL_GUARD_MS
        )
    except PlaywrightTimeoutError:
        history = f"; versions (id, running, state): {versions.changes}" if versions else ""
        pytest.fail(f"the new build never reached the page: {page.evaluate(WORKER_STATE)}{history}")  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_copy_with_sw_js_first_converges_on_the_new_build(
    browser: object, deployed: Deployed, builds: Builds
) -> None:
    """rsync -a sends sw.js before the pages: the new worker must refuse the old pages, then take the new ones."""
    context = browser.new_context()
    page = context.new_page()
    versions = WorkerVersions(page)
    try:
        page.goto(deployed.base + "about-sleep/")
        controlled(page)
        assert page.evaluate(ACTIVE_BUILD) == build_id(builds.old)

        # 1. sw.js (and its gzip and brotli copies: Chromium asks 127.0.0.1 for br) arrive first; the pages are
        # still the old build's.
        for name in ("sw.js", "sw.js.gz", "sw.js.br"):
            shutil.copy2(builds.new / name, deployed.site / name)
        assert page.evaluate(TRY_UPDATE) == "redundant", "the new worker refuses the old pages"
        assert page.evaluate(ACTIVE_BUILD) == build_id(builds.old), "the old build stays in charge"
        cached = page.evaluate(ENTRIES_MATCH_THEIR_REVISION)
        assert cached["entries"] > 0 and cached["wrong"] == [], "no file cached under a revision it does not have"
        page.get_by_role("link", name="Keep a steady rhythm").first.click()
        page.wait_for_url("**/guides/better-sleep/keep-a-rhythm/")
        assert OLD_PHONE in page.inner_text("body"), "still one whole build: the old one"

        # 2. The rest of the copy lands; the reader's next page change picks up the new build.
        copy_build_over(builds.new, deployed.site)
        page.get_by_role("link", name="Wind down before bed").first.click()
        wait_for_new_build(page, versions)
        assert page.evaluate(ACTIVE_BUILD) == build_id(builds.new)
        assert page.evaluate(ENTRIES_MATCH_THEIR_REVISION)["wrong"] == []
        context.set_offline(True)
        page.goto(deployed.base + "situations/")
        assert NEW_PHONE in page.inner_text("body") and OLD_PHONE not in page.inner_text("body")
    finally:
        context.close()


FETCH_WHILE_THE_NEW_WORKER_WAITS = """() => navigator.serviceWorker.getRegistration().then((registration) => {
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state !== "installed") return;
      const end = performance.now() + 1500;
      const file = new URL("assets/images/favicon.png", registration.scope).href;
      (function again() {
        if (performance.now() > end) return;
        const next = () => setTimeout(again, 1);
        fetch(file).then(next, next);
      })();
    });
  });
  return true;
})"""


@pytest.mark.browser
def test_a_page_fetching_while_the_old_worker_stops_still_converges(
    browser: object, deployed: Deployed, builds: Builds
) -> None:
    """Chromium asks the old worker once to stop; a fetch meanwhile restarts it and the new one stays waiting.

    The page fetches a file every few milliseconds for a moment after the new worker installs (a busy
    reader's page), so the old worker, stopping, is started again. Before register.js asked a worker
    still waiting to skip waiting again, 3 runs in 4 never activated the new worker (DevTools attached:
    Chromium then waits 5 minutes).
    """
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    versions = WorkerVersions(page)
    try:
        page.goto(deployed.base + "about-sleep/")
        controlled(page)
        assert page.evaluate(ACTIVE_BUILD) == build_id(builds.old)
        copy_build_over(builds.new, deployed.site)
        page.evaluate(FETCH_WHILE_THE_NEW_WORKER_WAITS)
        page.get_by_role("link", name="Keep a steady rhythm").first.click()
        wait_for_new_build(page, versions)
        assert page.evaluate(ACTIVE_BUILD) == build_id(builds.new)
        assert page.evaluate(ENTRIES_MATCH_THEIR_REVISION)["wrong"] == []
    finally:
        context.close()


@pytest.mark.browser
def test_deploy_script_switches_builds_in_one_step(browser: object, builds: Builds) -> None:
    """`deploy.sh` as the README runs it for nginx (with the reload), while a reader has the site open."""
    require(NGINX, "nginx")
    web_root = readable_temp_dir("selfhelp-web-deploy-")
    releases = readable_temp_dir("selfhelp-releases-")
    target = web_root / "wellbeing/setbacks"
    target.parent.mkdir(parents=True)
    folder = readable_temp_dir("selfhelp-nginx-deploy-")
    server = Nginx(folder, nginx_as_in_readme("/srv/www/wellbeing/setbacks", "/srv/www", web_root), builds.port)
    reload_command = [*server.command(), "-s", "reload"]

    def deploy(build: Path, *reload: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            ["sh", str(build / "_server/deploy.sh"), str(target), str(releases), *reload],  # noqa: S607
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    context = browser.new_context()
    page = context.new_page()
    try:
        first = deploy(builds.old)
        assert first.returncode == 0, first.stderr
        assert target.is_symlink()
        server.start()
        base = server.url + SUB_PATH
        page.goto(base + "about-sleep/")
        controlled(page)
        assert OLD_PHONE in page.inner_text("body")

        second = deploy(builds.new, *reload_command)
        assert second.returncode == 0, second.stderr
        assert f"serving {releases}" in second.stderr
        assert check_deploy(base, builds.new).returncode == 0
        page.get_by_role("link", name="Keep a steady rhythm").first.click()
        wait_for_new_build(page)
        for _ in range(3):
            assert deploy(builds.new).returncode == 0
        assert len([p for p in releases.iterdir() if p.is_dir()]) == 3, "the three newest builds are kept"
        assert target.resolve().parent == releases.resolve()

        (builds.scratch / "tampered").mkdir(exist_ok=True)
        tampered = builds.scratch / "tampered" / "site"
        shutil.copytree(builds.old, tampered, dirs_exist_ok=True)
        (tampered / "index.html").write_text("not the build", encoding="utf-8")
        before = target.resolve()
        refused = deploy(tampered)
        assert refused.returncode == 1 and "nothing was switched" in refused.stderr
        assert target.resolve() == before
    finally:
        context.close()
        server.stop()
        for path in (folder, web_root, releases):
            remove_tree(path)


def test_deploy_script_with_apache_reading_the_htaccess(builds: Builds) -> None:
    """The README's Apache <Directory> block names the site's path, which deploy.sh turns into a link."""
    require(APACHE, "apache2")
    web_root = readable_temp_dir("selfhelp-web-deploy-apache-")
    releases = readable_temp_dir("selfhelp-releases-apache-")
    (web_root / "wellbeing").mkdir()
    folder = readable_temp_dir("selfhelp-apache-deploy-")
    try:
        deployed = subprocess.run(  # noqa: S603
            ["sh", str(builds.old / "_server/deploy.sh"), str(web_root / SUB_PATH), str(releases)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        assert deployed.returncode == 0, deployed.stderr
        readme = apache_as_in_readme("AllowOverride FileInfo Indexes", web_root)
        with Apache(folder, web_root, allow_override="None", extra=readme) as server:
            result = check_deploy(server.url + SUB_PATH, builds.old)
    finally:
        for path in (folder, web_root, releases):
            remove_tree(path)
    assert result.returncode == 0, result.stderr
