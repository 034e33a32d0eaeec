"""Print from the browser matches the PDF pack: every worksheet prints as its paper copy (paper.html,
worksheet-print.css), blank or with the reader's answers written in, with the urgent-help line and page
numbers in the margins of every page (print-frame.css), and none of the site around it. Printed by
Chromium to PDF on A4 and US Letter and read back with pypdf."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import jinja2
import pypdf
import pytest
from worksheet_helpers import (
    SLEEP,
    SLEEP_ANSWERS,
    fill_every_field,
    fill_sleep_diary,
    goto_for_instant_navigation,
    open_sheet,
    track_errors,
    wait_stored,
)

from generator.content.loader import load_content
from generator.content.model import Worksheet
from generator.products.pdf_pack import PdfBranding, write_pdf_pack

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]
PAPER = {"A4": (595, 842), "Letter": (612, 792)}
URGENT = "If you feel unsafe or might harm yourself, contact your local emergency number now"
WEB_ONLY = [
    "Blank copy to print (PDF)",
    "Goes with",
    "Time needed:",  # the page's line; paper has its own
    "Export answers",
    "Export as text",
    "Import answers",
    "Clear answers",
    "Add dates to my calendar",
    "Worksheet tools",
    "What happened?",  # navigation
    "Your privacy",  # navigation and footer
    "Made with",  # footer
    "Search",
    "Skip to content",
]
SLEEP_LABELS = [
    "Your nights",
    "Nights",
    "Which night was best?",
    "How do you feel about your sleep now?",
    "What helped?",
    "How rested do you feel?",
    "When will you look at this again?",
    "Anything else you noticed?",
    "What happened before bed?",
    "Hours slept",
]


def words(text: str) -> str:
    """Text with single spaces, and the ligatures a PDF may hold ("ﬁ") as letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def printed(page, paper: str) -> list[str]:
    """Print the page to PDF on `paper`; the text of each sheet, whitespace made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    for sheet in reader.pages:
        width, height = (float(x) for x in sheet.mediabox.upper_right)
        assert (width, height) == pytest.approx(PAPER[paper], abs=2)
    return [words(sheet.extract_text()) for sheet in reader.pages]


def assert_every_sheet_has_its_frame(sheets: list[str], urgent: str = URGENT) -> None:
    for number, text in enumerate(sheets, start=1):
        assert urgent in text, f"sheet {number} has no urgent-help line"
        assert f"Page {number} of {len(sheets)}" in text, f"sheet {number} has no page number"


def assert_nothing_web_only(sheets: list[str]) -> None:
    text = " ".join(sheets)
    for absent in WEB_ONLY:
        assert absent not in text, absent


def labels_of(worksheet: Worksheet) -> list[str]:
    found = []
    for field in worksheet.all_fields():
        found.append(field.label)
        found.extend(sub.label for sub in field.fields)
    return found


def assert_headings_keep_their_first_field(sheets: list[str], worksheet: Worksheet) -> None:
    """A section title is on the same sheet as its first field (or, for a group, its first column)."""
    for section in worksheet.sections:
        first = section.fields[0]
        follow = first.fields[0].label if first.kind == "group" else first.label
        with_title = [text for text in sheets if words(section.title) in text]
        assert with_title, section.title
        assert any(words(follow) in text.split(words(section.title), 1)[1] for text in with_title), (
            worksheet.id,
            section.title,
        )


# -- every shipped worksheet, blank and filled, against the pack ------------------------------------


@pytest.fixture(scope="module")
def shipped_pack() -> list[Worksheet]:
    return load_content(PROJECT / "content").worksheets


@pytest.fixture(scope="module")
def pack_pages(shipped_site: Path, shipped_pack: list[Worksheet], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Pages of each worksheet's PDF in the pack: A4 as the build wrote it, US Letter rendered the same way."""
    pages: dict[str, dict[str, int]] = {"A4": {}, "Letter": {}}
    for worksheet in shipped_pack:
        pages["A4"][worksheet.id] = len(pypdf.PdfReader(shipped_site / "pdf" / f"{worksheet.id}.pdf").pages)
    letter = tmp_path_factory.mktemp("letter-pack")
    write_pdf_pack(
        load_content(PROJECT / "content"),
        site_dir=letter,
        cache_dir=letter / "cache",
        loader=jinja2.FileSystemLoader(str(PROJECT / "generator" / "theme")),
        branding=PdfBranding(site_name="Getting through a career setback", page_size="letter"),
    )
    for worksheet in shipped_pack:
        pages["Letter"][worksheet.id] = len(pypdf.PdfReader(letter / "pdf" / f"{worksheet.id}.pdf").pages)
    return pages


