"""Shared fixtures: build real sites into temporary folders, serve them on 127.0.0.1, drive Chromium.

Browser tests use Playwright's Python package with Debian's Chromium at
/usr/bin/chromium. Without it they are skipped on a developer machine and fail
under CI (`CI=true`), where a missing browser is a broken set-up.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import signal
import socketserver
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# A shell that starts pytest in the background (`pytest &`) ignores Ctrl-C, and its children inherit that:
# `mkdocs serve` would never stop on the SIGINT the tests send. Give the commands the tests start Ctrl-C back.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True, **overrides: object) -> Path:
    """Build the site of `config_file` into `site_dir` (strict unless told), as `mkdocs build` does."""
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **overrides)
    build(config)
    return site_dir


def copy_pack(fixture: str, destination: Path) -> Path:
    """Copy a fixture project to `destination` (the plugin brings its own templates: no custom_dir)."""
    shutil.copytree(FIXTURES / fixture, destination)
    return destination


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a text file with `new`; fails when `old` is no longer there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def readme_block(language: str, containing: str) -> str:
    """The README.md code block in `language` that contains `containing` (the instructions as published)."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"^```{language}\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    found = [block for block in blocks if containing in block]
    assert len(found) == 1, f"README.md should have one ```{language} block with {containing!r}"
    return found[0]


def parse(path: Path) -> BeautifulSoup:
    """Parse a built HTML file."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def last_good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sleep-pack site built once (strict, PDFs and zip off): the `site/` hostile cases must not touch."""
    from .hostile import build_last_good_site

    return build_last_good_site(tmp_path_factory.mktemp("last-good"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How long the hostile and mistaken inputs took to be refused (measured, never asserted)."""
    from .hostile import ELAPSED

    if not ELAPSED:
        return
    slowest = sorted(ELAPSED, key=lambda item: item[1], reverse=True)
    terminalreporter.section("hostile inputs: time to refuse")
    terminalreporter.write_line(
        f"{len(ELAPSED)} commands, each forked from a Python with MkDocs and the plugin imported "
        "(a new interpreter adds its start-up); slowest:"
    )
    for name, seconds in slowest[:8]:
        terminalreporter.write_line(f"  {seconds:6.2f} s  {name}")


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site (mkdocs.yml at the project root), built once per test session."""
    return build_site(PROJECT / "mkdocs.yml", tmp_path_factory.mktemp("shipped") / "site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


class SiteServer:
    """A static file server for a built site on 127.0.0.1, in a background thread."""

    def __init__(self, root: Path, headers: dict[str, str] | None = None) -> None:
        extra = headers or {}
        self.requests: list[str] = []
        """Request lines ("GET /path?query HTTP/1.1"), as a server's access log has them."""
        requests = self.requests

        class Handler(_QuietHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                requests.append(self.requestline)

            def end_headers(self) -> None:
                for name, value in extra.items():
                    self.send_header(name, value)
                super().end_headers()

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def shipped_server(shipped_site: Path) -> Iterator[SiteServer]:
    """The shipped site served on 127.0.0.1."""
    server = SiteServer(shipped_site)
    yield server
    server.close()


def unzip_offline_copy(site: Path, into: Path) -> Path:
    """Unpack the site's offline zip into `into`; the folder it holds (named like the zip), to open from disk."""
    [archive] = (site / "offline").glob("*.zip")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(into)
    root = into / archive.stem
    assert root.is_dir(), "the zip holds one folder named like itself"
    return root


def search_site(page: object, query: str) -> None:
    """Type `query` into Material's search box (one keyup, as a reader's last key) and wait for results."""
    box = page.locator(".md-search__input")  # type: ignore[attr-defined]
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", state="attached")  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def collect_errors(page: object, failed_responses: bool = False) -> list[str]:
    """The list that collects `page`'s script errors and console errors (and responses >= 400 if asked);
    also kept as `page.console_errors`."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # type: ignore[attr-defined]
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)  # type: ignore[attr-defined]
    if failed_responses:
        page.on(  # type: ignore[attr-defined]
            "response",
            lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None,
        )
    page.console_errors = errors  # type: ignore[attr-defined]
    return errors


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context (empty storage) and page; `page.console_errors` collects errors."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    collect_errors(page)
    yield page
    context.close()


BRANDED_OPTIONS: dict[str, object] = {
    "organisation": "Example Care Ltd",
    # Strong brand colours: a light primary (white text on it and links in it would be unreadable unadjusted)
    # and a bright accent.
    "primary_colour": "#ffcc00",
    "accent_colour": "#00e5ff",
    "urgent_help": {
        "name": "Crisis line",
        "phone": "0800 000 111",
        "email": "crisis@example.test",
        "url": "https://crisis.example.test/",
        "note": "open day and night",
    },
    "hr_contact": {"name": "People team", "phone": "0800 000 222", "email": "people@example.test"},
    "eap": {
        "name": "Employee Assistance Programme",
        "phone": "0800 000 333",
        "url": "https://eap.example.test/",
        "note": "free and confidential",
    },
    "pdf_pack": False,
    "offline_zip": False,
}
"""Every contact set, with strong brand colours: what the accessibility checks also run on."""


@pytest.fixture(scope="session")
def branded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content and mkdocs.yml with BRANDED_OPTIONS (no PDFs, no zip), built once per session."""
    site = tmp_path_factory.mktemp("branded") / "site"
    return build_site(PROJECT / "mkdocs.yml", site, plugins=["search", {"selfhelp": BRANDED_OPTIONS}])


@pytest.fixture(scope="session")
def branded_server(branded_site: Path) -> Iterator[SiteServer]:
    """The branded site served on 127.0.0.1."""
    server = SiteServer(branded_site)
    yield server
    server.close()
