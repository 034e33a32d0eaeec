"""axe-core on every page of two builds, at a phone's and a laptop's size: zero violations of the
WCAG 2.0, 2.1 and 2.2 A and AA rules.

The shipped build has no contacts and the default colours; the branded build (`BRANDED_OPTIONS` in
tests/conftest.py) sets every contact and strong brand colours, so the urgent-help links in the banner,
the contacts under each page and the colours derived from the brand are checked too. On a phone the
urgent-help banner's disclosure is also checked open. One browser context per size checks every page of a
build: axe-core is loaded into each page by the context (as the first script, not sent over for each page), it
keeps only the violations' nodes (`resultTypes`: the rules and checks run are the same), and two tabs take turns,
so one page loads while axe checks the other.
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


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# Once the page's transitions and finite animations have ended (a colour caught half-way through a fade is
# not what a reader sees; the original run's slower injection of axe hid that race), then axe on the document.
START_AXE = """options => {
  const settled = document.getAnimations()
    .filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().endTime))
    .map((animation) => animation.finished.catch(() => null));
  window.__axeViolations = Promise.all(settled)
    .then(() => axe.run(document, options))
    .then((results) => results.violations);
}"""


def axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def described(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, first {v['nodes'][0]['target']}: "
        f"{' '.join(v['nodes'][0].get('failureSummary', '').split())[:300]})"
        for v in violations
    ]


def start_axe(page: object) -> None:
    """Start axe-core on `page`'s document (loaded by the context's init script); `finish_axe` waits for it."""
    page.evaluate(START_AXE, AXE_OPTIONS)  # type: ignore[attr-defined]


def finish_axe(page: object) -> list[str]:
    return described(page.evaluate("() => window.__axeViolations"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("build", ["shipped", "branded"])
@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_nothing_on_any_page(request: pytest.FixtureRequest, browser: object, build: str, size: str) -> None:
    site: Path = request.getfixturevalue(f"{build}_site")
    server = request.getfixturevalue(f"{build}_server")
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    context.add_init_script(axe_script())
    tabs = [context.new_page(), context.new_page()]
    errors: list[str] = []
    for tab in tabs:
        tab.on("pageerror", lambda error: errors.append(str(error)))
    found: dict[str, list[str]] = {}
    pages = every_page(site)
    assert len(pages) > 30  # the shipped guide, situations, pages, worksheets, My plan, privacy, 404
    checked: list[str] = []
    running: dict[int, str] = {}  # tab index -> the page axe is checking there

    def finish(index: int) -> None:
        location = running.pop(index)
        page = tabs[index]
        problems = finish_axe(page)
        if size == "phone" and location == "":
            page.locator(".shs-urgent__compact summary").click()
            assert page.locator(".shs-urgent__compact details").evaluate("d => d.open")
            start_axe(page)
            problems += [f"with urgent help open: {p}" for p in finish_axe(page)]
        if problems:
            found[location or "/"] = problems
        checked.append(location)

    try:
        for number, location in enumerate(pages):
            index = number % len(tabs)
            if index in running:
                finish(index)
            tabs[index].goto(server.url + location)
            tabs[index].wait_for_load_state("load")
            start_axe(tabs[index])
            running[index] = location
        for index in sorted(running):
            finish(index)
    finally:
        context.close()
    assert sorted(checked) == sorted(pages)
    assert found == {}, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)
    assert errors == []
