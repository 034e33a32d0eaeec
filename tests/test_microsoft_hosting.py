"""Hosting on Microsoft: IIS's web.config, Azure Static Web Apps' staticwebapp.config.json, and framing.

Both files are parsed (XML, JSON) and held to what the nginx and Apache files say:
the same headers as `_server/headers.txt` (every server file is compared with it),
the site's 404 page, `no-cache` but for the content-hashed bundles, and exactly the
files `is_private` names refused (each server's matching rules applied to every file
of the build). Neither file is precached, zipped or given a `.gz` copy. The
`embedding_origins` option reaches the CSP's `frame-ancestors` of every server
file and drops `X-Frame-Options`; in Chromium a page on a listed origin can frame
the site, one on another origin cannot, and answers typed in the frame are kept
apart from the site's own: browsers partition a framed site's storage by the
top-level site, or refuse it where third-party cookies are blocked, and then the
worksheet says answers are not kept.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator.products.csp import frame_ancestor_problem
from generator.products.microsoft_hosting import SWA_CONFIG_LIMIT
from generator.products.security_headers import (
    IMMUTABLE,
    NO_CACHE,
    cache_control_for,
    is_private,
    read_base_path,
    read_headers,
)
from generator.products.service_worker import precache_manifest

from .conftest import PROJECT, SiteServer, build_site, copy_pack, edit

TEAMS = ["https://teams.microsoft.com", "https://*.teams.microsoft.com", "https://*.cloud.microsoft"]
"""The Teams origins README.md lists (Microsoft's list for tabs)."""
SHAREPOINT = "https://Contoso.sharepoint.com/"
"""As someone might paste it: written into the policy as https://contoso.sharepoint.com."""
IIS_DEFAULT_HIDDEN_SEGMENTS = {"web.config", "bin", "app_code", "app_globalresources", "app_localresources"}
"""Part of IIS's own defaults (applicationHost.config): the ones a static site could meet."""


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def directives(cache_control: str) -> dict[str, str]:
    found = {}
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        found[name.lower()] = value
    return found


def iis_seconds(time_span: str) -> int:
    """An IIS time span (`365.00:00:00`) in seconds."""
    days, _, clock = time_span.rpartition(".")
    hours, minutes, seconds = (int(n) for n in clock.split(":"))
    return int(days or 0) * 86400 + hours * 3600 + minutes * 60 + seconds


# -- every server file's headers ------------------------------------------------------------------


def nginx_headers(site: Path) -> dict[str, str]:
    """The headers of the site's main location (every nested one repeats them, checked elsewhere)."""
    text = (site / "_server/nginx.conf").read_text(encoding="utf-8")
    main = text.split("location ^~", 1)[1].split("    location ~", 1)[0]
    return dict(re.findall(r'^    add_header (\S+) "(.*)" always;$', main, re.MULTILINE))


def apache_headers(site: Path) -> dict[str, str]:
    text = (site / "_server/apache.conf").read_text(encoding="utf-8")
    return dict(re.findall(r'^Header always set (\S+) "(.*)"$', text, re.MULTILINE))


def iis_headers(site: Path) -> dict[str, str]:
    root = ElementTree.parse(site / "web.config").getroot()  # noqa: S314 - the build's own file
    custom = root.find("system.webServer/httpProtocol/customHeaders")
    assert custom is not None
    removed = [e.get("name") for e in custom if e.tag == "remove"]
    added = {e.get("name", ""): e.get("value", "") for e in custom if e.tag == "add"}
    assert removed == list(added), "each header is removed before it is added (no duplicate from a parent level)"
    return added


def swa_headers(site: Path) -> dict[str, str]:
    return dict(json.loads((site / "staticwebapp.config.json").read_text(encoding="utf-8"))["globalHeaders"])


SERVER_FILES = {
    "_server/nginx.conf": nginx_headers,
    "_server/apache.conf": apache_headers,
    "web.config": iis_headers,
    "staticwebapp.config.json": swa_headers,
}


def assert_every_server_file_sends_headers_txt(site: Path) -> dict[str, str]:
    expected = read_headers(site)
    assert "Cache-Control" not in expected
    for name, read in SERVER_FILES.items():
        found = read(site)
        cache_control = found.pop("Cache-Control", NO_CACHE)
        assert found == expected, name
        assert cache_control == NO_CACHE, name
    return expected


# -- the shipped site: IIS ------------------------------------------------------------------------


def test_web_config_carries_the_headers_404_page_caching_and_refusals(shipped_site: Path) -> None:
    assert_every_server_file_sends_headers_txt(shipped_site)
    root = ElementTree.parse(shipped_site / "web.config").getroot()  # noqa: S314 - the build's own file
    server = root.find("system.webServer")
    assert server is not None
    assert [e.get("value") for e in server.findall("defaultDocument/files/add")] == ["index.html"]
    assert server.find("directoryBrowse").get("enabled") == "false"  # type: ignore[union-attr]

    errors = server.find("httpErrors")
    assert errors is not None and errors.get("errorMode") == "Custom"
    (error,) = errors.findall("error")
    assert error.attrib == {
        "statusCode": "404",
        "path": read_base_path(shipped_site) + "404.html",
        "responseMode": "ExecuteURL",  # keeps the status 404
    }

    # Caching: no-cache everywhere, a year for each content-hashed bundle, and nothing else.
    assert server.find("staticContent/clientCache").get("cacheControlMode") == "DisableCache"  # type: ignore[union-attr]
    files = site_files(shipped_site)
    hashed = [uri for uri in files if cache_control_for(uri) == IMMUTABLE]
    assert len(hashed) >= 3
    locations = {
        location.get("path"): location.find("system.webServer/staticContent/clientCache")
        for location in root.findall("location")
    }
    assert sorted(locations) == hashed
    for uri, cache in locations.items():
        assert cache is not None and cache.get("cacheControlMode") == "UseMaxAge", uri
        sent = {"max-age": str(iis_seconds(cache.get("cacheControlMaxAge", "")))}
        sent |= directives(cache.get("cacheControlCustom", ""))
        assert sent == directives(IMMUTABLE), uri

    # Refusals: IIS's matching rules applied to every file of the build refuse exactly the private ones.
    filtering = server.find("security/requestFiltering")
    assert filtering is not None
    hidden = {e.get("segment", "").lower() for e in filtering.findall("hiddenSegments/add")}
    hidden |= IIS_DEFAULT_HIDDEN_SEGMENTS
    sequences = [e.get("sequence", "") for e in filtering.findall("denyUrlSequences/add")]

    def refused(uri: str) -> bool:
        url = "/" + uri
        return any(part.lower() in hidden for part in uri.split("/")) or any(s in url for s in sequences)

    assert [uri for uri in files if refused(uri)] == [uri for uri in files if is_private(uri)]
    assert refused("_server/") and refused(".git/config"), "folders and dotfiles that a copy might bring along"
    assert "web.config" in files and "staticwebapp.config.json" in files and "_server/headers.txt" in files

    mime = {e.get("fileExtension"): e.get("mimeType") for e in server.findall("staticContent/mimeMap")}
    assert mime.get(".json") == "application/json", "search/search_index.json"
    assert server.find("urlCompression").get("doStaticCompression") == "true"  # type: ignore[union-attr]


# -- the shipped site: Azure Static Web Apps ------------------------------------------------------


def swa_matches(route: str, path: str) -> bool:
    """Azure Static Web Apps' route matching: exact, or a `*` at the end."""
    return path.startswith(route[:-1]) if route.endswith("*") else path == route


def test_static_web_app_config_carries_the_headers_404_page_caching_and_refusals(shipped_site: Path) -> None:
    text = (shipped_site / "staticwebapp.config.json").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < SWA_CONFIG_LIMIT / 4, "far below the 20 KB Azure accepts"
    config = json.loads(text)
    assert set(config) == {"globalHeaders", "responseOverrides", "routes"}
    headers = assert_every_server_file_sends_headers_txt(shipped_site)
    assert config["globalHeaders"]["Content-Security-Policy"] == headers["Content-Security-Policy"]
    base = read_base_path(shipped_site)
    assert config["responseOverrides"] == {"404": {"rewrite": base + "404.html"}}

    routes = config["routes"]
    for route in routes:
        assert set(route) in ({"route", "statusCode"}, {"route", "headers"}), route
        assert route["route"].startswith(base)
    refusing = [r["route"] for r in routes if r.get("statusCode") == 404]
    caching = {r["route"]: r["headers"] for r in routes if "headers" in r}
    files = site_files(shipped_site)
    # First match wins: a file is refused iff a refusing route matches it, and only private files are.
    refused = [uri for uri in files if any(swa_matches(route, base + uri) for route in refusing)]
    assert refused == [uri for uri in files if is_private(uri)]
    assert sorted(caching) == sorted(base + uri for uri in files if cache_control_for(uri) == IMMUTABLE)
    assert all(value == {"Cache-Control": IMMUTABLE} for value in caching.values())


def test_microsoft_files_are_never_precached_zipped_or_compressed(shipped_site: Path) -> None:
    private = [uri for uri in site_files(shipped_site) if is_private(uri)]
    assert {"web.config", "staticwebapp.config.json", ".htaccess"} <= set(private)
    precached = {entry["url"] for entry in precache_manifest(shipped_site)}
    assert not precached & set(private)
    script = (shipped_site / "sw.js").read_text(encoding="utf-8")
    assert "web.config" not in script and "staticwebapp.config.json" not in script
    (archive,) = (shipped_site / "offline").glob("*.zip")
    with zipfile.ZipFile(archive) as opened:
        names = [name.split("/", 1)[1] for name in opened.namelist()]
    assert not [name for name in names if is_private(name)]
    assert not list(shipped_site.glob("*.config*.gz")), "no copy under another name that servers would send"


# -- the frame option ------------------------------------------------------------------------------


def framed_project(tmp_path: Path, origins: list[str]) -> Path:
    project = copy_pack("sleep-pack", tmp_path / "project")
    options = {"pdf_pack": False, "offline_zip": False, "embedding_origins": origins}
    block = "".join(f"      {name}: {json.dumps(value)}\n" for name, value in options.items())
    edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n" + block)
    return project


def test_embedding_origins_reach_every_server_file(tmp_path: Path, shipped_site: Path) -> None:
    default = assert_every_server_file_sends_headers_txt(shipped_site)
    assert default["X-Frame-Options"] == "SAMEORIGIN"
    assert default["Content-Security-Policy"].endswith("; frame-ancestors 'self'")

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "        embedding_origins:\n" + "".join(f"          - {o}\n" for o in TEAMS) in readme
    project = framed_project(tmp_path, [*TEAMS, SHAREPOINT])
    site = build_site(project / "mkdocs.yml", project / "site")
    framed = assert_every_server_file_sends_headers_txt(site)
    assert framed["Content-Security-Policy"].endswith(
        "; frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com "
        "https://*.cloud.microsoft https://contoso.sharepoint.com"
    )
    # X-Frame-Options can only say "this site" or "nobody": with other origins allowed it is left out.
    assert "X-Frame-Options" not in framed
    for name in (*SERVER_FILES, "_server/headers.txt", ".htaccess"):
        assert "X-Frame-Options" not in (site / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize(
    ("origin", "message"),
    [
        ("teams.microsoft.com", "'teams.microsoft.com' needs its scheme: write https://teams.microsoft.com"),
        ("*", "'*' is not an origin the site may be framed by: list each one that needs it"),
        ("https://*.com", "'https://*.com' is not an origin: write a scheme, a host and an optional port"),
        ("https://a.*.example.com", "'https://a.*.example.com' is not an origin: write a scheme, a host"),
        (
            "https://x.example; script-src *",
            "'https://x.example; script-src *' is not an origin: write a scheme, a host and an optional port",
        ),
    ],
)
def test_what_is_not_an_origin_is_named_with_the_fix(origin: str, message: str) -> None:
    problem = frame_ancestor_problem(origin)
    assert problem is not None and problem.startswith(message)


def test_a_wrong_embedding_origin_stops_the_build(tmp_path: Path) -> None:
    project = framed_project(tmp_path, ["https://contoso.sharepoint.com/sites/hr"])
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    # The option is named in the message itself, whatever MkDocs or the plugin puts in front of it.
    assert (
        "embedding_origins 'https://contoso.sharepoint.com/sites/hr' is a page, not an origin: "
        "write https://contoso.sharepoint.com"
    ) in result.stderr
    assert not (project / "site").exists()


@pytest.fixture
def framer(tmp_path: Path) -> Iterator[tuple[SiteServer, Path]]:
    """A server for pages that frame ours, reached as http://localhost:PORT: another site than 127.0.0.1."""
    folder = tmp_path / "framer"
    folder.mkdir()
    server = SiteServer(folder)
    yield server, folder
    server.close()


@pytest.mark.browser
def test_a_listed_origin_can_frame_the_site_and_keeps_its_own_answers(
    browser: object, tmp_path: Path, last_good_site: Path, framer: tuple[SiteServer, Path]
) -> None:
    framer_server, framer_root = framer
    framer_origin = framer_server.url.replace("127.0.0.1", "localhost").rstrip("/")
    project = framed_project(tmp_path, [framer_origin])
    site = build_site(project / "mkdocs.yml", project / "site")
    allowed = SiteServer(site, headers=read_headers(site))
    refused = SiteServer(last_good_site, headers=read_headers(last_good_site))  # default: frame-ancestors 'self'
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        for name, server in (("allowed", allowed), ("refused", refused)):
            (framer_root / f"{name}.html").write_text(
                f'<!doctype html><title>Tab</title><iframe src="{server.url}worksheets/wake-plan/"></iframe>',
                encoding="utf-8",
            )
        # frame-ancestors 'self' refuses the frame: Chromium shows its error page in it. The frame's error page
        # may commit after the framing page's load event, so wait for that navigation rather than read the URL.
        with page.expect_event(
            "framenavigated", predicate=lambda f: f is not page.main_frame and f.url.startswith("chrome-error://")
        ):
            page.goto(f"{framer_origin}/refused.html")

        page.goto(f"{framer_origin}/allowed.html")
        frame = page.frame_locator("iframe")
        frame.locator("form.shs-worksheet .shs-toolbar").wait_for()
        field = frame.locator("form.shs-worksheet input[type=text], form.shs-worksheet textarea").first
        field.fill("typed inside the tab")
        # A framed site's storage is partitioned by the top-level site, or refused outright where third-party
        # cookies are blocked (this Chromium): either way the reader is told which.
        status = frame.locator(".shs-worksheet__status")
        status.filter(has_text=re.compile("Saved on this device|Not saved")).wait_for()

        # The same browser on the site itself: the answer typed in the frame is not there.
        page.goto(f"{allowed.url}worksheets/wake-plan/")
        page.locator("form.shs-worksheet .shs-toolbar").wait_for()
        first = page.locator("form.shs-worksheet input[type=text], form.shs-worksheet textarea").first
        assert first.input_value() == ""
        assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':worksheet:'))") == []
    finally:
        context.close()
        allowed.close()
        refused.close()
