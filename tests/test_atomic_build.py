"""A build is all or nothing: it is made in a staging folder next to `site/` and swapped in only when every check
passed. Whatever fails (content, a strict-mode warning, a post-build product, the offline copy, Ctrl-C), the last
good `site/` is byte-for-byte what it was and nothing is left next to it; under `mkdocs serve` the last good pages
stay served. `selfhelp check` runs the same checks, so "Content OK" means the build passes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.engines import staging
from generator.engines.staging import StagedSite
from generator.products.egress import find_external_assets

from .conftest import PROJECT, build_site, copy_pack, edit
from .hostile import snapshot
from .test_authoring import fetch, free_port, wait_for

WIND_DOWN = "content/guides/better-sleep/wind-down.md"
ABOUT_SLEEP = "content/pages/about-sleep.md"
LINK = "(worksheet:sleep-diary)"
"""A content link in wind-down.md (its line 14) that cases replace with a broken one."""

VALIDATION = "validation:\n  links:\n    anchors: warn\n    unrecognized_links: warn\n    absolute_links: warn\n"


def make_project(destination: Path, *, strict: bool = True, products: bool = False) -> Path:
    """The sleep-pack with link validation at `warn` (as the shipped site), strict, and PDFs and zip off."""
    project = copy_pack("sleep-pack", destination)
    config = project / "mkdocs.yml"
    options = "" if products else "  - selfhelp:\n      pdf_pack: false\n      offline_zip: false\n"
    text = config.read_text(encoding="utf-8")
    if options:
        text = text.replace("  - selfhelp\n", options)
    config.write_text(("strict: true\n" if strict else "") + text + VALIDATION, encoding="utf-8")
    return project


def neighbours(site: Path) -> set[str]:
    return {p.name for p in site.parent.iterdir()} - {".cache"}


def config_of(project: Path) -> Path:
    return project / "mkdocs.yml"


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT)}
    return subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, *args], cwd=project, capture_output=True, text=True, env=env, check=False
    )


def add_hook(project: Path, source: str) -> None:
    """Add an MkDocs hook file (a stand-in for a product failing, or for Ctrl-C at a known moment)."""
    (project / "hook.py").write_text(source, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - hook.py\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a last good site/ built from it."""
    project = make_project(tmp_path / "project")
    build_site(config_of(project), project / "site")
    return project


# -- a good build ---------------------------------------------------------------------------


def test_first_build_makes_the_site_and_leaves_nothing_next_to_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    before = neighbours(project / "site")
    build_site(config_of(project), project / "site")
    assert (project / "site/guides/better-sleep/wind-down/index.html").is_file()
    assert neighbours(project / "site") == before | {"site"}


