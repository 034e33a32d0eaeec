"""What an intranet administrator relies on: branding, zero egress, strict CSP, offline use, sub-path hosting."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.exceptions import Abort
from pypdf import PdfReader

from generator.products.csp import is_executable, script_hash
from generator.products.html_scan import inline_scripts

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PROJECT,
    SiteServer,
    build_site,
    collect_errors,
    copy_pack,
    edit,
    parse,
    search_site,
    unzip_offline_copy,
)

BRANDING = """
  - selfhelp:
      organisation: Example Care Ltd
      logo: brand/logo.svg
      primary_colour: "#ffcc00"
      accent_colour: "#336699"
      urgent_help: {name: Crisis line, phone: "0800 000 111", note: open day and night}
      hr_contact: {name: People team, email: people@example.test}
      eap: {name: Employee Assistance Programme, phone: "0800 222 333"}
"""
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'


def branded_project(tmp_path: Path, plugin_block: str = BRANDING) -> Path:
    project = copy_pack("sleep-pack", tmp_path / "project")
    (project / "brand").mkdir()
    (project / "brand/logo.svg").write_text(LOGO, encoding="utf-8")
    edit(project / "mkdocs.yml", "  - selfhelp\n", plugin_block)
    return project


def site_pages(site: Path) -> list[str]:
    """Every page of a built site as a URL path relative to the site root ('' is the home page)."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        relative = path.parent.relative_to(site).as_posix()
        pages.append("" if relative == "." else relative + "/")
    return pages


# -- branding ---------------------------------------------------------------------------


def test_branding_and_contacts_reach_every_page(tmp_path: Path) -> None:
    project = branded_project(tmp_path)
    site = build_site(project / "mkdocs.yml", project / "site")
    css = (site / "assets/selfhelp/brand.css").read_text(encoding="utf-8")
    assert "--md-primary-fg-color: #ffcc00;" in css
    assert "--md-primary-bg-color: #000000de;" in css, "dark text on a light header"
    link_colour = re.search(r"--md-typeset-a-color: (#[0-9a-f]{6});", css).group(1)
    assert link_colour != "#ffcc00", "links darkened to stay readable on white"
    assert (site / "assets/selfhelp/logo.svg").read_text(encoding="utf-8") == LOGO
    for page in site_pages(site):
        soup = parse(site / page / "index.html")
        logo = soup.select_one(".md-header__button.md-logo img")
        assert logo is not None and logo["src"].endswith("assets/selfhelp/logo.svg"), page
        urgent = soup.select_one(".md-banner .shs-urgent").get_text(" ", strip=True)
        assert "Crisis line" in urgent and "0800 000 111" in urgent, page
        contacts = soup.select_one("aside.shs-contacts")
        assert contacts is not None, page
        text = " ".join(contacts.get_text(" ", strip=True).split())
        assert "Who you can talk to at Example Care Ltd" in text
        assert "Employee Assistance Programme" in text and "people@example.test" in text
        # A worksheet page links one stylesheet that holds the colours (theme_assets.worksheet_page_css).
        assert soup.select_one('link[href$="assets/selfhelp/brand.css"], link[href$="assets/selfhelp/worksheet-page.css"]'), page
    assert "--md-primary-fg-color:#ffcc00" in (site / "assets/selfhelp/worksheet-page.css").read_text(encoding="utf-8")


@pytest.mark.browser
def test_contacts_are_on_a_printed_worksheet_and_the_pdf_pack(browser: object, tmp_path: Path) -> None:
    project = branded_project(tmp_path)
    site = build_site(project / "mkdocs.yml", project / "site")
    cover = PdfReader(site / "pdf/worksheets.pdf").pages[0].extract_text()
    assert "Example Care Ltd" in cover and "Employee Assistance Programme" in cover
    overview = parse(site / "worksheets/index.html").select_one("a.shs-pdf-link")
    assert overview["href"] == "../pdf/worksheets.pdf"
    server = SiteServer(site)
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(server.url + "worksheets/wake-plan/")
        printed = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[-1].extract_text()
        assert "Who you can talk to at Example Care Ltd" in " ".join(printed.split())
        assert "0800 222 333" in printed
    finally:
        context.close()
        server.close()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("      organsation: Typo Ltd\n", "mkdocs.yml:10: unknown option 'organsation' for the selfhelp plugin: did you mean 'organisation'?"),
        ('      primary_colour: "blue"\n', "mkdocs.yml:10: primary_colour 'blue' is not a colour: write a hex colour in quotes, like primary_colour: \"#1f5f66\""),
        ("      logo: brand/missing.svg\n", "mkdocs.yml:10: logo 'brand/missing.svg' does not exist"),
        ("      eap: {name: EAP, phnoe: '0800'}\n", "mkdocs.yml:10: unknown key 'phnoe' in eap: did you mean 'phone'?"),
    ],
)
def test_bad_option_stops_the_build_with_a_clear_message(tmp_path: Path, option: str, message: str) -> None:
    project = branded_project(tmp_path, "  - selfhelp:\n" + option)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert not (project / "site").exists()


