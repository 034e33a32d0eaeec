"""worksheet-more.js and worksheet-more.css load on first need: a first visit that only types loads neither;
when they cannot be loaded, what the reader asked for says so, and what comes by itself never takes the focus."""

from __future__ import annotations

import pytest
from worksheet_helpers import SLEEP, open_sheet, put, record, wait_stored

pytestmark = pytest.mark.browser

MORE = ("worksheet-more.js", "worksheet-more.css")


def test_typing_loads_no_more_than_the_base_script_and_clear_loads_the_rest(sites, page):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
    open_sheet(page, sites.one)
    page.fill("#shs-f-best-night", "Tuesday")
    wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'Tuesday'")
    page.locator("#shs-f-best-night").blur()
    assert not [name for name in asked if name in MORE], asked

    page.locator("form.shs-worksheet .shs-toolbar__apart button").click()
    page.locator(".shs-panel__question").wait_for()
    assert sorted(name for name in asked if name in MORE) == sorted(MORE)
    assert page.locator(".shs-panel__buttons").evaluate("e => getComputedStyle(e).display") == "flex"
    assert page.console_errors == []


@pytest.fixture
def cut_off(browser):
    """A page that cannot load worksheet-more.js and .css (no service worker either, which would have them)."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.route("**/worksheet-more.*", lambda route: route.abort())
    yield page
    context.close()


def test_when_the_rest_cannot_load_typing_keeps_the_focus_and_clear_says_so(sites, cut_off):
    page = cut_off
    open_sheet(page, sites.one)
    # A record with another version of an answer: showing it needs worksheet-more.js, which cannot load.
    saved = record(SLEEP, {"best-night": "Monday"}, version=2, fmt=2)
    saved["others"] = {"best-night": {"value": "Sunday", "at": 1735812000000}}
    put(page, sites.one, SLEEP, saved)
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    assert page.input_value("#shs-f-best-night") == "Monday"
    page.locator("#shs-f-best-night").focus()
    page.keyboard.type(" and Tuesday")
    wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'Monday and Tuesday'")
    assert page.evaluate("document.activeElement.id") == "shs-f-best-night"
    assert page.locator(".shs-error, .shs-other").count() == 0

    page.locator("form.shs-worksheet .shs-toolbar__apart button").click()
    error = page.locator(".shs-panel .shs-error")
    error.wait_for()
    assert error.text_content() == "This part of the page could not be loaded. Try again when this device is connected to the site."
    assert page.evaluate("document.activeElement.className") == "shs-error"
