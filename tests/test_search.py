"""Readers find the right page by searching in their own words, typos included, through the site's real search;
the index holds no template placeholder."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from .conftest import SiteServer

QUERIES = Path(__file__).resolve().parent / "data" / "search_queries.yml"
PLACEHOLDER = re.compile(r"__[A-Z0-9]+__")


def expected_path(expect: str) -> str:
    """The site path of a page named as in search_queries.yml (`pages/<id>` pages live at `/<id>/`)."""
    if expect == "index":
        return "/"
    if expect.startswith("pages/"):
        expect = expect.removeprefix("pages/")
    return f"/{expect}/"


def top_pages(page: object, query: str, count: int = 3) -> list[str]:
    """Paths of the first `count` distinct pages Material's search lists for `query`."""
    search = page.locator(".md-search__input")  # type: ignore[attr-defined]
    search.fill("")
    search.press("End")  # Material searches on keyup: this clears the results.
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /Type to start/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    # One keyup with the whole query, so the next results shown are for exactly this query.
    search.fill(query)
    search.press("End")
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !/Type to start|Initializing/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    links = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)"
    )
    paths: list[str] = []
    for link in links:
        path = urlparse(link).path
        if path not in paths:
            paths.append(path)
    return paths[:count]


def is_situation(path: str) -> bool:
    return path.startswith("/situations/") and path != "/situations/"


@pytest.mark.browser
def test_reader_queries_find_the_right_page(page: object, shipped_server: SiteServer) -> None:
    """Every query has its page in the top three; one that names what happened has a situation first."""
    cases = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    assert len(cases) >= 100
    page.goto(shipped_server.url)  # type: ignore[attr-defined]
    page.locator(".md-search__input").click()  # type: ignore[attr-defined]
    misses = []
    for case in cases:
        found = top_pages(page, case["query"])
        expected = expected_path(case["expect"])
        if expected not in found:
            misses.append(f"  {case['query']!r}: expected {expected}, got {found}")
        elif is_situation(expected) and not is_situation(found[0]):
            misses.append(f"  {case['query']!r}: says what happened, but {found[0]} comes before the situation {expected}")
    print(f"\nsearch: {len(cases) - len(misses)}/{len(cases)} queries found the expected page in the top 3")
    print("\n".join(misses) if misses else "  no misses")
    assert not misses, "\n".join(misses)
    assert not page.console_errors  # type: ignore[attr-defined]


def test_no_template_placeholder_reaches_the_search_index(shipped_site: Path) -> None:
    """A group's row template (`Action step __ROWNUM__`) is for the script, not for readers searching."""
    index = json.loads((shipped_site / "search/search_index.json").read_text(encoding="utf-8"))
    worksheets = [doc for doc in index["docs"] if doc["location"].startswith("worksheets/action-plan/")]
    assert any("Action steps" in doc["text"] for doc in worksheets), "the group's own label is still searchable"
    leaks = [
        f"{doc['location']}: {match.group(0)}"
        for doc in index["docs"]
        for field in ("title", "text")
        for match in PLACEHOLDER.finditer(doc[field])
    ]
    assert not leaks, leaks


def test_a_step_s_place_in_the_guide_is_not_its_summary(shipped_site: Path) -> None:
    """"Step 2 of 11 in How to cope with a career setback" is navigation: kept out of the index, a step's
    result starts with its own summary."""
    index = json.loads((shipped_site / "search/search_index.json").read_text(encoding="utf-8"))
    steps = [doc for doc in index["docs"] if re.fullmatch(r"guides/[^/#]+/[^/#]+/", doc["location"])]
    assert len(steps) == 11
    assert not [doc["location"] for doc in steps if re.search(r"Step \d+ of \d+", doc["text"])]
    assert not [doc["location"] for doc in steps if not doc["text"].startswith("<p>")]
