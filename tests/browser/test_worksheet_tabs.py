"""Two (or three) tabs on one worksheet: two pages in one browser context are two tabs sharing
localStorage. No answer is lost between them: a tab writes back only what it edited, a field
edited in both keeps the newest and offers the other as "your other version", rows added in two
tabs are merged, and a tab that is closed, blocked from storage or importing loses nothing."""

from __future__ import annotations

import pytest
from worksheet_helpers import SLEEP, answers_file, choose_file, open_sheet, stored, track_errors, wait_stored

pytestmark = pytest.mark.browser

# Lets a test hold back `storage` events from the worksheet script, as if they were late: two tabs
# that edit "at the same time" are two tabs that have not heard of each other's save yet.
HOLD_STORAGE_EVENTS = """
window.addEventListener("storage", (e) => { if (window.__holdStorage) e.stopImmediatePropagation(); }, true);
"""
BLOCKED = """
Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""


def tab(page, hold: bool = False, script: str = ""):
    """Another tab in the same browser (same storage) as `page`."""
    other = page.context.new_page()
    track_errors(other)
    if hold:
        other.add_init_script(HOLD_STORAGE_EVENTS)
    if script:
        other.add_init_script(script)
    return other


def wait_value(page, selector: str, value: str) -> None:
    page.wait_for_function("([s, v]) => document.querySelector(s).value === v", arg=[selector, value])


def status(page) -> str:
    return page.locator(".shs-worksheet__status").text_content()


def notes(page) -> list[str]:
    return page.locator("[data-shs-field=nights] [data-shs-field=notes] textarea").evaluate_all(
        "els => els.map(e => e.value)"
    )


def test_an_edit_in_one_tab_shows_up_in_the_other(sites, page):
    a, b = page, tab(page)
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
    assert "changed in another tab" in status(b)

    # And back the other way.
    b.bring_to_front()
    b.check("#shs-f-mood-1")
    a.wait_for_function("document.querySelector('#shs-f-mood-1').checked")
    assert a.console_errors == [] and b.console_errors == []


def test_a_tab_left_in_a_field_never_writes_its_older_text_back(sites, page):
    # The reported loss: A has the cursor in a field with an older answer, B saves a newer one,
    # A is closed without a keystroke; A's old text used to overwrite B's on `pagehide`.
    a = page
    open_sheet(a, sites.one)
    a.type("#shs-f-best-night", "older answer")
    wait_stored(a, sites.one, SLEEP, "a['best-night'] === 'older answer'")
    b = tab(page)
    open_sheet(b, sites.one)
    a.bring_to_front()
    a.locator("#shs-f-best-night").focus()  # the cursor sits in the field; nothing typed
    b.bring_to_front()
    b.fill("#shs-f-best-night", "newer answer from B")
    wait_stored(b, sites.one, SLEEP, "a['best-night'] === 'newer answer from B'")
    a.wait_for_function("document.querySelector('.shs-worksheet__status').textContent.includes('editing it')")
    assert a.input_value("#shs-f-best-night") == "older answer"  # held while the reader is in it
    a.close(run_before_unload=True)
    third = tab(b)
    open_sheet(third, sites.one)
    assert third.input_value("#shs-f-best-night") == "newer answer from B"
    assert stored(third, sites.one, SLEEP)["others"] == {}  # nothing was in conflict
    assert b.console_errors == [] and third.console_errors == []


def test_a_field_left_without_typing_shows_the_other_tabs_answer(sites, page):
    a, b = page, tab(page)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    a.locator("#shs-f-thoughts").focus()
    b.bring_to_front()
    b.fill("#shs-f-thoughts", "written in B")
    a.wait_for_function("document.querySelector('.shs-worksheet__status').textContent.includes('editing it')")
    assert a.input_value("#shs-f-thoughts") == ""
    a.bring_to_front()
    a.keyboard.press("Tab")
    wait_value(a, "#shs-f-thoughts", "written in B")
    assert stored(a, sites.one, SLEEP)["answers"] == {"thoughts": "written in B"}


def test_closing_a_tab_mid_typing_keeps_what_it_typed_and_what_the_other_saved(sites, page):
    a, b = page, tab(page)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    b.bring_to_front()
    b.fill("#shs-f-thoughts", "saved in B")
    wait_stored(b, sites.one, SLEEP, "a.thoughts === 'saved in B'")
    a.bring_to_front()
    a.evaluate("window.setTimeout = () => 0")  # no debounced save: only leaving the page can save
    a.type("#shs-f-best-night", "typed in A, then closed")
    a.close(run_before_unload=True)
    record = wait_stored(b, sites.one, SLEEP, "a['best-night'] === 'typed in A, then closed'")
    assert record["answers"] == {"best-night": "typed in A, then closed", "thoughts": "saved in B"}
    wait_value(b, "#shs-f-best-night", "typed in A, then closed")


def test_a_field_edited_in_both_tabs_keeps_the_newest_and_offers_the_other(sites, page):
    a, b = page, tab(page, hold=True)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    b.evaluate("window.__holdStorage = true")  # B has not heard of A's answer when it writes its own
    a.bring_to_front()
    a.fill("#shs-f-best-night", "A's answer")
    a.keyboard.press("Tab")
    wait_stored(a, sites.one, SLEEP, "a['best-night'] === \"A's answer\"")
    b.bring_to_front()
    b.fill("#shs-f-best-night", "B's answer, written later")
    b.keyboard.press("Tab")
    record = wait_stored(b, sites.one, SLEEP, "a['best-night'] === \"B's answer, written later\"")
    assert record["others"]["best-night"]["value"] == "A's answer"
    assert record["others"]["best-night"]["at"] < record["edited"]["best-night"]

    # Both tabs show the newest, with "your other version" under the field, as text.
    for tab_page in (a, b):
        wait_value(tab_page, "#shs-f-best-night", "B's answer, written later")
        other = tab_page.locator("[data-shs-field=best-night] .shs-other")
        other.wait_for()
        assert "Your other version" in other.text_content()
        assert other.locator(".shs-other__text").text_content() == "A's answer"

    # A takes its own version back; B's is then the other version, so the choice can be undone.
    a.bring_to_front()
    a.click("[data-shs-field=best-night] .shs-other >> text=Use this version")
    assert a.input_value("#shs-f-best-night") == "A's answer"
    record = wait_stored(a, sites.one, SLEEP, "a['best-night'] === \"A's answer\"")
    assert record["others"]["best-night"]["value"] == "B's answer, written later"
    assert a.locator("[data-shs-field=best-night] .shs-other__text").text_content() == "B's answer, written later"
    assert a.evaluate("document.activeElement.id") == "shs-f-best-night"

    # Dismissing the other version asks nothing but can be undone.
    a.click("[data-shs-field=best-night] .shs-other >> text=Dismiss")
    assert a.locator(".shs-other").count() == 0
    assert wait_stored(a, sites.one, SLEEP, "a['best-night'] === \"A's answer\"")["others"] == {}
    a.click(".shs-notice >> text=Undo")
    a.locator("[data-shs-field=best-night] .shs-other").wait_for()
    assert stored(a, sites.one, SLEEP)["others"]["best-night"]["value"] == "B's answer, written later"
    assert a.console_errors == [] and b.console_errors == []


# Holds back a tab's save after typing (the 300 ms timer), until the test runs it: its edit is then older than
# another tab's save of the same field.
HOLD_SAVE = """
const _setTimeout = window.setTimeout;
window.setTimeout = (fn, ms, ...args) => (ms === 300 && window.__holdSave ? (window.__heldSave = fn, 0) : _setTimeout(fn, ms, ...args));
"""


def test_an_older_edit_saved_after_a_newer_one_is_set_aside_and_the_status_says_so(sites, page):
    a, b = page, tab(page, hold=True, script=HOLD_SAVE)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    b.evaluate("window.__holdSave = window.__holdStorage = true")  # B hears of A's saves only when it saves
    b.bring_to_front()
    b.fill("#shs-f-best-night", "B typed first")
    b.wait_for_function("typeof window.__heldSave === 'function'")  # typed, not saved yet
    a.bring_to_front()
    a.fill("#shs-f-best-night", "A typed later")
    a.fill("#shs-f-thoughts", "A's thoughts")
    a.keyboard.press("Tab")
    wait_stored(a, sites.one, SLEEP, "a['best-night'] === 'A typed later' && a.thoughts === \"A's thoughts\"")
    b.bring_to_front()
    b.evaluate("window.__holdSave = false; window.__heldSave()")  # B saves its older edit now
    b.wait_for_function(
        "document.querySelector('.shs-worksheet__status').textContent.includes('yours is below it')"
    )
    # Set aside as B's other version; A's other answer added; and B is still in the field, so it is held back until B
    # leaves it.
    said = status(b)
    assert said.startswith("Saved on this device at ")
    assert (
        "“Which night was best?” was changed in another tab after you; the newest is kept and yours is below it. "
        "Changes from another tab were added: “Anything else you noticed?”. "
    ) in said
    assert b.input_value("#shs-f-thoughts") == "A's thoughts"
    assert said.endswith("“Which night was best?” was changed in another tab; it will update when you leave it.")
    assert b.input_value("#shs-f-best-night") == "B typed first"
    b.keyboard.press("Tab")
    wait_value(b, "#shs-f-best-night", "A typed later")
    assert b.locator("[data-shs-field=best-night] .shs-other__text").text_content() == "B typed first"
    assert stored(b, sites.one, SLEEP)["others"]["best-night"]["value"] == "B typed first"
    assert a.console_errors == [] and b.console_errors == []


def test_typing_on_after_another_tab_changed_the_field_keeps_both(sites, page):
    a, b = page, tab(page)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    b.bring_to_front()
    b.type("#shs-f-thoughts", "B is typing this")
    wait_value(a, "#shs-f-thoughts", "B is typing this")
    assert b.evaluate("document.activeElement.id") == "shs-f-thoughts"
    a.bring_to_front()
    a.fill("#shs-f-thoughts", "A wrote over it")
    a.fill("#shs-f-best-night", "Sunday")
    wait_value(b, "#shs-f-best-night", "Sunday")
    # B is still in the field: it is not changed under the cursor, and B is told.
    assert b.input_value("#shs-f-thoughts") == "B is typing this"
    assert "Anything else you noticed?" in status(b) and "editing it" in status(b)
    b.bring_to_front()
    b.press("#shs-f-thoughts", "End")
    b.type("#shs-f-thoughts", ", and more")
    b.keyboard.press("Tab")
    record = wait_stored(b, sites.one, SLEEP, "a.thoughts === 'B is typing this, and more'")
    assert record["answers"]["best-night"] == "Sunday"
    assert record["others"]["thoughts"]["value"] == "A wrote over it"
    assert "yours is below it" not in status(b)  # B's edit is the newest: nothing of B's was set aside
    wait_value(a, "#shs-f-thoughts", "B is typing this, and more")
    a.locator("[data-shs-field=thoughts] .shs-other__text", has_text="A wrote over it").wait_for()


def test_rows_added_in_two_tabs_at_the_same_time_are_merged(sites, page):
    a, b = page, tab(page, hold=True)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    b.evaluate("window.__holdStorage = true")
    a.bring_to_front()
    a.click("text=Add night")
    a.fill("#shs-f-nights-1-notes", "row from A")
    a.keyboard.press("Tab")
    wait_stored(a, sites.one, SLEEP, "a.nights && a.nights[0].notes === 'row from A'")
    b.bring_to_front()
    b.click("text=Add night")
    # B's new row is saved at once, merged with A's: A's row appears above it, and B's cursor
    # stays in B's own row.
    b.wait_for_function("document.querySelectorAll('[data-shs-field=nights] [data-shs-row]').length === 2")
    assert "another tab" in status(b)
    b.locator("[data-shs-row]:has(:focus) textarea").fill("row from B")
    b.keyboard.press("Tab")
    record = wait_stored(b, sites.one, SLEEP, "a.nights && a.nights.length === 2 && a.nights[1].notes === 'row from B'")
    assert [row["notes"] for row in record["answers"]["nights"]] == ["row from A", "row from B"]
    assert len(set(record["rows"]["nights"])) == 2
    # Both tabs end with the same two rows, in the order they were added: no phantom row.
    assert notes(b) == ["row from A", "row from B"]
    a.wait_for_function("document.querySelectorAll('[data-shs-field=nights] [data-shs-row]').length === 2")
    assert notes(a) == ["row from A", "row from B"]
    assert a.locator("[data-shs-field=nights] .shs-group__rowlabel").all_text_contents() == ["Night 1", "Night 2"]
    ids = a.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))

    # A row removed in one tab goes in the other too; the other row stays.
    b.evaluate("window.__holdStorage = false")
    a.bring_to_front()
    a.click("text=Remove night 1")
    b.wait_for_function("document.querySelectorAll('[data-shs-field=nights] [data-shs-row]').length === 1")
    assert notes(b) == ["row from B"]
    assert [row["notes"] for row in stored(b, sites.one, SLEEP)["answers"]["nights"]] == ["row from B"]


def test_three_tabs_editing_at_once_lose_nothing(sites, page):
    a, b, c = page, tab(page, hold=True), tab(page, hold=True)
    for each in (a, b, c):
        open_sheet(each, sites.one)
    b.evaluate("window.__holdStorage = true")
    c.evaluate("window.__holdStorage = true")
    for each, selector, value in ((a, "#shs-f-best-night", "from A"), (b, "#shs-f-thoughts", "from B")):
        each.bring_to_front()
        each.fill(selector, value)
        each.keyboard.press("Tab")
    c.bring_to_front()
    c.check("#shs-f-rested-6")
    c.click("text=Add night")
    c.fill("#shs-f-nights-1-notes", "from C")
    c.keyboard.press("Tab")
    record = wait_stored(c, sites.one, SLEEP, "a.nights && a.nights[0].notes === 'from C'")
    assert {k: v for k, v in record["answers"].items() if k != "nights"} == {
        "best-night": "from A",
        "thoughts": "from B",
        "rested": 6,
    }
    # Let the held tabs hear of it: every tab converges on the same answers.
    for each in (b, c):
        each.evaluate("window.__holdStorage = false")
    a.bring_to_front()
    a.fill("#shs-f-best-night", "from A, again")
    for each in (a, b, c):
        wait_value(each, "#shs-f-best-night", "from A, again")
        wait_value(each, "#shs-f-thoughts", "from B")
        each.wait_for_function("document.querySelector('#shs-f-rested-6').checked")
        assert notes(each) == ["from C"]
    assert stored(a, sites.one, SLEEP)["others"] == {}


def test_a_tab_whose_storage_is_blocked_breaks_nothing_for_the_others(sites, page):
    a = page
    open_sheet(a, sites.one)
    a.fill("#shs-f-best-night", "kept by A")
    wait_stored(a, sites.one, SLEEP, "a['best-night'] === 'kept by A'")
    blocked = tab(page, script=BLOCKED)
    open_sheet(blocked, sites.one)
    blocked.locator(".shs-banner--storage").wait_for()
    blocked.fill("#shs-f-thoughts", "typed where nothing is kept")
    blocked.keyboard.press("Tab")
    assert status(blocked).startswith("Not saved")
    # A's later answers still reach the blocked tab (storage events carry them).
    a.bring_to_front()
    a.fill("#shs-f-best-night", "kept by A, changed")
    wait_value(blocked, "#shs-f-best-night", "kept by A, changed")
    blocked.close(run_before_unload=True)
    assert stored(a, sites.one, SLEEP)["answers"] == {"best-night": "kept by A, changed"}
    assert a.console_errors == []


def test_an_import_in_one_tab_while_the_other_types_keeps_both(sites, page):
    a, b = page, tab(page)
    open_sheet(a, sites.one)
    open_sheet(b, sites.one)
    a.bring_to_front()
    a.type("#shs-f-thoughts", "A was writing")
    wait_stored(a, sites.one, SLEEP, "a.thoughts === 'A was writing'")
    b.bring_to_front()
    choose_file(b, answers_file({SLEEP: {"thoughts": "from the file", "best-night": "file night"}}))
    b.click(".shs-panel >> text=Replace my answers")
    wait_value(a, "#shs-f-best-night", "file night")
    assert a.input_value("#shs-f-thoughts") == "A was writing"  # A is still in it
    a.bring_to_front()
    a.type("#shs-f-thoughts", " and went on")
    a.keyboard.press("Tab")
    record = wait_stored(a, sites.one, SLEEP, "a.thoughts === 'A was writing and went on'")
    assert record["answers"]["best-night"] == "file night"
    assert record["others"]["thoughts"]["value"] == "from the file"
    wait_value(b, "#shs-f-thoughts", "A was writing and went on")
    b.locator("[data-shs-field=thoughts] .shs-other__text", has_text="from the file").wait_for()
    assert a.console_errors == [] and b.console_errors == []


def test_clearing_in_one_tab_empties_the_other(sites, page):
    a = page
    open_sheet(a, sites.one)
    a.type("#shs-f-best-night", "to be cleared")
    wait_stored(a, sites.one, SLEEP, "a['best-night'] === 'to be cleared'")
    b = tab(page)
    open_sheet(b, sites.one)
    assert b.input_value("#shs-f-best-night") == "to be cleared"
    a.bring_to_front()
    a.click(".shs-toolbar >> text=Clear answers")
    a.click(".shs-panel >> text=Clear answers")
    wait_value(b, "#shs-f-best-night", "")
    assert "cleared in another tab" in status(b)
    assert stored(a, sites.one, SLEEP) is None
