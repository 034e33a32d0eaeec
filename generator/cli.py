"""The `selfhelp` command: what MkDocs has no verb for.

- `selfhelp check` validates content/ without building (exit 1 and one line per problem).
- `selfhelp new worksheet NAME` writes a starter worksheet template to fill in.
- `selfhelp check-deploy BASE_URL` checks a deployed site against the local build (`deploy_check.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError

from .loader import ID_PATTERN, ContentError, load_content

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


@cli.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's mkdocs.yml.")
def check(config_file: str) -> None:
    """Validate content without building the site."""
    content_dir, project = _content_dir(config_file)
    try:
        pack = load_content(content_dir, project)
    except ContentError as error:
        click.echo(str(error), err=True)
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
