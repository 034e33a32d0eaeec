"""The `selfhelp` command: what MkDocs has no verb for.

- `selfhelp check` runs every check `mkdocs build` runs (content, links and
  anchors, assets from other hosts, strict-mode warnings) by making the real
  build into a temporary folder that is thrown away, with the products that
  cannot fail on content (PDFs, the offline zip) skipped. It prints one line per
  problem and none of MkDocs' progress, and exits 1 when the build would fail:
  "Content OK" means `mkdocs build` passes.
- `selfhelp new site NAME` writes a new site into the folder NAME from the starter
  in `generator/scaffold/site/` (a `mkdocs.yml` with every plugin option explained,
  a guide of two steps, a situation and a worksheet); `mkdocs build` builds it.
- `selfhelp new worksheet NAME` writes a starter worksheet template to fill in.
- `selfhelp check-deploy BASE_URL` checks a deployed site against the local build (`deploy_check.py`).
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from .content.loader import ID_PATTERN

SCAFFOLD_DIR = Path(__file__).resolve().parent / "scaffold" / "site"
"""The starter site `selfhelp new site` copies; `__SITE_NAME__` in it becomes the site's name."""

STARTER_WORKSHEET = """\
# A worksheet template. Field kinds: text, textarea, choice, checklist, scale, date, checkbox, group.
# See README.md ("Writing a worksheet") for every key.
id: {id}
version: 1
title: {title}
purpose: One line on what this worksheet helps the reader do.
time_needed: 10 minutes
instructions: |
  Two or three short sentences on how to fill this in.
sections:
  - id: first-thoughts
    title: First thoughts
    fields:
      - id: what-happened
        kind: textarea
        label: What happened, in a few words?
        lines: 4
      - id: how-strong
        kind: scale
        label: How strongly do you feel about it right now?
        min_label: Hardly at all
        max_label: Very strongly
"""


def _content_dir(config_file: str) -> tuple[Path, Path]:
    """The content folder the site's selfhelp plugin reads, and the project folder."""
    try:
        config = load_config(config_file)
    except ConfigurationError as error:
        raise click.ClickException(f"{config_file}: {error}") from None
    project = Path(config.config_file_path).resolve().parent
    plugin = config.plugins.get("selfhelp")
    configured = getattr(plugin, "config", {}).get("content_dir") if plugin else None
    return Path(configured or config.docs_dir).resolve(), project


@click.group()
def cli() -> None:
    """Tools for selfhelp-site content (build and serve with `mkdocs build` / `mkdocs serve`)."""


