"""The PDF pack starts rendering as soon as the content is loaded, on worker processes that run while MkDocs builds
the pages (`pdf_pack.PdfPackJob`, `pipeline.start_pdfs`): a cold build has its workers during the pages, a warm one
has none and never imports WeasyPrint, `concurrency: 1` renders in the build's own process after the pages, and a
build that fails or is interrupted (a PDF template error, Ctrl-C to every process of the terminal) reports it
without a traceback, leaves the last good site as it was and leaves no process behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT, edit
from .hostile import snapshot
from .test_atomic_build import add_hook, make_project, neighbours
from .test_authoring import wait_for

SEEN_HOOK = (
    "import json, multiprocessing, os, sys\n"
    "seen = {'children_during_pages': 0}\n"
    "def on_page_content(html, page, **kwargs):\n"
    "    seen['children_during_pages'] = max(seen['children_during_pages'], len(multiprocessing.active_children()))\n"
    "    return html\n"
    "def on_shutdown(**kwargs):\n"
    "    seen['weasyprint_imported'] = 'weasyprint' in sys.modules\n"
    "    seen['children_at_exit'] = len(multiprocessing.active_children())\n"
    "    with open('seen.json', 'w') as out:\n"
    "        json.dump(seen, out)\n"
)
"""What the build's own process saw: worker processes while the pages were built, and WeasyPrint at the end."""


def build(project: Path) -> tuple[subprocess.CompletedProcess[str], set[int]]:
    """`mkdocs build` in a session of its own (so Ctrl-C to its process group reaches none of ours); also the
    processes of that session still running once it ended (waited for a while: the resource tracker of
    multiprocessing ends when it sees the build gone)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    stdout, stderr = process.communicate()
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    try:
        wait_for(lambda: not session_processes(process.pid) and "gone", "the build's processes to end", attempts=40)
    except BaseException:  # noqa: BLE001 - reported by the assertion of the caller
        pass
    return result, session_processes(process.pid)


def assert_interrupted_cleanly(
    project: Path, before: dict[str, str], around: set[str], *, not_running: str
) -> None:
    """Build `project`, whose hook sends Ctrl-C to every process of the build once its workers run (or fails
    with `not_running`): the build fails without a traceback, leaves the site (`before`) and what is beside it
    (`around`) as they were, and no process behind."""
    site = project / "site"
    result, left = build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert not_running not in result.stderr
    assert snapshot(site) == before
    assert neighbours(site) == around
    assert not left, "worker processes outlived the interrupted build"


def session_processes(session: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def seen(project: Path) -> dict[str, object]:
    return json.loads((project / "seen.json").read_text(encoding="utf-8"))


def test_a_cold_build_renders_while_the_pages_are_built_and_a_warm_one_starts_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", products=True)
    add_hook(project, SEEN_HOOK)
    cold, left = build(project)
    assert cold.returncode == 0, cold.stderr
    assert "(2 rendered, 0 from cache, on" not in cold.stderr  # 3 PDFs: one worker, see the next line
    assert "PDF pack: 2 worksheets" in cold.stderr and "of rendering while the pages were made" in cold.stderr
    assert seen(project) == {"children_during_pages": 1, "weasyprint_imported": False, "children_at_exit": 0}
    assert not left
    warm, left = build(project)
    assert warm.returncode == 0, warm.stderr
    assert "(0 rendered, 2 from cache) in" in warm.stderr and "while the pages were made" not in warm.stderr
    assert seen(project) == {"children_during_pages": 0, "weasyprint_imported": False, "children_at_exit": 0}
    site = snapshot(project / "site")
    shutil.rmtree(project / ".cache")
    edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n      concurrency: 1\n")
    serial, left = build(project)
    assert serial.returncode == 0, serial.stderr
    assert "(2 rendered, 0 from cache) in" in serial.stderr and "while the pages were made" not in serial.stderr
    assert seen(project) == {"children_during_pages": 0, "weasyprint_imported": True, "children_at_exit": 0}
    assert snapshot(project / "site") == site, "the PDFs rendered early are those rendered in the build's process"


def test_one_edited_worksheet_is_rendered_alone_while_the_pages_are_built(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", products=True)
    add_hook(project, SEEN_HOOK)
    assert build(project)[0].returncode == 0
    edit(project / "content/worksheets/wake-plan.yml", "label: My wake-up time", "label: My usual wake-up time")
    again, left = build(project)
    assert again.returncode == 0, again.stderr
    assert "(1 rendered, 1 from cache" in again.stderr and "while the pages were made" in again.stderr
    assert seen(project) == {"children_during_pages": 1, "weasyprint_imported": False, "children_at_exit": 0}
    assert not left


def test_a_pdf_template_error_names_its_line_and_leaves_the_site_and_no_process(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", products=True)
    assert build(project)[0].returncode == 0
    site = project / "site"
    before, around = snapshot(site), neighbours(site) | {"overrides"}
    templates = project / "overrides" / "selfhelp" / "pdf"
    shutil.copytree(PROJECT / "generator" / "theme" / "selfhelp" / "pdf", templates)
    worksheet = templates / "worksheet.html"
    lines = worksheet.read_text(encoding="utf-8").count("\n")
    worksheet.write_text(worksheet.read_text(encoding="utf-8") + "{{ no_such_value.at_all }}\n", encoding="utf-8")
    edit(project / "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    failed, left = build(project)
    assert failed.returncode != 0
    assert f"overrides/selfhelp/pdf/worksheet.html:{lines + 1}: the PDF template failed for worksheet " in failed.stderr
    assert "(content/worksheets/" in failed.stderr and "'no_such_value' is undefined" in failed.stderr
    assert "Traceback" not in failed.stderr, failed.stderr
    assert snapshot(site) == before and neighbours(site) == around
    assert not left, "worker processes outlived the failed build"


def test_ctrl_c_to_every_process_while_the_workers_render_leaves_the_site_and_no_process(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", products=True)
    assert build(project)[0].returncode == 0
    site = project / "site"
    before, around = snapshot(site), neighbours(site) | {"hook.py"}
    shutil.rmtree(project / ".cache")  # Cold: the workers are rendering while the pages are built.
    add_hook(
        project,
        "import multiprocessing, os, signal\n"
        "def on_page_content(html, page, **kwargs):\n"
        "    if page.file.src_uri.endswith('wind-down.md'):\n"
        "        assert multiprocessing.active_children(), 'no PDF worker is running'\n"
        "        os.killpg(os.getpgid(0), signal.SIGINT)  # Ctrl-C in a terminal: the build and its workers\n"
        "    return html\n",
    )
    assert_interrupted_cleanly(project, before, around, not_running="no PDF worker is running")
