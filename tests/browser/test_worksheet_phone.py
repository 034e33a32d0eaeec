"""Worksheets on a phone (390x844) and a laptop (1366x768), measured in Chromium on the shipped site.

Scale labels at the ends of the scale, checkboxes and radios of at least 24 px in the brand colour, options
one per line on a phone, "Clear answers" apart, red and saying what it would delete, a visible line after an
export, the save status in view at the last field, and never over a field that has focus; My worksheets in
the guide's order with a progress bar; a situation page that links each step once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect
from worksheet_helpers import key

from generator.content.loader import load_content
from tests.conftest import PROJECT

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SIZES = pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
PACK = load_content(PROJECT / "content", PROJECT)
SCALES = [(w.id, f.id) for w in PACK.worksheets for f in w.all_fields() if f.kind == "scale" and (f.min_label or f.max_label)]


def open_shipped(page: Any, url: str, size: dict[str, int], worksheet: str) -> None:
    page.set_viewport_size(size)
    page.goto(f"{url}worksheets/{worksheet}/")
    page.locator("form.shs-worksheet .shs-toolbar").wait_for()


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@SIZES
@pytest.mark.parametrize(("worksheet", "field"), SCALES, ids=[f"{w}-{f}" for w, f in SCALES])
def test_scale_labels_sit_at_the_start_and_the_end_of_the_scale(page, shipped_server, size, worksheet, field):
    open_shipped(page, shipped_server.url, size, worksheet)
    scale = f"[data-shs-field={field}] .shs-scale"
    points = page.locator(f"{scale} .shs-scale__point").evaluate_all(
        "ps => ps.map((p) => { const r = p.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; })"
    )
    low, high = box(page, f"{scale} .shs-scale__end--min"), box(page, f"{scale} .shs-scale__end--max")
    left, right = min(p[0] for p in points), max(p[1] for p in points)
    assert abs(low["x"] - left) <= 1, (low, left)  # the first label starts where the numbers start
    assert abs(high["x"] + high["width"] - right) <= 1, (high, right)  # the last ends where they end
    assert abs(low["y"] - high["y"]) <= 1 and high["x"] > low["x"] + low["width"]  # one line, first then last
    assert min(low["y"], high["y"]) >= max(p[3] for p in points) - 1  # below every number
    assert len({round(p[2]) for p in points}) == 1, "a 0-10 scale fits on one line at 390 px"
    assert page.console_errors == []


@SIZES
def test_checkboxes_and_radios_are_24px_in_the_brand_colour(page, shipped_server, size):
    sizes = []
    for worksheet in ("wellbeing-plan", "action-plan"):
        open_shipped(page, shipped_server.url, size, worksheet)
        if worksheet == "action-plan":
            page.click("text=Add action step")  # its Done checkbox
        sizes += page.locator("form.shs-worksheet input:is([type=checkbox], [type=radio])").evaluate_all(
            "es => es.map((e) => [e.id, e.getBoundingClientRect().width, e.getBoundingClientRect().height,"
            " getComputedStyle(e).accentColor])"
        )
        brand = page.evaluate(
            "() => { const p = document.createElement('p'); p.style.color = 'var(--md-typeset-a-color)';"
            " document.querySelector('.md-typeset').append(p); const c = getComputedStyle(p).color; p.remove(); return c; }"
        )
        assert brand.startswith("rgb(")
        for control_id, width, height, accent in sizes:
            assert width >= 24 and height >= 24, (control_id, width, height)
            assert accent == brand, (control_id, accent, brand)
    assert len(sizes) > 40
    assert page.console_errors == []


def test_options_are_one_per_line_on_a_phone_and_side_by_side_on_a_laptop(page, shipped_server):
    tops = "ls => ls.map((l) => [l.getBoundingClientRect().left, l.getBoundingClientRect().top])"
    open_shipped(page, shipped_server.url, PHONE, "wellbeing-plan")
    for field in ("habits", "how-to-learn"):
        options = page.locator(f"[data-shs-field={field}] .shs-option").evaluate_all(tops)
        assert len(options) >= 5
        assert len({round(x) for x, _ in options}) == 1, options  # one column
        assert all(b[1] > a[1] for a, b in zip(options, options[1:])), options  # each below the one before
    open_shipped(page, shipped_server.url, LAPTOP, "wellbeing-plan")
    options = page.locator("[data-shs-field=habits] .shs-option").evaluate_all(tops)
    assert len({round(y) for _, y in options}) < len(options)  # several on a line
    assert page.console_errors == []


@SIZES
def test_clear_answers_stands_apart_in_red_and_says_what_it_deletes(page, shipped_server, size):
    open_shipped(page, shipped_server.url, size, "action-plan")
    clear = page.locator(".shs-toolbar button", has_text="Clear answers")
    others = page.locator(".shs-toolbar > button").evaluate_all(
        "bs => bs.map((b) => { const r = b.getBoundingClientRect(); return [r.right, r.top, r.bottom]; })"
    )
    toolbar = page.locator(".shs-toolbar").bounding_box()
    place = clear.bounding_box()
    assert place is not None and toolbar is not None and len(others) >= 4
    if size is PHONE:  # a line of its own, below the others, with a rule between
        assert place["y"] >= max(bottom for _, _, bottom in others) + 8
    else:  # at the far end of its line (the others may take two lines, as with wide fonts), past those beside it
        beside = [right for right, top, bottom in others if top < place["y"] + place["height"] and bottom > place["y"]]
        assert beside and place["x"] >= max(beside) + 40
        assert abs(place["x"] + place["width"] - (toolbar["x"] + toolbar["width"])) < 2
    assert clear.evaluate("b => getComputedStyle(b).color") == "rgb(183, 28, 28)"

    clear.click()  # nothing to clear: nothing to confirm
    # Clear's code loads on this first click (worksheet-more.js): its answer comes once the file has arrived.
    expect(page.locator(".shs-worksheet__status")).to_have_text("There are no answers on “Your action plan” to clear.")
    assert page.locator(".shs-panel").is_hidden()

    page.fill("#shs-f-smart-goal", "A new job by March")
    page.check("#shs-f-goal-type-1")
    page.click("text=Add action step")
    page.fill("#shs-f-action-steps-1-action", "Call Sam")
    clear.click()
    assert page.locator(".shs-panel__question").text_content() == (
        "Clear your answers to 3 questions on “Your action plan”? They will be deleted from this device. "
        "Export them first if you want to keep a copy."
    )
    confirm = page.locator(".shs-panel button", has_text="Clear answers")
    assert confirm.evaluate("b => [b.className.includes('shs-button--danger'), getComputedStyle(b).backgroundColor]") == [
        True,
        "rgb(183, 28, 28)",
    ]
    confirm.click()
    assert page.input_value("#shs-f-smart-goal") == ""
    assert page.console_errors == []


@SIZES
def test_an_export_says_which_file_was_saved_where_the_reader_can_see_it(page, shipped_server, size):
    open_shipped(page, shipped_server.url, size, "action-plan")
    page.fill("#shs-f-smart-goal", "A new job by March")
    status = page.locator("form .shs-worksheet__status")
    assert status.evaluate("s => [s.getAttribute('role'), s.getAttribute('aria-live')]") == ["status", "polite"]
    for button in ("Export answers", "Export as text"):
        with page.expect_download() as info:
            page.click(f".shs-toolbar >> text={button}")
        name = info.value.suggested_filename
        assert name.startswith("action-plan-answers-") and name.endswith((".json", ".md"))
        assert status.text_content() == f"Saved {name} to your downloads."
        place = status.bounding_box()
        assert place is not None and 0 <= place["y"] and place["y"] + place["height"] <= size["height"]
    assert page.console_errors == []


@SIZES
def test_the_save_status_is_in_view_at_the_last_field_and_never_over_a_focused_field(page, shipped_server, size):
    open_shipped(page, shipped_server.url, size, "action-plan")
    page.fill("#shs-f-smart-goal", "A new job by March")
    status = page.locator("form .shs-worksheet__status")
    status.filter(has_text="Saved on this device").wait_for()

    last = page.locator("form.shs-worksheet [data-shs-field]").last
    last.scroll_into_view_if_needed()
    place, field = status.bounding_box(), last.bounding_box()
    assert place is not None and field is not None
    assert place["y"] >= 0 and place["y"] + place["height"] <= size["height"], place
    assert not overlap(place, field), (place, field)

    # Half-way down, the status is still on screen (at its bottom edge).
    page.locator("#section-obstacles").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -200)")
    place = status.bounding_box()
    assert place is not None and place["y"] + place["height"] <= size["height"] and place["y"] >= size["height"] - 120

    # Tabbing through the form from the top, no focused control is under the status bar.
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.focus("#shs-f-smart-goal")
    seen = 0
    while page.evaluate("!!document.activeElement.closest('form.shs-worksheet section')"):
        focused, place = page.evaluate(
            "() => { const f = document.activeElement.getBoundingClientRect(), s = document.querySelector("
            "'form .shs-worksheet__status').getBoundingClientRect(); return [[f.x, f.y, f.width, f.height], [s.x, s.y, s.width, s.height]]; }"
        )
        a, b = (dict(zip(("x", "y", "width", "height"), r)) for r in (focused, place))
        assert not overlap(a, b), (page.evaluate("document.activeElement.id"), a, b)
        page.keyboard.press("Tab")
        seen += 1
    assert seen >= 8
    assert page.console_errors == []


@SIZES
def test_my_worksheets_follow_the_guide_with_a_progress_bar_each(page, shipped_server, size):
    page.set_viewport_size(size)
    page.goto(shipped_server.url)
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [
            key(shipped_server.url, "action-plan"),
            json.dumps(
                {
                    "format": 2,
                    "worksheet": "action-plan",
                    "templateVersion": PACK.worksheet("action-plan").version,
                    "savedAt": "2026-12-01T10:00:00.000Z",
                    "answers": {"smart-goal": "A new job", "goal-type": "A new job", "confidence": 6},
                }
            ),
        ],
    )
    page.goto(shipped_server.url + "worksheets/")
    page.locator(".shs-worksheet-index .shs-toolbar").wait_for()
    items = page.locator("[data-shs-worksheet-id]")
    order = items.evaluate_all("is => is.map((i) => i.dataset.shsWorksheetId)")
    expected = [w.id for w in PACK.worksheets_in_guide_order()]
    assert order == expected and order != sorted(order)
    assert order[0] == "emotions-check-in"  # the first step's worksheet

    bars = page.locator("[data-shs-worksheet-id] progress").evaluate_all(
        "ps => ps.map((p) => [p.closest('[data-shs-worksheet-id]').dataset.shsWorksheetId, p.value, p.max,"
        " document.getElementById(p.getAttribute('aria-labelledby')).textContent])"
    )
    fields = {w.id: len(w.all_fields()) for w in PACK.worksheets}
    assert [b[0] for b in bars] == expected
    for worksheet, value, most, name in bars:
        assert most == fields[worksheet]
        if worksheet == "action-plan":
            assert value == 3 and name.startswith(f"3 of {most} answered"), (value, name)
        else:
            assert value == 0 and name == "Not started"
    named = page.get_by_role("progressbar", name=f"3 of {fields['action-plan']} answered", exact=False)
    assert named.count() == 1 and named.is_visible()
    assert page.console_errors == []


def test_a_situation_page_links_each_of_its_steps_once(page, shipped_server):
    page.set_viewport_size(PHONE)
    page.goto(shipped_server.url + "situations/job-loss/")
    links = page.locator("article a[href*='/guides/career-setbacks/']").evaluate_all(
        "as => as.map((a) => new URL(a.href).pathname)"
    )
    steps = PACK.situations[[s.id for s in PACK.situations].index("job-loss")].step_ids
    assert len(steps) == 7
    assert sorted(links) == sorted(f"/guides/career-setbacks/{s}/" for s in steps), links
    assert page.get_by_role("heading", name="Steps that help").count() == 0
    assert page.console_errors == []
