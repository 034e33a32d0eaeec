"""Autosave: every field kind is kept on this device, comes back after reload, a new tab and
instant navigation, under a key namespaced by the site id the build writes; old records migrate."""

from __future__ import annotations

import json
import re

import pytest
from worksheet_helpers import (
    SLEEP,
    SLEEP_ANSWERS,
    WAKE,
    fill_sleep_diary,
    form_answers,
    goto_for_instant_navigation,
    key,
    open_sheet,
    put,
    record,
    stored,
    wait_stored,
)

pytestmark = pytest.mark.browser

ALL_ANSWERED = "Object.keys(a).length === 7 && a.thoughts && a.thoughts.length > 900 && a.nights.length === 2"


def test_every_field_kind_autosaves_and_comes_back(sites, page):
    open_sheet(page, sites.one)
    fill_sleep_diary(page)
    # No blur, no click: the debounce alone saves what was typed last.
    saved = wait_stored(page, sites.one, SLEEP, ALL_ANSWERED)
    assert saved["answers"] == SLEEP_ANSWERS
    assert saved["format"] == 2 and saved["worksheet"] == SLEEP and saved["templateVersion"] == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", saved["savedAt"])
    # Each row has a stable id; each field and row the time it was last edited.
    assert len(saved["rows"]["nights"]) == 2 and len(set(saved["rows"]["nights"])) == 2
    cells = {"best-night", "mood", "helped", "rested", "next-check", "thoughts"}
    cells |= {f"nights/{row}" for row in saved["rows"]["nights"]}
    assert set(saved["edited"]) == cells and all(isinstance(t, int) for t in saved["edited"].values())
    assert saved["others"] == {}

    status = page.locator(".shs-worksheet__status")
    assert status.get_attribute("role") == "status"
    status.filter(has_text="Saved on this device at").wait_for()
    # The status never takes focus: the reader is still in the field they typed in.
    assert page.evaluate("document.activeElement.id") == "shs-f-thoughts"

    page.reload()
    page.locator(".shs-toolbar").wait_for()
    assert form_answers(page) == SLEEP_ANSWERS

    # Close the tab, open a new one in the same browser: everything is there.
    context = page.context
    page.close()
    again = context.new_page()
    open_sheet(again, sites.one)
    assert form_answers(again) == SLEEP_ANSWERS
    assert again.locator("#shs-f-thoughts").input_value() == SLEEP_ANSWERS["thoughts"]
    assert again.locator("[data-shs-row]").count() == 2


def test_typing_then_leaving_at_once_still_saves(sites, page):
    open_sheet(page, sites.one)
    page.type("#shs-f-best-night", "Saturday")
    page.reload()  # before the debounce fires: pagehide saves it
    page.locator(".shs-toolbar").wait_for()
    assert page.locator("#shs-f-best-night").input_value() == "Saturday"


def test_instant_navigation_away_and_back_keeps_answers(sites, page):
    open_sheet(page, sites.one)
    page.evaluate("window.__samePage = true")
    page.type("#shs-f-best-night", "Friday")
    page.check("#shs-f-rested-3")
    page.click(".md-nav--primary a[href$='/worksheets/wake-plan/']")
    page.wait_for_url("**/worksheets/wake-plan/")
    page.locator("form#shs-worksheet-wake-plan .shs-toolbar").wait_for()
    assert page.evaluate("window.__samePage") is True, "navigation reloaded the page: not instant"
    page.type("#shs-f-wake-time", "7:00")
    assert stored(page, sites.one, SLEEP)["answers"] == {"best-night": "Friday", "rested": 3}

    page.go_back()
    page.wait_for_url("**/worksheets/sleep-diary/")
    page.locator("form#shs-worksheet-sleep-diary .shs-toolbar").wait_for()
    assert page.evaluate("window.__samePage") is True
    assert form_answers(page) == {"best-night": "Friday", "rested": 3}
    assert page.locator(".shs-toolbar").count() == 1

    page.go_forward()
    page.locator("form#shs-worksheet-wake-plan .shs-toolbar").wait_for()
    assert page.locator("#shs-f-wake-time").input_value() == "7:00"
    assert stored(page, sites.one, WAKE)["answers"] == {"wake-time": "7:00"}
    assert page.evaluate("window.__samePage") is True
    assert page.console_errors == []


def test_instant_navigation_from_a_page_without_worksheets_loads_the_worksheet_tools(sites, page):
    # A step page loads neither worksheets.js nor worksheets.css; instant navigation keeps that
    # page's scripts, so site.js must bring them in when a worksheet arrives.
    goto_for_instant_navigation(page, sites.one + "guides/better-sleep/wind-down/")
    assert page.locator("script[src*='worksheets.js'], link[href*='worksheets.css']").count() == 0
    page.evaluate("window.__samePage = true")
    page.locator(".md-content a[href$='worksheets/sleep-diary/']").first.click()
    page.wait_for_url("**/worksheets/sleep-diary/")
    page.locator("form#shs-worksheet-sleep-diary .shs-toolbar").wait_for()
    assert page.evaluate("window.__samePage") is True, "navigation reloaded the page: not instant"
    # The worksheet styles are in force: the toolbar is a flex row.
    assert page.locator(".shs-toolbar").evaluate("el => getComputedStyle(el).display") == "flex"
    page.type("#shs-f-best-night", "Sunday")
    wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'Sunday'")
    # Going on to a second worksheet does not load the script twice.
    page.click(".md-nav--primary a[href$='/worksheets/wake-plan/']")
    page.locator("form#shs-worksheet-wake-plan .shs-toolbar").wait_for()
    assert page.locator("script[data-shs-worksheets]").count() == 1
    assert page.locator(".shs-toolbar").count() == 1
    assert page.console_errors == []


