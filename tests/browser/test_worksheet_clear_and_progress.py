"""Clear answers (asks first, Undo), "My worksheets" progress, and the privacy page's
"Delete all my answers" and export-all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from worksheet_helpers import SLEEP, WAKE, form_answers, open_sheet, put, record, stored, wait_stored

pytestmark = pytest.mark.browser

EXISTING = {"best-night": "Monday", "rested": 4, "helped": ["Dim lights"]}


def test_clear_answers_asks_first_and_can_be_undone(sites, page):
    page.goto(sites.one)
    put(page, sites.one, SLEEP, record(SLEEP, EXISTING))
    open_sheet(page, sites.one)
    clear = page.locator(".shs-toolbar button", has_text="Clear answers")
    panel = page.locator(".shs-panel")

    clear.click()
    assert panel.locator(".shs-panel__question").text_content() == (
        "Clear your answers to 3 questions on “Sleep diary”? They will be deleted from this device. "
        "Export them first if you want to keep a copy."
    )
    assert page.evaluate("document.activeElement.classList.contains('shs-panel__question')")
    page.click(".shs-panel >> text=Cancel")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Clear answers"
    clear.click()
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert form_answers(page) == EXISTING and stored(page, sites.one, SLEEP)["answers"] == EXISTING

    clear.click()
    page.click(".shs-panel >> text=Clear answers")
    assert form_answers(page) == {}
    assert stored(page, sites.one, SLEEP) is None
    assert page.locator(".shs-worksheet__status").text_content() == "Answers cleared."
    page.click(".shs-notice >> text=Undo")
    assert form_answers(page) == EXISTING
    assert wait_stored(page, sites.one, SLEEP, "a.rested === 4")["answers"] == EXISTING
    assert page.console_errors == []


def test_my_worksheets_shows_how_far_the_reader_got(sites, page):
    page.goto(sites.one + "worksheets/")
    progress = page.locator("[data-shs-worksheet-id] [data-shs-progress]")
    assert progress.all_text_contents() == ["Not started", "Not started"]

    open_sheet(page, sites.one)
    page.type("#shs-f-best-night", "Tuesday")
    page.check("#shs-f-mood-2")
    page.click("text=Add night")
    page.type("#shs-f-nights-1-notes", "Late film")
    wait_stored(page, sites.one, SLEEP, "a.nights && a.nights[0].notes === 'Late film'")
    # Instant navigation to "My worksheets": the page is bound on Material's document$.
    page.evaluate("window.__samePage = true")
    page.click(".md-nav--primary a[href$='/worksheets/']")
    page.locator(".shs-worksheet-index .shs-toolbar").wait_for()
    assert page.evaluate("window.__samePage") is True
    sleep, wake = progress.all_text_contents()
    assert re.fullmatch(r"3 of 7 answered · last edited .+", sleep), sleep
    assert wake == "Not started"

    # An answer saved in another tab updates the list.
    other = page.context.new_page()
    open_sheet(other, sites.one, WAKE)
    other.type("#shs-f-wake-time", "7:15")
    page.locator("[data-shs-worksheet-id=wake-plan]", has_text="1 of 1 answered").wait_for()
    assert page.console_errors == []


def test_privacy_page_deletes_all_answers_after_asking_and_exports_all(sites, page):
    page.goto(sites.one)
    put(page, sites.one, SLEEP, record(SLEEP, EXISTING))
    put(page, sites.one, WAKE, record(WAKE, {"wake-time": "6:30"}, version=1))
    put(page, sites.two, SLEEP, record(SLEEP, {"best-night": "the other site"}))
    page.goto(sites.one + "privacy/")

    with page.expect_download() as info:
        page.click(".shs-toolbar >> text=Export all answers")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert {w["worksheet"]: w["answers"] for w in data["worksheets"]} == {SLEEP: EXISTING, WAKE: {"wake-time": "6:30"}}
    with page.expect_download() as info:
        page.click(".shs-toolbar >> text=Export all as text")
    assert "6:30" in Path(info.value.path()).read_text(encoding="utf-8")

    page.click(".shs-toolbar >> text=Delete all my answers")
    assert "Delete your answers to every worksheet" in page.locator(".shs-panel").text_content()
    page.click(".shs-panel >> text=Cancel")
    assert stored(page, sites.one, SLEEP) is not None

    page.click(".shs-toolbar >> text=Delete all my answers")
    page.click(".shs-panel >> text=Delete all my answers")
    assert stored(page, sites.one, SLEEP) is None and stored(page, sites.one, WAKE) is None
    assert stored(page, sites.two, SLEEP)["answers"] == {"best-night": "the other site"}  # another site's: untouched
    assert "deleted" in page.locator(".shs-worksheet__status").text_content()

    page.click(".shs-notice >> text=Undo")
    assert stored(page, sites.one, SLEEP)["answers"] == EXISTING
    assert stored(page, sites.one, WAKE)["answers"] == {"wake-time": "6:30"}
    open_sheet(page, sites.one)
    assert form_answers(page) == EXISTING
    assert page.console_errors == []
