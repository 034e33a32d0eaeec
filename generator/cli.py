"""The `selfhelp` command: what MkDocs has no verb for.

- `selfhelp check` validates content/ without building (exit 1 and one line per problem), and names
  every script in a page body as the build does (exit 1 when mkdocs.yml is strict, as the build stops).
- `selfhelp new worksheet NAME` writes a starter worksheet template to fill in.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError

from .body_scripts import find_body_scripts, pack_bodies
from .loader import ID_PATTERN, ContentError, load_content
from .plugin import REQUIRED_MARKDOWN_EXTENSIONS

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


def _content_dir(config_file: str) -> tuple[Path, Path, Any]:
    """The content folder the site's selfhelp plugin reads, the project folder, and the site's config."""
    try:
        config = load_config(config_file)
    except ConfigurationError as error:
        raise click.ClickException(f"{config_file}: {error}") from None
    project = Path(config.config_file_path).resolve().parent
    plugin = config.plugins.get("selfhelp")
    configured = getattr(plugin, "config", {}).get("content_dir") if plugin else None
    return Path(configured or config.docs_dir).resolve(), project, config


@click.group()
def cli() -> None:
    """Tools for selfhelp-site content (build and serve with `mkdocs build` / `mkdocs serve`)."""


@cli.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's mkdocs.yml.")
def check(config_file: str) -> None:
    """Validate content without building the site."""
    content_dir, project, config = _content_dir(config_file)
    try:
        pack = load_content(content_dir, project)
    except ContentError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    required = [e for e in REQUIRED_MARKDOWN_EXTENSIONS if e not in config.markdown_extensions]  # added by the plugin
    extensions = [*config.markdown_extensions, *required]
    scripts = find_body_scripts(pack_bodies(pack), extensions, config.mdx_configs)
    for script in scripts:
        click.echo(f"warning: {script}", err=True)
    if scripts and config.strict:
        click.echo(f"{config_file} has 'strict: true', so the build stops on these warnings.", err=True)
        sys.exit(1)
    steps = sum(len(g.steps) for g in pack.guides)
    click.echo(
        f"Content OK: {len(pack.guides)} guide(s), {steps} step(s), {len(pack.situations)} situation(s), "
        f"{len(pack.worksheets)} worksheet(s), {len(pack.pages) + 1} page(s)."
    )


@cli.group()
def new() -> None:
    """Start a new piece of content from a template."""


@new.command("worksheet")
@click.argument("name")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's mkdocs.yml.")
def new_worksheet(name: str, config_file: str) -> None:
    """Write content/worksheets/NAME.yml, a starter template to edit."""
    if not ID_PATTERN.match(name):
        raise click.BadParameter("use lowercase letters, digits and single dashes, e.g. 'goal-setting'", param_hint="NAME")
    content_dir, project, _ = _content_dir(config_file)
    target = content_dir / "worksheets" / f"{name}.yml"
    if target.exists():
        raise click.ClickException(f"{target.relative_to(project)} already exists; choose another name")
    target.parent.mkdir(parents=True, exist_ok=True)
    title = name.replace("-", " ").capitalize()
    target.write_text(STARTER_WORKSHEET.format(id=name, title=title), encoding="utf-8")
    click.echo(f"Wrote {target.relative_to(project)}. Edit it, link it from a step's 'worksheets:', then run 'selfhelp check'.")
