"""`mkdocs serve` rebuilds reuse the last good rebuild's pages (`generator/content/rebuild_cache.py`).

Every case compares a rebuild made with the cache to one made without it, page source by page source:
the cache may only ever save work, never change a page. And a real `mkdocs serve` shows a step's new
title on its guide page and in the navigation after the rebuild.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.content.rebuild_cache import RebuildCache
from generator.options import SiteOptions
from generator.pipeline import BuildProblem, Prepared, SiteSettings, prepare, template_loader
from generator.site_paths import PACKAGE_THEME_DIR

from .conftest import copy_pack, edit
from .test_atomic_build import make_project, start_serve, stop_serve
from .test_authoring import fetch, wait_for

WIND_DOWN = "content/guides/better-sleep/wind-down.md"
DIARY = "content/worksheets/sleep-diary.yml"


def sources(prepared: Prepared) -> dict[str, str]:
    """Every page source of a build, its script token written as TOKEN (each build draws its own)."""
    token = prepared.template_scripts.token
    pages = {uri: prepared.page_sources[uri].replace(token, "TOKEN") for uri in prepared.page_uris}
    assert list(pages) == prepared.page_uris
    return pages


class Session:
    """`prepare` as a serve session runs it (one cache), beside a fresh `prepare` of the same files."""

    def __init__(self, project: Path, options: SiteOptions | None = None, custom_dir: Path | None = None) -> None:
        self.project, self.custom_dir = project, custom_dir
        self.options = options or SiteOptions()
        self.cache = RebuildCache()

    def settings(self) -> SiteSettings:
        return SiteSettings(site_name="Sleep better", project_dir=self.project, content_dir=self.project / "content")

    def rebuild(self) -> tuple[dict[str, str], int]:
        """The rebuild's page sources (checked equal to a full render's) and how many pages it rendered."""
        settings = self.settings()
        cached = prepare(self.options, settings, template_loader(self.custom_dir), self.cache.for_project(self.project))
        fresh = prepare(self.options, settings, template_loader(self.custom_dir))
        try:
            pages = sources(cached)
            assert pages == sources(fresh)
            assert cached.page_bodies == fresh.page_bodies
            assert cached.navigation == fresh.navigation
        finally:
            cached.discard_pages()
            fresh.discard_pages()
        return pages, self.cache.rendered_last


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    yield copy_pack("sleep-pack", tmp_path / "project")


def test_a_body_edit_renders_only_its_own_page(project: Path) -> None:
    session = Session(project)
    pages, rendered = session.rebuild()
    assert rendered == len(pages)  # The first build renders everything.
    assert session.rebuild()[1] == 0  # Nothing changed: nothing rendered.
    edit(project / WIND_DOWN, "Your body needs time", "Your body needs some time")
    pages, rendered = session.rebuild()
    assert rendered == 1
    assert "Your body needs some time" in pages["guides/better-sleep/wind-down.md"]


def test_a_title_edit_renders_every_page_and_shows_on_the_guide_page(project: Path) -> None:
    session = Session(project)
    pages, _ = session.rebuild()
    assert "Wind down before bed" in pages["guides/better-sleep/index.md"]
    edit(project / WIND_DOWN, "title: Wind down before bed", "title: Slow down before bed")
    pages, rendered = session.rebuild()
    assert rendered == len(pages)
    assert "Slow down before bed" in pages["guides/better-sleep/index.md"]
    assert "Wind down before bed" not in pages["guides/better-sleep/index.md"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            (WIND_DOWN, "  - Dim the lights.\n", "  - Dim the lights.\n  - Read a paper book.\n"), id="key action"
        ),
        pytest.param((WIND_DOWN, "worksheets: [sleep-diary]", "worksheets: []"), id="worksheet list"),
        pytest.param((DIARY, "title: Sleep diary", "title: Night log"), id="worksheet title"),
        pytest.param(
            (WIND_DOWN, "## Why an hour helps", "## Why an hour helps\n\n<script>alert(1)</script>"), id="script"
        ),
    ],
)
def test_any_other_content_edit_gives_the_pages_of_a_full_render(project: Path, change: tuple[str, str, str]) -> None:
    session = Session(project)
    session.rebuild()
    path, old, new = change
    edit(project / path, old, new)
    session.rebuild()  # Compared with a full render inside.


def test_a_broken_edit_keeps_the_last_good_pages_for_the_fix(project: Path) -> None:
    session = Session(project)
    good, _ = session.rebuild()
    edit(project / WIND_DOWN, "worksheets: [sleep-diary]", "worksheets: [no-such-worksheet]")
    with pytest.raises(BuildProblem, match=r"wind-down\.md:\d+"):
        prepare(session.options, session.settings(), template_loader(), session.cache.for_project(project))
    edit(project / WIND_DOWN, "worksheets: [no-such-worksheet]", "worksheets: [sleep-diary]")
    pages, rendered = session.rebuild()
    assert pages == good
    assert rendered == 0


def test_an_option_or_a_template_edit_renders_every_page(project: Path, tmp_path: Path) -> None:
    custom = tmp_path / "overrides"
    (custom / "selfhelp").mkdir(parents=True)
    step_template = custom / "selfhelp/step.md.j2"
    shutil.copy(PACKAGE_THEME_DIR / "selfhelp/step.md.j2", step_template)
    session = Session(project, custom_dir=custom)
    pages, _ = session.rebuild()
    step_template.write_text(step_template.read_text(encoding="utf-8") + "\nFrom the overrides.\n", encoding="utf-8")
    pages, rendered = session.rebuild()
    assert rendered == len(pages)
    assert "From the overrides." in pages["guides/better-sleep/wind-down.md"]
    session.options = SiteOptions(situations_title="When this happens")
    pages, rendered = session.rebuild()
    assert rendered == len(pages)


def test_another_project_in_the_same_process_never_gets_these_pages(project: Path, tmp_path: Path) -> None:
    other = copy_pack("sleep-pack", tmp_path / "other")
    edit(other / WIND_DOWN, "Your body needs time", "The other project's words")
    cache = RebuildCache()
    for folder in (project, other, project):
        settings = SiteSettings(site_name="Sleep better", project_dir=folder, content_dir=folder / "content")
        cached = prepare(SiteOptions(), settings, template_loader(), cache.for_project(folder))
        fresh = prepare(SiteOptions(), settings, template_loader())
        try:
            assert sources(cached) == sources(fresh)
        finally:
            cached.discard_pages()
            fresh.discard_pages()
        assert cache.rendered_last == len(fresh.page_uris)


def test_serve_shows_a_new_step_title_on_its_guide_page_and_in_the_navigation(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    server, base_url, log = start_serve(project)
    guide_url, other_step_url = f"{base_url}guides/better-sleep/", f"{base_url}guides/better-sleep/keep-a-rhythm/"
    try:
        wait_for(lambda: fetch(guide_url), "the first build")
        assert "Wind down before bed" in (fetch(other_step_url) or "")
        edit(project / WIND_DOWN, "Your body needs time", "Your body needs a little time")  # A body edit first.
        wait_for(lambda: "a little time" in (fetch(f"{guide_url}wind-down/") or "") or None, "the body edit")
        edit(project / WIND_DOWN, "title: Wind down before bed", "title: Slow down before bed")
        guide = wait_for(
            lambda: (page := fetch(guide_url)) and "Slow down before bed" in page and page, "the new title"
        )
        assert "Wind down before bed" not in guide
        other_step = fetch(other_step_url) or ""
        assert "Slow down before bed" in other_step and "Wind down before bed" not in other_step  # The navigation.
        assert not any("Traceback" in line for line in log.lines)
    finally:
        stop_serve(server)


def test_a_theme_template_edit_shows_after_a_serve_rebuild(tmp_path: Path) -> None:
    """Compiled theme templates are reused across rebuilds only while their source is unchanged."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = make_project(tmp_path / "project")
    partial = project / "overrides/partials/copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<p>Footer one</p>\n", encoding="utf-8")
    config_file = project / "mkdocs.yml"
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace(
            "  name: material\n", "  name: material\n  custom_dir: overrides\n"
        ),
        encoding="utf-8",
    )
    site = tmp_path / "served"
    page = site / "guides/better-sleep/wind-down/index.html"

    def rebuild() -> str:
        config = load_config(str(config_file), site_dir=str(site))
        build(config, serve_url="http://127.0.0.1:8000/")
        return page.read_text(encoding="utf-8")

    first = load_config(str(config_file), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        assert "Footer one" in rebuild()
        assert "Footer one" in rebuild()
        partial.write_text("<p>Footer two</p>\n", encoding="utf-8")
        assert "Footer two" in rebuild()
        edit(project / WIND_DOWN, "title: Wind down before bed", "title: Slow down before bed")
        served = rebuild()
        assert "Slow down before bed" in served and "Footer two" in served
    finally:
        first.plugins.on_shutdown()


def test_a_served_rebuild_deletes_the_previous_site_in_the_background(tmp_path: Path) -> None:
    from generator.engines.staging import StagedSite, wait_for_removals

    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "old/page.html").write_text("old", encoding="utf-8")
    staged = StagedSite(site)
    (staged.path / "new.html").write_text("new", encoding="utf-8")
    staged.publish(remove_previous_later=True)
    assert (site / "new.html").read_text(encoding="utf-8") == "new" and not (site / "old").exists()
    wait_for_removals()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_scan_is_reused_only_for_the_same_html_and_kind() -> None:
    cache = RebuildCache().for_project("one")
    calls: list[str] = []

    def scan(html: str) -> int:
        calls.append(html)
        return len(html)

    assert cache.scanned("size", "<p>a</p>", scan) == 8
    assert cache.scanned("size", "<p>a</p>", scan) == 8
    assert calls == ["<p>a</p>"]
    cache.scanned("other", "<p>a</p>", scan)  # Another scan of the same HTML.
    cache.scanned("size", "<p>ab</p>", scan)
    assert calls == ["<p>a</p>", "<p>a</p>", "<p>ab</p>"]
    cache.for_project("one")  # The next rebuild reuses the last one's scans...
    cache.scanned("size", "<p>a</p>", scan)
    assert len(calls) == 3 and cache.scanned_last == 0
    cache.for_project("one")  # ...and forgets those it did not use again.
    cache.scanned("size", "<p>ab</p>", scan)
    assert len(calls) == 4 and cache.scanned_last == 1
    cache.for_project("two")  # Another project starts empty.
    cache.scanned("size", "<p>a</p>", scan)
    assert len(calls) == 5


