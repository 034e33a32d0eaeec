"""Accessible worksheets: keyboard alone fills, exports, imports and prints; the page reflows at
320px; axe-core finds no violations (empty, filled, with an import error shown)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from worksheet_helpers import SLEEP, choose_file, fill_sleep_diary, open_sheet, put, record, wait_stored

pytestmark = pytest.mark.browser

STUB_PRINT = "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"


def active(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return { tag: e.tagName.toLowerCase(), type: e.type || '', id: e.id, text: e.textContent.trim(),
                 inForm: !!e.closest('form.shs-worksheet'), inToolbar: !!e.closest('.shs-toolbar') }; }"""
    )


def tab_to(page, text: str, backwards: bool = False) -> None:
    for _ in range(60):
        if active(page)["text"] == text:
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"could not reach {text!r} with the keyboard")


def test_the_whole_worksheet_works_with_the_keyboard_alone(sites, page):
    page.add_init_script(STUB_PRINT)
    # Ask Playwright to intercept file choosers now, not only when the import step starts.
    page.on("filechooser", lambda chooser: None)
    open_sheet(page, sites.one)
    page.locator("body").focus()
    tab_to(page, "Export answers")  # the first control of the worksheet, after the page's own links

    added_row = False
    for _ in range(200):
        page.keyboard.press("Tab")
        now = active(page)
        if not now["inForm"]:
            break
        if now["inToolbar"]:
            continue
        if now["tag"] == "textarea" or now["type"] == "text":
            page.keyboard.type(f"typed in {now['id']}")
        elif now["type"] == "date":
            page.keyboard.type("03042025")
        elif now["type"] in ("radio", "checkbox"):
            page.keyboard.press("Space")
        elif now["text"] == "Add night" and not added_row:
            page.keyboard.press("Enter")
            added_row = True
            assert active(page)["id"] == "shs-f-nights-1-night-date"
            page.keyboard.type("03042025")
    else:
        raise AssertionError("Tab never left the worksheet")

    saved = wait_stored(page, sites.one, SLEEP, "Object.keys(a).length === 7")["answers"]
    assert saved["best-night"] == "typed in shs-f-best-night"
    assert saved["thoughts"] == "typed in shs-f-thoughts"
    assert (
        saved["mood"] == "Worse"
        and saved["rested"] == 0
        and saved["helped"] == ["No screens", "Dim lights", "Same wake time"]
    )
    assert saved["nights"][0]["notes"] == "typed in shs-f-nights-1-notes"
    assert saved["nights"][0]["nap"] is True and saved["nights"][0]["hours"] == 0
    assert saved["next-check"] and saved["nights"][0]["night-date"]

    tab_to(page, "Export answers", backwards=True)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["worksheets"][0]["answers"] == saved

    tab_to(page, "Print")
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1

    # Import through the keyboard: the file chooser, the preview, the confirm.
    tab_to(page, "Import answers", backwards=True)
    assert active(page)["text"] == "Import answers", active(page)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    content = json.dumps(
        {
            "format": 1,
            "kind": "selfhelp-answers",
            "worksheets": [{"worksheet": SLEEP, "answers": {"best-night": "keyboard"}}],
        }
    )
    chooser.value.set_files(files=[{"name": "kb.json", "mimeType": "application/json", "buffer": content.encode()}])
    page.locator(".shs-panel").wait_for()
    assert "shs-panel__question" in page.evaluate("document.activeElement.className")
    tab_to(page, "Replace my answers")
    page.keyboard.press("Enter")
    assert page.input_value("#shs-f-best-night") == "keyboard"

    tab_to(page, "Clear answers", backwards=True)
    page.keyboard.press("Enter")
    tab_to(page, "Clear answers")  # the confirm button in the panel
    assert page.evaluate("!!document.activeElement.closest('.shs-panel')")
    page.keyboard.press("Enter")
    assert page.input_value("#shs-f-best-night") == ""
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["worksheets/sleep-diary/", "worksheets/", "privacy/"])
def test_pages_reflow_at_320px_without_horizontal_scrolling(sites, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    if path == "worksheets/sleep-diary/":
        open_sheet(page, sites.one)
        fill_sleep_diary(page)
        page.click("text=Remove night 1")
        page.click(".shs-toolbar >> text=Clear answers")  # the confirm panel open too
    else:
        page.goto(sites.one)
        put(page, sites.one, SLEEP, record(SLEEP, {"best-night": "x" * 400}))
        page.goto(sites.one + path)
        page.locator(".shs-toolbar").wait_for()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    assert page.console_errors == []


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


@pytest.fixture
def axe():
    """axe-core through axe-playwright-python, a declared test extra: missing, the test errors."""
    return axe_violations


def test_axe_finds_nothing_on_an_empty_worksheet(sites, page, axe):
    open_sheet(page, sites.one)
    assert axe(page) == []


def test_axe_finds_nothing_on_a_filled_worksheet(sites, page, axe):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    page.click("text=Remove night 1")  # with the Undo notice showing
    wait_stored(page, sites.one, SLEEP, "a.nights && a.nights.length === 1")
    assert axe(page) == []


def test_axe_finds_nothing_with_an_import_error_or_preview_shown(sites, page, axe):
    open_sheet(page, sites.one)
    choose_file(page, b'{"format": 1, "kind": "selfhelp-answers"')
    page.locator(".shs-panel .shs-error").wait_for()
    assert axe(page) == []
    choose_file(
        page,
        json.dumps(
            {
                "format": 1,
                "kind": "selfhelp-answers",
                "worksheets": [{"worksheet": SLEEP, "answers": {"best-night": "x"}}],
            }
        ).encode(),
    )
    page.locator(".shs-panel dl").wait_for()
    assert axe(page) == []


@pytest.mark.parametrize("path", ["worksheets/", "privacy/"])
def test_axe_finds_nothing_on_my_worksheets_and_privacy(sites, page, axe, path):
    page.goto(sites.one + path)
    page.locator(".shs-toolbar").wait_for()
    assert axe(page) == []


def test_axe_finds_nothing_with_an_other_version_and_the_reminder_shown(sites, page, axe):
    page.goto(sites.one)
    base = record(SLEEP, {"best-night": "newest", "nights": [{"notes": "a row"}]})
    base["format"], base["rows"] = 2, {"nights": ["0000000001aa0000"]}
    base["edited"] = {"best-night": 1735812000000, "nights/0000000001aa0000": 1735812000000}
    base["others"] = {
        "best-night": {"value": "older, from another tab", "at": 1735811000000},
        "nights/0000000001aa0000": {"value": {"notes": "the row as the other tab had it"}, "at": 1735811000000},
    }
    put(page, sites.one, SLEEP, base)
    page.evaluate(
        "k => localStorage.setItem(k, JSON.stringify({day: '2000-01-01', days: 5, asked: true, kept: false}))",
        "selfhelp:sleep-better:backup",
    )
    page.add_init_script("Object.defineProperty(navigator, 'storage', {value: {persisted: async () => false}})")
    open_sheet(page, sites.one)
    assert page.locator(".shs-other").count() == 2
    page.locator(".shs-remind").wait_for()
    assert axe(page) == []
