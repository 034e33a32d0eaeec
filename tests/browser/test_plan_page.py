"""My plan: one page that gathers, from whatever the reader filled, their goal, dated steps, first step,
obstacles, people, wellbeing commitments, review date and recent wins (content/plan.yml decides which
fields), as text; printed on one or two pages like the pack, with the date and the organisation's
contacts; working offline from the zip, under the site's CSP, and sending nothing anywhere."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pypdf
import pytest
import yaml
from plan_helpers import (
    FIRST_STEP,
    GOAL,
    OBSTACLES,
    PEOPLE,
    REVIEW_DATE,
    STEPS,
    WELLBEING,
    WHY,
    WINS,
    fill_plan_worksheets,
)
from worksheet_helpers import (
    SLEEP,
    fill_sleep_diary,
    goto_for_instant_navigation,
    key,
    open_sheet,
    track_errors,
    wait_stored,
)

try:
    from tests.conftest import SiteServer, build_site, copy_pack, unzip_offline_copy
except ImportError:  # tests/ is not a package on this path: the browser conftest has them
    from conftest import SiteServer, build_site, copy_pack, unzip_offline_copy

pytestmark = pytest.mark.browser

URGENT = "If you feel unsafe or might harm yourself, contact your local emergency number now"
WEB_ONLY = ["Print my plan", "Add dates to my calendar", "From Your action plan", "Nothing here yet", "Your privacy"]


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def printed(page, paper: str) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    return [words(sheet.extract_text()) for sheet in reader.pages]


def open_plan(page, site_url: str) -> None:
    page.goto(f"{site_url}plan/")
    page.locator(".shs-plan .shs-toolbar").wait_for()


def section_text(page, section: str) -> str:
    return words(page.locator(f'[data-shs-plan-section="{section}"] [data-shs-plan-answers]').text_content())


def table_rows(page, section: str) -> list[list[str]]:
    return page.locator(f'[data-shs-plan-section="{section}"] table tbody tr').evaluate_all(
        "rows => rows.map((r) => [...r.cells].map((c) => c.textContent.trim().replace(/\\s+/g, ' ')))"
    )


@pytest.fixture(scope="module")
def filled(shipped_server, browser):
    """A reader's browser with the action plan, support network, wellbeing plan and wins log filled in."""
    context = browser.new_context()
    page = context.new_page()
    fill_plan_worksheets(page, shipped_server.url)
    page.close()
    yield context
    context.close()


def test_my_plan_gathers_what_the_reader_filled_as_text(shipped_server, filled):
    page = filled.new_page()
    errors = track_errors(page)
    try:
        open_plan(page, shipped_server.url)
        assert GOAL in section_text(page, "goal") and WHY in section_text(page, "goal")
        assert FIRST_STEP in section_text(page, "first-step") and "December 2, 2026" in section_text(page, "first-step")
        steps = table_rows(page, "steps")
        assert [row[0] for row in steps] == [s[0] for s in STEPS]
        assert steps[0][1:3] == ["Dec 5, 2026", "Priya, who managed me in 2023"]
        assert [row[3] for row in steps] == ["Yes", "No", "No", "No", "No"]  # done, as a tick box
        assert [row[:2] for row in table_rows(page, "obstacles")] == [list(o) for o in OBSTACLES]
        people = table_rows(page, "people")
        assert [row[0] for row in people] == [p[0] for p in PEOPLE]
        assert people[0][1:] == ["Gives advice", "Dec 2, 2026", "Yes"]
        wellbeing = section_text(page, "wellbeing")
        for answer in WELLBEING.values():
            assert answer in wellbeing
        assert "Walk or move for 20 minutes a day" in wellbeing and "Eat regular meals" not in wellbeing
        review = section_text(page, "review")
        assert "December 30, 2026" in review and "6 on a scale from 0 to 10" in review
        assert REVIEW_DATE not in review  # a date, not 2026-12-30
        # Recent small wins: the five added last.
        wins = [row[1] for row in table_rows(page, "wins")]
        assert wins == [w[1] for w in WINS[-5:]]
        # Only what the plan gathers: the wellbeing plan's mood scale is not on it.
        assert "How has your mood been this week?" not in page.locator(".shs-plan").text_content()
        assert page.locator(".shs-plan__empty").count() == 0
        assert errors == []
    finally:
        page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_my_plan_prints_on_one_or_two_pages_with_the_date(shipped_server, filled, paper):
    page = filled.new_page()
    try:
        open_plan(page, shipped_server.url)
        sheets = printed(page, paper)
        assert 1 <= len(sheets) <= 2, len(sheets)
        text = " ".join(sheets)
        today = date.today()
        assert f"PRINTED ON {today.strftime('%B').upper()} {today.day}, {today.year}" in text
        for expected in ["My plan", "My goal and why it matters", GOAL, "My action steps", STEPS[2][0], "Recent small wins",
                         WINS[-1][1], "People on my side", "Former manager, Ola", "Staying in bed late and skipping meals"]:
            assert words(expected) in text, expected
        for number, sheet in enumerate(sheets, start=1):
            assert URGENT in sheet and f"Page {number} of {len(sheets)}" in sheet
        for absent in WEB_ONLY:
            assert absent not in text, absent
        print(f"\nMy plan on {paper}: {len(sheets)} pages")
    finally:
        page.close()


