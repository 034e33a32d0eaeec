"""Our theme layer (`generator/theme/`) in the theme's folders, and its static files trimmed.

`with_package_theme` puts the package's templates and assets between the site's own
`custom_dir` (which still overrides any of them) and Material, so a site needs no copy
of them. `theme_file_action` says which files the engine found are dropped or
minified; the adapter (`plugin.py`) applies it to its engine's file list. Knows
nothing of MkDocs.

Material ships its own assets minified; ours (worksheets.js, site.js, search-setup.js,
the stylesheets in `generator/theme/assets/`) are written to be read, with comments. Each
build swaps those for minified copies, which cuts what a reader downloads by about a
fifth gzipped and leaves the sources as they are. Material's `.map` source maps
(about 1.3 MB) are only ever fetched by a developer's browser tools, so they are left
out of the site and of the offline zip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import rcssmin
import rjsmin

from ..site_paths import PACKAGE_THEME_DIR

_MINIFIERS = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}

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


def minified(path: Path) -> str:
    """A `.js` or `.css` file's text, minified (rjsmin, rcssmin)."""
    return _MINIFIERS[path.suffix](path.read_text(encoding="utf-8"))
