"""Storage that lasts: the first save asks the browser to keep the site's storage
(navigator.storage.persist()), once; where it does not and the reader has never exported, a calm,
dismissible one-line reminder to export appears after a few days of use, and never again once
dismissed. The browser's answer is stubbed: headless Chromium decides by its own heuristics."""

from __future__ import annotations

import json

import pytest
from worksheet_helpers import SITE_IDS, SLEEP, open_sheet, wait_stored

pytestmark = pytest.mark.browser

CARE = f"selfhelp:{SITE_IDS['/one/']}:backup"


def stub_storage(kept: bool) -> str:
    """navigator.storage as a browser that keeps (or does not keep) storage; counts persist() calls."""
    verdict = "true" if kept else "false"
    return f"""
    Object.defineProperty(navigator, "storage", {{ configurable: true, value: {{
      persist() {{
        localStorage.setItem("test:persist-calls", String(Number(localStorage.getItem("test:persist-calls")) + 1));
        return Promise.resolve({verdict});
      }},
      persisted() {{ return Promise.resolve({verdict}); }},
    }} }});
    """


def care(page) -> dict:
    return json.loads(page.evaluate("k => localStorage.getItem(k) || '{}'", CARE))


def set_care(page, record: dict) -> None:
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [CARE, json.dumps(record)])


def persist_calls(page) -> int:
    return int(page.evaluate("localStorage.getItem('test:persist-calls') || '0'"))


def reminder(page):
    return page.locator(".shs-remind")


def test_the_first_save_asks_the_browser_to_keep_answers_once(sites, page):
    page.add_init_script(stub_storage(kept=False))
    open_sheet(page, sites.one)
    assert persist_calls(page) == 0  # opening a worksheet asks nothing
    page.type("#shs-f-best-night", "first answer")
    page.wait_for_function("localStorage.getItem('test:persist-calls') === '1'")
    page.wait_for_function("k => JSON.parse(localStorage.getItem(k) || '{}').kept === false", arg=CARE)
    assert care(page)["days"] == 1 and care(page)["asked"] is True
    page.type("#shs-f-thoughts", "more")
    wait_stored(page, sites.one, SLEEP, "a.thoughts === 'more'")
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    page.type("#shs-f-thoughts", ", and more")
    wait_stored(page, sites.one, SLEEP, "a.thoughts === 'more, and more'")
    assert persist_calls(page) == 1
    assert care(page)["days"] == 1  # still the first day of use
    assert reminder(page).count() == 0
    assert page.console_errors == []


def test_after_a_few_days_unkept_unexported_answers_get_one_dismissible_reminder(sites, page):
    page.add_init_script(stub_storage(kept=False))
    page.goto(sites.one)
    set_care(page, {"day": "2000-01-01", "days": 2, "asked": True, "kept": False})
    open_sheet(page, sites.one)
    assert reminder(page).count() == 0  # two days of use: not yet
    page.type("#shs-f-best-night", "a third day")
    page.wait_for_function("k => JSON.parse(localStorage.getItem(k)).days === 3", arg=CARE)
    open_sheet(page, sites.one)
    line = reminder(page)
    line.wait_for()
    text = line.text_content()
    assert "export a copy" in text and len(text) < 200
    assert line.locator("button").all_text_contents() == ["Export answers", "Dismiss"]
    assert (
        page.locator(".shs-remind[role=alert], .shs-remind[aria-live]").count() == 0
    )  # calm: not announced as an alert
    page.goto(sites.one + "worksheets/")
    reminder(page).wait_for()
    page.click(".shs-remind >> text=Dismiss")
    assert reminder(page).count() == 0
    assert care(page)["hidden"] > 0
    open_sheet(page, sites.one)
    page.goto(sites.one + "worksheets/")
    page.locator(".shs-toolbar").wait_for()
    assert reminder(page).count() == 0  # dismissed for good
    assert page.console_errors == []


def test_no_reminder_once_exported_or_where_the_browser_keeps_storage(sites, page, browser):
    page.add_init_script(stub_storage(kept=False))
    page.goto(sites.one)
    set_care(page, {"day": "2000-01-01", "days": 5, "asked": True, "kept": False})
    open_sheet(page, sites.one)
    reminder(page).wait_for()
    with page.expect_download():
        page.click(".shs-remind >> text=Export answers")
    assert reminder(page).count() == 0
    assert care(page)["exported"] > 0
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    assert reminder(page).count() == 0

    kept = browser.new_context().new_page()
    try:
        kept.add_init_script(stub_storage(kept=True))
        kept.goto(sites.one)
        set_care(kept, {"day": "2000-01-01", "days": 5, "asked": True, "kept": True})
        open_sheet(kept, sites.one)
        kept.evaluate("() => new Promise((done) => setTimeout(done))")  # persisted() has answered by now
        assert reminder(kept).count() == 0
    finally:
        kept.context.close()


def test_the_privacy_page_explains_eviction_work_devices_and_file_storage(sites, page):
    page.goto(sites.one + "privacy/")
    text = " ".join(page.locator("article").text_content().split())
    for words in (
        "Safari",
        "seven days without a visit",
        "export a copy now and then",
        "If you are leaving your job",
        "work laptop",
        "one shared storage for every page opened from disk",
        "never sent to the site's server",
    ):
        assert words in text, words
