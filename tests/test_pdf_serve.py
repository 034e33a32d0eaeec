"""The PDF pack under `mkdocs serve`: not rendered unless `pdf_on_serve` asks, and then only what an edit changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import edit
from .test_atomic_build import ServeLog, make_project, start_serve, stop_serve
from .test_authoring import fetch, wait_for

PLENTY = 100_000
"""Polls of `wait_for` (0.25 s each): a loaded machine renders slowly, and no test here has a time limit."""


@pytest.fixture
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str, ServeLog]]:
    project = make_project(tmp_path / "project", products=True)
    if request.param:
        edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n      pdf_on_serve: true\n")
    server, url, log = start_serve(project)
    try:
        yield project, url, log
    finally:
        stop_serve(server)


@pytest.mark.parametrize("served", [False], indirect=True)
def test_serve_renders_no_pdf_unless_asked(served: tuple[Path, str, ServeLog]) -> None:
    project, url, log = served
    wait_for(lambda: fetch(url), "the first build", attempts=PLENTY)
    assert log.count("the PDFs are not rendered under 'mkdocs serve'") == 1
    assert log.count("PDF pack:") == 0
    assert fetch(url + "pdf/worksheets.pdf") is None
    assert not (project / ".cache" / "selfhelp" / "pdf").exists()


@pytest.mark.parametrize("served", [True], indirect=True)
def test_a_worksheet_edit_under_serve_renders_that_worksheet_only(served: tuple[Path, str, ServeLog]) -> None:
    project, url, log = served
    # "Serving on" comes once the watcher has taken its first look: an edit before it would go unnoticed.
    wait_for(lambda: log.count("Serving on") == 1 and "yes", "the first build", attempts=PLENTY)
    assert log.count("PDF pack:") == 1
    assert log.count("PDF pack: 2 worksheets") == 1 and log.count("(2 rendered, 0 from cache") == 1
    edit(project / "content/worksheets/wake-plan.yml", "label: My wake-up time", "label: My usual wake-up time")
    wait_for(lambda: log.count("PDF pack:") == 2 and "yes", "the rebuild", attempts=PLENTY)
    assert log.count("(1 rendered, 1 from cache") == 1, log.lines
