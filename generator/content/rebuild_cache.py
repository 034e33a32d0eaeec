"""What `mkdocs serve` keeps from one rebuild to the next, so an edit re-renders only what it changed.

A `RebuildCache` lives in the plugin for one serve session (the plugin instance
outlives the rebuilds) and is handed to `pipeline.prepare`. It keeps, for the
next rebuild:

- `parsed`: the YAML and front matter of every content file, by the file's text:
  the loader parses again only the files whose text changed (and still checks
  the whole pack, links and all, as a build does).
- `rendered_pages(renderer, ...)`: every page source, rendered again only where
  needed. The cached sources are reused when everything a page is made from is
  unchanged: the options, the engine's settings, the bytes of the page
  templates (`selfhelp/` in the template folders), and the whole content except
  the page bodies; a body is only ever shown on its own page, so a page whose
  body changed is rendered again and the others are kept. Any other change (a
  title, a summary, a new step, a template, an option) renders every page, as
  a build does. Content is compared by value, as loaded from the files' bytes,
  never by modification time.
- `scanned(kind, html, scan)`: the result of a scan of a page's HTML as MkDocs
  rendered it (its scripts, the addresses it loads from other hosts), by the
  SHA-256 of that HTML: `scan` must be a function of the HTML alone (`kind`
  names it, and holds anything else it depends on: the script-mark token, the
  page's body with its file and line, compared by value).
  An edit changes the HTML of the pages it shows on, whose digests then differ,
  so they are scanned again; the others are not. Kept for two rebuilds (what
  the last one and this one scanned), so it stays as large as the site.
- `script_token(draw)`: one token for the session's template script marks.
- `template_code(env)`: a Jinja bytecode cache for the engine's theme
  environment, which MkDocs makes anew for every build: a theme template whose
  source is unchanged is not compiled again (Jinja checks each source's
  checksum; environments set up differently never share compiled code).

Another project in the same process (tests, or a plugin instance MkDocs reuses)
never sees this one's pages: a change of project or content folder empties
the cache, and pages are reused only for equal settings and options. Nothing
is cached under `mkdocs build`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2

from .. import site_paths
from .body_scripts import page_bodies
from .model import ContentPack, Markdown
from .render import SiteRenderer


def _without_bodies(pack: ContentPack) -> dict[str, Any]:
    """The pack with every page body left out: what every page may show."""
    strip = lambda item: dataclasses.replace(item, body=None)  # noqa: E731
    skeleton = {field.name: getattr(pack, field.name) for field in dataclasses.fields(pack)}
    skeleton["home"] = strip(pack.home)
    skeleton["pages"] = [strip(page) for page in pack.pages]
    skeleton["guides"] = [
        dataclasses.replace(guide, body=None, steps=tuple(strip(step) for step in guide.steps)) for guide in pack.guides
    ]
    skeleton["situations"] = [strip(situation) for situation in pack.situations]
    return skeleton


def template_fingerprint(loader: jinja2.BaseLoader) -> str | None:
    """A digest of the bytes of every page template (`selfhelp/` in each template folder); None when unknown."""
    if not isinstance(loader, jinja2.FileSystemLoader):
        return None
    digest = hashlib.sha256()
    for folder in loader.searchpath:
        root = Path(folder) / site_paths.TEMPLATE_FOLDER
        for parent, folders, names in os.walk(root):
            folders.sort()
            for name in sorted(names):
                path = Path(parent, name)
                try:
                    data = path.read_bytes()
                except OSError:
                    return None
                digest.update(f"{path}\0{len(data)}\0".encode())
                digest.update(data)
    return digest.hexdigest()


class _TemplateCode(jinja2.BytecodeCache):
    """Compiled templates in memory, for environments set up alike; Jinja compares each source's checksum."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Ignored when the checksum or Jinja's version differs.

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def _environment_setup(env: jinja2.Environment) -> tuple[Any, ...]:
    """What shapes the code Jinja compiles a template to (its syntax, extensions and output options)."""
    return (
        type(env),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape),
        env.finalize is not None,
        env.undefined,
        tuple(sorted(env.extensions)),
    )