@pytest.fixture(scope="module")
def shipped_printouts(shipped_server, shipped_pack, browser) -> dict[str, dict]:
    """Each shipped worksheet printed blank, then with every field filled, on each paper: one fresh browser context
    per worksheet, filled once (printing does not change the page). {id: {paper: (blank, filled)}, "errors": [...]}."""
    printouts: dict[str, dict] = {}
    for worksheet in shipped_pack:
        context = browser.new_context()
        try:
            page = context.new_page()
            errors = track_errors(page)
            open_sheet(page, shipped_server.url, worksheet.id)
            blank = {paper: printed(page, paper) for paper in PAPER}
            fill_every_field(page, "Answer-7d1c")
            page.locator("h1").first.click()  # leave the last field: it is saved
            page.wait_for_function("() => /Saved on this device/.test(document.querySelector('.shs-worksheet__status').textContent)")
            filled = {paper: printed(page, paper) for paper in PAPER}
            printouts[worksheet.id] = {paper: (blank[paper], filled[paper]) for paper in PAPER} | {"errors": errors}
        finally:
            context.close()
    return printouts


@pytest.mark.parametrize("paper", list(PAPER))
def test_every_shipped_worksheet_prints_like_the_pack_blank_and_filled(
    shipped_printouts, shipped_pack, pack_pages, paper
):
    counts = []
    for worksheet in shipped_pack:
        blank, filled = shipped_printouts[worksheet.id][paper]
        # No more sheets than the same worksheet's PDF in the pack, on the same paper.
        assert len(blank) <= pack_pages[paper][worksheet.id], (worksheet.id, len(blank), pack_pages[paper])
        text = " ".join(blank)
        for label in labels_of(worksheet):
            assert words(label) in text, (worksheet.id, label)
        assert "DATE" in text and "SAVED ON" not in text
        assert_every_sheet_has_its_frame(blank)
        assert_nothing_web_only(blank)
        assert_headings_keep_their_first_field(blank, worksheet)

        text = " ".join(filled)
        text_fields = [f for f in worksheet.all_fields() if f.kind in ("text", "textarea")]
        text_fields += [s for f in worksheet.all_fields() for s in f.fields if s.kind in ("text", "textarea")]
        assert text.count("Answer-7d1c") == len(text_fields), worksheet.id
        assert "SAVED ON" in text
        assert len(filled) <= len(blank), (worksheet.id, len(filled), len(blank))
        assert_every_sheet_has_its_frame(filled)
        assert_nothing_web_only(filled)
        counts.append(f"{worksheet.id}: blank {len(blank)}, filled {len(filled)}, pack {pack_pages[paper][worksheet.id]}")
        assert shipped_printouts[worksheet.id]["errors"] == [], shipped_printouts[worksheet.id]["errors"]
    print(f"\n{paper}: " + "; ".join(counts))


# -- the sleep pack: every field kind, long answers, rows ---------------------------------------------


