"""Repeatable groups: Add and Remove rows, numbering, focus, and Undo after Remove."""

from __future__ import annotations

import pytest
from worksheet_helpers import SLEEP, open_sheet, wait_stored

pytestmark = pytest.mark.browser


def notes(page) -> list[str]:
    return page.locator("[data-shs-field=nights] [data-shs-field=notes] textarea").evaluate_all(
        "els => els.map(e => e.value)"
    )


def legends(page) -> list[str]:
    return [t.strip() for t in page.locator(".shs-group__rowlabel").all_text_contents()]


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def test_rows_are_added_removed_renumbered_and_restored(sites, page):
    open_sheet(page, sites.one)
    add = page.locator(".shs-group__add")
    for n, text in enumerate(["one", "two", "three"], start=1):
        add.click()
        assert focused(page) == f"shs-f-nights-{n}-night-date"  # first field of the new row
        page.fill(f"#shs-f-nights-{n}-notes", text)
    assert legends(page) == ["Night 1", "Night 2", "Night 3"]
    wait_stored(page, sites.one, SLEEP, "a.nights && a.nights.length === 3 && a.nights[2].notes === 'three'")

    page.click("text=Remove night 2")
    assert notes(page) == ["one", "three"]
    assert legends(page) == ["Night 1", "Night 2"]
    assert page.input_value("#shs-f-nights-2-notes") == "three"
    assert page.locator("label[for=shs-f-nights-2-notes]").text_content() == "What happened before bed?"
    assert focused(page) == "Add night"
    undo = page.locator("[data-shs-field=nights] .shs-notice")
    assert undo.text_content().startswith("Row removed.")
    assert page.locator(".shs-worksheet__status").text_content() == "Row removed."
    wait_stored(page, sites.one, SLEEP, "a.nights.length === 2")

    page.keyboard.press("Tab")  # from Add to the quiet Undo button
    assert focused(page) == "Undo"
    page.keyboard.press("Enter")
    assert notes(page) == ["one", "two", "three"]
    assert legends(page) == ["Night 1", "Night 2", "Night 3"]
    assert focused(page) == "shs-f-nights-2-night-date"
    assert undo.count() == 0
    wait_stored(page, sites.one, SLEEP, "a.nights.length === 3 && a.nights[1].notes === 'two'")

    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    assert notes(page) == ["one", "two", "three"]
    assert page.console_errors == []
