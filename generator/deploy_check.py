"""`selfhelp check-deploy`: check a deployed site from the administrator's machine against the local build.

The local `site/` says what should be there: every file of the build is fetched
from the base URL (pages also by their folder address, as readers ask for
them) and compared with it. Reported, one line per kind of problem with a
count, an example and the fix:

- a response that is not 200, or whose bytes differ from the build's (an old or
  unfinished deploy, or something on the way rewriting pages);
- a header of `_server/headers.txt` missing, different or sent twice;
- `Cache-Control`: pages, sw.js and other unhashed files must be checked again
  before use (`no-cache`), Material's hashed bundles kept long;
- a text file that has a `.gz` copy in the build but travels uncompressed;
- sw.js not served as JavaScript, a site address the service worker cannot use
  (not https or localhost) or a path that is not the one the site was built for;
- `_server/` or `.htaccess` served, a folder listed, and a missing page that is
  not answered with 404 and the site's own 404 page.

Nothing here imports MkDocs; the command itself is registered in `cli.py`.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import secrets
import ssl
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .products.precompress import compressed_copy_of
from .products.security_headers import IMMUTABLE, cache_control_for, is_private, read_base_path, read_headers
from .products.service_worker import build_of
from .site_paths import HEADERS_TXT, IIS_CONFIG, ROOT_SERVER_FILES, SERVER_DIR, STATIC_WEB_APP_CONFIG
from .site_paths import SERVICE_WORKER as SERVICE_WORKER_URI

REQUEST_TIMEOUT_SECONDS = 30
"""A server that sends nothing for this long is reported, never waited on for ever."""
PARALLEL_REQUESTS = 8
MIN_LONG_CACHE_SECONDS = 7 * 24 * 3600
MIN_COMPRESSED_SIZE = 1024
"""Below this a server may rightly send a file as it is (nginx's gzip_min_length, say)."""
HOSTING_HELP = "README.md, 'Hosting it on your intranet'"


class DeployCheckError(Exception):
    """The check cannot start (no build, a bad address); the message says what to do."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int = 0
    headers: Message | None = None
    body: bytes = b""
    error: str = ""
    """Why there is no response (connection refused, certificate, timeout), or why the body could not be read."""

    def values(self, name: str) -> list[str]:
        return [value.strip() for value in (self.headers.get_all(name) or [])] if self.headers else []

    def header(self, name: str) -> str:
        return ", ".join(self.values(name))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # A redirect is reported as it is: the service worker may not follow one.


def _decode(body: bytes, encoding: str) -> bytes:
    encoding = encoding.lower()
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip"):
        return gzip.decompress(body)
    if encoding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)
    raise ValueError(f"Content-Encoding {encoding!r}, which the check did not ask for (it accepts gzip)")


class Fetcher:
    """GET with `Accept-Encoding: gzip`, no redirects followed, bodies decoded."""

    def __init__(self, ca_file: Path | None = None) -> None:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        self.opener = urllib.request.build_opener(_NoRedirects(), urllib.request.HTTPSHandler(context=context))

    def get(self, url: str) -> Response:
        # The scheme is http or https: DeployCheck refuses any other base URL.
        headers = {"Accept-Encoding": "gzip", "User-Agent": "selfhelp-check-deploy"}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as answer:
                status, headers, raw = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as answer:
            status, headers = answer.code, answer.headers
            try:
                raw = answer.read()
            except OSError:
                raw = b""
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return Response(url, error=str(reason))
        try:
            body = _decode(raw, headers.get("Content-Encoding", ""))
        except (OSError, ValueError, zlib.error) as error:
            return Response(url, status, headers, raw, error=f"its body could not be decoded: {error}")
        return Response(url, status, headers, body)


@dataclass
class Report:
    """Problems, one line per kind: `what (how many, e.g. where): how to fix it`."""

    lines: list[str] = field(default_factory=list)
    grouped: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def add(self, line: str) -> None:
        self.lines.append(line)

    def count(self, what: str, fix: str, url: str) -> None:
        self.grouped.setdefault(what, (fix, []))[1].append(url)

    def problems(self) -> list[str]:
        found = list(self.lines)
        for what, (fix, urls) in self.grouped.items():
            urls = sorted(set(urls))
            found.append(f"{what} ({len(urls)} response{'s' if len(urls) != 1 else ''}, e.g. {urls[0]}): {fix}")
        return found


@dataclass(frozen=True)
class Expected:
    """What one URL of the deployed site should answer."""

    url: str
    uri: str
    """The file of site/ it serves."""
    digest: str
    compressed: bool
    """The build wrote a `.gz` copy, so the server should send it compressed."""
    size: int


def site_files(site_dir: Path) -> Iterable[str]:
    """Paths (relative to site/) of every file a reader may be sent: no server files, no `.gz` copies."""
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        uri = path.relative_to(site_dir).as_posix()
        original = compressed_copy_of(uri)
        if is_private(uri) or (original is not None and (site_dir / original).is_file()):
            continue
        yield uri


def expected_responses(site_dir: Path, base_url: str) -> list[Expected]:
    expected = []
    for uri in site_files(site_dir):
        path = site_dir / uri
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        compressed = path.with_name(path.name + ".gz").is_file()
        size = path.stat().st_size
        expected.append(Expected(urljoin(base_url, uri), uri, digest, compressed, size))
        if uri == "index.html" or uri.endswith("/index.html"):
            expected.append(Expected(urljoin(base_url, uri[: -len("index.html")]), uri, digest, compressed, size))
    return expected


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _max_age(cache_control: str) -> int | None:
    for directive in cache_control.lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name == "max-age" and value.strip().isdigit():
            return int(value)
    return None


def _revalidated(cache_control: str) -> bool:
    directives = {d.strip().split("=")[0] for d in cache_control.lower().split(",")}
    return bool(directives & {"no-cache", "no-store"}) or _max_age(cache_control) == 0


class DeployCheck:
    """Compare the site at `base_url` with the build in `site_dir`."""

    def __init__(self, site_dir: Path, base_url: str, fetcher: Fetcher | None = None) -> None:
        if not (site_dir / "index.html").is_file():
            raise DeployCheckError(
                f"{site_dir}/index.html not found: build the site first (mkdocs build), or pass --site"
            )
        if not (site_dir / SERVER_DIR / HEADERS_TXT).is_file():
            raise DeployCheckError(
                f"{site_dir}/{SERVER_DIR}/{HEADERS_TXT} not found: build with the plugin's server_config option on "
                "(the default), so the check knows which headers to expect"
            )
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DeployCheckError(
                f"{base_url!r} is not a web address: give the site's address, like https://intranet.example/wellbeing/"
            )
        self.site_dir = site_dir
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.fetcher = fetcher or Fetcher()
        self.headers = read_headers(site_dir)
        self.report = Report()
        self.compared = 0
        """How many URLs of the build were fetched and compared."""

    def run(self) -> list[str]:
        """Every problem found, one line each (empty when the deployed site is right)."""
        front = self.fetcher.get(self.base_url)
        if front.error and not front.status:
            self.report.add(f"{self.base_url}: no answer ({front.error}): check the address, and that the server runs")
            return self.report.problems()
        self._check_address()
        expected = expected_responses(self.site_dir, self.base_url)
        self.compared = len(expected)
        with ThreadPoolExecutor(PARALLEL_REQUESTS) as pool:
            responses = list(pool.map(lambda item: self.fetcher.get(item.url), expected))
        if all(response.status == 404 for response in responses):
            self.report.add(
                f"{self.base_url}: none of the build's {len(expected)} files is found there: copy site/ to the folder "
                f"the server maps to {urlsplit(self.base_url).path} (nginx: the server block's root plus that path)"
            )
            return self.report.problems()
        for item, response in zip(expected, responses, strict=True):
            self._check_file(item, response)
        self._check_service_worker(dict(zip([e.url for e in expected], responses, strict=True)))
        self._check_not_served()
        self._check_missing_page()
        return self.report.problems()

    # -- each kind of check ------------------------------------------------------------------

    def _check_address(self) -> None:
        parts = urlsplit(self.base_url)
        built_for = read_base_path(self.site_dir)
        if parts.path != built_for:
            self.report.add(
                f"{self.base_url}: the site was built for the path {built_for} (site_url in mkdocs.yml) but is served "
                f"at {parts.path}: set site_url to this address and build again, or serve it at {built_for}"
            )
        worker = (self.site_dir / SERVICE_WORKER_URI).read_text(encoding="utf-8", errors="replace")
        if build_of(worker) and parts.scheme != "https" and not _is_local(parts.hostname or ""):
            self.report.add(
                f"{self.base_url}: browsers run service workers only over https (or on localhost), so readers get no "
                "offline copy: serve the site over https, or set service_worker: false and build again"
            )

    def _check_headers(self, response: Response) -> None:
        for name, value in self.headers.items():
            values = response.values(name)
            if not values:
                self.report.count(
                    f"{name} missing",
                    f"the server does not send the generated headers: see {HOSTING_HELP}",
                    response.url,
                )
            elif len(values) > 1:
                self.report.count(
                    f"{name} sent {len(values)} times",
                    "the server adds it besides the generated configuration: remove the other one",
                    response.url,
                )
            elif values[0] != value:
                self.report.count(
                    f"{name} differs from {SERVER_DIR}/{HEADERS_TXT}",
                    "the server still has an older build's configuration: reload it after each deploy "
                    "(nginx -s reload, or apachectl graceful when apache.conf is included)",
                    response.url,
                )

    def _check_file(self, item: Expected, response: Response) -> None:
        if not response.status:
            self.report.count("no answer", f"the server dropped the request ({response.error})", item.url)
            return
        if response.status != 200:
            location = response.header("Location")
            what = f"answered {response.status}" + (f" (redirect to {location})" if location else "")
            self.report.count(
                what,
                f"site/{item.uri} is part of the build: copy the whole of site/ to the server"
                if response.status == 404
                else "the server should send the file as it is, with status 200",
                item.url,
            )
            return
        self._check_headers(response)
        if response.error:
            self.report.count("body unreadable", response.error, item.url)
            return
        if hashlib.sha256(response.body).hexdigest() != item.digest:
            self.report.count(
                "differs from the local build",
                "the server has an older or unfinished deploy (or something on the way changes files): "
                "deploy site/ again, or check this against the site/ that was deployed",
                item.url,
            )
        cache_control = response.header("Cache-Control")
        if cache_control_for(item.uri) == IMMUTABLE:
            max_age = _max_age(cache_control)
            if max_age is None or max_age < MIN_LONG_CACHE_SECONDS or _revalidated(cache_control):
                self.report.count(
                    f"hashed bundle not cached long (Cache-Control: {cache_control or 'none'})",
                    f"its name changes with its content: send Cache-Control: {IMMUTABLE}",
                    item.url,
                )
        elif not _revalidated(cache_control):
            self.report.count(
                f"may be reused without asking the server (Cache-Control: {cache_control or 'none'})",
                "readers could keep an old page after an update: send Cache-Control: no-cache",
                item.url,
            )
        encoding = response.header("Content-Encoding").lower()
        if item.compressed and item.size >= MIN_COMPRESSED_SIZE and encoding not in ("gzip", "br", "deflate"):
            self.report.count(
                "text sent uncompressed",
                "the build wrote a .gz copy beside it: use the generated configuration "
                "(nginx gzip_static, or Apache's rewrite rules) so browsers get it",
                item.url,
            )

    def _check_service_worker(self, responses: dict[str, Response]) -> None:
        url = urljoin(self.base_url, SERVICE_WORKER_URI)
        response = responses.get(url)
        if response is None or response.status != 200:
            return  # Reported with the other files.
        content_type = response.header("Content-Type").split(";")[0].strip().lower()
        if content_type not in ("text/javascript", "application/javascript", "application/x-javascript"):
            self.report.add(
                f"{url}: served as {content_type or 'no type'}; browsers register a service worker only when it is "
                "served as JavaScript: map .js to text/javascript"
            )
        allowed = response.header("Service-Worker-Allowed")
        if allowed and not urlsplit(self.base_url).path.startswith(urlsplit(urljoin(url, allowed)).path):
            self.report.add(
                f"{url}: Service-Worker-Allowed: {allowed} keeps the worker out of {urlsplit(self.base_url).path}, "
                "the site's scope: remove that header"
            )

    def _check_not_served(self) -> None:
        private = sorted(
            path.relative_to(self.site_dir).as_posix()
            for path in [*(self.site_dir / SERVER_DIR).glob("*"), *(self.site_dir / n for n in ROOT_SERVER_FILES)]
            if path.is_file()
        )
        for uri in private:
            url = urljoin(self.base_url, uri)
            response = self.fetcher.get(url)
            if response.status == 200:
                self.report.add(
                    f"{url} is served to anyone: refuse {SERVER_DIR}/, dotfiles, {IIS_CONFIG} and "
                    f"{STATIC_WEB_APP_CONFIG} (the generated configuration does)"
                )
        listing_url = urljoin(self.base_url, "assets/")
        listing = self.fetcher.get(listing_url)
        if listing.status == 200:
            self.report.add(
                f"{listing_url}: the folder is listed: turn off folder listings (autoindex / Options -Indexes)"
            )

    def _check_missing_page(self) -> None:
        url = urljoin(self.base_url, f"selfhelp-check-deploy-{secrets.token_hex(4)}/")
        response = self.fetcher.get(url)
        if response.status != 404:
            self.report.add(f"{url}: a page that does not exist answered {response.status or response.error}, not 404")
            return
        self._check_headers(response)
        own = hashlib.sha256((self.site_dir / "404.html").read_bytes()).hexdigest()
        if hashlib.sha256(response.body).hexdigest() != own:
            self.report.add(
                f"{url}: a missing page is answered with the server's own error page, not the site's 404.html: "
                f"point the server's 404 page at {read_base_path(self.site_dir)}404.html (error_page / ErrorDocument)"
            )


def check_deploy(site_dir: Path, base_url: str, ca_file: Path | None = None) -> tuple[list[str], int]:
    """(problems, how many URLs were compared) for the site at `base_url` against the build in `site_dir`."""
    check = DeployCheck(site_dir, base_url, Fetcher(ca_file))
    problems = check.run()
    return problems, check.compared
