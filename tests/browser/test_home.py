"""The home page starts a reader off: one first-step button, a card per situation, cards for the guide,
My plan and My worksheets, the privacy promise in one line, all made from the content model (so another
content pack gets the same home); the urgent-help banner is one line on a phone; and no page of a build
without contacts points the reader to contacts it does not show."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from worksheet_helpers import goto_for_instant_navigation

from tests.conftest import build_site, copy_pack, parse

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SHIPPED_SITUATIONS = ["job-loss", "not-getting-promoted", "failed-project", "negative-feedback", "missed-opportunity"]  # their `order`

# A sentence that sends the reader to contacts on the page or site (only right when contacts are configured).
POINTS_TO_CONTACTS = re.compile(
    r"(urgent[- ]help|emergency|crisis|organisation's|HR)?\s*contacts?\s+(shown\s+)?(on|below|above)\b"
    r"|contacts on this (page|site)|details (may be )?shown on this site",
    re.IGNORECASE,
)


def target(site: Path, page: str, href: str) -> Path:
    """The built file a link on `page` (a folder of the site, "" for the home) leads to."""
    path = posixpath.normpath(posixpath.join(page, href.split("#")[0]))
    return site / ("" if path == "." else path) / "index.html"


def home_parts(site: Path) -> dict[str, object]:
    soup = parse(site / "index.html")
    article = soup.select_one("article")
    return {
        "buttons": article.select("a.md-button"),
        "card_lists": article.select(".shs-cards"),
        "privacy": article.select(".shs-privacy-line"),
        "soup": soup,
    }


def test_the_shipped_home_has_one_first_step_cards_and_the_privacy_line(shipped_site: Path) -> None:
    parts = home_parts(shipped_site)
    [button] = parts["buttons"]
    assert "md-button--primary" in button["class"]
    assert button.get_text(strip=True) == "Start here: Acknowledge how you feel"
    first_step = target(shipped_site, "", button["href"])
    assert first_step == shipped_site / "guides/career-setbacks/acknowledge-your-emotions/index.html"
    assert "Step 1 of 11" in parse(first_step).select_one(".shs-stepnumber").get_text()

    situations, tools = parts["card_lists"]
    links = [a["href"] for a in situations.select("a.shs-card__link")]
    assert [target(shipped_site, "", h).parent.name for h in links] == SHIPPED_SITUATIONS
    for card in situations.select("li"):
        assert len(card.select("a")) == 1 and len(card.get_text(" ", strip=True)) > 40, "a title and a summary"
    tool_links = {a.get_text(strip=True): target(shipped_site, "", a["href"]) for a in tools.select("a.shs-card__link")}
    assert tool_links == {
        "How to cope with a career setback": shipped_site / "guides/career-setbacks/index.html",
        "My plan": shipped_site / "plan/index.html",
        "My worksheets": shipped_site / "worksheets/index.html",
    }
    for built in [first_step, *(target(shipped_site, "", h) for h in links), *tool_links.values()]:
        assert built.is_file(), built

    # The cards repeat the situations' titles and summaries: kept out of the search index, so that the home
    # does not compete with the pages it leads to.
    index = json.loads((shipped_site / "search/search_index.json").read_text(encoding="utf-8"))
    home_text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].split("#")[0] == "")
    assert "Start here" in home_text and "made redundant" not in home_text and "I've lost my job" not in home_text

    [privacy] = parts["privacy"]
    text = " ".join(privacy.get_text(" ", strip=True).split())
    assert text.startswith("Your answers are kept only in this browser, on this device, and never sent anywhere.")
    assert target(shipped_site, "", privacy.a["href"]) == shipped_site / "privacy/index.html"
    assert len(privacy.find_all("a")) == 1


def test_another_content_pack_gets_a_home_from_its_own_content(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"selfhelp": {"pdf_pack": False, "offline_zip": False}}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build_site(project / "mkdocs.yml", project / "site")
    parts = home_parts(site)
    [button] = parts["buttons"]
    assert button.get_text(strip=True) == "Start here: Wind down before bed"
    assert target(site, "", button["href"]) == site / "guides/better-sleep/wind-down/index.html"
    situations, tools = parts["card_lists"]
    assert [a.get_text(strip=True) for a in situations.select("a")] == ["My mind races at night"]
    assert [a.get_text(strip=True) for a in tools.select("a")] == ["A guide to better sleep", "My sleep plan", "My worksheets"]
    assert all(target(site, "", a["href"]).is_file() for a in tools.select("a"))
    assert "career" not in parts["soup"].select_one("article").get_text().lower()


def visible_text(soup: BeautifulSoup) -> str:
    article = soup.select_one("article")
    for hidden in article.select("[hidden], script, template, .shs-paper"):
        hidden.decompose()
    return " ".join(article.get_text(" ", strip=True).split())


def test_no_page_without_contacts_points_to_contacts(shipped_site: Path) -> None:
    assert POINTS_TO_CONTACTS.search("please use the urgent-help contacts on this page now")
    assert POINTS_TO_CONTACTS.search("its details may be shown on this site, or ask HR")
    pages = sorted(shipped_site.rglob("index.html"))
    assert len(pages) > 30
    found = {}
    for page in pages:
        soup = parse(page)
        assert soup.select(".shs-contacts") == [] and soup.select(".shs-urgent a") == [], "the shipped site has no contacts"
        match = POINTS_TO_CONTACTS.search(visible_text(soup))
        if match:
            found[page.parent.relative_to(shipped_site).as_posix()] = match.group(0)
    assert found == {}


@pytest.mark.browser
@pytest.mark.parametrize("build", ["shipped", "branded"])
def test_the_urgent_banner_is_one_line_on_a_phone_and_whole_on_a_laptop(
    request: pytest.FixtureRequest, browser: object, build: str
) -> None:
    server = request.getfixturevalue(f"{build}_server")
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        for location in ("", "guides/career-setbacks/acknowledge-your-emotions/", "worksheets/action-plan/"):
            page.set_viewport_size(PHONE)
            page.goto(server.url + location)
            banner = page.locator(".md-banner")
            assert banner.bounding_box()["height"] <= 48, location
            summary = page.locator(".shs-urgent__compact summary")
            assert summary.is_visible() and summary.inner_text().strip() == "Urgent help"
            assert page.locator(".shs-urgent__full").is_hidden()
            note = page.locator(".shs-urgent__compact details p").first
            assert note.is_hidden()
            call = page.locator(".shs-urgent__call")
            if build == "branded":
                assert call.is_visible() and call.get_attribute("href") == "tel:0800000111"
                assert call.inner_text() == "Call 0800 000 111"
            else:
                assert call.count() == 0
            summary.click()
            assert note.is_visible() and "emergency number" in note.inner_text()
            if build == "branded":
                assert "Crisis line" in page.locator(".shs-urgent__compact details").inner_text()
                assert call.is_hidden(), "open, the disclosure has the number itself, and the whole width"
            summary.click()
            assert banner.bounding_box()["height"] <= 48

            page.set_viewport_size(LAPTOP)
            full = page.locator(".shs-urgent__full")
            assert full.is_visible() and page.locator(".shs-urgent__compact").is_hidden()
            assert "emergency number" in full.inner_text()
            if build == "branded":
                assert "0800 000 111" in full.inner_text()
    finally:
        context.close()


@pytest.mark.browser
def test_a_whole_card_leads_to_its_page_and_the_button_to_the_first_step(shipped_server, page) -> None:
    page.set_viewport_size(PHONE)
    page.goto(shipped_server.url)
    card = page.locator(".shs-cards li").filter(has_text="I've lost my job")
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 10, box["y"] + box["height"] - 10)  # on the summary, not the title
    page.wait_for_url("**/situations/job-loss/")
    assert page.locator("h1").inner_text() == "I've lost my job"
    page.goto(shipped_server.url)
    button = page.locator("article a.md-button--primary")
    assert button.bounding_box()["height"] >= 44 and button.is_visible()
    button.click()
    page.wait_for_url("**/guides/career-setbacks/acknowledge-your-emotions/")
    assert page.console_errors == []


@pytest.mark.browser
def test_the_home_reached_by_instant_navigation_brings_its_own_styles(sites, page) -> None:
    """home.css is linked by the home page only: Material's instant navigation swaps the stylesheets of <head>, so
    coming home from a worksheet page (which has worksheet-page.css and no home.css) still gives whole-card links,
    and leaving again takes them away."""
    def card_link_covers_its_card() -> bool:
        return page.evaluate(
            "() => { const a = document.querySelector('.shs-cards .shs-card__link');"
            " return !!a && getComputedStyle(a, '::after').position === 'absolute'; }"
        )

    goto_for_instant_navigation(page, sites.one + "worksheets/sleep-diary/")
    assert page.locator("link[href$='/home.css']").count() == 0
    page.evaluate("() => { window.shsSamePage = true; }")
    page.click("a.md-logo")
    page.wait_for_function("() => !!document.querySelector('.shs-cards')")
    page.wait_for_function("() => [...document.styleSheets].some((s) => s.href && s.href.endsWith('/home.css'))")
    assert page.evaluate("() => window.shsSamePage") is True  # no page load
    assert card_link_covers_its_card()
    assert page.locator("link[href$='/worksheet-page.css']").count() == 0