class _Collect(logging.Handler):
    """Keeps the messages of MkDocs' warnings and errors (the lines an editor can act on)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_problems() -> Iterator[_Collect]:
    """While inside: MkDocs prints nothing; its warnings and errors are collected instead."""
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    saved = logger.handlers[:], logger.propagate, logger.level
    logger.handlers, logger.propagate = [collect], False
    logger.setLevel(logging.INFO)  # Level of `mkdocs build`; the collector keeps warnings and errors.
    try:
        yield collect
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])


def _check_build(config_file: str, site_dir: Path) -> tuple[MkDocsConfig | None, list[str], bool]:
    """Build into `site_dir` as `mkdocs build` would: (config, warnings and errors, whether it failed)."""
    with _mkdocs_problems() as collected:
        try:
            config = load_config(config_file, site_dir=str(site_dir))
        except (Abort, ConfigurationError) as error:
            return None, collected.messages or [f"{config_file}: {error}"], True
        plugin = config.plugins.get("selfhelp")
        if plugin is not None:
            plugin.checking_only = True  # type: ignore[attr-defined]
        try:
            build(config)
        except Abort as error:
            return config, collected.messages or [error.message], True
        except Exception as error:  # A bug, not a content problem: one line, not a traceback.
            return config, [
                *collected.messages,
                f"the check stopped on an unexpected error ({type(error).__name__}: {error}): "
                "please report this as a bug in selfhelp-site",
            ], True
        finally:
            if plugin is not None:
                plugin.checking_only = False  # type: ignore[attr-defined]
    return config, collected.messages, False


@cli.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's mkdocs.yml.")
def check(config_file: str) -> None:
    """Run every check `mkdocs build` runs, without touching the site."""
    with tempfile.TemporaryDirectory(prefix="selfhelp-check-") as work:
        config, messages, failed = _check_build(config_file, Path(work) / "site")
    for message in messages:
        click.echo(message if failed else f"warning: {message}", err=True)
    if failed:
        sys.exit(1)
    plugin = config.plugins.get("selfhelp") if config is not None else None
    pack = getattr(plugin, "pack", None)
    if pack is None:
        click.echo(f"{config_file} does not use the selfhelp plugin: there is no content to check", err=True)
        sys.exit(1)
    steps = sum(len(g.steps) for g in pack.guides)
    click.echo(
        f"Content OK: {len(pack.guides)} guide(s), {steps} step(s), {len(pack.situations)} situation(s), "
        f"{len(pack.worksheets)} worksheet(s), {len(pack.pages) + 1} page(s)."
    )


@cli.group()
def new() -> None:
    """Start a new piece of content from a template."""


@new.command("site")
@click.argument("name", type=click.Path(path_type=Path))
@click.option("--title", help="The site's name, shown in its header (default: made from NAME).")
def new_site(name: Path, title: str | None) -> None:
    """Write a new site into the folder NAME: mkdocs.yml, a starter guide, a situation and a worksheet."""
    if name.exists() and (not name.is_dir() or any(name.iterdir())):
        what = "a folder with files in it" if name.is_dir() else "a file"
        raise click.ClickException(f"{name} is {what}; choose a new name or an empty folder, nothing was written")
    site_name = title or name.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "My site"
    quoted = json.dumps(site_name, ensure_ascii=False)  # A JSON string is a YAML double-quoted scalar.
    for source in sorted(SCAFFOLD_DIR.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        target = name / source.relative_to(SCAFFOLD_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8").replace("__SITE_NAME__", quoted), encoding="utf-8")
    click.echo(
        f"Wrote a new site in {name}. Next: 'cd {name}', then 'mkdocs build' (or 'mkdocs serve' to preview it); "
        "set your organisation's name and contacts in mkdocs.yml."
    )


@new.command("worksheet")
@click.argument("name")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's mkdocs.yml.")
def new_worksheet(name: str, config_file: str) -> None:
    """Write content/worksheets/NAME.yml, a starter template to edit."""
    if not ID_PATTERN.match(name):
        raise click.BadParameter("use lowercase letters, digits and single dashes, e.g. 'goal-setting'", param_hint="NAME")
    content_dir, project = _content_dir(config_file)
    target = content_dir / "worksheets" / f"{name}.yml"
    if target.exists():
        raise click.ClickException(f"{target.relative_to(project)} already exists; choose another name")
    target.parent.mkdir(parents=True, exist_ok=True)
    title = name.replace("-", " ").capitalize()
    target.write_text(STARTER_WORKSHEET.format(id=name, title=title), encoding="utf-8")
    click.echo(f"Wrote {target.relative_to(project)}. Edit it, link it from a step's 'worksheets:', then run 'selfhelp check'.")


@cli.command("check-deploy")
@click.argument("base_url")
@click.option("--site", "site_dir", default="site", show_default=True, type=click.Path(path_type=Path))
@click.option("--ca-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="An intranet CA.")
def check_deploy_command(base_url: str, site_dir: Path, ca_file: Path | None) -> None:
    """Fetch every file of the build from BASE_URL and report what the server gets wrong."""
    from .deploy_check import DeployCheckError, check_deploy

    try:
        problems, compared = check_deploy(site_dir, base_url, ca_file)
    except DeployCheckError as error:
        raise click.ClickException(str(error)) from None
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"Deploy OK: {compared} addresses of {site_dir} match {base_url}, with their headers.")
