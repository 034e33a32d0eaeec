"""The core runs without MkDocs: `pipeline.prepare` and `finish` in a process where `mkdocs` cannot be imported.

The process blocks `mkdocs`, `material` and `properdocs` with a meta-path finder
before it imports anything of ours, prepares the sleep pack's pages, stands in
for the engine (a page per rendered source, Material's search worker), and
finishes: every product must be written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.engines.plugin import SelfhelpPlugin

from .conftest import FIXTURES, PROJECT, copy_pack, edit

SCRIPT = textwrap.dedent(
    """
    import importlib.abc
    import json
    import sys
    from pathlib import Path

    ENGINES = ("mkdocs", "material", "properdocs")

    class NoEngine(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ENGINES:
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, NoEngine())
    for name in list(sys.modules):
        if name.split(".")[0] in ENGINES:
            del sys.modules[name]

    try:
        import mkdocs  # noqa: F401
    except ImportError:
        blocked = True
    else:
        blocked = False

    from generator.options import ContactOptions, options_from
    from generator.pipeline import BuildProblem, SiteSettings, finish, prepare, template_loader

    project = Path(sys.argv[1])
    options = options_from({
        "organisation": "Northwind",
        "urgent_help": ContactOptions(name="Crisis line", phone="0800 000 111"),
        "embedding_origins": ["https://teams.microsoft.com"],
    })
    settings = SiteSettings(site_name="Sleep better", project_dir=project, content_dir=project / "content")
    prepared = prepare(options, settings, template_loader())
    site = project / "site"
    for uri in prepared.page_uris:  # what the engine would build from each page source
        page = site / (uri.removesuffix(".md") + ".html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<!doctype html><title>x</title><p>built</p>", encoding="utf-8")
    worker = site / "assets/javascripts/workers/search.1234abcd.min.js"
    worker.parent.mkdir(parents=True)
    worker.write_text("// Material's worker", encoding="utf-8")

    finish(prepared, site)

    problem = None
    (project / "content/worksheets/sleep-diary.yml").write_text("id: [", encoding="utf-8")
    try:
        prepare(options, settings, template_loader())
    except BuildProblem as error:
        problem = str(error)

    import importlib
    import pkgutil

    import generator

    needs_engine = []
    for module in pkgutil.walk_packages(generator.__path__, "generator."):
        if module.name != "generator.__main__":
            try:
                importlib.import_module(module.name)
            except ImportError:
                needs_engine.append(module.name.removeprefix("generator."))

    print(json.dumps({
        "needs_engine": sorted(needs_engine),
        "blocked": blocked,
        "engines_loaded": sorted(n for n in sys.modules if n.split(".")[0] in ENGINES),
        "pages": prepared.page_uris,
        "nav": prepared.navigation,
        "files": sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()),
        "headers": (site / "_server/headers.txt").read_text(encoding="utf-8"),
        "print_frame": prepared.print_frame_css,
        "problem": problem,
    }))
    """
)


def run_core(tmp_path: Path) -> dict:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "sleep-pack", project)
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", SCRIPT, str(project)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_core_builds_every_product_with_mkdocs_not_importable(tmp_path: Path) -> None:
    found = run_core(tmp_path)
    assert found["blocked"], "the test's import blocker works"
    assert found["engines_loaded"] == [], "nothing of MkDocs, Material or ProperDocs was imported"
    assert found["needs_engine"] == ["cli", "engines.config", "engines.plugin"], "only the adapter, its options and commands need one"
    assert "worksheets/sleep-diary.md" in found["pages"] and "guides/better-sleep/wind-down.md" in found["pages"]
    assert list(found["nav"][0].values()) == ["index.md"], "the navigation starts at the home page"
    files = set(found["files"])
    for product in (
        "assets/search/fuzzy-worker.js",
        "pdf/worksheets.pdf",
        "pdf/sleep-diary.pdf",
        "sw.js",
        "_server/headers.txt",
        "_server/nginx.conf",
        ".htaccess",
        "web.config",
        "staticwebapp.config.json",
        "offline/northwind-sleep-better-offline.zip",
        "_server/deploy.sh",
        "_server/files.sha256",
        "index.html.gz",
    ):
        assert product in files, f"{product} was not written"
    assert "frame-ancestors 'self' https://teams.microsoft.com" in found["headers"]
    assert "Crisis line: 0800 000 111" in found["print_frame"]
    assert found["problem"] is not None and "content/worksheets/sleep-diary.yml" in found["problem"]


def test_the_offline_zip_comes_from_the_one_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No second build for the zip, so nothing re-enters the plugin instance MkDocs keeps across builds."""
    project = copy_pack("sleep-pack", tmp_path / "project")
    edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n      pdf_pack: false\n")
    seen: list[tuple[int, bool]] = []
    prepare_pages = SelfhelpPlugin.on_pre_build

    def noting(self: SelfhelpPlugin, *, config: object) -> None:
        seen.append((id(self), config.use_directory_urls))  # type: ignore[attr-defined]
        prepare_pages(self, config=config)

    monkeypatch.setattr(SelfhelpPlugin, "on_pre_build", noting)
    for _ in range(2):  # MkDocs keeps the instance of a plugin with on_startup for the next build
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        main = config.plugins["selfhelp"]
        build(config)
        assert isinstance(main, SelfhelpPlugin) and main.prepared is not None
        assert main.prepared.settings.use_directory_urls
    assert (tmp_path / "site/offline/sleep-better-offline.zip").is_file()
    assert seen == [(id(main), True)] * 2, "one instance prepared each build once, and nothing else ran"
