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

CASES = [
    Case(
        "field kind typo",
        replacing(WAKE_PLAN, "kind: text", "kind: txt"),
        f"{WAKE_PLAN}:10: field kind 'txt' is not one of text, textarea, choice, checklist, scale, date, "
        "checkbox, group: did you mean 'text'?",
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
