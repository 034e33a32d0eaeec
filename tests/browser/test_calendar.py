"""Dates in the reader's calendar, privately: "Add dates to my calendar" on My plan and on worksheets with
calendar dates saves an .ics file made in the browser (all-day events with a reminder), read back here
with the `icalendar` package; every request the browser makes meanwhile is recorded: none carries an answer."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import icalendar
import pytest
from plan_helpers import FIRST_DATE, FIRST_STEP, PEOPLE, REVIEW_DATE, STEPS, fill_plan_worksheets
from worksheet_helpers import SLEEP, open_sheet, track_errors, wait_stored

pytestmark = pytest.mark.browser


def download_calendar(page, scope: str) -> tuple[str, bytes]:
    """Click "Add dates to my calendar" in `scope`; the saved file's name and bytes."""
    with page.expect_download() as caught:
        page.click(f"{scope} .shs-toolbar >> text=Add dates to my calendar")
    download = caught.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def events_of(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    return list(calendar.walk("VEVENT"))


def day(text: str) -> date:
    return date.fromisoformat(text)


def assert_all_day_with_a_reminder(event: icalendar.Event) -> None:
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert type(start) is date and type(end) is date, "all-day events carry dates, not times"
    assert end - start == timedelta(days=1)
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(hours=-15)  # 9:00 the day before


@pytest.fixture(scope="module")
def reader(shipped_server, browser):
    """A reader who filled the plan's worksheets, with every request of their browser recorded."""
    context = browser.new_context(accept_downloads=True)
    requests: list = []
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    fill_plan_worksheets(page, shipped_server.url)
    page.close()
    yield context, requests
    context.close()


def test_my_plan_saves_the_dated_steps_and_the_review_date(shipped_server, reader):
    context, requests = reader
    page = context.new_page()
    errors = track_errors(page)
    page.goto(shipped_server.url + "plan/")
    page.locator(".shs-plan .shs-toolbar").wait_for()
    start = len(requests)
    name, data = download_calendar(page, ".shs-plan")
    assert name == "my-plan-dates.ics"
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines are folded at 75 octets"
    events = {str(e["SUMMARY"]): e for e in events_of(data)}
    expected = {f"Action step: {action}": when for action, when, _, _ in STEPS}
    expected[f"My first small step: {FIRST_STEP}"] = FIRST_DATE
    expected["Review my action plan"] = REVIEW_DATE
    expected.update({f"Get in touch: {name}": when for name, _, when, _ in PEOPLE})
    assert {summary: e.decoded("DTSTART") for summary, e in events.items()} == {k: day(v) for k, v in expected.items()}
    for event in events.values():
        assert_all_day_with_a_reminder(event)
    update_cv = events[f"Action step: {STEPS[0][0]}"]
    assert str(update_cv["DESCRIPTION"]) == f"Who can help? {STEPS[0][2]}\nFrom Your action plan"
    assert str(events["Review my action plan"]["DESCRIPTION"]) == "From Your action plan"
    # Each event keeps its UID, so saving the file again updates the calendar instead of doubling it.
    uids = [str(e["UID"]) for e in events.values()]
    assert len(set(uids)) == len(uids) and all(u.endswith("@getting-through-a-career-setback") for u in uids)
    _, again = download_calendar(page, ".shs-plan")
    assert sorted(str(e["UID"]) for e in events_of(again)) == sorted(uids)
    assert "Calendar file saved with 11 dates" in page.locator(".shs-plan .shs-worksheet__status").text_content()
    # Made in the browser: the only requests are for the site's own files (the calendar script), none with an answer.
    made = requests[start:]
    assert all(r.method == "GET" and urlparse(r.url).netloc == urlparse(shipped_server.url).netloc or r.url.startswith("blob:")
               for r in made), [r.url for r in made]
    assert not any(STEPS[0][0] in unquote(r.url) or r.post_data for r in requests)
    assert errors == []
    page.close()


def test_the_action_plan_saves_its_own_dates(shipped_server, reader):
    context, _ = reader
    page = context.new_page()
    open_sheet(page, shipped_server.url, "action-plan")
    name, data = download_calendar(page, "form.shs-worksheet")
    assert name == "action-plan-dates.ics"
    summaries = sorted(str(e["SUMMARY"]) for e in events_of(data))
    assert len(summaries) == 7 and "Review my action plan" in summaries
    assert not any(s.startswith("Get in touch") for s in summaries)  # another worksheet's dates
    # A worksheet without calendar dates has no such button.
    open_sheet(page, shipped_server.url, "emotions-check-in")
    assert page.locator("text=Add dates to my calendar").count() == 0
    page.close()


def test_with_no_dates_the_reader_is_told_and_nothing_is_saved(shipped_server, browser):
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        downloads: list = []
        page.on("download", lambda download: downloads.append(download))
        open_sheet(page, shipped_server.url, "action-plan")
        page.fill("#shs-f-smart-goal", "A goal without dates")
        page.click("form.shs-worksheet .shs-toolbar >> text=Add dates to my calendar")
        status = page.locator("form.shs-worksheet .shs-worksheet__status")
        page.wait_for_function("() => /no dates to add yet/.test(document.querySelector('.shs-worksheet__status').textContent)")
        assert "There are no dates to add yet" in status.text_content()
        assert downloads == []
    finally:
        context.close()


def test_text_is_escaped_and_folded_and_reads_back_the_same(shipped_server, browser):
    tricky = "Call Sam, then rest; bring the notes\\slides — café ☕ " + "and a long tail of words " * 4
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        open_sheet(page, shipped_server.url, "action-plan")
        page.click('[data-shs-field="action-steps"] .shs-group__add')
        page.fill("#shs-f-action-steps-1-action", tricky.strip())
        page.fill("#shs-f-action-steps-1-deadline", "2027-02-28")
        page.fill("#shs-f-action-steps-1-who-can-help", "Line one\nline two")  # a text field keeps no newline
        _, data = download_calendar(page, "form.shs-worksheet")
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))
        data.decode("utf-8")  # folding never splits a character
        [event] = events_of(data)
        assert str(event["SUMMARY"]) == f"Action step: {tricky.strip()}"
        assert event.decoded("DTSTART") == date(2027, 2, 28) and event.decoded("DTEND") == date(2027, 3, 1)
        assert b"Call Sam\\, then rest\\; bring the notes\\\\slides" in data.replace(b"\r\n ", b"")
    finally:
        context.close()


