"""Export to JSON and text, import with validation, preview and an in-page confirm; answers are
shown back only as text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from worksheet_helpers import (
    SLEEP,
    SLEEP_ANSWERS,
    WAKE,
    answers_file,
    choose_file,
    fill_sleep_diary,
    form_answers,
    key,
    open_sheet,
    put,
    record,
    stored,
    track_errors,
    wait_stored,
)

pytestmark = pytest.mark.browser

EXISTING = {"best-night": "Monday", "rested": 4}


def download(page, selector: str):
    with page.expect_download() as info:
        page.click(selector)
    return info.value


def fresh_page(browser):
    context = browser.new_context()
    page = context.new_page()
    track_errors(page)
    return page


def test_export_one_worksheet_as_json_and_text(sites, page):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    wait_stored(page, sites.one, SLEEP, "Object.keys(a).length === 7 && a.thoughts.length > 900")
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    file = download(page, ".shs-toolbar >> text=Export answers")
    assert re.fullmatch(r"sleep-diary-answers-\d{4}-\d\d-\d\d\.json", file.suggested_filename)
    text = Path(file.path()).read_text(encoding="utf-8")
    assert text.startswith('{\n  "format": 1,')  # pretty-printed, versioned
    data = json.loads(text)
    assert data["format"] == 1 and data["kind"] == "selfhelp-answers"
    [sheet] = data["worksheets"]
    assert sheet["worksheet"] == SLEEP and sheet["title"] == "Sleep diary" and sheet["templateVersion"] == 2
    assert sheet["answers"] == SLEEP_ANSWERS

    file = download(page, ".shs-toolbar >> text=Export as text")
    assert file.suggested_filename.endswith(".md")
    text = Path(file.path()).read_text(encoding="utf-8")
    for expected in (
        "# Sleep diary",
        "## Which night was best?",
        "Tuesday, after the walk",
        "### Nights: 2",
        "- **What happened before bed?:** Read a book.\n  No phone after ten.",
        "- **I napped that day:** Yes",
        "No screens, Same wake time",
        SLEEP_ANSWERS["thoughts"].strip(),
    ):
        assert expected in text
    assert all(url.startswith(sites.origin) or url.startswith("blob:") for url in requests), requests
    assert page.console_errors == []


def test_export_then_import_on_a_fresh_browser_gives_identical_answers(sites, page, browser):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    wait_stored(page, sites.one, SLEEP, "Object.keys(a).length === 7 && a.thoughts.length > 900")
    content = Path(download(page, ".shs-toolbar >> text=Export answers").path()).read_bytes()

    other = fresh_page(browser)
    try:
        open_sheet(other, sites.one)
        choose_file(other, content, "sleep.json")
        panel = other.locator(".shs-panel")
        panel.wait_for()
        assert "7 of 7 questions answered" in panel.text_content()
        assert stored(other, sites.one, SLEEP) is None  # nothing written before the reader says yes
        other.click(".shs-panel >> text=Replace my answers")
        assert form_answers(other) == SLEEP_ANSWERS
        assert wait_stored(other, sites.one, SLEEP, "Object.keys(a).length === 7")["answers"] == SLEEP_ANSWERS
        other.reload()
        other.locator(".shs-toolbar").wait_for()
        assert form_answers(other) == SLEEP_ANSWERS
        assert other.console_errors == []
    finally:
        other.context.close()


def test_export_all_then_import_all_on_a_fresh_browser(sites, page, browser):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    wait_stored(page, sites.one, SLEEP, "Object.keys(a).length === 7 && a.thoughts.length > 900")
    open_sheet(page, sites.one, WAKE)
    page.type("#shs-f-wake-time", "6:45")
    wait_stored(page, sites.one, WAKE, "a['wake-time'] === '6:45'")
    page.goto(sites.one + "worksheets/")
    file = download(page, ".shs-toolbar >> text=Export all answers")
    data = json.loads(Path(file.path()).read_text(encoding="utf-8"))
    assert [w["worksheet"] for w in data["worksheets"]] == [SLEEP, WAKE]
    markdown = Path(download(page, ".shs-toolbar >> text=Export all as text").path()).read_text(encoding="utf-8")
    assert "# Sleep diary" in markdown and "# Wake-up plan" in markdown and "6:45" in markdown

    other = fresh_page(browser)
    try:
        other.goto(sites.one + "worksheets/")
        choose_file(other, Path(file.path()).read_bytes(), file.suggested_filename)
        other.locator(".shs-panel").wait_for()
        assert "Wake-up plan" in other.locator(".shs-panel").text_content()
        other.click(".shs-panel >> text=Replace my answers")
        other.locator("[data-shs-worksheet-id=wake-plan]", has_text="1 of 1 answered").wait_for()
        assert "7 of 7 answered" in other.locator("[data-shs-worksheet-id=sleep-diary]").text_content()
        assert stored(other, sites.one, SLEEP)["answers"] == SLEEP_ANSWERS
        assert stored(other, sites.one, WAKE)["answers"] == {"wake-time": "6:45"}
        open_sheet(other, sites.one)
        assert form_answers(other) == SLEEP_ANSWERS
        assert other.console_errors == []
    finally:
        other.context.close()


def good_file() -> dict:
    return json.loads(answers_file({SLEEP: {"best-night": "from the file"}}))


def with_answers(answers: dict) -> bytes:
    data = good_file()
    data["worksheets"][0]["answers"] = answers
    return json.dumps(data).encode()


def reserved(name: str) -> bytes:
    return (
        b'{"format": 1, "kind": "selfhelp-answers", "worksheets": [{"worksheet": "sleep-diary", "answers": {"'
        + name.encode()
        + b'": {"polluted": true}}}]}'
    )


def retired(value: object) -> bytes:
    data = good_file()
    data["worksheets"][0]["retired"] = value
    return json.dumps(data).encode()


BAD_FILES = {
    "truncated": (answers_file({SLEEP: {"best-night": "x"}})[:40], "could not be read"),
    "empty": (b"", "This file is empty"),
    "too big": (answers_file({SLEEP: {"best-night": "x"}}) + b" " * (1024 * 1024), "too big"),
    "not json object": (b"[1, 2, 3]", "not an answers file"),
    "other kind": (b'{"format": 1, "kind": "something-else", "worksheets": []}', "not an answers file"),
    "no answers": (b'{"format": 1, "kind": "selfhelp-answers", "worksheets": []}', "no answers"),
    "newer format": (answers_file({SLEEP: {"best-night": "x"}}, fmt=2), "newer version"),
    "unknown worksheet": (answers_file({"not-a-worksheet": {}}), 'different worksheet ("not-a-worksheet")'),
    "other worksheet": (answers_file({WAKE: {"wake-time": "7"}}), 'different worksheet ("wake-plan")'),
    "all worksheets": (answers_file({SLEEP: {}, WAKE: {}}), "Import it on the My worksheets page"),
    "unknown field": (with_answers({"no-such-question": "x"}), '("no-such-question")'),
    "text not a string": (with_answers({"best-night": 5}), "Which night was best?"),
    "scale out of range": (with_answers({"rested": 11}), "How rested do you feel?"),
    "scale as text": (with_answers({"rested": "8"}), "How rested do you feel?"),
    "unknown option": (with_answers({"mood": "Ecstatic"}), "How do you feel about your sleep now?"),
    "checklist not a list": (with_answers({"helped": "No screens"}), "What helped?"),
    "checkbox in row not boolean": (with_answers({"nights": [{"nap": "yes"}]}), "Nights"),
    "unknown field in row": (with_answers({"nights": [{"bedtime": "22:00"}]}), "Nights"),
    "bad date": (with_answers({"next-check": "next week"}), "When will you look at this again?"),
    "impossible date": (with_answers({"next-check": "2026-13-45"}), "When will you look at this again?"),
    "30 February": (with_answers({"next-check": "2026-02-30"}), "When will you look at this again?"),
    "impossible date in a row": (with_answers({"nights": [{"night-date": "2025-00-10"}]}), "Nights"),
    "retired not answers": (retired({"old-question": {"a": {"b": {"c": {"d": "too deep"}}}}}), "not an answers file"),
    "retired not under ids": (retired({"Old question?": "x"}), "not an answers file"),
    "retired not an object": (retired(["x"]), "not an answers file"),
    "__proto__": (reserved("__proto__"), '("__proto__")'),
    "constructor": (reserved("constructor"), '("constructor")'),
    "prototype": (reserved("prototype"), '("prototype")'),
}


@pytest.fixture(scope="module")
def sheet_with_answers(sites, browser):
    """One worksheet page with answers saved, shared by the bad-file cases (each leaves it unchanged)."""
    page = fresh_page(browser)
    page.goto(sites.one)
    put(page, sites.one, SLEEP, record(SLEEP, EXISTING))
    open_sheet(page, sites.one)
    yield page
    page.context.close()


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_rejected_with_a_plain_message_and_nothing_changes(sites, sheet_with_answers, case):
    page = sheet_with_answers
    content, message = BAD_FILES[case]
    before = page.evaluate("k => localStorage.getItem(k)", key(sites.one, SLEEP))
    assert json.loads(before)["answers"] == EXISTING
    page.evaluate("document.querySelector('.shs-panel').replaceChildren()")
    choose_file(page, content, name=f"{case}.json")
    error = page.locator(".shs-panel .shs-error")
    error.wait_for()
    assert error.get_attribute("role") == "alert"
    assert message in error.text_content()
    assert "your answers have not been changed" in error.text_content()
    assert page.locator(".shs-panel button", has_text="Replace").count() == 0
    assert form_answers(page) == EXISTING
    assert page.evaluate("k => localStorage.getItem(k)", key(sites.one, SLEEP)) == before
    assert page.evaluate("({}).polluted") is None
    assert page.console_errors == []


def test_a_file_for_a_worksheet_the_site_does_not_have_is_rejected_on_my_worksheets(sites, page):
    page.goto(sites.one)
    put(page, sites.one, SLEEP, record(SLEEP, EXISTING))
    page.goto(sites.one + "worksheets/")
    choose_file(page, answers_file({SLEEP: {"best-night": "x"}, "not-a-worksheet": {}}))
    error = page.locator(".shs-panel .shs-error")
    error.wait_for()
    assert 'a worksheet this site doesn\'t have ("not-a-worksheet")' in error.text_content()
    assert stored(page, sites.one, SLEEP)["answers"] == EXISTING
    assert page.console_errors == []


def test_cancel_keeps_answers_and_undo_puts_them_back(sites, page):
    page.goto(sites.one)
    put(page, sites.one, SLEEP, record(SLEEP, EXISTING))
    open_sheet(page, sites.one)
    choose_file(page, answers_file({SLEEP: {"best-night": "from the file"}}))
    panel = page.locator(".shs-panel")
    panel.wait_for()
    # The preview says what changes: best-night replaced, rested emptied.
    assert "It replaces the 2 answered here now; 2 answers change." in panel.text_content()
    assert panel.locator("dt").all_text_contents() == ["Which night was best?", "How rested do you feel?"]
    assert panel.locator("dd").all_text_contents() == ["from the file", "(no answer)"]
    page.click(".shs-panel >> text=Cancel")
    assert panel.is_hidden()
    assert form_answers(page) == EXISTING
    assert stored(page, sites.one, SLEEP)["answers"] == EXISTING

    choose_file(page, answers_file({SLEEP: {"best-night": "from the file"}}))
    page.click(".shs-panel >> text=Replace my answers")
    assert form_answers(page) == {"best-night": "from the file"}
    wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'from the file' && !a.rested")
    page.click(".shs-notice >> text=Undo")
    assert form_answers(page) == EXISTING
    wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'Monday' && a.rested === 4")


HOSTILE_IMG = "<img src=x onerror=window.__pwned=1>"
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"


def test_imported_answers_are_only_ever_shown_as_text(sites, page):
    hostile = {
        "best-night": HOSTILE_IMG,
        "thoughts": HOSTILE_SCRIPT + "\n" + HOSTILE_IMG,
        "nights": [{"notes": HOSTILE_IMG}],
    }
    open_sheet(page, sites.one)
    choose_file(page, answers_file({SLEEP: hostile}), name=HOSTILE_IMG + ".json")
    panel = page.locator(".shs-panel")
    panel.wait_for()
    assert HOSTILE_IMG in panel.locator("dd").first.text_content()
    assert HOSTILE_SCRIPT in panel.text_content()
    assert HOSTILE_IMG + ".json" in panel.text_content()
    assert page.locator(".shs-panel img, .shs-panel script").count() == 0
    page.click(".shs-panel >> text=Replace my answers")
    assert page.input_value("#shs-f-best-night") == HOSTILE_IMG
    assert page.input_value("#shs-f-thoughts") == HOSTILE_SCRIPT + "\n" + HOSTILE_IMG
    assert page.input_value("#shs-f-nights-1-notes") == HOSTILE_IMG
    assert page.locator("article img, form script").count() == 0
    # The print copies of the answers are text too.
    assert page.locator('.shs-paper [data-shs-slot="best-night"] .shs-p-text').text_content() == HOSTILE_IMG
    wait_stored(page, sites.one, SLEEP, "a['best-night'] && a.nights")
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    assert page.input_value("#shs-f-best-night") == HOSTILE_IMG
    # Shown back on "My worksheets" too, as text only.
    page.goto(sites.one + "worksheets/")
    choose_file(page, answers_file({WAKE: {"wake-time": HOSTILE_IMG}}))
    page.locator(".shs-panel").wait_for()
    assert HOSTILE_IMG in page.locator(".shs-panel").text_content()
    assert page.locator(".shs-panel img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["worksheets/sleep-diary/", "worksheets/"])
def test_set_aside_answers_in_a_file_are_checked_shown_and_kept_the_same_on_every_page(sites, page, path):
    data = good_file()
    data["worksheets"][0]["retired"] = {"old-question": "kept aside", "old-rows": [{"what": "a row"}], "old-tick": True}
    page.goto(sites.one + path)
    page.locator(".shs-toolbar").wait_for()
    choose_file(page, json.dumps(data).encode())
    panel = page.locator(".shs-panel")
    panel.wait_for()
    assert "3 answers to questions this worksheet no longer asks" in panel.text_content()
    page.click(".shs-panel >> text=Replace my answers")
    record = wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'from the file'")
    assert record["retired"] == data["worksheets"][0]["retired"]
    assert page.console_errors == []


def test_a_500_kb_blob_is_not_stored_from_my_worksheets(sites, page):
    page.goto(sites.one + "worksheets/")
    page.locator(".shs-toolbar").wait_for()
    blob = {"blob": [{"x": {"y": {"z": "A" * 1000}}}] * 500}
    choose_file(page, retired(blob))
    page.locator(".shs-panel .shs-error").wait_for()
    assert stored(page, sites.one, SLEEP) is None


MARKUP = {
    "best-night": "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) &amp; `code`",
    "thoughts": "# Not a heading\n- not a list\n1. not numbered\n> not a quote\n---\n<script>alert(1)</script>",
    "nights": [{"notes": "_under_ <b>b</b>\n## nor this"}],
}


def test_export_as_text_keeps_answers_as_text(sites, page):
    import markdown as python_markdown

    open_sheet(page, sites.one)
    choose_file(page, answers_file({SLEEP: MARKUP}))
    page.click(".shs-panel >> text=Replace my answers")
    wait_stored(page, sites.one, SLEEP, "a.nights && a.thoughts")
    text = Path(download(page, ".shs-toolbar >> text=Export as text").path()).read_text(encoding="utf-8")
    assert (
        "&lt;img src=x onerror=alert(1)> \\*\\*bold\\*\\* \\[link\\](javascript:alert(1)) &amp;amp; \\`code\\`" in text
    )
    assert "\\# Not a heading\n\\- not a list\n1\\. not numbered\n\\> not a quote\n\\---\n&lt;script>" in text
    assert "- **What happened before bed?:** \\_under\\_ &lt;b>b&lt;/b>\n  \\## nor this" in text
    # Rendered by a Markdown library, the answers are text: no tag, link, heading or list comes from them.
    html = python_markdown.markdown(text)
    for made in (
        "<img",
        "<script",
        "<a ",
        "<b>",
        "<strong>bold",
        "<em>under",
        "<code>",
        "<blockquote",
        "<hr",
        "<h1>Not",
        "<h2>nor",
        "<ol",
    ):
        assert made not in html, made
    assert html.count("<h1>") == 1  # the worksheet's title only


def test_export_and_import_work_under_the_sites_content_security_policy(strict_server, page):
    # worksheet-files.js is loaded when first needed: the policy must allow it, and nothing else breaks.
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    site_url = strict_server.url + "one/"
    page.goto(site_url + "worksheets/sleep-diary/")
    page.locator(".shs-toolbar").wait_for()
    policy = page.evaluate("fetch(location.href).then((r) => r.headers.get('Content-Security-Policy'))")
    assert policy and "script-src 'self'" in policy
    page.type("#shs-f-best-night", "under the policy")
    data = json.loads(Path(download(page, ".shs-toolbar >> text=Export answers").path()).read_text(encoding="utf-8"))
    assert data["worksheets"][0]["answers"] == {"best-night": "under the policy"}
    choose_file(page, answers_file({SLEEP: {"best-night": "imported under the policy"}}))
    page.click(".shs-panel >> text=Replace my answers")
    assert page.input_value("#shs-f-best-night") == "imported under the policy"
    assert page.locator("script[src$='worksheet-files.js']").count() == 1
    assert violations == [] and page.console_errors == []


def test_when_export_cannot_be_loaded_the_reader_is_told_and_answers_stay(sites, browser):
    # As on a plain-http intranet whose connection dropped (no service worker to serve it).
    page = browser.new_context(service_workers="block").new_page()
    page.route("**/worksheet-files.js", lambda route: route.abort())
    open_sheet(page, sites.one)
    page.type("#shs-f-best-night", "still here")
    wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'still here'")
    page.click(".shs-toolbar >> text=Export answers")
    error = page.locator(".shs-panel .shs-error")
    error.wait_for()
    assert "could not be loaded" in error.text_content() and error.get_attribute("role") == "alert"
    assert page.input_value("#shs-f-best-night") == "still here"
    page.unroute("**/worksheet-files.js")
    with page.expect_download():
        page.click(".shs-toolbar >> text=Export answers")  # tried again, it works
    page.context.close()
