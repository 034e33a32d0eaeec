"""The plugin under both engines it supports, and a clear stop under one that would leave it out.

ProperDocs (`python -m properdocs build`, which is what its `properdocs build` command
runs) builds the shipped site and the sleep-pack fixture. Every file equals MkDocs'
own build of the same project, except the `<meta name="generator">` tag of each page
and what is derived from page bytes (the precache revisions, the file list, the build
ids): those are checked to be consistent with their own build. A strict build that
fails under ProperDocs leaves `site/` as it was and names the content line, as under
MkDocs. One Chromium test reads the ProperDocs build under its own CSP: search, and a
worksheet's autosave across a reload.

Zensical reads `mkdocs.yml` with PyYAML's full loader; the shipped file's
`!!python/object/apply` tag then stops it (`generator/engines/__init__.py`). That is tested
here by running the same loader call from a module named as Zensical's (also in a
Python where MkDocs cannot be imported, as in Zensical's own environment). Zensical
itself is not run here: 0.1 cannot be installed from this project's package index (its
`zensical-ui` dependency is missing); the guard was checked by hand with 0.0.40 and 0.1.3.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import brotli
import pytest
import yaml
from mkdocs.config import load_config

from generator.engines import ENGINE_NOT_SUPPORTED, EngineNotSupported
from generator.products.security_headers import read_headers

from .conftest import PROJECT, SiteServer, edit, search_site
from .hostile import good_project, snapshot

GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')
MKDOCS_GENERATOR = rb"mkdocs-1\.6\.\d+, mkdocs-material-9\.\d+\.\d+"
PROPERDOCS_GENERATOR = rb"mkdocs-ProperDocs 1\.\d+\.\d+, mkdocs-material-9\.\d+\.\d+"


def require_properdocs() -> None:
    if importlib.util.find_spec("properdocs") is None:
        message = "ProperDocs is not installed (pip install -e '.[test]' installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def properdocs_build(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`properdocs build` in `project`, as an editor types it, with this repository's generator."""
    require_properdocs()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT)}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


# -- comparing two builds -------------------------------------------------------------------


def _without_generator(data: bytes) -> bytes:
    return GENERATOR_TAG.sub(b"<meta generator>", data)


def _same_except_hex_ids(left: bytes, right: bytes, digits: int) -> bool:
    """Equal once every run of `digits` hex digits (a build id) is blanked."""
    pattern = re.compile(rb"\b[0-9a-f]{%d}\b" % digits)
    return pattern.sub(b"ID", left) == pattern.sub(b"ID", right)


def _manifest(script: bytes) -> list[dict[str, str]]:
    found = re.search(rb"^var MANIFEST = (.*);$", script, re.MULTILINE)
    assert found, "sw.js has no MANIFEST line: update this test"
    return list(json.loads(found.group(1)))


def _service_worker_problems(mkdocs: bytes, properdocs: bytes, properdocs_site: Path) -> list[str]:
    problems = []
    ours, theirs = _manifest(mkdocs), _manifest(properdocs)
    if [e["url"] for e in ours] != [e["url"] for e in theirs]:
        problems.append("sw.js: the precache lists other files")
    for entry in theirs:
        digest = hashlib.sha256((properdocs_site / entry["url"]).read_bytes()).hexdigest()
        if not digest.startswith(entry["revision"]):
            problems.append(f"sw.js: {entry['url']} has a revision that is not its own")
    blank = re.compile(rb"^var (MANIFEST|BUILD) = .*$", re.MULTILINE)
    if blank.sub(b"", mkdocs) != blank.sub(b"", properdocs):
        problems.append("sw.js: the script differs")
    return problems


def _file_list_problems(mkdocs: bytes, properdocs: bytes, properdocs_site: Path) -> list[str]:
    def listed(text: bytes) -> dict[str, str]:
        return {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in text.decode().splitlines()}

    ours, theirs = listed(mkdocs), listed(properdocs)
    problems = [] if ours.keys() == theirs.keys() else ["_server/files.sha256 lists other files"]
    for uri, digest in theirs.items():
        if hashlib.sha256((properdocs_site / uri).read_bytes()).hexdigest() != digest:
            problems.append(f"_server/files.sha256: {uri} does not match its file")
    return problems