class RebuildCache:
    """The last rendered rebuild's content checks and page sources, for the next `mkdocs serve` rebuild.

    Each is a function of what it was made from, so it may come from a rebuild that failed later."""

    def __init__(self) -> None:
        self._project: tuple[Any, ...] | None = None
        self.parsed: dict[tuple[str, str], Any] = {}
        """The last load's YAML and front matter, by text (`loader.load_content`'s `parsed`)."""
        self._pages_key: tuple[Any, ...] | None = None
        self._skeleton: dict[str, Any] | None = None
        self._bodies: dict[str, Markdown] = {}
        self._pages: list[tuple[str, str]] = []
        self._token = ""
        self._session_token = ""
        self._template_code: dict[tuple[Any, ...], _TemplateCode] = {}
        self.rendered_last = 0
        """How many pages the last `rendered_pages` rendered (the others were reused)."""
        self._scans: dict[tuple[Any, bytes], Any] = {}
        self._scans_before: dict[tuple[Any, bytes], Any] = {}
        self.scanned_last = 0
        """How many of the last rebuild's `scanned` calls ran their scan (the others were reused)."""

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    def for_project(self, *identity: Any) -> RebuildCache:
        """This cache, emptied first if it held another project's pages (`identity`: its folders and settings)."""
        if identity != self._project:
            self.clear()
            self._project = identity
        # A rebuild begins: the last one's scans stay for this one, older ones go.
        self._scans_before, self._scans = self._scans or self._scans_before, {}
        self.scanned_last = 0
        return self

    def scanned(self, kind: Any, html: str, scan: Callable[[str], Any]) -> Any:
        """`scan(html)`, reused from this rebuild or the last for the same `kind` and the same HTML (by its
        SHA-256): `scan` must depend on nothing but `html` and what `kind` holds. The result is shared, so
        it must not be changed."""
        key = (kind, hashlib.sha256(html.encode("utf-8", "surrogatepass")).digest())
        if key in self._scans:
            return self._scans[key]
        if key in self._scans_before:
            result = self._scans[key] = self._scans_before[key]
            return result
        result = self._scans[key] = scan(html)
        self.scanned_last += 1
        return result

    def script_token(self, draw: Callable[[], str]) -> str:
        """The token that marks the templates' scripts (`csp.py`), drawn once per session: the marked template
        sources stay the same from one rebuild to the next, so `template_code` can reuse their compiled code.
        It is as secret as a build's (the marks are removed from every page), and a preview writes no CSP."""
        if not self._session_token:
            self._session_token = draw()
        return self._session_token

    def template_code(self, env: jinja2.Environment) -> jinja2.BytecodeCache:
        """The bytecode cache for this build's theme environment (`env.bytecode_cache`), shared with earlier
        rebuilds' environments only when they were set up alike (`_environment_setup`)."""
        return self._template_code.setdefault(_environment_setup(env), _TemplateCode())

    def rendered_pages(self, renderer: SiteRenderer, token: str, key: tuple[Any, ...]) -> Iterator[tuple[str, str]]:
        """Every page source (as `renderer.rendered_pages()`), reusing the last build's where nothing it shows changed.

        `token` marks the templates' scripts in this build (the reused sources get it in place of the old one);
        `key`: everything else the pages are rendered from (options, settings, template fingerprint); a None
        in it means unknown, and every page is rendered. Remembered only once every page is rendered."""
        pack = renderer.pack
        renderer.env.bytecode_cache = self.template_code(renderer.env)  # The page templates, compiled once.
        skeleton, bodies = _without_bodies(pack), page_bodies(pack)
        reusable = None not in key and key == self._pages_key and skeleton == self._skeleton
        old = dict(self._pages) if reusable else {}
        pages: list[tuple[str, str]] = []
        rendered = 0
        for src_uri, render in renderer.page_makers():
            if src_uri in old and bodies.get(src_uri) == self._bodies.get(src_uri):
                markdown = old[src_uri].replace(self._token, token) if self._token != token else old[src_uri]
            else:
                markdown = render()
                rendered += 1
            pages.append((src_uri, markdown))
            yield src_uri, markdown
        self._pages_key, self._skeleton, self._bodies, self._pages, self._token = key, skeleton, bodies, pages, token
        self.rendered_last = rendered