def test_two_organisations_sites_on_one_host_never_see_each_others_answers(sites, page):
    open_sheet(page, sites.one)
    page.type("#shs-f-best-night", "site one")
    wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'site one'")
    open_sheet(page, sites.two)
    assert page.locator("#shs-f-best-night").input_value() == ""
    page.type("#shs-f-best-night", "site two")
    wait_stored(page, sites.two, SLEEP, "a['best-night'] === 'site two'")
    keys = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('selfhelp:') && k.includes(':worksheet:')).sort()"
    )
    assert keys == [
        "selfhelp:second-org/sleep-better:worksheet:sleep-diary",
        "selfhelp:sleep-better:worksheet:sleep-diary",
    ]
    assert key(sites.one, SLEEP) == "selfhelp:sleep-better:worksheet:sleep-diary"
    assert page.get_attribute("meta[name=selfhelp-site]", "content") == "second-org/sleep-better"
    open_sheet(page, sites.one)
    assert page.locator("#shs-f-best-night").input_value() == "site one"


def test_older_record_is_migrated_keeping_answers_that_still_fit(sites, page):
    page.goto(sites.one)
    put(
        page,
        sites.one,
        SLEEP,
        record(SLEEP, {"best-night": "Monday", "old-question": "kept aside", "mood": "Gone"}, version=1, rev=4),
    )
    open_sheet(page, sites.one)
    assert page.locator("#shs-f-best-night").input_value() == "Monday"
    migrated = stored(page, sites.one, SLEEP)
    assert migrated["templateVersion"] == 2 and migrated["format"] == 2
    assert migrated["answers"] == {"best-night": "Monday"}
    assert migrated["retired"] == {"old-question": "kept aside", "mood": "Gone"}  # set aside, never deleted
    assert migrated["edited"] == {"best-night": 1735812000000}  # the old record's savedAt
    assert "latest version" in page.locator(".shs-worksheet__status").text_content()
    page.press("#shs-f-best-night", "End")
    page.type("#shs-f-best-night", " night")
    assert wait_stored(page, sites.one, SLEEP, "a['best-night'] === 'Monday night'")["retired"] == migrated["retired"]
    assert page.console_errors == []


def test_record_from_a_newer_format_is_left_untouched(sites, page):
    page.goto(sites.one)
    newer = record(SLEEP, {"best-night": {"rich": "text"}}, fmt=3)
    put(page, sites.one, SLEEP, newer)
    open_sheet(page, sites.one)
    banner = page.locator(".shs-banner--locked")
    banner.wait_for()
    assert "newer version" in banner.text_content()
    assert banner.get_attribute("role") == "alert"
    page.type("#shs-f-best-night", "typed here")
    page.locator("#shs-f-thoughts").focus()
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    assert page.evaluate("k => localStorage.getItem(k)", key(sites.one, SLEEP)) == json.dumps(newer)
    assert page.console_errors == []


def test_a_write_that_does_not_stick_is_never_silent(sites, page):
    # setItem "succeeds" but nothing is kept: the read-back catches it.
    page.add_init_script("""
      const real = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) { if (!String(k).includes(':worksheet:')) real.call(this, k, v); };
    """)
    open_sheet(page, sites.one)
    page.type("#shs-f-best-night", "lost?")
    page.locator(".shs-banner--storage").wait_for()
    assert "not being saved" in page.locator(".shs-banner--storage").text_content()
    assert page.locator(".shs-worksheet__status").text_content().startswith("Not saved")
    assert page.locator(".shs-banner--storage button", has_text="Export").is_visible()
    assert page.console_errors == []


def test_opened_from_disk_answers_are_kept_too(sites, page):
    # file:// (an offline copy): Material's document$ never emits there; the script binds anyway.
    sheet = (sites.www / "one/worksheets/sleep-diary/index.html").as_uri()
    page.goto(sheet)
    page.locator(".shs-toolbar").wait_for()
    page.type("#shs-f-best-night", "from disk")
    page.locator(".shs-worksheet__status").filter(has_text="Saved on this device").wait_for()
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    assert page.input_value("#shs-f-best-night") == "from disk"
    keys = page.evaluate("Object.keys(localStorage)")
    assert "selfhelp:sleep-better:worksheet:sleep-diary" in keys  # the site id, not the folder
    assert page.console_errors == []
