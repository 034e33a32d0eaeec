"""Harness for hostile and mistaken inputs: break a copy of a good project, build it as an editor would.

Each case starts from the sleep-pack fixture with a last good `site/` already in
place, applies one change (a file edit, a new file, an option), then runs
`selfhelp check` and `mkdocs build` as separate processes, as an editor types
them. An `Outcome` holds what each printed, its exit code, how long it took
(measured and reported at the end of the session, never asserted), and whether
the previous `site/` is byte-for-byte what it was.

A new Python process spends most of a refusal importing MkDocs, Material and the
plugin. `PreloadedPython` imports them once, then forks a fresh process for each
command, which runs the command's `__main__` module with its own arguments,
folder, environment, stdin, stdout and stderr, and exits as Python does (`atexit`,
threads joined): what the editor sees, the exit code and the output, is the
command's. `run_as_new_process` starts a new interpreter as the editor's shell
does; tests/test_hostile_inputs.py checks that both print the same and give the
same exit code.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
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


def _environment() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT)}


def run_as_new_process(module: str, arguments: list[str], cwd: Path) -> Run:
    """`python -m module arguments...` in `cwd`: a new interpreter, as the editor's shell starts it."""
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", module, *arguments], cwd=cwd, capture_output=True, text=True, env=_environment(),
        check=False,
    )
    return Run(done.returncode, done.stdout + done.stderr, time.perf_counter() - start)


_PRELOADED = r"""
import atexit, json, os, runpy, sys, threading, traceback

# What `mkdocs build` and `selfhelp check` import before they read a project (nothing is run).
import click, mkdocs.commands.build, mkdocs.config.defaults, mkdocs.contrib.search  # not mkdocs.__main__: it runs as __main__
import material.plugins.search.plugin
import generator.cli, generator.engines.plugin, generator.pipeline


def run(request):
    # In the forked child: the command's own stdin, stdout, stderr, folder, environment and arguments.
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(request["out"], os.O_WRONLY | os.O_TRUNC)
    err = os.open(request["err"], os.O_WRONLY | os.O_TRUNC)
    for fd, target in ((null, 0), (out, 1), (err, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [request["module"], *request["arguments"]]
    sys.path[0] = request["cwd"]  # as `python -m` has it
    code = 0
    try:
        runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
    except SystemExit as exit:
        if exit.code is None:
            code = 0
        elif isinstance(exit.code, int):
            code = exit.code
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    # As the interpreter ends: wait for threads, then the atexit functions, then flush.
    threading._shutdown()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


sys.stdout.write("ready\n")
sys.stdout.flush()
while True:
    line = sys.stdin.readline()
    if not line:
        break
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            run(request)
        finally:
            os._exit(70)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(json.dumps(os.waitstatus_to_exitcode(status)) + "\n")
    sys.stdout.flush()
"""


class PreloadedPython:
    """One Python process with MkDocs, Material and the plugin imported; it forks a process per command."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.folder = Path(tempfile.mkdtemp(prefix="selfhelp-preloaded-"))
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", _PRELOADED], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=_environment(), cwd=self.folder,
        )
        assert self.process.stdout.readline() == "ready\n", "the preloaded Python did not start"
        atexit.register(self.close)

    def run(self, module: str, arguments: list[str], cwd: Path) -> Run:
        with self.lock:
            out, err = self.folder / "stdout", self.folder / "stderr"
            out.write_bytes(b"")
            err.write_bytes(b"")
            request = {"module": module, "arguments": arguments, "cwd": str(cwd), "env": _environment(),
                       "out": str(out), "err": str(err)}
            start = time.perf_counter()
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
            seconds = time.perf_counter() - start
            assert reply, "the preloaded Python ended"
            output = out.read_text(encoding="utf-8") + err.read_text(encoding="utf-8")
            return Run(json.loads(reply), output, seconds)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_preloaded: list[PreloadedPython] = []


def run_preloaded(module: str, arguments: list[str], cwd: Path) -> Run:
    """`python -m module arguments...` in `cwd`, forked from the `PreloadedPython` (started on first use)."""
    if not _preloaded:
        _preloaded.append(PreloadedPython())
    return _preloaded[0].run(module, arguments, cwd)


def mkdocs_build(project: Path) -> Run:
    """`mkdocs build` in `project`, as an editor runs it."""
    return run_preloaded("mkdocs", ["build"], project)


def selfhelp_check(project: Path) -> Run:
    """`selfhelp check` in `project`."""
    return run_preloaded("generator", ["check"], project)


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
    result = run_as_new_process("mkdocs", ["build"], project)
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
