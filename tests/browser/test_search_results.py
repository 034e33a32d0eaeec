"""What a reader sees of search results on a phone (390x844), on the shipped site: no keyword chips (keywords
are found, never shown), short summaries, none of their own words struck through as "Missing", at least four
results on one screen, and the situation first when the query says what happened."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from worksheet_helpers import search_for, track_errors

from generator.products.search_worker import SUMMARY_LENGTH

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any, shipped_server: Any) -> Iterator[Any]:
    """The shipped site's home page on a phone, with the search box open."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    track_errors(page)
    page.goto(shipped_server.url)
    page.locator("label[for='__search']").first.click()  # the search icon in the phone's header
    yield page
    assert page.console_errors == []
    context.close()


def results(page: Any) -> list[dict[str, Any]]:
    """Each result shown: its page's path, title, whether it is entirely on screen, its summaries."""
    return page.evaluate(
        """() => {
          const bottom = Math.min(innerHeight, document.querySelector('.md-search__scrollwrap').getBoundingClientRect().bottom);
          return [...document.querySelectorAll('.md-search-result__item')].map(item => ({
            path: new URL(item.querySelector('a').href).pathname,
            title: item.querySelector('h1').textContent,
            onScreen: item.getBoundingClientRect().bottom <= bottom,
            summaries: [...item.querySelectorAll('.md-search-result__article > p')].map(p => p.textContent),
            text: item.textContent,
          }));
        }"""
    )


def test_laid_off_on_a_phone_shows_the_situation_first_without_chips(phone: Any) -> None:
    search_for(phone, "i got laid off what now")
    shown = results(phone)
    assert shown[0]["path"] == "/situations/job-loss/", [r["title"] for r in shown[:4]]
    assert phone.locator(".md-search-result .md-tag").count() == 0, "keywords are search tags, never shown"
    assert phone.locator(".md-search-result__terms").count() == 0, "no 'Missing' line striking out the reader's words"
    on_screen = [r["title"] for r in shown if r["onScreen"]]
    assert len(on_screen) >= 4, on_screen
    summaries = [s for r in shown for s in r["summaries"]]
    assert summaries, "results have summaries"
    assert max(len(s) for s in summaries) <= SUMMARY_LENGTH + 2, max(summaries, key=len)  # + "…" at either end


def test_a_keyword_finds_its_page_and_stays_hidden(phone: Any) -> None:
    # "terminated" is one of "I've lost my job"'s keywords and in none of the site's text.
    search_for(phone, "terminated")
    shown = results(phone)
    assert shown[0]["path"] == "/situations/job-loss/"
    assert "terminated" not in shown[0]["text"].lower()


def test_a_long_word_two_letters_off_is_found_and_not_marked_missing(phone: Any) -> None:
    search_for(phone, "embarased")  # embarrassed, two letters short
    shown = results(phone)
    assert "/guides/career-setbacks/acknowledge-your-emotions/" in [r["path"] for r in shown[:3]]
    assert phone.locator(".md-search-result mark").filter(has_text="mbarrassed").count() > 0
    assert phone.locator(".md-search-result__terms").count() == 0


def test_a_summary_starts_near_the_reader_s_word(phone: Any) -> None:
    # "customers" comes late in a long section of "A project I worked on failed": the summary starts
    # shortly before it ("…") instead of with the section's first lines, where the word is not.
    search_for(phone, "customers")
    summary = phone.locator(".md-search-result__article > p:has(mark)").first
    text = summary.text_content()
    assert text.startswith("\u2026") and text.endswith("\u2026"), text
    assert len(text) <= SUMMARY_LENGTH + 2, text
    assert summary.locator("mark").first.text_content().lower() == "customers"