def test_an_empty_plan_says_so_and_points_to_the_worksheets(shipped_server, page):
    open_plan(page, shipped_server.url)
    assert page.locator(".shs-plan__empty").count() == 8
    link = page.locator('[data-shs-plan-section="steps"] .shs-plan__from a')
    assert link.text_content() == "Your action plan" and link.get_attribute("href").endswith("worksheets/action-plan/")
    sheets = printed(page, "A4")
    assert len(sheets) == 1 and "Nothing here yet" in sheets[0]
    assert page.console_errors == []


@pytest.fixture(scope="module")
def contact_site(tmp_path_factory):
    """The sleep pack with every contact set and its offline zip, served with the CSP the build wrote."""
    base = tmp_path_factory.mktemp("plan-contacts")
    pack = copy_pack("sleep-pack", base / "pack")
    config_file = pack / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"]["features"] = ["navigation.instant"]
    config["plugins"] = [
        "search",
        {
            "selfhelp": {
                "organisation": "Example Care Ltd",
                "pdf_pack": False,
                "urgent_help": {"name": "Crisis line", "phone": "0800 000 000", "note": "open 24 hours"},
                "eap": {"name": "Employee Assistance Programme", "phone": "0800 111 111"},
                "hr_contact": {"name": "HR team", "email": "hr@example.com"},
            }
        },
    ]
    www = base / "www"
    headers = {"X-Built": "no"}  # the server reads this dict at each request: the build's headers go in below
    server = SiteServer(www, headers)
    config["site_url"] = server.url  # instant navigation needs the address as readers type it
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build_site(config_file, www)
    lines = (site / "_server" / "headers.txt").read_text(encoding="utf-8").splitlines()
    headers.update(line.split(": ", 1) for line in lines if ": " in line)
    assert "Content-Security-Policy" in headers
    yield server, site
    server.close()


def test_under_the_csp_the_plan_shows_and_prints_the_contacts(contact_site, page):
    server, _site = contact_site
    errors = track_errors(page)
    open_sheet(page, server.url, SLEEP)
    fill_sleep_diary(page)
    page.locator("h1").first.click()
    page.wait_for_function("() => /Saved on this device/.test(document.querySelector('.shs-worksheet__status').textContent)")
    # Instant navigation to My plan: its script and styles load on the way.
    page.evaluate("() => { window.shsSamePage = true; }")
    page.click("nav.md-nav--primary >> text=My sleep plan")
    page.locator(".shs-plan .shs-toolbar").wait_for()
    assert page.evaluate("() => window.shsSamePage") is True
    page.wait_for_function("() => [...document.styleSheets].some((s) => s.href && s.href.endsWith('/plan.css'))")
    assert [row[0] for row in table_rows(page, "nights")] == ["Mar 4, 2025", ""]
    assert "April 1, 2025" in section_text(page, "next") and "No screens" in section_text(page, "next")
    sheets = printed(page, "A4")
    assert len(sheets) == 1
    text = sheets[0]
    assert "Crisis line: 0800 000 000 (open 24 hours)" in text
    assert "Employee Assistance Programme" in text and "hr@example.com" in text and "Example Care Ltd" in text
    assert errors == [], errors


