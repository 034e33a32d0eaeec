"""No request carries answers: every worksheet is filled while every request the browser makes
is recorded. Only GETs to 127.0.0.1, no form submission, and no answer text in any URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from worksheet_helpers import fill_every_field, key, open_sheet, track_errors

pytestmark = pytest.mark.browser

MARK = "private-answer-7d1c"


def worksheet_ids(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "worksheets").glob("*/index.html"))


def fill_everything_and_record_requests(browser, site_url: str, ids: list[str]) -> list:
    context = browser.new_context()
    requests: list = []
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    errors = track_errors(page)
    counts: dict[str, int] = {}
    try:
        for worksheet in ids:
            open_sheet(page, site_url, worksheet)
            count = counts[worksheet] = fill_every_field(page, MARK)
            assert count > 0
            # Enter in a text field must not submit the form anywhere.
            first_text = page.locator("form.shs-worksheet input[type=text]").first
            if first_text.count():
                first_text.press("Enter")
            page.wait_for_function(
                "([k, n]) => { const r = JSON.parse(localStorage.getItem(k) || 'null');"
                " return !!r && Object.keys(r.answers).length === n; }",
                arg=[key(site_url, worksheet), count],
            )
            assert page.url == f"{site_url}worksheets/{worksheet}/"
        page.goto(site_url + "worksheets/")
        page.locator(".shs-toolbar").wait_for()
        for worksheet, count in counts.items():
            progress = page.locator(f"[data-shs-worksheet-id={worksheet}] [data-shs-progress]").text_content()
            assert progress.startswith(f"{count} of {count} answered"), (worksheet, progress)
        page.goto(site_url + "privacy/")
        page.locator(".shs-toolbar").wait_for()
        assert errors == [], "\n".join(errors)
    finally:
        context.close()
    return requests


def assert_no_request_carries_answers(requests: list, origin: str) -> None:
    assert requests
    host = urlparse(origin).netloc
    for request in requests:
        url = urlparse(request.url)
        assert request.method == "GET", (request.method, request.url)
        assert request.post_data is None, request.url
        assert (url.scheme, url.netloc) == ("http", host) or (
            url.scheme == "blob" and request.url.startswith(f"blob:{origin}")
        ), request.url
        assert MARK not in unquote(request.url), request.url
        assert not url.query or url.path.endswith(".js"), request.url  # only Material's worker URL has a query


def test_filling_every_fixture_worksheet_sends_nothing(sites, browser):
    ids = ["sleep-diary", "wake-plan"]
    requests = fill_everything_and_record_requests(browser, sites.one, ids)
    assert_no_request_carries_answers(requests, sites.origin)


def test_filling_every_shipped_worksheet_sends_nothing(shipped_site, shipped_server, browser):
    ids = worksheet_ids(shipped_site)
    assert len(ids) == 10, ids
    requests = fill_everything_and_record_requests(browser, shipped_server.url, ids)
    assert_no_request_carries_answers(requests, shipped_server.url.rstrip("/"))