def test_the_sleep_pack_plan_has_its_own_calendar_date(sites, browser):
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        open_sheet(page, sites.one, SLEEP)
        page.fill("#shs-f-next-check", "2025-04-01")
        page.locator("h1").first.click()
        wait_stored(page, sites.one, SLEEP, "a['next-check'] === '2025-04-01'")
        page.goto(sites.one + "plan/")
        page.locator(".shs-plan .shs-toolbar").wait_for()
        _, data = download_calendar(page, ".shs-plan")
        [event] = events_of(data)
        assert str(event["SUMMARY"]) == "Look at my sleep diary again"
        assert event.decoded("DTSTART") == date(2025, 4, 1)
        assert str(event["UID"]).endswith("@sleep-better")
    finally:
        context.close()


def test_the_calendar_works_under_the_sites_csp(strict_server, browser):
    site_url = strict_server.url + "one/"
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        errors = track_errors(page)
        open_sheet(page, site_url, SLEEP)
        page.fill("#shs-f-next-check", "2025-05-06")
        page.locator("h1").first.click()
        wait_stored(page, site_url, SLEEP, "a['next-check'] === '2025-05-06'")
        _, data = download_calendar(page, "form.shs-worksheet")
        [event] = events_of(data)
        assert event.decoded("DTSTART") == date(2025, 5, 6)
        page.goto(site_url + "plan/")
        page.locator(".shs-plan .shs-toolbar").wait_for()
        _, data = download_calendar(page, ".shs-plan")
        assert len(events_of(data)) == 1
        assert errors == [], errors
    finally:
        context.close()