# -- zero egress ----------------------------------------------------------------------------


def test_build_fails_when_a_page_loads_from_another_host(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    page = project / "content/pages/about-sleep.md"
    page.write_text(
        page.read_text(encoding="utf-8") + '\n<img src="https://cdn.example.test/moon.png" alt="Moon">\n',
        encoding="utf-8",
    )
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml", project / "site")
    assert "content/pages/about-sleep.md:8: 'https://cdn.example.test/moon.png' would be loaded from" in caplog.text


def test_shipped_site_references_no_external_asset(shipped_site: Path) -> None:
    for page in shipped_site.rglob("*.html"):
        soup = parse(page)
        for element in soup.select("script[src], link[href], img[src], iframe[src]"):
            address = element.get("src") or element.get("href")
            if element.name == "link" and "stylesheet" not in element.get("rel", []) and "icon" not in element.get(
                "rel", []
            ):
                continue
            assert not urlsplit(address).netloc, f"{page}: {address}"


# -- strict CSP and server snippets ----------------------------------------------------------


def read_headers(site: Path) -> dict[str, str]:
    lines = (site / "_server/headers.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines)


def test_server_snippets_carry_a_strict_policy(shipped_site: Path) -> None:
    headers = read_headers(shipped_site)
    policy = dict(
        (directive.split(" ", 1) + [""])[:2] for directive in headers["Content-Security-Policy"].split("; ")
    )
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    # The shipped content has no script of its own: every inline script served is one a template wrote.
    served = {
        script_hash(text)
        for page in shipped_site.rglob("*.html")
        for tag, text in inline_scripts(page.read_text(encoding="utf-8"))
        if is_executable(tag.attributes)
    }
    assert policy["script-src"].split() == ["'self'", *sorted(served)]
    assert len(policy["script-src"].split()) > 1, "the theme's inline scripts are allowed by hash"
    assert policy["form-action"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    nginx = (shipped_site / "_server/nginx.conf").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{headers["Content-Security-Policy"]}" always;' in nginx
    assert 'add_header Cache-Control "no-cache" always;' in nginx, "pages and sw.js are checked again before use"
    apache = (shipped_site / "_server/apache.conf").read_text(encoding="utf-8")
    assert f'Header always set Content-Security-Policy "{headers["Content-Security-Policy"]}"' in apache
    assert (shipped_site / ".htaccess").read_text(encoding="utf-8") == apache


VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  (window.__violations = window.__violations || []).push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture(scope="module")
def csp_server(shipped_site: Path) -> object:
    server = SiteServer(shipped_site, headers=read_headers(shipped_site))
    yield server
    server.close()


def open_clear_panel(page: object) -> None:
    """Ask to clear a worksheet: the panel comes from worksheet-more.js and its styles from worksheet-more.css,
    both loaded on first need; then close it."""
    page.locator("form.shs-worksheet .shs-toolbar__apart button").click()  # type: ignore[attr-defined]
    page.locator(".shs-panel__question").wait_for()  # type: ignore[attr-defined]
    display = page.locator(".shs-panel__buttons").evaluate("e => getComputedStyle(e).display")  # type: ignore[attr-defined]
    assert display == "flex", "worksheet-more.css"
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    assert page.locator(".shs-panel").is_hidden()  # type: ignore[attr-defined]


@pytest.mark.browser
def test_every_page_works_under_the_csp(browser: object, csp_server: SiteServer, shipped_site: Path) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    errors = collect_errors(page)
    try:
        for path in site_pages(shipped_site):
            page.goto(csp_server.url + path)
            assert page.evaluate("window.__violations || []") == [], path
        page.goto(csp_server.url + "worksheets/action-plan/")
        page.fill("#shs-f-why-it-matters", "Because it matters to me.")
        open_clear_panel(page)
        search_site(page, "laid off")
        assert page.evaluate("window.__violations || []") == []
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()


# -- requests --------------------------------------------------------------------------------


@pytest.mark.browser
def test_no_request_goes_to_another_host(browser: object, shipped_server: SiteServer, shipped_site: Path) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        for path in site_pages(shipped_site):
            page.goto(shipped_server.url + path)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        search_site(page, "feedback")
    finally:
        context.close()
    origin = urlsplit(shipped_server.url).netloc
    assert requests
    assert [url for url in requests if urlsplit(url).netloc != origin] == []


# -- offline from disk -----------------------------------------------------------------------


def wait_for_saved(page: object, worksheet_id: str) -> None:
    """Wait until the worksheet's answers are in localStorage."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "(id) => Object.keys(localStorage).some((key) => key.endsWith(':worksheet:' + id))", arg=worksheet_id
    )


@pytest.mark.browser
def test_offline_zip_opens_from_disk_without_network(browser: object, shipped_site: Path, tmp_path: Path) -> None:
    root = unzip_offline_copy(shipped_site, tmp_path)
    assert (root / "index.html").is_file() and (root / "search/search_index.js").is_file()
    assert not (root / "sw.js").exists() and not (root / "_server").exists()
    context = browser.new_context()  # type: ignore[attr-defined]
    context.set_offline(True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for html in sorted(root.rglob("*.html")):
            response = page.goto(html.as_uri())
            assert response is None or response.ok, html
            assert page.locator("h1").count() >= 1, html
        page.goto((root / "index.html").as_uri())
        page.get_by_role("link", name="I've lost my job").first.click()
        assert page.url.endswith("situations/job-loss/index.html")
        search_site(page, "redundent")
        first = page.locator(".md-search-result__item > a").first.get_attribute("href")
        assert "situations/job-loss/index.html" in first
        # The index was built by a worker started from a Blob, not in a frame on the page's own thread.
        assert page.locator("iframe[srcdoc]").count() == 0
        assert page.evaluate("typeof self.__selfhelpWorkerSource") == "string"
        page.goto((root / "worksheets/action-plan/index.html").as_uri())
        page.fill("#shs-f-why-it-matters", "A plan written offline.")
        wait_for_saved(page, "action-plan")
        page.reload()
        assert page.input_value("#shs-f-why-it-matters") == "A plan written offline."
        open_clear_panel(page)
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_offline_zip_search_falls_back_to_a_frame_without_a_blob_worker(
    browser: object, shipped_site: Path, tmp_path: Path
) -> None:
    """A browser where the worker's source never arrives still searches, in the hidden frame."""
    root = unzip_offline_copy(shipped_site, tmp_path)
    context = browser.new_context()  # type: ignore[attr-defined]
    context.set_offline(True)
    context.add_init_script(
        "Object.defineProperty(window, '__selfhelpWorkerSource', {get() { return undefined; }, set() {}});"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((root / "index.html").as_uri())
        search_site(page, "redundent")
        first = page.locator(".md-search-result__item > a").first.get_attribute("href")
        assert "situations/job-loss/index.html" in first
        assert page.locator("iframe[srcdoc]").count() == 1
        assert errors == []
    finally:
        context.close()


# -- offline when hosted (service worker) ------------------------------------------------------


def wait_for_service_worker(page: object) -> None:
    """Wait until the site's worker is active and controls this page.

    A page whose request was in flight while the worker activated is not claimed by it
    (Chromium claims only pages that exist), so such a page is loaded once more.
    """
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # type: ignore[attr-defined]
    if not page.evaluate("navigator.serviceWorker.controller !== null"):  # type: ignore[attr-defined]
        page.reload()  # type: ignore[attr-defined]
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_worksheet_page_fetches_register_js_only_where_a_worker_can_run(
    browser: object, shipped_server: SiteServer
) -> None:
    """worksheet-page.js adds register.js to the page where a service worker can run: a worksheet page opened first
    (nothing of the site cached) registers the worker; over plain http, on a host that is not this machine (an
    intranet), it never fetches register.js, and answers are kept as before."""
    path = "worksheets/action-plan/"
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    errors = collect_errors(page)
    try:
        page.goto(shipped_server.url + path)
        wait_for_service_worker(page)
        assert [url for url in fetched if url.endswith("/register.js")] == ["/assets/offline/register.js"]
        assert errors == []
    finally:
        context.close()
    port = urlsplit(shipped_server.url).port
    intranet = browser.browser_type.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP intranet.test 127.0.0.1"]
    )
    try:
        page = intranet.new_page()
        fetched.clear()
        page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
        errors = collect_errors(page)
        page.goto(f"http://intranet.test:{port}/{path}")
        assert page.evaluate("isSecureContext") is False
        page.fill("#shs-f-why-it-matters", "Because it matters to me.")
        wait_for_saved(page, "action-plan")
        page.reload()
        assert page.input_value("#shs-f-why-it-matters") == "Because it matters to me."
        assert "/assets/selfhelp/worksheet-page.js" in fetched
        assert [url for url in fetched if "register" in url or url.endswith("/sw.js")] == []
        assert errors == []
    finally:
        intranet.close()


@pytest.mark.browser
def test_service_worker_serves_the_site_offline(browser: object, shipped_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(shipped_site, site)
    server = SiteServer(site)
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(server.url)
        wait_for_service_worker(page)
        context.set_offline(True)
        page.goto(server.url + "guides/career-setbacks/celebrate-small-wins/")
        assert page.locator("h1").inner_text() == "Celebrate small wins"
        page.goto(server.url + "worksheets/small-wins-log/")
        page.goto(server.url + "worksheets/action-plan/")
        page.fill("#shs-f-why-it-matters", "Written on the train with no signal.")
        wait_for_saved(page, "action-plan")
        page.reload()
        assert page.input_value("#shs-f-why-it-matters") == "Written on the train with no signal."
        open_clear_panel(page)  # its script and styles come from the precache
        page.goto(server.url + "worksheets/")  # My worksheets' progress comes from worksheet-more.js too
        page.locator("[data-shs-worksheet-id=action-plan] progress").wait_for()
        search_site(page, "promoted")
    finally:
        context.close()
        server.close()


FETCH_BYTES = """async (url) => {
  try {
    const response = await fetch(url);
    if (!response.ok) return {status: response.status};
    return {status: response.status, size: (await response.arrayBuffer()).byteLength};
  } catch (error) {
    return {status: "failed"};
  }
}"""

CACHED_PDFS = """async () => {
  const found = [];
  for (const name of await caches.keys())
    for (const request of await (await caches.open(name)).keys())
      if (new URL(request.url).pathname.endsWith(".pdf")) found.push(new URL(request.url).pathname);
  return found;
}"""


@pytest.mark.browser
def test_a_worksheet_pdf_opened_online_opens_offline_and_is_not_precached(
    browser: object, shipped_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(shipped_site, site)
    server = SiteServer(site)
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    opened, other = "pdf/action-plan.pdf", "pdf/wellbeing-plan.pdf"
    try:
        page.goto(server.url + "worksheets/action-plan/")
        wait_for_service_worker(page)
        assert page.evaluate(CACHED_PDFS) == [], "no PDF is downloaded before a reader opens one"
        online = page.evaluate(FETCH_BYTES, server.url + opened)
        assert online == {"status": 200, "size": (site / opened).stat().st_size}
        for _ in range(600):  # The worker keeps it after answering: wait until it has (no time limit meant).
            if page.evaluate(CACHED_PDFS):
                break
            page.wait_for_timeout(100)
        assert page.evaluate(CACHED_PDFS) == ["/" + opened]
        context.set_offline(True)
        assert page.evaluate(FETCH_BYTES, server.url + opened) == online, "opened once online, it opens offline"
        assert page.evaluate(FETCH_BYTES, server.url + other)["status"] == "failed", "never opened: not kept"
    finally:
        context.close()
        server.close()


@pytest.mark.browser
def test_new_build_replaces_the_cache_without_reloading_a_reader(browser: object, tmp_path: Path) -> None:
    """Every page changes (the site's name): a tab being read is refreshed, tabs being typed in never are."""
    project = copy_pack("sleep-pack", tmp_path / "project")
    site = build_site(project / "mkdocs.yml", project / "site")
    server = SiteServer(site)
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(server.url + "worksheets/wake-plan/")
        wait_for_service_worker(page)
        first_caches = page.evaluate("caches.keys()")
        page.evaluate(
            """window.__still_here = true;
            window.__taken_over = new Promise((resolve) =>
                navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true)));
            true;"""
        )
        page.fill("#shs-f-wake-time", "Seven o'clock")
        searching = context.new_page()
        searching.goto(server.url + "about-sleep/")
        searching.locator(".md-search__input").click()
        searching.keyboard.type("dim")
        reading = context.new_page()
        reading.goto(server.url + "guides/better-sleep/keep-a-rhythm/")
        for tab in (searching, reading):
            tab.evaluate("window.__still_here = true")
        edit(project / "content/guides/better-sleep/wind-down.md", "Dim the lights.", "Dim every light.")
        edit(project / "mkdocs.yml", "site_name: Sleep better", "site_name: Sleep better tonight")
        build_site(project / "mkdocs.yml", project / "site")
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        assert page.evaluate("window.__taken_over") is True
        page.wait_for_function(
            "(old) => caches.keys().then((keys) => keys.length === 1 && keys[0] !== old[0])",
            arg=first_caches,
            polling=250,
        )
        reading.wait_for_function("() => document.title.includes('Sleep better tonight')")
        assert reading.evaluate("window.__still_here") is None, "the page being read shows the new build"
        assert page.evaluate("window.__still_here") is True, "a worksheet is never reloaded"
        assert page.input_value("#shs-f-wake-time") == "Seven o'clock"
        assert searching.evaluate("window.__still_here") is True, "a page with the cursor in a field is not reloaded"
        assert searching.input_value(".md-search__input") == "dim"
        context.set_offline(True)
        page.goto(server.url + "guides/better-sleep/wind-down/")
        assert "Dim every light." in page.locator("article").inner_text()
    finally:
        context.close()
        server.close()


@pytest.mark.browser
def test_service_worker_can_be_switched_off(tmp_path: Path) -> None:
    project = branded_project(tmp_path, "  - selfhelp:\n      service_worker: false\n")
    site = build_site(project / "mkdocs.yml", project / "site")
    assert "unregister" in (site / "sw.js").read_text(encoding="utf-8")
    assert parse(site / "index.html").select_one('script[src$="assets/offline/register.js"]') is None
    # A worksheet page then runs worksheets.js alone (worksheet-page.js is register.js and worksheets.js).
    worksheet = next((site / "worksheets").glob("*/index.html"))
    assert parse(worksheet).select_one('script[src$="assets/selfhelp/worksheets.js"]') is not None
    assert not (site / "assets/selfhelp/worksheet-page.js").exists()


# -- sub-path hosting ----------------------------------------------------------------------------


@pytest.mark.browser
def test_site_works_under_a_sub_path(browser: object, tmp_path: Path) -> None:
    web_root = tmp_path / "www"
    site_dir = web_root / "wellbeing" / "setbacks"
    server = SiteServer(web_root)
    build_site(PROJECT / "mkdocs.yml", site_dir, site_url=server.url + "wellbeing/setbacks/")
    base = server.url + "wellbeing/setbacks/"
    context = browser.new_context()  # type: ignore[attr-defined]
    failures: list[str] = []
    context.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
    page = context.new_page()
    try:
        page.goto(base)
        page.get_by_role("link", name="I've lost my job").first.click()
        page.wait_for_url(base + "situations/job-loss/")
        search_site(page, "feedback")
        hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map((e) => e.href)")
        assert hrefs and all(href.startswith(base) for href in hrefs)
        wait_for_service_worker(page)
        scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)")
        assert scope == base
        page.goto(base + "worksheets/action-plan/")
        page.fill("#shs-f-why-it-matters", "Under a sub-path.")
        wait_for_saved(page, "action-plan")
        keys = page.evaluate("Object.keys(localStorage)")  # keyed by the site id, not the path
        assert keys and all(key.startswith("selfhelp:getting-through-a-career-setback:") for key in keys)
        assert failures == []
    finally:
        context.close()
        server.close()


def test_server_config_can_be_left_out(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n      server_config: false\n      pdf_pack: false\n      offline_zip: false\n")
    site = build_site(project / "mkdocs.yml", project / "site")
    assert (site / "index.html").exists()
    assert not (site / "_server").exists() and not (site / ".htaccess").exists()
    assert not (site / "web.config").exists() and not (site / "staticwebapp.config.json").exists()
