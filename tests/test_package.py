"""The package as an HR team gets it: installed from a wheel, with no repository around it.

`selfhelp new site` is run by the installed command in a fresh virtual environment
outside the repository, and its site is built with `mkdocs build --strict`; the
wheel is checked to hold every file of the theme layer and of the starter site.
A site's own `custom_dir` still comes before the package's templates.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import PROJECT, build_site, edit, parse, readme_block

pytestmark = pytest.mark.package


def _git_files(*paths: str) -> list[str]:
    """Files git knows or would add (tracked, and new ones not ignored), relative to the project."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *paths],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    ).stdout
    return sorted(line for line in out.splitlines() if (PROJECT / line).is_file())


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's files as a checkout has them, copied outside the repository (so the build writes no
    `build/` or `.egg-info` into it, and untracked leftovers such as `site/` stay out)."""
    copy = tmp_path_factory.mktemp("source") / "selfhelp-site"
    for name in _git_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, copy / name)
    return copy


def _clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(extra)
    return env


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def test_wheel_holds_every_theme_starter_and_catalogue_file(source_copy: Path, tmp_path: Path) -> None:
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path, source_copy],
         cwd=tmp_path, env=_clean_env())
    (wheel,) = tmp_path.glob("selfhelp_site-*.whl")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    shipped = _git_files("generator/theme", "generator/scaffold", "generator/locales")
    assert len(shipped) > 30
    missing = [name for name in shipped if name not in in_wheel]
    assert not missing, f"not in the wheel: {missing} (pyproject.toml, [tool.setuptools.package-data])"
    assert all(name in in_wheel for name in _git_files("generator") if name.endswith(".py"))


def test_new_site_builds_from_the_installed_package(source_copy: Path, tmp_path: Path) -> None:
    """From an empty folder: install (not editable), `selfhelp new site`, `mkdocs build --strict`."""
    venv = tmp_path / "venv"
    # The dependencies come from the system's site-packages (no download); selfhelp-site itself is built
    # from the project's files and installed into the environment, which comes first on sys.path.
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], cwd=tmp_path, env=_clean_env())
    python = venv / "bin" / "python"
    env = _clean_env(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-build-isolation",
          source_copy], cwd=tmp_path, env=env)
    where = _run([python, "-c", "import generator; print(generator.__file__)"], cwd=tmp_path, env=env).strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    assert not Path(where).resolve().is_relative_to(PROJECT)

    # The commands README.md gives, from `selfhelp new site` on (the install is the one above).
    commands = readme_block("sh", "selfhelp new site").splitlines()
    name = next(line.split()[3] for line in commands if line.startswith("selfhelp new site "))
    assert f"cd {name}" in commands and "mkdocs build" in commands
    home = tmp_path / "hr-team"
    home.mkdir()
    said = _run([venv / "bin" / "selfhelp", "new", "site", name], cwd=home, env=env)
    assert name in said
    _run([python, "-m", "mkdocs", "build", "--strict"], cwd=home / name, env=env)
    site = home / name / "site"
    worksheet = parse(site / "worksheets" / "check-in" / "index.html")
    assert worksheet.select("form [id^=shs-f-]"), "the worksheet page has no form fields"
    assert (site / "pdf" / "worksheets.pdf").read_bytes().startswith(b"%PDF")
    assert (site / "pdf" / "check-in.pdf").is_file()
    assert (site / "sw.js").is_file()
    for script in ("site.js", "worksheets.js", "worksheet-files.js"):
        assert (site / "assets" / "selfhelp" / script).is_file(), script
    assert (site / "assets" / "search" / "search-highlight.js").is_file()
    assert "Pause and notice" in (site / "guides" / "getting-started" / "pause-and-notice" / "index.html").read_text()
    assert not list(site.rglob("*.j2")), "a template was published"

    refused = subprocess.run([venv / "bin" / "selfhelp", "new", "site", name], cwd=home, env=env,
                             capture_output=True, text=True)
    assert refused.returncode == 1
    assert f"{name} is a folder with files in it" in refused.stderr
    assert (home / name / "site").is_dir(), "the refused command touched the folder"


def test_new_site_options_are_every_plugin_option() -> None:
    """The starter mkdocs.yml explains every option (commented out, one line each)."""
    from generator.engines.config import OPTION_KEYS

    text = (PROJECT / "generator" / "scaffold" / "site" / "mkdocs.yml").read_text(encoding="utf-8")
    for key in OPTION_KEYS:
        lines = [line for line in text.splitlines() if line.lstrip("# ").startswith(f"{key}:")]
        assert len(lines) == 1 and " # " in lines[0].split(":", 1)[1], f"{key} is not explained once in the starter"


def test_custom_dir_comes_before_the_package_templates(tmp_path: Path) -> None:
    """A site's custom_dir overrides a template of ours; it is not published, and neither are ours."""
    from click.testing import CliRunner

    from generator.cli import cli

    project = tmp_path / "site-project"
    result = CliRunner().invoke(cli, ["new", "site", str(project)])
    assert result.exit_code == 0, result.output
    edit(project / "mkdocs.yml", "  # custom_dir: overrides", "  custom_dir: overrides")
    edit(project / "mkdocs.yml", '      organisation: ""', '      organisation: ""\n      pdf_pack: false\n'
         "      offline_zip: false")
    assert (PROJECT / "generator" / "theme" / "selfhelp" / "urgent-help.html").is_file()
    (project / "overrides" / "selfhelp").mkdir(parents=True)
    # An override may read the page (ours are rendered once per build; an override, for each page).
    (project / "overrides" / "selfhelp" / "urgent-help.html").write_text(
        '<aside class="our-own-urgent-help">Call the front desk about {{ page.title }}</aside>\n', encoding="utf-8"
    )
    site = build_site(project / "mkdocs.yml", tmp_path / "site")
    for path in ("index.html", "privacy/index.html"):
        page = parse(site / path)
        title = page.select_one("article h1").get_text()
        assert page.select_one(".our-own-urgent-help").get_text() == f"Call the front desk about {title}", path
    assert not (site / "selfhelp").exists(), "template files were published"
    assert (site / "assets" / "selfhelp" / "worksheets.js").is_file(), "the package's assets are still there"


def test_a_worksheet_form_copied_from_before_the_toolbar_template_stops_the_build_with_the_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """worksheets.js takes the toolbar from the page before it loads the answers: an override without it would
    leave the worksheet unable to load or save, so the build names the file and what to do instead."""
    from click.testing import CliRunner
    from mkdocs.exceptions import Abort

    from generator.cli import cli

    project = tmp_path / "site-project"
    result = CliRunner().invoke(cli, ["new", "site", str(project)])
    assert result.exit_code == 0, result.output
    edit(project / "mkdocs.yml", "  # custom_dir: overrides", "  custom_dir: overrides")
    form = (PROJECT / "generator/theme/selfhelp/worksheet-form.html").read_text(encoding="utf-8")
    old_copy = re.sub(r"(data-shs-tools>)<template.*?</template>", r"\1", form, count=1, flags=re.S)
    assert old_copy != form
    (project / "overrides" / "selfhelp").mkdir(parents=True)
    (project / "overrides" / "selfhelp" / "worksheet-form.html").write_text(old_copy, encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml", tmp_path / "site")
    assert re.search(
        r"overrides/selfhelp/worksheet-form\.html has no toolbar template.*copy generator/theme/selfhelp/"
        r"worksheet-form\.html again",
        caplog.text,
    )
    assert not (tmp_path / "site").exists()