def _same_content(uri: str, mkdocs: bytes, properdocs: bytes) -> bool:
    if uri.endswith(".gz"):
        return _same_content(uri.removesuffix(".gz"), gzip.decompress(mkdocs), gzip.decompress(properdocs))
    if uri.endswith(".br"):
        return _same_content(uri.removesuffix(".br"), brotli.decompress(mkdocs), brotli.decompress(properdocs))
    if uri.endswith(".html"):
        return _without_generator(mkdocs) == _without_generator(properdocs)
    if uri.endswith(".zip"):
        return _same_zip(mkdocs, properdocs)
    if uri == "_server/deploy.sh":
        return _same_except_hex_ids(mkdocs, properdocs, 12)
    return mkdocs == properdocs


def _same_zip(mkdocs: bytes, properdocs: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(mkdocs)) as ours, zipfile.ZipFile(io.BytesIO(properdocs)) as theirs:
        if ours.namelist() != theirs.namelist():
            return False
        return all(_same_content(name, ours.read(name), theirs.read(name)) for name in ours.namelist())


def build_differences(mkdocs_site: Path, properdocs_site: Path) -> tuple[list[str], int]:
    """What differs between two builds of one project beyond the generator tag; and how many pages were compared."""

    def files(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}

    ours, theirs = files(mkdocs_site), files(properdocs_site)
    problems = [f"only MkDocs wrote {uri}" for uri in sorted(ours - theirs)]
    problems += [f"only ProperDocs wrote {uri}" for uri in sorted(theirs - ours)]
    pages = 0
    for uri in sorted(ours & theirs):
        mine, other = (mkdocs_site / uri).read_bytes(), (properdocs_site / uri).read_bytes()
        if uri.endswith(".html"):
            pages += 1
            assert re.search(MKDOCS_GENERATOR, mine) and re.search(PROPERDOCS_GENERATOR, other), uri
        if uri in ("sw.js", "sw.js.gz", "sw.js.br"):
            unpack = {".gz": gzip.decompress, ".br": brotli.decompress}.get(uri[-3:], bytes)
            unpacked = (unpack(mine), unpack(other))
            problems += _service_worker_problems(*unpacked, properdocs_site)
        elif uri == "_server/files.sha256":
            problems += _file_list_problems(mine, other, properdocs_site)
        elif not _same_content(uri, mine, other):
            problems.append(f"{uri} differs")
    return problems, pages


# -- the shipped site and the sleep pack under ProperDocs -----------------------------------


@pytest.fixture(scope="session")
def properdocs_shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site (every product on) built by ProperDocs from the repository's own mkdocs.yml."""
    site = tmp_path_factory.mktemp("properdocs-shipped") / "site"
    result = properdocs_build(PROJECT, "-d", str(site))
    assert result.returncode == 0, result.stderr
    assert "every check passed: the new site is in place" in result.stderr
    assert "selfhelp-offline-" not in result.stderr, "the offline copy's progress lines stay quiet"
    return site


def test_properdocs_builds_the_shipped_site_as_mkdocs_does(properdocs_shipped_site: Path, shipped_site: Path) -> None:
    problems, pages = build_differences(shipped_site, properdocs_shipped_site)
    assert not problems, "\n".join(problems)
    assert pages >= 30
    print(f"\nshipped site: {pages} pages, identical under MkDocs and ProperDocs but for the generator tag")


def test_properdocs_builds_the_sleep_pack_as_mkdocs_does(tmp_path: Path, last_good_site: Path) -> None:
    project = good_project(tmp_path / "project", last_good_site)
    result = properdocs_build(project)
    assert result.returncode == 0, result.stderr
    problems, pages = build_differences(last_good_site, project / "site")
    assert not problems, "\n".join(problems)
    assert pages >= 8
    print(f"\nsleep pack: {pages} pages, identical under MkDocs and ProperDocs but for the generator tag")


def test_a_strict_build_that_fails_under_properdocs_leaves_the_site_untouched(
    tmp_path: Path, last_good_site: Path
) -> None:
    project = good_project(tmp_path / "project", last_good_site)
    before = snapshot(project / "site")
    with (project / "content/pages/about-sleep.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the missing page](missing-page.md).\n")
    result = properdocs_build(project)
    assert result.returncode == 1
    # Told in content terms, as under MkDocs, and counted: strict mode stops before the swap.
    assert "content/pages/about-sleep.md:8: the link 'missing-page.md' goes to a file that is not in the site" in (
        result.stderr
    )
    assert "the new site is in place" not in result.stderr
    assert snapshot(project / "site") == before
    assert not [p.name for p in project.iterdir() if "staging" in p.name]


