"""What a content editor does: follow the README, scaffold a worksheet, edit with `mkdocs serve` running."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.content.loader import load_content

from .conftest import copy_pack, edit, readme_block
from .servers import free_port


def test_readme_examples_are_valid_content(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    content = project / "content"
    worksheet = readme_block("yaml", "id: weekly-check-in")
    (content / "worksheets/weekly-check-in.yml").write_text(worksheet, encoding="utf-8")
    (content / "worksheets/feedback-request-planner.yml").write_text(
        worksheet.replace("weekly-check-in", "feedback-request-planner"), encoding="utf-8"
    )
    (content / "situations/negative-feedback.md").write_text(
        "---\ntitle: A bad review\nsummary: When feedback hurts.\nsteps: [ask-for-feedback]\n---\nBody.\n",
        encoding="utf-8",
    )
    (content / "guides/better-sleep/ask-for-feedback.md").write_text(
        readme_block("markdown", "---\ntitle: Ask for feedback"), encoding="utf-8"
    )
    edit(content / "guides/better-sleep/index.md", "  - keep-a-rhythm\n", "  - keep-a-rhythm\n  - ask-for-feedback\n")
    pack = load_content(content, project)
    check_in = pack.worksheet("weekly-check-in")
    kinds = {field.kind for field in check_in.all_fields()}
    assert kinds == {"date", "text", "textarea", "scale", "choice", "checklist", "group"}
    assert pack.step("ask-for-feedback").worksheet_ids == ("feedback-request-planner",)


def test_new_worksheet_scaffold_validates(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "new", "worksheet", "goal-setting"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote content/worksheets/goal-setting.yml.")
    pack = load_content(project / "content", project)
    assert pack.worksheet("goal-setting").title == "Goal setting"
    again = subprocess.run(
        [sys.executable, "-m", "generator", "new", "worksheet", "goal-setting"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 1
    assert "content/worksheets/goal-setting.yml already exists; choose another name" in again.stderr


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(condition: object, what: str, attempts: int = 240) -> str:
    """Poll `condition()` (every 0.25 s) until it returns a truthy string."""
    for _ in range(attempts):
        value = condition()  # type: ignore[operator]
        if value:
            return str(value)
        time.sleep(0.25)
    pytest.fail(f"gave up waiting for {what}")


def test_mkdocs_serve_rebuilds_when_content_changes(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/guides/better-sleep/wind-down/"
    try:
        first = wait_for(lambda: fetch(url), "the first build")
        assert "Put screens away an hour before bed." in first
        edit(project / "content/guides/better-sleep/wind-down.md", "Put screens away", "Switch screens off")
        updated = wait_for(
            lambda: (page := fetch(url)) and "Switch screens off" in page and page, "the rebuild after an edit"
        )
        actions = [li.get_text(strip=True) for li in BeautifulSoup(updated, "html.parser").select(".shs-actions li")]
        assert actions[0] == "Switch screens off an hour before bed."
    finally:
        server.terminate()
        server.wait(timeout=30)