@pytest.mark.parametrize("paper", list(PAPER))
def test_a_filled_worksheet_prints_every_answer_in_full(sites, page, paper):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    wait_stored(page, sites.one, SLEEP, "Object.keys(a).length === 7 && a.thoughts.length > 900")
    sheets = printed(page, paper)
    text = " ".join(sheets)
    for label in SLEEP_LABELS:
        assert label in text
    for answer in ["Tuesday, after the walk", "Read a book. No phone after ten.", "Worked late", "NIGHT 1", "NIGHT 2"]:
        assert answer in text, answer
    assert "Mar 4, 2025" in text and "Apr 1, 2025" in text  # dates as dates, not 2025-03-04
    # The long answer is not clipped: every one of its 30 sentences is on paper.
    assert text.count("Waking at the same time helped most.") == 30
    assert SLEEP_ANSWERS["thoughts"].count("Waking") == 30
    # The sheet's 7 rows: the two filled, then five blank ones to write in.
    assert text.count("I napped that day") == 7 and "NIGHT 7" in text
    assert re.search(r"SAVED ON \w{3} \d+, \d{4}", text)
    # "Sleep better" is the site's name: in the bottom margin, not in a header.
    assert_every_sheet_has_its_frame(sheets, "contact your local emergency number now")
    assert all("Sleep better" in sheet for sheet in sheets)
    assert_nothing_web_only(sheets)
    assert page.console_errors == []


def test_the_paper_shows_answers_as_ticks_circles_and_rows(sites, page):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    wait_stored(page, sites.one, SLEEP, "a.thoughts && a.thoughts.length > 900")
    page.reload()  # filled from what was saved, not only as the reader types
    page.locator(".shs-toolbar").wait_for()
    page.emulate_media(media="print")
    paper = page.locator(".shs-paper")
    assert paper.is_visible() and page.locator("form.shs-worksheet").is_hidden()
    assert page.locator(".md-header, .md-sidebar, .md-footer, .md-banner").evaluate_all(
        "els => els.every((e) => !e.offsetParent && getComputedStyle(e).display === 'none' || !e.getClientRects().length)"
    )
    on = lambda slot: paper.locator(f'[data-shs-slot="{slot}"] .shs-p--on').all_text_contents()  # noqa: E731
    assert [words(t) for t in on("mood")] == ["Better"]
    assert [words(t) for t in on("helped")] == ["No screens", "Same wake time"]
    assert on("rested") == ["8"]
    assert paper.locator('[data-shs-slot="rested"] .shs-p-circle').count() == 11  # a row of numbers
    rows = paper.locator('[data-shs-slot="nights"] [data-shs-paper-row]')
    assert rows.count() == 7
    assert rows.nth(0).locator('[data-shs-slot="nap"]').get_attribute("class").count("shs-p--on") == 1
    assert "shs-p--on" not in rows.nth(1).locator('[data-shs-slot="nap"]').get_attribute("class")
    assert rows.nth(1).locator('[data-shs-slot="hours"] .shs-p--on').text_content() == "5"
    assert rows.nth(2).locator(".shs-p-text").all_text_contents() == ["", ""]
    # A blank date is a row of slots; a filled one is the date.
    assert paper.locator('[data-shs-slot="next-check"] .shs-p-date').is_hidden()
    assert paper.locator('[data-shs-slot="next-check"] .shs-p-text').text_content() == "Apr 1, 2025"
    assert rows.nth(1).locator('[data-shs-slot="night-date"] .shs-p-date').is_visible()
    # Answers are text: a typed tag stays characters.
    page.emulate_media(media="screen")
    page.fill("#shs-f-best-night", "<b>bold</b>")
    page.locator("h1").first.click()
    page.wait_for_function("() => document.querySelector('[data-shs-slot=\"best-night\"] .shs-p-text').textContent === '<b>bold</b>'")
    assert paper.locator("b").count() == 0
    assert page.console_errors == []