def test_a_content_mistake_under_properdocs_names_file_and_line(tmp_path: Path, last_good_site: Path) -> None:
    project = good_project(tmp_path / "project", last_good_site)
    edit(project / "content/worksheets/wake-plan.yml", "kind: text\n", "kind: txt\n")
    result = properdocs_build(project)
    assert result.returncode == 1
    assert re.search(r"content/worksheets/wake-plan\.yml:\d+: field kind 'txt' is not one of text, ", result.stderr)
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def properdocs_server(properdocs_shipped_site: Path) -> Iterator[SiteServer]:
    """The ProperDocs build served with the headers of its own `_server/headers.txt` (its CSP included)."""
    server = SiteServer(properdocs_shipped_site, headers=read_headers(properdocs_shipped_site))
    yield server
    server.close()


@pytest.mark.browser
def test_the_properdocs_build_searches_and_keeps_answers(page: object, properdocs_server: SiteServer) -> None:
    """Under its own CSP (a blocked script would be a console error): search, then a worksheet's autosave."""
    page.goto(properdocs_server.url)  # type: ignore[attr-defined]
    search_site(page, "laid off")
    first = page.locator(".md-search-result__item a").first.get_attribute("href")  # type: ignore[attr-defined]
    assert first is not None and "situations/job-loss/" in first

    page.goto(properdocs_server.url + "worksheets/action-plan/")  # type: ignore[attr-defined]
    page.locator("form.shs-worksheet .shs-toolbar").wait_for()  # type: ignore[attr-defined]
    page.locator("#shs-f-smart-goal").fill("A new role in data analysis by June")  # type: ignore[attr-defined]
    page.locator(".shs-worksheet__status").filter(has_text="Saved on this device").wait_for()  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    page.locator("form.shs-worksheet .shs-toolbar").wait_for()  # type: ignore[attr-defined]
    assert page.locator("#shs-f-smart-goal").input_value() == "A new role in data analysis by June"  # type: ignore[attr-defined]
    assert not page.console_errors  # type: ignore[attr-defined]


# -- Zensical ---------------------------------------------------------------------------------

ZENSICAL_READS_MKDOCS_YML = "config = yaml.load(text, Loader=yaml.Loader)"
"""How Zensical's `zensical/config.py` reads mkdocs.yml (its loader subclasses PyYAML's full `Loader`)."""


def _read_as(module: str, text: str) -> Callable[[], object]:
    """Read `text` with PyYAML's full loader from code whose module is named `module`."""
    namespace: dict[str, object] = {"__name__": module, "yaml": yaml, "text": text}

    def read() -> object:
        exec(ZENSICAL_READS_MKDOCS_YML, namespace)  # noqa: S102 - the test's own line, not input
        return namespace["config"]

    return read


def test_zensical_reading_mkdocs_yml_is_stopped_with_a_clear_message() -> None:
    text = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    with pytest.raises(EngineNotSupported) as stopped:
        _read_as("zensical.config", text)()
    message = stopped.value.message
    assert message.startswith("Zensical") and "cannot build this site" in message
    assert "leaves out the 'selfhelp' plugin" in message
    assert "`mkdocs build`" in message and "`properdocs build`" in message

    # MkDocs (and ProperDocs, in the builds above) read the same line as the engine's name.
    assert load_config(str(PROJECT / "mkdocs.yml")).extra["selfhelp_engine"].startswith("mkdocs 1.6.")
    # Any other reader of the file gets a plain value, and the guard is still in place for the next build.
    assert _read_as("some_tool", text)()["extra"] == {"selfhelp_engine": "unknown"}  # type: ignore[index]


def test_the_guard_runs_where_mkdocs_is_not_installed() -> None:
    """Zensical lives in an environment without MkDocs: the guard must not need it."""
    code = (
        "import sys\n"
        "sys.modules['mkdocs'] = None  # not importable, as in Zensical's own environment\n"
        "import yaml\n"
        "from generator.engines import EngineNotSupported\n"
        f"namespace = {{'__name__': 'zensical.config', 'yaml': yaml, 'text': open('mkdocs.yml').read()}}\n"
        "try:\n"
        f"    exec({ZENSICAL_READS_MKDOCS_YML!r}, namespace)\n"
        "except EngineNotSupported as stopped:\n"
        "    print(stopped.message)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "cannot build this site: it leaves out the 'selfhelp' plugin" in result.stdout


def test_the_readme_shows_the_guard_and_its_message_as_they_are() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    guard = "extra:\n  selfhelp_engine: !!python/object/apply:generator.engines.require_plugin_engine []\n"
    assert (PROJECT / "mkdocs.yml").read_text(encoding="utf-8").endswith(guard)
    assert f"```yaml\n{guard}```" in readme
    assert "Error: " + ENGINE_NOT_SUPPORTED.format(engine="Zensical 0.1.3") + "\n```" in readme
