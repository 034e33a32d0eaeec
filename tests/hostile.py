"""Harness for hostile and mistaken inputs: break a copy of a good project, build it as an editor would.

Each case starts from the sleep-pack fixture with a last good `site/` already in
place, applies one change (a file edit, a new file, an option), then runs
`selfhelp check` and `mkdocs build` as separate processes, exactly as an editor
types them. An `Outcome` holds what each printed, its exit code, how long it
took (measured and reported at the end of the session, never asserted), and
whether the previous `site/` is byte-for-byte what it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import PROJECT, copy_pack

ELAPSED: list[tuple[str, float]] = []
"""(case, seconds) for every case run in this session; printed by the terminal summary in conftest."""


def snapshot(folder: Path) -> dict[str, str]:
    """`{relative path: sha256}` of every file under `folder` (symlinks by their target text)."""
    found: dict[str, str] = {}
    if not folder.exists():
        return found
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = "symlink:" + os.readlink(path)
        elif path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass
class Run:
    """One command's result."""

    returncode: int
    output: str
    """stdout and stderr together, as the editor's terminal shows them."""
    seconds: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.output

    def reports(self, message: str) -> bool:
        """True when a line of the output ends with `message` (after MkDocs' own `ERROR -` prefix, say)."""
        return any(line.rstrip().endswith(message) for line in self.output.splitlines())


@dataclass
class Outcome:
    """What `selfhelp check` and `mkdocs build` did with one broken project."""

    check: Run
    build: Run
    site_unchanged: bool
    leftovers: list[str] = field(default_factory=list)
    """Entries next to site/ that were not there before (a staging folder left behind, say)."""


def _run(command: list[str], cwd: Path) -> Run:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT)}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    return Run(done.returncode, done.stdout + done.stderr, time.perf_counter() - start)


def mkdocs_build(project: Path) -> Run:
    """`mkdocs build` in `project`, as an editor runs it."""
    return _run([sys.executable, "-m", "mkdocs", "build"], project)


def selfhelp_check(project: Path) -> Run:
    """`selfhelp check` in `project`."""
    return _run([sys.executable, "-m", "generator", "check"], project)


def _strict_and_quick(project: Path) -> None:
    """`strict: true` (as the shipped mkdocs.yml has) and the slow products (PDFs, zip) off."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - selfhelp\n" in text, "the sleep-pack's mkdocs.yml changed: update tests/hostile.py"
    text = text.replace("  - selfhelp\n", "  - selfhelp:\n      pdf_pack: false\n      offline_zip: false\n")
    config.write_text("strict: true\n" + text, encoding="utf-8")


def build_last_good_site(destination: Path) -> Path:
    """Build the unbroken project once; every case starts from a copy of its `site/`."""
    project = copy_pack("sleep-pack", destination / "project")
    _strict_and_quick(project)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    return project / "site"


def good_project(destination: Path, last_good_site: Path) -> Path:
    """A valid copy of the sleep-pack project (strict, quick) with `site/` from a good build."""
    project = copy_pack("sleep-pack", destination)
    _strict_and_quick(project)
    shutil.copytree(last_good_site, project / "site", symlinks=True)
    return project


def break_and_build(name: str, project: Path, breaking: Callable[[Path], None]) -> Outcome:
    """Apply `breaking` to `project`, then run `selfhelp check` and `mkdocs build` there."""
    site = project / "site"
    before = snapshot(site)
    breaking(project)
    neighbours = {p.name for p in project.iterdir()}  # After the change: a file it adds is not a leftover.
    check = selfhelp_check(project)
    build = mkdocs_build(project)
    ELAPSED.append((f"{name} (check)", check.seconds))
    ELAPSED.append((f"{name} (build)", build.seconds))
    leftovers = sorted({p.name for p in project.iterdir()} - neighbours - {".cache"})
    return Outcome(check=check, build=build, site_unchanged=snapshot(site) == before, leftovers=leftovers)
