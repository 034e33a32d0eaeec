"""Two tabs on one worksheet: edits show up in the other tab, a field being typed in is not
clobbered (and the reader is told), and neither tab silently overwrites newer answers."""

from __future__ import annotations

import pytest
from worksheet_helpers import SLEEP, open_sheet, stored, track_errors, wait_stored

pytestmark = pytest.mark.browser

# Lets a test hold back `storage` events from the worksheet script, as if they were late.
HOLD_STORAGE_EVENTS = """
window.addEventListener("storage", (e) => { if (window.__holdStorage) e.stopImmediatePropagation(); }, true);
"""


def second_tab(page):
    other = page.context.new_page()
    track_errors(other)
    return other


def wait_value(page, selector: str, value: str) -> None:
    page.wait_for_function("([s, v]) => document.querySelector(s).value === v", arg=[selector, value])


def test_an_edit_in_one_tab_shows_up_in_the_other(sites, page):
    a, b = page, second_tab(page)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    a.bring_to_front()  # a background tab gets no animation frames: Playwright's clicks would wait
    a.type("#shs-f-best-night", "from tab A")
    a.check("#shs-f-helped-2")
    a.click("text=Add night")
    a.fill("#shs-f-nights-1-notes", "row from A")
    wait_value(b, "#shs-f-nights-1-notes", "row from A")
    wait_value(b, "#shs-f-best-night", "from tab A")
    assert b.is_checked("#shs-f-helped-2")
    assert "another tab" in b.locator(".shs-worksheet__status").text_content()

    # And back the other way.
    b.bring_to_front()
    b.check("#shs-f-mood-1")
    a.wait_for_function("document.querySelector('#shs-f-mood-1').checked")
    assert a.console_errors == [] and b.console_errors == []


def test_the_field_being_typed_in_is_not_clobbered(sites, page):
    a, b = page, second_tab(page)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    b.type("#shs-f-thoughts", "B is typing this")
    wait_value(a, "#shs-f-thoughts", "B is typing this")
    # B is still in the field when A changes it (and another field).
    assert b.evaluate("document.activeElement.id") == "shs-f-thoughts"
    a.bring_to_front()
    a.fill("#shs-f-thoughts", "A wrote over it")
    a.fill("#shs-f-best-night", "Sunday")
    wait_value(b, "#shs-f-best-night", "Sunday")
    assert b.input_value("#shs-f-thoughts") == "B is typing this"
    status = b.locator(".shs-worksheet__status").text_content()
    assert "kept because you are editing it" in status and "Anything else you noticed?" in status
    assert b.evaluate("document.activeElement.id") == "shs-f-thoughts"
    # When B moves on, B's words are saved; nothing of A's other answers is lost.
    b.bring_to_front()
    b.keyboard.press("Tab")
    saved = wait_stored(b, sites.one, SLEEP, "a.thoughts === 'B is typing this'")
    assert saved["answers"]["best-night"] == "Sunday"


def test_a_tab_that_missed_an_update_merges_instead_of_overwriting(sites, page):
    a, b = page, second_tab(page)
    b.add_init_script(HOLD_STORAGE_EVENTS)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    b.evaluate("window.__holdStorage = true")
    a.bring_to_front()
    a.type("#shs-f-best-night", "only in A")
    wait_stored(a, sites.one, SLEEP, "a['best-night'] === 'only in A'")
    assert b.input_value("#shs-f-best-night") == ""  # B has not heard of it
    b.bring_to_front()
    b.type("#shs-f-thoughts", "only in B")
    saved = wait_stored(b, sites.one, SLEEP, "a.thoughts === 'only in B'")
    assert saved["answers"] == {"best-night": "only in A", "thoughts": "only in B"}
    assert b.input_value("#shs-f-best-night") == "only in A"
    assert "another tab" in b.locator(".shs-worksheet__status").text_content()
    assert stored(a, sites.one, SLEEP)["rev"] == saved["rev"]


def test_clearing_in_one_tab_empties_the_other(sites, page):
    a, b = page, second_tab(page)
    open_sheet(a, sites.one)
    a.type("#shs-f-best-night", "to be cleared")
    wait_stored(a, sites.one, SLEEP, "a['best-night'] === 'to be cleared'")
    open_sheet(b, sites.one)
    assert b.input_value("#shs-f-best-night") == "to be cleared"
    a.bring_to_front()
    a.click(".shs-toolbar >> text=Clear answers")
    a.click(".shs-panel >> text=Clear answers")
    wait_value(b, "#shs-f-best-night", "")
    assert "cleared in another tab" in b.locator(".shs-worksheet__status").text_content()
