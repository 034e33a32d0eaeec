"""A warm build makes the zip's entries and the gzip copies on a worker process while MkDocs builds the pages
(`early_products.py`): the site is the same bytes as a `concurrency: 1` build, which has no worker; a cold build
(PDF workers rendering during the pages) starts none; Ctrl-C to every process of the terminal leaves the last
good site and no process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import edit
from .hostile import snapshot
from .test_atomic_build import add_hook, make_project, neighbours
from .test_pdf_early import assert_interrupted_cleanly, build

WORKER_HOOK = (
    "import json, os\n"
    "seen = {'workers': 0}\n"
    "def _workers():\n"
    "    found = 0\n"
    "    for task in os.listdir(f'/proc/{os.getpid()}/task'):\n"
    "        with open(f'/proc/{os.getpid()}/task/{task}/children') as children:\n"
    "            for child in children.read().split():\n"
    "                try:\n"
    "                    with open(f'/proc/{child}/cmdline', 'rb') as cmdline:\n"
    "                        found += b'early_products' in cmdline.read()\n"
    "                except OSError:\n"
    "                    pass\n"
    "    return found\n"
    "def on_post_page(output, page, **kwargs):\n"
    "    seen['workers'] = max(seen['workers'], _workers())\n"
    "    return output\n"
    "def on_shutdown(**kwargs):\n"
    "    seen['workers_at_exit'] = _workers()\n"
    "    with open('workers.json', 'w') as out:\n"
    "        json.dump(seen, out)\n"
)
"""How many early-products workers the build's process had while the pages were built, and at its end."""


def workers(project: Path) -> dict[str, int]:
    return json.loads((project / "workers.json").read_text(encoding="utf-8"))


def test_a_warm_build_makes_them_beside_the_pages_and_writes_the_same_bytes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", products=True)
    add_hook(project, WORKER_HOOK)
    cold, left = build(project)
    assert cold.returncode == 0, cold.stderr
    assert workers(project) == {"workers": 0, "workers_at_exit": 0}, "a cold build's second core renders PDFs"
    warm, left = build(project)
    assert warm.returncode == 0, warm.stderr
    assert "Traceback" not in warm.stderr
    assert workers(project) == {"workers": 1, "workers_at_exit": 0}
    assert not left
    site = snapshot(project / "site")
    assert any(uri.endswith(".html.gz") for uri in site) and any(uri.startswith("offline/") for uri in site)
    edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n      concurrency: 1\n")
    serial, left = build(project)
    assert serial.returncode == 0, serial.stderr
    assert workers(project) == {"workers": 0, "workers_at_exit": 0}
    assert snapshot(project / "site") == site, "the worker's zip entries and copies are those made in finish"
    shutil.rmtree(project / "site")  # Nothing to reuse: every copy and entry made afresh, on the worker.
    edit(project / "mkdocs.yml", "  - selfhelp:\n      concurrency: 1\n", "  - selfhelp\n")
    fresh, left = build(project)
    assert fresh.returncode == 0, fresh.stderr
    assert workers(project)["workers"] == 1
    assert snapshot(project / "site") == site


def test_ctrl_c_to_every_process_while_the_worker_runs_leaves_the_site_and_no_process(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", products=True)
    assert build(project)[0].returncode == 0  # Warm from now on: the worker runs beside the pages.
    site = project / "site"
    before, around = snapshot(site), neighbours(site) | {"hook.py"}
    add_hook(
        project,
        WORKER_HOOK.replace("def on_post_page", "def _seen_on_post_page").replace("def on_shutdown", "def _unused")
        + "import signal\n"
        "built = []\n"
        "def on_post_page(output, page, **kwargs):\n"
        "    built.append(page.file.src_uri)\n"
        "    if len(built) == 3:  # The worker has two pages to work on.\n"
        "        assert _workers(), 'no worker is running'\n"
        "        os.killpg(os.getpgid(0), signal.SIGINT)  # Ctrl-C in a terminal: the build and its worker\n"
        "    return output\n",
    )
    assert_interrupted_cleanly(project, before, around, not_running="no worker is running")


def test_a_page_loading_from_another_host_fails_the_build_when_only_the_worker_scanned_it(tmp_path: Path) -> None:
    """While the worker runs, the adapter leaves the egress scan of each written page to it: the post-build
    check still names every page that loads from another host, with its content file."""
    project = make_project(tmp_path / "project", products=True)
    assert build(project)[0].returncode == 0  # Warm from now on: the worker runs beside the pages.
    add_hook(project, WORKER_HOOK)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("extra_javascript:\n  - https://cdn.example.test/tracker.js\n")
    failed, left = build(project)
    assert failed.returncode != 0
    assert workers(project)["workers"] == 1
    assert not left
    assert (
        "  guides/better-sleep/wind-down/index.html (made from content/guides/better-sleep/wind-down.md): "
        "loads https://cdn.example.test/tracker.js"
    ) in failed.stderr
