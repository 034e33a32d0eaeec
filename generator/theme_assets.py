"""Our theme layer (`generator/theme/`) in the theme's folders, and its static files trimmed.

`add_package_theme` puts the package's templates and assets between the site's own
`custom_dir` (which still overrides any of them) and Material, so a site needs no copy
of them.

Material ships its own assets minified; ours (worksheets.js, site.js, search-setup.js,
the stylesheets in `generator/theme/assets/`) are written to be read, with comments. Each
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
from mkdocs.theme import Theme

from .site_paths import PACKAGE_THEME_DIR

_MINIFIERS = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def add_package_theme(theme: Theme) -> None:
    """Insert `generator/theme/` into the theme's folders, right after the site's `custom_dir`."""
    if str(PACKAGE_THEME_DIR) in theme.dirs:
        return  # The offline copy reads the same config again.
    theme.dirs.insert(1 if theme.custom_dir else 0, str(PACKAGE_THEME_DIR))


def publish_theme_assets(files: Files, config: MkDocsConfig) -> None:
    """Minify each `.js` and `.css` file of our theme and of `theme.custom_dir`; remove the theme's `.map` files."""
    theme_dirs = [Path(folder).resolve() for folder in config.theme.dirs]
    ours = {PACKAGE_THEME_DIR} | ({Path(config.theme.custom_dir).resolve()} if config.theme.custom_dir else set())
    for file in list(files):
        if file.generated_by is not None or not file.abs_src_path:
            continue  # Docs pages and files made by plugins are not theme files.
        path = Path(file.abs_src_path).resolve()
        theme_dir = next((folder for folder in theme_dirs if path.is_relative_to(folder)), None)
        if theme_dir is None:
            continue
        if file.src_uri.endswith(".map"):
            files.remove(file)
            continue
        minify = _MINIFIERS.get(path.suffix)
        if minify is None or theme_dir not in ours or ".min." in file.src_uri:
            continue
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=minify(path.read_text(encoding="utf-8"))))
