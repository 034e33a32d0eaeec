"""Search words never reach a server. Material's `search.highlight` puts the words in every result
link (`?h=fired`); following one used to write them into the server's access log. Each test reads
the request log of the server (SiteServer.requests), with and without instant navigation and on
the shipped configuration, and checks the words are still highlighted on the page they lead to."""

from __future__ import annotations

import pytest
from worksheet_helpers import search_for, track_errors

pytestmark = pytest.mark.browser


def follow_first_result(page, site_url: str, query: str) -> str:
    """Search from the page shown, click the first result as a reader would, return where it led."""
    search_for(page, query)
    link = page.locator(".md-search-result__link").first
    href = link.get_attribute("href")
    assert "h=" not in href and query not in href.lower(), href
    link.click()
    page.wait_for_url(lambda url: url.rstrip("/") != site_url.rstrip("/"))
    return page.url


def assert_words_stay_private(server, page, query: str, start: int) -> None:
    log = server.requests[start:]
    assert log, "the server saw no request at all: the test would prove nothing"
    for line in log:
        assert "h=" not in line and query not in line.lower(), line
    assert "?" not in page.url and query not in page.url.lower(), page.url
    # The words are still highlighted on the page, by our script (Material's needs ?h=).
    marks = page.locator("article mark[data-md-highlight]")
    marks.first.wait_for()
    assert all(text.lower() == query for text in marks.all_text_contents())


@pytest.mark.parametrize("variant", ["instant", "plain"])
def test_following_a_search_result_sends_no_search_words(highlight_sites, browser, variant):
    # No service worker: the case where every request reaches the server.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    track_errors(page)
    server = highlight_sites.server
    site_url = f"{server.url}{variant}/"
    try:
        page.goto(site_url)
        page.evaluate("window.__samePage = true")
        start = len(server.requests)
        url = follow_first_result(page, site_url, "cycles")
        assert url.endswith("/about-sleep/")
        # Instant navigation fetched the page itself (no reload); without it, the browser loaded it.
        assert page.evaluate("window.__samePage === true") is (variant == "instant")
        assert any("/about-sleep/" in line for line in server.requests[start:]), server.requests[start:]
        assert_words_stay_private(server, page, "cycles", start)
        # A reload, a bookmark or a shared link carries no words either, and highlights nothing.
        page.reload()
        page.locator(".md-content article").wait_for()
        assert page.locator("article mark[data-md-highlight]").count() == 0
        assert page.console_errors == []
    finally:
        context.close()


def test_on_the_shipped_site_search_words_stay_out_of_the_server_log(shipped_server, browser):
    # The shipped configuration: instant navigation, search.highlight, the service worker on
    # (127.0.0.1 is a secure context), which is not yet in charge on a first visit.
    context = browser.new_context()
    page = context.new_page()
    track_errors(page)
    try:
        page.goto(shipped_server.url)
        start = len(shipped_server.requests)
        follow_first_result(page, shipped_server.url, "fired")
        assert_words_stay_private(shipped_server, page, "fired", start)
        assert page.console_errors == []
    finally:
        context.close()