def test_a_good_build_replaces_the_site_completely(project: Path) -> None:
    site = project / "site"
    before = neighbours(site)
    (site / "stale.html").write_text("from an old build", encoding="utf-8")
    (site / "guides/better-sleep/old-step").mkdir()
    (site / "guides/better-sleep/old-step/index.html").write_text("gone", encoding="utf-8")
    # Hidden top-level entries survive, as with MkDocs' own clean (a deploy checkout's .git, say).
    (site / ".git").mkdir()
    (site / ".git/HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (site / ".deploy-note").write_text("kept", encoding="utf-8")
    site.chmod(0o750)
    edit(project / WIND_DOWN, "Dim the lights.", "Dim every light.")
    build_site(config_of(project), site)
    assert not (site / "stale.html").exists()
    assert not (site / "guides/better-sleep/old-step").exists()
    assert "Dim every light." in (site / "guides/better-sleep/wind-down/index.html").read_text(encoding="utf-8")
    assert (site / ".git/HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (site / ".deploy-note").read_text(encoding="utf-8") == "kept"
    assert (site.stat().st_mode & 0o777) == 0o750
    assert neighbours(site) == before


def test_a_site_dir_that_is_a_symlink_is_replaced_where_it_points(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    served = tmp_path / "www" / "wellbeing"
    build_site(config_of(project), served)
    (project / "site").symlink_to(served)
    edit(project / WIND_DOWN, "Dim the lights.", "Dim every light.")
    build_site(config_of(project), project / "site")
    assert (project / "site").is_symlink()
    assert "Dim every light." in (served / "guides/better-sleep/wind-down/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in served.parent.iterdir()) == ["wellbeing"]


def test_publish_without_an_atomic_exchange_still_swaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the OS has no exchange of two folders (not Linux), two renames in a row do it."""
    monkeypatch.setattr(staging, "_exchange", lambda first, second: False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    staged = StagedSite(site)
    (staged.path / "new.html").write_text("new", encoding="utf-8")
    staged.publish()
    assert sorted(p.name for p in site.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_swap_puts_the_last_good_site_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "_exchange", lambda first, second: False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    staged = StagedSite(site)
    renames: list[object] = []
    real_rename = os.rename

    def second_rename_fails(source: object, target: object) -> None:
        renames.append(source)
        if len(renames) == 2:
            raise PermissionError(13, "Permission denied", str(target))
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(staging.os, "rename", second_rename_fails)
    with pytest.raises(PermissionError):
        staged.publish()
    monkeypatch.setattr(staging.os, "rename", real_rename)
    staged.discard()
    assert sorted(p.name for p in site.iterdir()) == ["old.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# -- every kind of failure leaves the last good site as it was -------------------------------


@dataclass(frozen=True)
class Failure:
    name: str
    breaking: Callable[[Path, pytest.MonkeyPatch], None]
    message: str
    """A line the build logs (empty: the failure is an exception, not a report)."""
    products: bool = False


def replacing(path: str, old: str, new: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    return lambda project, _: edit(project / path, old, new)


def appending(path: str, text: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def append(project: Path, _: pytest.MonkeyPatch) -> None:
        with (project / path).open("a", encoding="utf-8") as file:
            file.write(text)

    return append


def product_fails(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("generator.pipeline.write_service_worker", broken)


def offline_copy_fails(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import PluginError

    def broken(html: str) -> str:
        raise PluginError("the offline copy failed")

    monkeypatch.setattr("generator.products.offline_zip.file_url_html", broken)  # while the copy's pages are rewritten
    # The worker that rewrites pages while they are built (`early_products.py`) is another process, which the
    # patch does not reach: as if every page changed after it read them, so `finish` rewrites them itself.
    monkeypatch.setattr("generator.products.offline_zip.file_matches", lambda path, result: None)


def symlink_loop(project: Path, _: pytest.MonkeyPatch) -> None:
    (project / "content/loop").symlink_to(".")


FAILURES = [
    Failure(
        "bad content",
        replacing("content/worksheets/wake-plan.yml", "kind: text", "kind: txt"),
        "content/worksheets/wake-plan.yml:10: field kind 'txt' is not one of text, textarea, choice, checklist, "
        "scale, date, checkbox, group: did you mean 'text'?",
    ),
    Failure(
        "link to a missing anchor (strict warning)",
        replacing(WIND_DOWN, LINK, "(step:wind-down#why-an-hour)"),
        f"{WIND_DOWN}:14: the link 'step:wind-down#why-an-hour' goes to '#why-an-hour', which is not a heading "
        "on this page: did you mean '#why-an-hour-helps'?",
    ),
    Failure(
        "relative link to a missing file (strict warning)",
        replacing(WIND_DOWN, LINK, "(notes/missing.md)"),
        f"{WIND_DOWN}:14: the link 'notes/missing.md' goes to a file that is not in the site: correct the path, "
        "or link to content by id (step:ID, worksheet:ID, situation:ID, page:ID, guide:ID) "
        "or to a file in content/files/ (file:NAME)",
    ),
    Failure(
        "external image in a body",
        appending(ABOUT_SLEEP, '\n<img src="https://cdn.example.test/moon.png" alt="Moon">\n'),
        f"{ABOUT_SLEEP}:8: 'https://cdn.example.test/moon.png' would be loaded from cdn.example.test, which "
        "readers on an intranet may not reach and which would learn who reads the page: save a copy of the file "
        "in the content folder and link to it with a relative path",
    ),
    Failure(
        "external script from mkdocs.yml (post-build check)",
        appending("mkdocs.yml", "extra_javascript:\n  - https://cdn.example.test/tracker.js\n"),
        "  guides/better-sleep/wind-down/index.html (made from content/guides/better-sleep/wind-down.md): "
        "loads https://cdn.example.test/tracker.js",
    ),
    Failure("a product failing", product_fails, ""),
    Failure("the offline copy failing", offline_copy_fails, "the offline copy failed", products=True),
    Failure("a symlink loop in content", symlink_loop, ""),
]


@pytest.mark.parametrize("failure", FAILURES, ids=lambda failure: failure.name)
def test_a_failed_build_leaves_the_last_good_site_and_nothing_else(
    failure: Failure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path / "project", products=failure.products)
    site = build_site(config_of(project), project / "site")
    before, around = snapshot(site), neighbours(site)
    failure.breaking(project, monkeypatch)
    with pytest.raises(Exception) as raised:  # noqa: B017 - each kind raises its own
        build_site(config_of(project), site)
    assert snapshot(site) == before
    assert neighbours(site) == around | ({"hook.py"} if (project / "hook.py").exists() else set())
    if failure.message:
        assert isinstance(raised.value, Abort)
        assert any(line.rstrip().endswith(failure.message) for line in caplog.text.splitlines()), caplog.text


def test_the_post_build_check_names_the_content_a_page_was_made_from(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "guides/step").mkdir(parents=True)
    (site / "guides/step/index.html").write_text('<img src="//cdn.example.test/a.png">', encoding="utf-8")
    (site / "404.html").write_text('<script src="https://cdn.example.test/b.js"></script>', encoding="utf-8")
    found = find_external_assets(site, {"guides/step/index.html": "content/guides/g/step.md"})
    assert [str(asset) for asset in found] == [
        "404.html: loads https://cdn.example.test/b.js",
        "guides/step/index.html (made from content/guides/g/step.md): loads //cdn.example.test/a.png",
    ]


# -- the command line: --dirty, -d, Ctrl-C ----------------------------------------------------


def test_ctrl_c_mid_build_leaves_the_last_good_site(project: Path) -> None:
    site = project / "site"
    before, around = snapshot(site), neighbours(site) | {"hook.py"}
    add_hook(
        project,
        "import os, signal\n"
        "def on_page_content(html, page, **kwargs):\n"
        "    if page.file.src_uri.endswith('wind-down.md'):\n"
        "        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, half-way through the pages\n"
        "    return html\n",
    )
    result = run(project, "-m", "mkdocs", "build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert snapshot(site) == before
    assert neighbours(site) == around


def test_ctrl_c_in_a_direct_build_call_is_cleaned_up_by_the_next_build(project: Path) -> None:
    """`build(config)` called from Python has no on_shutdown: its next build, or the process exit, cleans up."""
    site = project / "site"
    before, around = snapshot(site), neighbours(site) | {"hook.py"}
    add_hook(
        project,
        "import os\n"
        "def on_post_build(config, **kwargs):\n"
        "    if os.path.exists(config.config_file_path + '.interrupt'):\n"
        "        raise KeyboardInterrupt\n",
    )
    (project / "mkdocs.yml.interrupt").touch()
    with pytest.raises(KeyboardInterrupt):
        build_site(config_of(project), site)
    assert snapshot(site) == before
    (project / "mkdocs.yml.interrupt").unlink()
    build_site(config_of(project), site)
    assert neighbours(site) == around


def test_dirty_build_adds_to_the_site_only_when_it_passes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", strict=False)  # MkDocs warns on every --dirty build.
    assert run(project, "-m", "mkdocs", "build").returncode == 0
    site = project / "site"
    around = neighbours(site)
    (site / "kept-by-dirty.html").write_text("a dirty build keeps what is there", encoding="utf-8")
    edit(project / WIND_DOWN, "Dim the lights.", "Dim every light.")
    result = run(project, "-m", "mkdocs", "build", "--dirty")
    assert result.returncode == 0, result.stderr
    assert "Dim every light." in (site / "guides/better-sleep/wind-down/index.html").read_text(encoding="utf-8")
    assert (site / "kept-by-dirty.html").is_file()
    before = snapshot(site)
    # The edited page is written again, then the post-build check fails.
    edit(project / WIND_DOWN, "Dim every light.", "Dim the lamps.")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("extra_javascript:\n  - https://cdn.example.test/tracker.js\n")
    result = run(project, "-m", "mkdocs", "build", "--dirty")
    assert result.returncode != 0
    assert snapshot(site) == before
    assert neighbours(site) == around


def test_site_dir_given_on_the_command_line(project: Path) -> None:
    out = project / "out" / "wellbeing"
    result = run(project, "-m", "mkdocs", "build", "-d", "out/wellbeing")
    assert result.returncode == 0, result.stderr
    before = snapshot(out)
    edit(project / WIND_DOWN, LINK, "(step:wind-down#no-such-heading)")
    result = run(project, "-m", "mkdocs", "build", "-d", "out/wellbeing")
    assert result.returncode != 0
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["wellbeing"]


# -- selfhelp check runs what the build runs ---------------------------------------------------


def test_check_reports_a_strict_warning_as_one_line_and_nothing_else(project: Path) -> None:
    edit(project / WIND_DOWN, LINK, "(step:keep-a-rhythm#no-such-heading)")
    before, around = snapshot(project / "site"), neighbours(project / "site")
    result = run(project, "-m", "generator", "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{WIND_DOWN}:14: the link 'step:keep-a-rhythm#no-such-heading' goes to '#no-such-heading', which is "
        "not a heading on 'step:keep-a-rhythm': use one of its headings (#key-actions, #questions-to-reflect-on, "
        "#worksheets-for-this-step) or remove '#no-such-heading'"
    ]
    assert result.stdout == ""
    assert snapshot(project / "site") == before
    assert neighbours(project / "site") == around


def test_check_passes_what_the_build_passes(project: Path) -> None:
    result = run(project, "-m", "generator", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Content OK: 1 guide(s), 2 step(s)")
    assert result.stderr == ""


# -- mkdocs serve ------------------------------------------------------------------------------


class ServeLog:
    """`mkdocs serve`'s log lines, read as they come."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line.rstrip("\n"))

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)


def start_serve(project: Path) -> tuple[subprocess.Popen[str], str, ServeLog]:
    """`mkdocs serve` of `project` on a free loopback port: the process, its address and its log."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT)},
    )
    return server, f"http://127.0.0.1:{port}/", ServeLog(server.stderr)


def stop_serve(server: subprocess.Popen[str]) -> None:
    """Ctrl-C, as a reader of the README would stop it; killed if it has not stopped a minute later."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        raise AssertionError("mkdocs serve did not stop on Ctrl-C") from None


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str, ServeLog]]:
    project = make_project(tmp_path / "project")
    server, base_url, log = start_serve(project)
    try:
        yield project, f"{base_url}guides/better-sleep/wind-down/", log
    finally:
        stop_serve(server)


def test_serve_keeps_the_last_good_pages_after_a_bad_edit_and_picks_up_the_fix(
    serving: tuple[Path, str, ServeLog],
) -> None:
    project, url, log = serving
    first = wait_for(lambda: fetch(url), "the first build")
    assert "Put screens away an hour before bed." in first
    edit(project / WIND_DOWN, "Put screens away", "Switch screens off")
    edit(project / WIND_DOWN, LINK, "(step:wind-down#no-such-heading)")
    wait_for(lambda: log.count("Still serving the last good pages") == 1 and "yes", "the failed rebuild")
    assert any(f"{WIND_DOWN}:14: the link 'step:wind-down#no-such-heading'" in line for line in log.lines)
    page = fetch(url)  # Answered at once: MkDocs alone holds every request until a build passes.
    assert page is not None and "Put screens away an hour before bed." in page
    assert fetch(url.replace("wind-down/", "keep-a-rhythm/")) is not None
    edit(project / WIND_DOWN, "(step:wind-down#no-such-heading)", "(step:wind-down#why-an-hour-helps)")
    fixed = wait_for(lambda: (page := fetch(url)) and "Switch screens off" in page and page, "the fixed rebuild")
    assert "Switch screens off an hour before bed." in fixed


def test_a_staging_folder_left_by_a_killed_build_is_removed_by_the_next_one(project: Path) -> None:
    """A build killed outright (no Ctrl-C: power cut, SIGKILL) leaves its staging folder; one still locked stays."""
    import fcntl

    site = project / "site"
    around = neighbours(site)
    abandoned, in_use = project / "site.staging-0badc0de", project / "site.staging-0000beef"
    for folder in (abandoned, in_use):
        (folder / "assets").mkdir(parents=True)
        os.utime(folder, (0, 0))  # Untouched for long enough.
    holder = os.open(in_use, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)  # A build still running in another process.
    try:
        build_site(config_of(project), site)
    finally:
        os.close(holder)
    assert neighbours(site) == around | {in_use.name}
