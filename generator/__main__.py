"""`python -m generator` runs the `selfhelp` command."""

from .cli import cli

cli()
