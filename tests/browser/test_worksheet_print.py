"""Print: a filled worksheet prints every answer in full, rows included; a blank one prints
ruled lines and blank rows; navigation, header, search, footer, urgent note and buttons do not
print. Checked on A4 and US Letter through Chromium's PDF output."""

from __future__ import annotations

import io

import pypdf
import pytest
from worksheet_helpers import SLEEP, SLEEP_ANSWERS, fill_sleep_diary, open_sheet, wait_stored

pytestmark = pytest.mark.browser

PAPER = {"A4": (595, 842), "Letter": (612, 792)}
LABELS = [
    "Your nights",
    "Which night was best?",
    "How do you feel about your sleep now?",
    "What helped?",
    "How rested do you feel?",
    "When will you look at this again?",
    "Anything else you noticed?",
    "What happened before bed?",
    "Hours slept",
]
NOT_ON_PAPER = [
    "emergency number",  # urgent banner
    "Sleep better",  # site name in the header
    "Search",
    "Racing mind",  # navigation only
    "Made with",  # footer
    "Export answers",
    "Export as text",
    "Import answers",
    "Clear answers",
    "Add night",
    "Remove night",
    "Print",
]


def pdf_text(page, paper: str) -> str:
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    for sheet in reader.pages:
        width, height = (float(x) for x in sheet.mediabox.upper_right)
        assert (width, height) == pytest.approx(PAPER[paper], abs=2)
    return " ".join(" ".join(sheet.extract_text() for sheet in reader.pages).split())


@pytest.mark.parametrize("paper", list(PAPER))
def test_a_filled_worksheet_prints_every_answer_in_full(sites, page, paper):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    wait_stored(page, sites.one, SLEEP, "Object.keys(a).length === 7 && a.thoughts.length > 900")
    text = pdf_text(page, paper)
    for label in LABELS:
        assert label in text
    for answer in ["Tuesday, after the walk", "Read a book. No phone after ten.", "Worked late", "Night 1", "Night 2"]:
        assert answer in text
    # The long answer is not clipped: every one of its 30 sentences is on paper.
    assert text.count("Waking at the same time helped most.") == 30
    assert SLEEP_ANSWERS["thoughts"].count("Waking") == 30
    # Filled rows print; the blank rows for writing by hand do not.
    assert text.count("I napped that day") == 2
    for absent in NOT_ON_PAPER:
        assert absent not in text, absent


@pytest.mark.parametrize("paper", list(PAPER))
def test_a_blank_worksheet_prints_ruled_lines_and_blank_rows(sites, page, paper):
    open_sheet(page, sites.one)
    text = pdf_text(page, paper)
    for label in LABELS:
        assert label in text
    assert text.count("I napped that day") == 7  # the fixture's `rows: 7` blank rows
    for option in ["Worse", "The same", "Better", "No screens", "Exhausted", "Fully rested"]:
        assert option in text
    for absent in NOT_ON_PAPER:
        assert absent not in text, absent


def test_ruled_lines_follow_the_lines_setting_and_mirrors_follow_beforeprint(sites, page):
    open_sheet(page, sites.one)
    page.emulate_media(media="print")
    one = page.locator("[data-shs-field=best-night] .shs-lines--1").bounding_box()["height"]
    five = page.locator("[data-shs-field=thoughts] .shs-lines--5").bounding_box()["height"]
    assert one > 0 and five == pytest.approx(5 * one, rel=0.02)
    assert page.locator("#shs-f-thoughts").is_hidden()  # the control gives way to lines or the answer
    assert page.locator(".shs-toolbar").is_hidden()
    # A value set without any input event is still mirrored once the browser says it will print.
    page.evaluate("document.querySelector('#shs-f-best-night').value = 'set quietly'")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    mirror = page.locator("[data-shs-field=best-night] .shs-print-value")
    assert mirror.is_visible() and mirror.text_content() == "set quietly"
    assert page.locator("[data-shs-field=best-night] .shs-lines").is_hidden()
    assert page.console_errors == []


def test_without_javascript_the_form_still_shows_and_prints_blank(sites, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{sites.one}worksheets/{SLEEP}/")
        assert page.locator(".shs-toolbar").count() == 0
        for control in (
            "#shs-f-best-night",
            "#shs-f-thoughts",
            "#shs-f-mood-1",
            "#shs-f-rested-10",
            "#shs-f-next-check",
        ):
            assert page.locator(control).is_visible()
        assert page.locator(".shs-group__blank").is_hidden()  # paper only
        text = pdf_text(page, "A4")
        assert text.count("I napped that day") == 7
        assert "Which night was best?" in text and "emergency number" not in text
    finally:
        context.close()