def test_instant_navigation_from_a_page_without_worksheets_brings_the_plan(contact_site, page):
    server, _site = contact_site
    goto_for_instant_navigation(page, server.url)
    page.evaluate("() => localStorage.setItem('selfhelp:example-care-ltd/sleep-better:worksheet:sleep-diary', "
                  "JSON.stringify({format: 2, worksheet: 'sleep-diary', templateVersion: 2, savedAt: '2025-01-02T10:00:00.000Z', "
                  "answers: {'next-check': '2025-04-01'}, rows: {}, edited: {}, others: {}}))")
    assert page.locator("script[data-shs-worksheets]").count() == 0
    page.evaluate("() => { window.shsSamePage = true; }")
    page.click("nav.md-nav--primary >> text=My sleep plan")
    page.locator(".shs-plan .shs-toolbar").wait_for()
    assert page.evaluate("() => window.shsSamePage") is True  # instant navigation: no page load
    assert "April 1, 2025" in section_text(page, "next")
    assert page.console_errors == []


def test_the_plan_works_offline_from_the_zip(contact_site, browser, tmp_path):
    _server, site = contact_site
    root = unzip_offline_copy(site, tmp_path)
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        errors = track_errors(page)
        page.goto((root / "worksheets" / SLEEP / "index.html").as_uri())
        page.locator("form.shs-worksheet .shs-toolbar").wait_for()
        page.fill("#shs-f-next-check", "2025-04-01")
        page.check("#shs-f-helped-1")
        page.locator("h1").first.click()
        page.wait_for_function("() => /Saved on this device/.test(document.querySelector('.shs-worksheet__status').textContent)")
        page.goto((root / "plan" / "index.html").as_uri())
        page.locator(".shs-plan .shs-toolbar").wait_for()
        assert "April 1, 2025" in section_text(page, "next")
        assert "No screens" in section_text(page, "next")
        assert len(printed(page, "Letter")) == 1
        assert errors == [], errors
        assert all(url.startswith(("file://", "blob:", "data:")) for url in requests), requests
    finally:
        context.close()


def test_the_plan_follows_another_tab(sites, browser):
    context = browser.new_context()
    try:
        plan, sheet = context.new_page(), context.new_page()
        open_plan(plan, sites.one)
        assert plan.locator('[data-shs-plan-section="next"] .shs-plan__empty').count() == 1
        open_sheet(sheet, sites.one, SLEEP)
        sheet.fill("#shs-f-next-check", "2025-04-01")
        sheet.locator("h1").first.click()
        wait_stored(sheet, sites.one, SLEEP, "a['next-check'] === '2025-04-01'")
        plan.wait_for_function("() => /2025/.test(document.querySelector('[data-shs-plan-section=\"next\"]').textContent)")
        assert plan.locator('[data-shs-plan-section="next"] .shs-plan__empty').count() == 0
    finally:
        context.close()


def test_answers_on_the_plan_are_text(sites, page):
    open_sheet(page, sites.one, SLEEP)
    page.click("text=Add night")
    page.fill("#shs-f-nights-1-notes", "<img src=x onerror=alert(1)> & <b>late</b>")
    page.locator("h1").first.click()
    wait_stored(page, sites.one, SLEEP, "a.nights && a.nights.length === 1")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_plan(page, sites.one)
    assert "<img src=x onerror=alert(1)> & <b>late</b>" in section_text(page, "nights")
    assert page.locator(".shs-plan img, .shs-plan b").count() == 0 and dialogs == []
    raw = page.evaluate("k => localStorage.getItem(k)", key(sites.one, SLEEP))
    assert "late" in raw  # read from the stored record, through worksheets.js


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in results.response["violations"]]


@pytest.mark.parametrize("width", [390, 1366])
def test_axe_finds_nothing_on_my_plan_filled_and_empty(shipped_server, filled, browser, width):
    for context in (filled, browser.new_context()):
        page = context.new_page()
        try:
            page.set_viewport_size({"width": width, "height": 844 if width < 500 else 768})
            open_plan(page, shipped_server.url)
            assert axe_violations(page) == []
        finally:
            page.close()
            if context is not filled:
                context.close()
