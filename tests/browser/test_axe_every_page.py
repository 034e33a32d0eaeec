"""axe-core on every page of two builds, at a phone's and a laptop's size: zero violations of the
WCAG 2.0, 2.1 and 2.2 A and AA rules.

The shipped build has no contacts and the default colours; the branded build (`BRANDED_OPTIONS` in
tests/conftest.py) sets every contact and strong brand colours, so the urgent-help links in the banner,
the contacts under each page and the colours derived from the brand are checked too. On a phone the
urgent-help banner's disclosure is also checked open. One browser page per size is reused for every
page of a build, so the run stays short.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}


def every_page(site: Path) -> list[str]:
    """The address of every page of a built site, relative to its root ("" is the home, 404.html too)."""
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    return ["" if p == "./" else p for p in pages] + ["404.html"]


def violations(page: object) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})  # type: ignore[arg-type]
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, first {v['nodes'][0]['target']}: "
        f"{' '.join(v['nodes'][0].get('failureSummary', '').split())[:300]})"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("build", ["shipped", "branded"])
@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_nothing_on_any_page(request: pytest.FixtureRequest, browser: object, build: str, size: str) -> None:
    site: Path = request.getfixturevalue(f"{build}_site")
    server = request.getfixturevalue(f"{build}_server")
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    found: dict[str, list[str]] = {}
    pages = every_page(site)
    assert len(pages) > 30  # the shipped guide, situations, pages, worksheets, My plan, privacy, 404
    try:
        for location in pages:
            page.goto(server.url + location)
            page.wait_for_load_state("load")
            problems = violations(page)
            if size == "phone" and location == "":
                page.locator(".shs-urgent__compact summary").click()
                assert page.locator(".shs-urgent__compact details").evaluate("d => d.open")
                problems += [f"with urgent help open: {p}" for p in violations(page)]
            if problems:
                found[location or "/"] = problems
    finally:
        context.close()
    assert found == {}, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)
    assert errors == []
