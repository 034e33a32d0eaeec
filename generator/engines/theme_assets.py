"""Our theme layer (`generator/theme/`) in the theme's folders, and its static files trimmed.

`with_package_theme` puts the package's templates and assets between the site's own
`custom_dir` (which still overrides any of them) and Material, so a site needs no copy
of them. `theme_file_action` says which files the engine found are dropped or
minified; the adapter (`plugin.py`) applies it to its engine's file list. Knows
nothing of MkDocs.

Material ships its own assets minified; ours (worksheets.js, site.js, search-setup.js,
the stylesheets in `generator/theme/assets/`) are written to be read, with comments. Each
build swaps those for minified copies and leaves the sources as they are: scripts by
tdewolff/minify (the `minify-go` package: a parser of current JavaScript that also gives
local names one or two letters, which cuts our scripts by a further eighth gzipped
beyond removing comments and spaces as rjsmin did), styles by rcssmin (tdewolff's CSS
minifier saved nothing more on ours). Material's `.map` source maps
(about 1.3 MB) are only ever fetched by a developer's browser tools, so they are left
out of the site and of the offline zip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import minify
import rcssmin

from .. import site_paths
from ..site_paths import PACKAGE_THEME_DIR

# The scripts are written to ES2017 at most; the minifier is told so, so it writes nothing newer either.
minify.config({"js-version": 2017})


def _minified_script(text: str) -> str:
    return minify.string("application/javascript", text)


_MINIFIERS = {".js": _minified_script, ".css": rcssmin.cssmin}

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
    if path.suffix not in _MINIFIERS or not ours or ".min." in src_uri:
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


WORKSHEET_PAGE_SCRIPTS = ("assets/offline/register.js", f"{site_paths.SELFHELP_ASSETS}/worksheets.js")
"""What `worksheet-page.js` is made of: the two scripts of ours a worksheet page runs after Material's bundle."""


def worksheet_page_js(texts: dict[str, str]) -> str:
    """The script of a worksheet page (with the service worker on), from the published text of each of
    `WORKSHEET_PAGE_SCRIPTS`. Each is one function run at once; `;` keeps the second from being read as a call
    on the first's result."""
    return ";\n".join(texts[src_uri].strip().rstrip(";") for src_uri in WORKSHEET_PAGE_SCRIPTS) + ";\n"


def minified(path: Path) -> str:
    """A `.js` or `.css` file's text, minified (tdewolff/minify, rcssmin).

    Raises `NotMinified`, with the minifier's line and column, for a script it cannot parse."""
    text = path.read_text(encoding="utf-8")
    try:
        return _MINIFIERS[path.suffix](text)
    except minify.MinifyError as error:
        where = str(error).splitlines()[0] if str(error) else "cannot be read"
        raise NotMinified(
            f"{path}: {where}: published as written, not minified; fix the script so it parses"
        ) from None
