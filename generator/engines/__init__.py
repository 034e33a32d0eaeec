"""Engines: the adapter between the engine-free core and the engine that builds the pages (MkDocs or ProperDocs).

Modules:
  `plugin` (the MkDocs plugin: its hooks over `pipeline.prepare` and `finish`), `config` (the typed
  options, checked with their `mkdocs.yml` lines, handed over as `options.SiteOptions`),
  `theme_assets` (our theme layer in `theme.dirs`, the theme files published minified or left out),
  `script_minifier` (the Go minifier of our scripts, run in a process of its own on a cache miss),
  `staging` (all-or-nothing builds: the staging folder swapped in for `site_dir`). Only `plugin` and
  `config` import MkDocs.

This module itself says which engine is running, and stops one that would drop the plugin.

Two engines run this plugin unchanged (README.md, "Engines"):

- MkDocs 1.6, with Material for MkDocs 9.
- ProperDocs 1.6, a community fork of MkDocs 1.x, with the same Material. It
  reads the same `mkdocs.yml` and the plugins registered for MkDocs (the
  `mkdocs.plugins` entry points, and its own `properdocs.plugins`), and its
  command line answers every `import mkdocs...` of a plugin or theme with its own
  modules. Its loggers are named `properdocs...`, though: code that looks a
  logger up by name asks `engine_logger` for it.

Zensical, Material's successor, also reads `mkdocs.yml`, but it leaves out every
plugin it does not know, ours included, and writes a broken site with exit
status 0. The one thing of ours it runs is a YAML tag in `mkdocs.yml`: it reads
the file with PyYAML's full loader, as MkDocs and ProperDocs do. The shipped
`mkdocs.yml` therefore holds

    extra:
      selfhelp_engine: !!python/object/apply:generator.engines.require_plugin_engine []

which calls `require_plugin_engine` while the file is read: it names the engine
under MkDocs and ProperDocs, and stops Zensical with `ENGINE_NOT_SUPPORTED`
before it writes anything.
"""

from __future__ import annotations

import sys
from importlib import metadata

import click

PLUGIN_ENGINES = ("mkdocs", "properdocs")
"""Engines that run the selfhelp plugin (top-level package names)."""

PLUGIN_DROPPING_ENGINES = ("zensical",)
"""Engines that read mkdocs.yml but leave the selfhelp plugin out."""

ENGINE_NOT_SUPPORTED = (
    "{engine} cannot build this site: it leaves out the 'selfhelp' plugin that mkdocs.yml lists, and would write "
    "a site with no worksheets, no situations and broken search, with the raw content files published. Build it "
    "with MkDocs (`mkdocs build`) or ProperDocs (`properdocs build`); README.md, \"Engines\", says why and what "
    "is planned."
)


class EngineNotSupported(click.ClickException):
    """Raised while an engine that would drop the plugin reads mkdocs.yml (Zensical prints it as `Error: ...`)."""


def engine_name() -> str:
    """The top-level package of the engine running the plugin: `mkdocs`, or `properdocs` under ProperDocs.

    ProperDocs puts its own package in `sys.modules["mkdocs"]`, so the plugin's `mkdocs` imports are ProperDocs."""
    import mkdocs

    return mkdocs.__name__.partition(".")[0]


def engine_logger(name: str = "") -> str:
    """The name of the running engine's logger `name` (`""` for its root): `mkdocs.structure.pages` or
    `properdocs.structure.pages`. MkDocs' strict-mode warning counter sits on the root one."""
    return f"{engine_name()}.{name}" if name else engine_name()


def _reading_engine() -> str | None:
    """The engine whose code is on the call stack (it is reading mkdocs.yml), or None."""
    frame = sys._getframe(1)
    while frame is not None:
        package = str(frame.f_globals.get("__name__", "")).partition(".")[0]
        if package in PLUGIN_ENGINES or package in PLUGIN_DROPPING_ENGINES:
            return package
        frame = frame.f_back
    return None


def _named(package: str) -> str:
    """`zensical 0.1.3`, or just the package name when its version is unknown."""
    try:
        return f"{package} {metadata.version(package)}"
    except metadata.PackageNotFoundError:
        return package


def require_plugin_engine() -> str:
    """Called by mkdocs.yml's `!!python/object/apply` tag: the engine reading it, or a stop if it drops plugins.

    Returns text such as `mkdocs 1.6.1` (the value of `extra.selfhelp_engine`); any other
    reader of the file (a plain `yaml.load`) gets `unknown`."""
    engine = _reading_engine()
    if engine in PLUGIN_DROPPING_ENGINES:
        raise EngineNotSupported(ENGINE_NOT_SUPPORTED.format(engine=_named(engine).capitalize()))
    return _named(engine) if engine else "unknown"
