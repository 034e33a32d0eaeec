"""Trim the theme's static files before they are published: minify ours, drop source maps.

Material ships its own assets minified; ours (worksheets.js, site.js, search-setup.js,
the stylesheets in `overrides/assets/`) are written to be read, with comments. Each
build swaps those for minified copies, which cuts what a reader downloads by about a
fifth gzipped and leaves the sources as they are. Material's `.map` source maps
(about 1.3 MB) are only ever fetched by a developer's browser tools, so they are left
out of the site and of the offline zip.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

_MINIFIERS = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def _from_theme(file: File, config: MkDocsConfig) -> Path | None:
    """The folder of `config.theme.dirs` a file comes from, or None for docs and generated files."""
    if file.generated_by is not None or not file.abs_src_path:
        return None
    path = Path(file.abs_src_path).resolve()
    return next((Path(d).resolve() for d in config.theme.dirs if path.is_relative_to(Path(d).resolve())), None)


def publish_theme_assets(files: Files, config: MkDocsConfig) -> None:
    """Minify each `.js` and `.css` file of `theme.custom_dir`; remove the theme's `.map` files."""
    custom_dir = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    for file in list(files):
        theme_dir = _from_theme(file, config)
        if theme_dir is None:
            continue
        if file.src_uri.endswith(".map"):
            files.remove(file)
            continue
        minify = _MINIFIERS.get(Path(file.src_uri).suffix)
        if minify is None or theme_dir != custom_dir or ".min." in file.src_uri:
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=minify(text)))
