"""The PDF pack's build options (concurrency, cache_dir, pdf_on_serve): wrong values are named at their line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .test_validation import option_errors, project  # noqa: F401 - the fixture is used by name

CORES = os.cpu_count() or 1
FIX = (
    f"write a whole number of processes, like concurrency: 2 (1 renders in the build's own process), "
    f"or delete the line to use every core ({CORES} here)"
)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("      concurrency: 0\n", f"mkdocs.yml:5: concurrency 0 is less than one process: {FIX}"),
        ("      concurrency: all\n", f"mkdocs.yml:5: concurrency 'all' is not a number of processes: {FIX}"),
        ("      concurrency: 1.5\n", f"mkdocs.yml:5: concurrency '1.5' is not a number of processes: {FIX}"),
        ("      concurrency: true\n", f"mkdocs.yml:5: concurrency 'true' is not a number of processes: {FIX}"),
        ("      pdf_on_serve: yes please\n", "mkdocs.yml:5: pdf_on_serve must be true or false, not 'yes please'"),
        (
            "      cache_dir: pyproject.toml\n",
            "mkdocs.yml:5: cache_dir 'pyproject.toml' is a file, not a folder: write the path of a folder "
            '(it is made when missing), like cache_dir: ".cache/selfhelp"',
        ),
        (
            "      cache_dir: 3\n",
            'mkdocs.yml:5: cache_dir must be the path of a folder from the folder of mkdocs.yml, in quotes, like '
            'cache_dir: ".cache/selfhelp", or delete the line to use that default',
        ),
    ],
)
def test_wrong_pdf_option_names_its_line_and_the_fix(project: Path, options: str, message: str) -> None:  # noqa: F811
    (project / "pyproject.toml").write_text("[tool]\nname = 'x'\n", encoding="utf-8")
    assert option_errors(project, options) == [message]


def test_pdf_options_have_defaults_and_take_good_values(project: Path) -> None:  # noqa: F811
    from generator.engines.plugin import SelfhelpPlugin

    good = "      concurrency: 3\n      cache_dir: build-cache\n      pdf_on_serve: true\n"
    assert option_errors(project, good) == []
    config_file = project / "mkdocs.yml"
    config_file.write_text("site_name: Test\nplugins:\n  - selfhelp\n", encoding="utf-8")
    plugin = SelfhelpPlugin()
    errors, _ = plugin.load_config({}, str(config_file))
    assert errors == []
    assert plugin.config.concurrency == CORES
    assert plugin.config.cache_dir == str((project / ".cache" / "selfhelp").resolve())
    assert plugin.config.pdf_on_serve is False