def test_serve_rebuilds_still_find_what_an_edit_brings_into_a_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The scans of the pages' HTML (scripts, assets from other hosts) are reused only for unchanged HTML:
    an edit that brings an image from another host or a script into a step is reported on the rebuild."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    project = make_project(tmp_path / "project", strict=False)
    config_file, site = project / "mkdocs.yml", tmp_path / "served"
    step = project / WIND_DOWN

    def rebuild() -> Any:
        config = load_config(str(config_file), site_dir=str(site))
        build(config, serve_url="http://127.0.0.1:8000/")
        return config.plugins["selfhelp"]

    first = load_config(str(config_file), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        pages = len(rebuild().prepared.page_uris)
        assert rebuild().rebuild_cache.scanned_last == 0  # Nothing changed: nothing scanned again.
        edit(step, "Your body needs time", "Your body needs time ![](https://images.example.org/moon.png)")
        caplog.clear()
        with pytest.raises(Abort):
            rebuild()
        assert re.search(r"wind-down\.md:\d+: .*images\.example\.org", caplog.text)
        edit(step, " ![](https://images.example.org/moon.png)", "")
        plugin = rebuild()
        assert 0 < plugin.rebuild_cache.scanned_last < pages  # The step's page only (and its neighbours').
        caplog.clear()
        edit(step, "Your body needs time", 'Your body needs time <span onclick="alert(1)">now</span>')
        rebuild()
        assert any("wind-down.md" in r.getMessage() and "onclick" in r.getMessage() for r in caplog.records)
        caplog.clear()
        rebuild()  # Nothing changed (the scans are reused): still reported, on every rebuild.
        assert any("wind-down.md" in r.getMessage() and "onclick" in r.getMessage() for r in caplog.records)
    finally:
        first.plugins.on_shutdown()


def test_a_dirty_served_rebuild_builds_again_only_the_pages_an_edit_changed(tmp_path: Path) -> None:
    """Under `mkdocs serve --dirty` a page whose source is the one the served site was built from is not built
    again; an edited page is. A rebuild that failed changes nothing of what counts as served."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    project = make_project(tmp_path / "project", strict=False)  # MkDocs warns on every --dirty build.
    config_file, site = project / "mkdocs.yml", tmp_path / "served"
    step, step_page = project / WIND_DOWN, site / "guides/better-sleep/wind-down/index.html"

    def rebuild() -> None:
        config = load_config(str(config_file), site_dir=str(site))
        build(config, dirty=True, serve_url="http://127.0.0.1:8000/")

    def built_again(before: dict[Path, int]) -> set[Path]:
        return {page for page in site.rglob("index.html") if page.stat().st_mtime_ns != before.get(page)}

    first = load_config(str(config_file), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        rebuild()
        stamps = {page: page.stat().st_mtime_ns for page in site.rglob("index.html")}
        assert len(stamps) > 5
        rebuild()
        assert built_again(stamps) == set()
        edit(step, "Your body needs time", "Your body needs rest")
        rebuild()
        assert built_again(stamps) == {step_page}
        assert "Your body needs rest" in step_page.read_text(encoding="utf-8")
        stamps = {page: page.stat().st_mtime_ns for page in site.rglob("index.html")}
        moon = " ![](https://images.example.org/moon.png)"
        edit(step, "Your body needs rest", "Your body needs rest" + moon)
        with pytest.raises(Abort):
            rebuild()  # An image from another host: the failed rebuild leaves the served site as it was...
        edit(step, moon, "")
        rebuild()
        assert built_again(stamps) == set()  # ...so its source is the served one again: nothing to build.
    finally:
        first.plugins.on_shutdown()


def test_page_sources_are_the_text_a_file_would_give_back(project: Path) -> None:
    """The sources reach the engine in memory: line ends a YAML escape put in become LF (as a file read in text
    mode gives them). Half a surrogate pair, which no file could hold, is refused as the content is loaded, at
    its line (`yaml_source`)."""
    settings = SiteSettings(site_name="Sleep better", project_dir=project, content_dir=project / "content")
    edit(project / WIND_DOWN, "title: Wind down before bed", 'title: "Wind down\\r\\nbefore\\rbed"')
    prepared = prepare(SiteOptions(), settings, template_loader())
    try:
        assert all("\r" not in source for source in prepared.page_sources.values())
        assert "Wind down" in prepared.page_sources["guides/better-sleep/index.md"]
        assert 'title: "Wind down\\r\\nbefore\\rbed"' in prepared.page_sources["guides/better-sleep/wind-down.md"]
    finally:
        prepared.stop_workers()
    edit(project / DIARY, "label: Nights", 'label: "Nights \\ud800"')  # Shown only in the worksheet's body.
    with pytest.raises(BuildProblem, match=DIARY.removeprefix("content/") + r":\d+: .*half of a surrogate pair"):
        prepare(SiteOptions(pdf_pack=False), settings, template_loader())
