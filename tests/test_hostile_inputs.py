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
LINK_FIX = "link to content by id (step:ID, worksheet:ID, situation:ID, page:ID, guide:ID)"
AWAY = (
    "which readers on an intranet may not reach and which would learn who reads the page: save a copy of the file "
    "in the content folder and link to it with a relative path"
)


def appending(path: str, text: str) -> Callable[[Path], None]:
    """A change that adds `text` at the end of the project file `path`."""

    def append(project: Path) -> None:
        with (project / path).open("a", encoding="utf-8") as file:
            file.write(text)

    return append


def with_link_validation(change: Callable[[Path], None]) -> Callable[[Path], None]:
    """`change`, in a project whose mkdocs.yml warns on anchors and unchecked links (as the shipped one does)."""

    def both(project: Path) -> None:
        appending("mkdocs.yml", "validation:\n  links:\n    anchors: warn\n    unrecognized_links: warn\n"
                  "    absolute_links: warn\n")(project)
        change(project)

    return both


CASES = [
    Case(
        "field kind typo",
        replacing(WAKE_PLAN, "kind: text", "kind: txt"),
        f"{WAKE_PLAN}:10: field kind 'txt' is not one of text, textarea, choice, checklist, scale, date, "
        "checkbox, group: did you mean 'text'?",
    ),
    # atomic builds: failures found while or after pages are written (strict-mode warnings, the external-asset
    # check), reported at the content file and line; the last good site/ stays as it was.
    Case(
        "link to a missing anchor on another page",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(step:keep-a-rhythm#no-such-heading)")),
        f"{WIND_DOWN}:14: the link 'step:keep-a-rhythm#no-such-heading' goes to '#no-such-heading', which is not a "
        "heading on 'step:keep-a-rhythm': use one of its headings (#key-actions, #questions-to-reflect-on, "
        "#worksheets-for-this-step) or remove '#no-such-heading'",
    ),
    Case(
        "link to a mistyped anchor on the same page",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(step:wind-down#why-an-hour)")),
        f"{WIND_DOWN}:14: the link 'step:wind-down#why-an-hour' goes to '#why-an-hour', which is not a heading on "
        "this page: did you mean '#why-an-hour-helps'?",
    ),
    Case(
        "relative link to a missing file",
        replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(notes/missing.md)"),
        f"{WIND_DOWN}:14: the link 'notes/missing.md' goes to a file that is not in the site: correct the path, "
        f"or {LINK_FIX}",
    ),
    Case(
        "relative image that is not there",
        appending(ABOUT_SLEEP, "\n![Moon](images/moon.png)\n"),
        f"{ABOUT_SLEEP}:8: the link 'images/moon.png' goes to a file that is not in the site: correct the path, "
        f"or {LINK_FIX}",
    ),
    Case(
        "link to a built page's address",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(../keep-a-rhythm/)")),
        f"{WIND_DOWN}:14: the link '../keep-a-rhythm/' is an address inside the site that cannot be checked: "
        "did you mean 'step:keep-a-rhythm'?",
    ),
    Case(
        "absolute link",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(/about-sleep/)")),
        f"{WIND_DOWN}:14: the link '/about-sleep/' starts with '/', which leaves the site when it is hosted under "
        "a sub-path: did you mean 'page:about-sleep'?",
    ),
    Case(
        "external image in Markdown",
        appending(ABOUT_SLEEP, "\n![Moon](https://cdn.example.test/moon.png)\n"),
        f"{ABOUT_SLEEP}:8: 'https://cdn.example.test/moon.png' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "external image in raw HTML",
        appending(ABOUT_SLEEP, '\n<p>Night sky:</p>\n\n<img src="https://cdn.example.test/sky.jpg" alt="Sky">\n'),
        f"{ABOUT_SLEEP}:10: 'https://cdn.example.test/sky.jpg' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "external image by reference",
        appending(ABOUT_SLEEP, "\n![Moon][moon]\n\n[moon]: https://cdn.example.test/moon.png\n"),
        f"{ABOUT_SLEEP}:10: 'https://cdn.example.test/moon.png' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "protocol-relative frame",
        appending(ABOUT_SLEEP, '\n<iframe src="//video.example.test/embed/1" title="Video"></iframe>\n'),
        f"{ABOUT_SLEEP}:8: '//video.example.test/embed/1' would be loaded from video.example.test, {AWAY}",
    ),
    Case(
        "external background in a style attribute",
        appending(ABOUT_SLEEP, '\n<div style="background: url(https://cdn.example.test/bg.png)">Calm</div>\n'),
        f"{ABOUT_SLEEP}:8: 'https://cdn.example.test/bg.png' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "external script added in mkdocs.yml (post-build check)",
        appending("mkdocs.yml", "extra_javascript:\n  - https://cdn.example.test/tracker.js\n"),
        "  guides/better-sleep/wind-down/index.html (made from content/guides/better-sleep/wind-down.md): loads "
        "https://cdn.example.test/tracker.js",
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
