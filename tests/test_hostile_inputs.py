"""Hostile and mistaken content and options, one row each: every one is refused by `selfhelp check` and by
`mkdocs build` with the exact `file:line: what is wrong: how to fix it` line, no traceback, and the previous
`site/` byte-for-byte as it was. Times are measured and listed at the end of the run, never asserted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import edit
from .hostile import break_and_build, good_project


@dataclass(frozen=True)
class Case:
    """One broken input and the line both commands must print for it."""

    name: str
    breaking: Callable[[Path], None]
    message: str


def replacing(path: str, old: str, new: str) -> Callable[[Path], None]:
    """A change that replaces the first `old` in the project file `path` with `new`."""
    return lambda project: edit(project / path, old, new)


WAKE_PLAN = "content/worksheets/wake-plan.yml"
WIND_DOWN = "content/guides/better-sleep/wind-down.md"
ABOUT_SLEEP = "content/pages/about-sleep.md"
RACING_MIND = "content/situations/racing-mind.md"
HOME = "content/index.md"
GUIDE = "content/guides/better-sleep/index.md"
RUNS_SCRIPT = "in the page body would run script in readers' browsers"

CASES = [
    Case(
        "field kind typo",
        replacing(WAKE_PLAN, "kind: text", "kind: txt"),
        f"{WAKE_PLAN}:10: field kind 'txt' is not one of text, textarea, choice, checklist, scale, date, "
        "checkbox, group: did you mean 'text'?",
    ),
    # escaping: a page body keeps its HTML, but every script in it is named (strict mode stops the build)
    Case(
        "script in a step body",
        replacing(WIND_DOWN, "Your body needs time", "<script>alert(1)</script>\n\nYour body needs time"),
        f"{WIND_DOWN}:14: a <script> element in the page body would run in readers' browsers: remove it "
        "(the site's Content-Security-Policy blocks scripts written in content, and the offline copy would run them)",
    ),
    Case(
        "script split over lines after a code sample in a page body",
        replacing(ABOUT_SLEEP, "Sleep comes in cycles", "Write `<script>` to add one.\n\n<SCRIPT type=module>\n"
                  "alert(1)\n</SCRIPT>\n\nSleep comes in cycles"),
        f"{ABOUT_SLEEP}:8: a <script> element in the page body would run in readers' browsers: remove it "
        "(the site's Content-Security-Policy blocks scripts written in content, and the offline copy would run them)",
    ),
    Case(
        "onerror= on an image in a page body",
        replacing(ABOUT_SLEEP, "Sleep comes in cycles", '<img src="moon.png" alt="Moon" onerror="alert(1)">\n\nSleep'),
        f"{ABOUT_SLEEP}:6: the 'onerror' attribute on <img> {RUNS_SCRIPT}: remove the attribute",
    ),
    Case(
        "onclick= from attr_list in a situation body",
        replacing(RACING_MIND, "Many people lie awake", "Many people *lie awake*{: onclick=\"alert(1)\" }"),
        f"{RACING_MIND}:8: the 'onclick' attribute on <em> {RUNS_SCRIPT}: remove the attribute",
    ),
    Case(
        "javascript: link in the home page body",
        replacing(HOME, "Start with", "[Help](JavaScript:alert(1)) or start with"),
        f"{HOME}:5: a javascript: address in the 'href' of <a> {RUNS_SCRIPT}: link to an http(s), mailto: or "
        "tel: address, or to content such as step:ID",
    ),
    Case(
        "iframe srcdoc in a guide body",
        replacing(GUIDE, "Read the steps", "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>\n\nRead the steps"),
        f"{GUIDE}:10: the 'srcdoc' attribute on <iframe> in the page body holds a page that can run script: "
        "remove the attribute",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_input_is_refused_cleanly(case: Case, tmp_path: Path, last_good_site: Path) -> None:
    project = good_project(tmp_path / "project", last_good_site)
    outcome = break_and_build(case.name, project, case.breaking)
    for run in (outcome.check, outcome.build):
        assert run.returncode != 0, run.output
        assert not run.traceback, run.output
        assert run.reports(case.message), run.output
    assert outcome.site_unchanged
    assert outcome.leftovers == []
