"""Our theme layer (`generator/theme/`) in the theme's folders, and its static files trimmed.

`with_package_theme` puts the package's templates and assets between the site's own
`custom_dir` (which still overrides any of them) and Material, so a site needs no copy
of them. `theme_file_action` says which files the engine found are dropped or
minified; the adapter (`plugin.py`) applies it to its engine's file list. Knows
nothing of MkDocs.

Material ships its own assets minified; ours (worksheets.js, site.js, search-highlight.js,
the stylesheets in `generator/theme/assets/`) are written to be read, with comments. Each
build swaps those for minified copies and leaves the sources as they are: scripts by
tdewolff/minify (the `minify-go` package: a parser of current JavaScript that also gives
local names one or two letters, which cuts our scripts by a further eighth gzipped
beyond removing comments and spaces as rjsmin did), styles by rcssmin (tdewolff's CSS
minifier saved nothing more on ours). The minifier is a Go library, so it runs in a
process of its own, only for scripts whose minified text is not in the cache folder yet
(`ScriptMinifier`, `script_minifier.py`). Material's `.map` source maps
(about 1.3 MB) are only ever fetched by a developer's browser tools, so they are left
out of the site and of the offline zip.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import rcssmin

from .. import site_paths
from ..site_paths import PACKAGE_THEME_DIR
from . import script_minifier

MINIFIED_SUFFIXES = (".js", ".css")

Action = Literal["keep", "drop", "minify"]


def with_package_theme(dirs: list[str], custom_dir: str | None) -> list[str]:
    """The theme's folders with `generator/theme/` inserted right after the site's `custom_dir` (once)."""
    if str(PACKAGE_THEME_DIR) in dirs:
        return dirs  # The offline copy reads the same config again.
    return [*dirs[:1], str(PACKAGE_THEME_DIR), *dirs[1:]] if custom_dir else [str(PACKAGE_THEME_DIR), *dirs]


def theme_file_action(path: Path, src_uri: str, theme_dirs: list[Path], custom_dir: Path | None) -> Action:
    """What becomes of a file the engine found: `drop` a theme's `.map`, `minify` our scripts and styles
    (and those of the site's `custom_dir`), `keep` the rest (docs files, Material's own minified assets).

    `path` and the folders are resolved; the first folder `path` is in decides."""
    theme_dir = next((folder for folder in theme_dirs if path.is_relative_to(folder)), None)
    if theme_dir is None:
        return "keep"  # Docs pages and files are not theme files.
    if src_uri.endswith(".map"):
        return "drop"
    ours = theme_dir == PACKAGE_THEME_DIR or (custom_dir is not None and theme_dir == custom_dir)
    if path.suffix not in MINIFIED_SUFFIXES or not ours or ".min." in src_uri:
        return "keep"
    return "minify"


class NotMinified(ValueError):
    """A script the minifier could not read (a syntax error in a site's own script): published as written."""


WORKSHEET_PAGE_PARTS: tuple[tuple[str, bool], ...] = (
    (site_paths.BRAND_CSS, False),
    (f"{site_paths.SELFHELP_ASSETS}/selfhelp.css", False),
    (site_paths.PRINT_FRAME_CSS, True),
    (f"{site_paths.SELFHELP_ASSETS}/worksheets.css", False),
    (f"{site_paths.SELFHELP_ASSETS}/worksheet-print.css", True),
)
"""What `worksheet-page.css` is made of, in the order the pages linked them, and which were `media="print"`."""


def worksheet_page_css(texts: dict[str, str]) -> str:
    """The one stylesheet of a worksheet page, from the published text of each of `WORKSHEET_PAGE_PARTS`."""
    parts = []
    for src_uri, print_only in WORKSHEET_PAGE_PARTS:
        text = rcssmin.cssmin(texts[src_uri])
        parts.append(f"@media print{{{text}}}" if print_only else text)
    return "\n".join(parts) + "\n"


REGISTER_JS = "assets/offline/register.js"

REGISTER_WHERE_IT_CAN_RUN = (
    'navigator.serviceWorker&&isSecureContext&&location.protocol!="file:"&&document.body.append(Object.assign('
    'document.createElement("script"),{src:new URL("'
    + posixpath.relpath(REGISTER_JS, posixpath.dirname(site_paths.WORKSHEET_PAGE_JS))
    + '",document.currentScript.src).href}))'
)
"""The start of `worksheet-page.js`: `register.js` added to the page only where a service worker can run (https
or localhost, not file://: the test `register.js` itself begins with). On plain http, where browsers ask for
gzip alone (an intranet), a worksheet page then carries none of it, as it could never run there; elsewhere it is
the same file every other page loads (already in the browser's cache, or the worker's, after any other page),
and it runs once, after Material's bundle, as it did inside this file (a moment later: once fetched). Its address is from this file's
(`site_paths.WORKSHEET_PAGE_JS`, in the folder next to `REGISTER_JS`'s). Written minified, as it is published
(the minifier gives it the same bytes)."""

WORKSHEET_PAGE_SCRIPTS = (f"{site_paths.SELFHELP_ASSETS}/worksheets.js",)
"""What `worksheet-page.js` holds after `REGISTER_WHERE_IT_CAN_RUN`: the script of ours a worksheet page runs after
Material's bundle."""


def worksheet_page_js(texts: dict[str, str]) -> str:
    """The script of a worksheet page (with the service worker on), from the published text of each of
    `WORKSHEET_PAGE_SCRIPTS`, after `REGISTER_WHERE_IT_CAN_RUN`. Each is one statement run at once; `;` keeps
    the next from being read as a call on the one before's result."""
    scripts = [REGISTER_WHERE_IT_CAN_RUN, *(texts[src_uri].strip().rstrip(";") for src_uri in WORKSHEET_PAGE_SCRIPTS)]
    return ";\n".join(scripts) + ";\n"


_CACHED_NAME = re.compile(r"^[0-9a-f]{64}(\.js|\.\d+\.part)$")
"""What `ScriptMinifier` writes in its folder: nothing else there is ever deleted."""


class ScriptMinifier:
    """Minified scripts and styles: styles by rcssmin here, scripts by `script_minifier.py` in a process of its
    own, each result kept in `folder` (the cache folder's `scripts/`) under a hash of the script and the
    minifier's version, and in memory for a `mkdocs serve` session."""

    _memo: dict[str, str] = {}

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        """The cache keys of the scripts the last `minified` call asked for."""
        try:
            self.version = importlib.metadata.version("minify-go")
        except importlib.metadata.PackageNotFoundError:
            self.version = ""

    def minified(self, paths: Iterable[Path]) -> dict[Path, str | NotMinified]:
        """Each `.js` or `.css` file's text minified, or a `NotMinified` (with the minifier's line and column)
        for a script it cannot parse."""
        results: dict[Path, str | NotMinified] = {}
        missing: dict[str, tuple[Path, str]] = {}
        self.used = set()
        for path in paths:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".css":
                results[path] = rcssmin.cssmin(text)
                continue
            key = hashlib.sha256(f"{self.version}\0{script_minifier.JS_VERSION}\0{text}".encode()).hexdigest()
            self.used.add(key)
            cached = self._memo.get(key) or self._read(key)
            if cached is None:
                missing[key] = (path, text)
            else:
                results[path] = self._memo.setdefault(key, cached)
        if missing:
            answers = self._run([text for _, text in missing.values()])
            if len(answers) != len(missing):
                answers = [{"error": "the script minifier gave no answer"}] * len(missing)
            for (key, (path, _)), answer in zip(missing.items(), answers):
                if "error" in answer:
                    results[path] = NotMinified(
                        f"{path}: {answer['error']}: published as written, not minified; fix the script so it parses"
                    )
                    continue
                self._memo[key] = results[path] = answer["text"]
                self._write(key, answer["text"])
        return results

    def prune(self) -> None:
        """Delete the cached results of scripts the last `minified` call did not ask for (an older version of the
        package or of `custom_dir`), and parts left by a build stopped while writing: like the PDF cache, the
        folder holds only what the site uses now."""
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return  # No cache folder yet, or unreadable: nothing to tidy.
        for entry in entries:
            name = entry.name
            stale = name.endswith(".part") or (name.endswith(".js") and name[: -len(".js")] not in self.used)
            if stale and _CACHED_NAME.match(name):
                entry.unlink(missing_ok=True)

    def _read(self, key: str) -> str | None:
        try:
            return (self.folder / f"{key}.js").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _write(self, key: str, text: str) -> None:
        try:  # Written whole, then renamed: a build stopped midway leaves no half file.
            self.folder.mkdir(parents=True, exist_ok=True)
            part = self.folder / f"{key}.{os.getpid()}.part"
            part.write_text(text, encoding="utf-8")
            os.replace(part, self.folder / f"{key}.js")
        except OSError:
            pass  # A read-only cache folder: minified again next build.

    @staticmethod
    def _run(texts: list[str]) -> list[dict[str, str]]:
        done = subprocess.run(
            [sys.executable, "-m", script_minifier.__name__],
            input=json.dumps(texts).encode("utf-8"),
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no answer"]
            return [{"error": f"the script minifier stopped ({reason[0]})"} for _ in texts]
        return json.loads(done.stdout.decode("utf-8"))