@pytest.mark.parametrize("paper", list(PAPER))
def test_a_blank_worksheet_prints_ruled_lines_boxes_and_blank_rows(sites, page, paper):
    open_sheet(page, sites.one)
    sheets = printed(page, paper)
    text = " ".join(sheets)
    for label in SLEEP_LABELS:
        assert label in text
    assert text.count("I napped that day") == 7  # the fixture's `rows: 7` blank rows
    for option in ["Worse", "The same", "Better", "No screens", "Exhausted", "Fully rested"]:
        assert option in text
    assert "DATE" in text and "SAVED ON" not in text
    assert_every_sheet_has_its_frame(sheets, "contact your local emergency number now")
    assert_nothing_web_only(sheets)
    page.emulate_media(media="print")
    assert page.locator(".shs-paper .shs-p-line").count() >= 1 + 5 + 7 * 2  # best night, thoughts, 7 x notes
    assert page.locator('.shs-paper [data-shs-slot="nap"] .shs-p-tick').count() == 7
    assert page.locator(".shs-paper .shs-p--on, .shs-paper .shs-p--filled").count() == 0


def test_the_paper_copy_is_hidden_on_screen_and_kept_out_of_search(sites, page):
    open_sheet(page, sites.one)
    assert page.locator(".shs-paper").is_hidden()
    index = page.evaluate("() => fetch('../../search/search_index.json').then((r) => r.json())")
    diary = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("worksheets/sleep-diary/"))
    assert "Which night was best?" in diary  # the form is searchable
    assert "How to fill it in" not in diary and "Night 7" not in diary  # the paper copy is not


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
        assert page.locator(".shs-paper").is_hidden()  # paper only
        sheets = printed(page, "A4")
        assert " ".join(sheets).count("I napped that day") == 7
        assert "Which night was best?" in sheets[-1] or "Which night was best?" in " ".join(sheets)
        assert_every_sheet_has_its_frame(sheets, "contact your local emergency number now")
    finally:
        context.close()


def test_the_urgent_help_contact_is_printed_on_every_sheet(tmp_path, browser):
    """With urgent_help set, its name and number are in the top margin of every sheet, as text."""
    import yaml
    from conftest import SiteServer, build_site, copy_pack

    pack = copy_pack("sleep-pack", tmp_path / "pack")
    config_file = pack / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"] = [
        "search",
        {
            "selfhelp": {
                "organisation": "Example Care Ltd",
                "pdf_pack": False,
                "offline_zip": False,
                "urgent_note": 'Need help now? "Call" us \\ any time.',
                "urgent_help": {"name": "Crisis line", "phone": "0800 000 000", "note": "open 24 hours"},
            }
        },
    ]
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build_site(config_file, tmp_path / "site")
    frame = (site / "assets/selfhelp/print-frame.css").read_text(encoding="utf-8")
    assert '"Need help now? \\"Call\\" us \\\\ any time. Crisis line: 0800 000 000 (open 24 hours)"' in frame
    server = SiteServer(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}worksheets/{SLEEP}/")
        sheets = printed(page, "Letter")
        assert len(sheets) > 1
        assert_every_sheet_has_its_frame(sheets, 'Need help now? "Call" us \\ any time. Crisis line: 0800 000 000 (open 24 hours)')
        assert all("Example Care Ltd" in sheet for sheet in sheets)
    finally:
        context.close()
        server.close()


def test_a_worksheet_reached_by_instant_navigation_prints_its_paper_copy(sites, page):
    goto_for_instant_navigation(page, sites.one + "guides/better-sleep/wind-down/")
    page.evaluate("() => { window.shsSamePage = true; }")
    page.click("article .shs-worksheetlist >> text=Sleep diary")
    page.locator("form.shs-worksheet .shs-toolbar").wait_for()
    assert page.evaluate("() => window.shsSamePage") is True  # no page load, yet the print design is there
    # Its print design: worksheet-page.css, which instant navigation brings with the page, or worksheet-print.css.
    page.wait_for_function("() => [...document.styleSheets].some((s) => s.href && /\\/worksheet-(print|page)\\.css$/.test(s.href))")
    sheets = printed(page, "A4")
    assert "How to fill it in" in " ".join(sheets) and "NIGHT 7" in " ".join(sheets)
    assert_nothing_web_only(sheets)
