"""Post-build: a zip of the site that works when opened from disk (file://), with no server and no network.

The engine builds the site a second time with `.html` links instead of folder
links (`use_directory_urls: false`), which is what a browser needs on
file:// (the plugin hands that build over as a function, so this module knows
nothing of MkDocs); the search index is also written as a script, since pages opened from
disk cannot fetch JSON. The worksheet PDFs of the main build are copied in.
The zip is reproducible: the same build gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from .site_paths import OFFLINE_DIR, PDF_DIR, SEARCH_INDEX, SEARCH_INDEX_SCRIPT

_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


ZIP_NAME_WORDS = 80
"""Longest organisation-and-site part of the zip's name (its folder's name once unzipped)."""


def zip_name(site_name: str, organisation: str = "") -> str:
    """`<organisation>-<site name>-offline.zip` (ASCII slugs): two organisations' copies never unzip into one folder."""
    words = re.sub(r"[^a-z0-9]+", "-", f"{organisation} {site_name}".lower()).strip("-") or "site"
    if len(words) > ZIP_NAME_WORDS:
        # File systems stop at 255 bytes a name: keep the start, and a hash so that two long names stay apart.
        digest = hashlib.sha256(words.encode()).hexdigest()[:8]
        words = words[:ZIP_NAME_WORDS].rsplit("-", 1)[0] + "-" + digest
    return f"{words}-offline.zip"


def write_search_index_script(site_dir: Path) -> None:
    """`search/search_index.js`: the search index as a script, which Material loads on file://."""
    index = site_dir / SEARCH_INDEX
    if index.is_file():
        (site_dir / SEARCH_INDEX_SCRIPT).write_text(
            "var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8"
        )


def zip_folder(folder: Path, target: Path, top: str) -> None:
    """Zip `folder` into `target` under the folder name `top`, in a stable order with fixed times."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}", date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())


def write_offline_zip(
    site_dir: Path,
    build_copy: Callable[[Path], None],
    *,
    site_name: str,
    organisation: str = "",
    extra_dirs: tuple[str, ...] = (PDF_DIR,),
) -> Path:
    """Have `build_copy` build the file:// copy of the site into a temporary folder, and zip it into `<site>/offline/`.

    `build_copy` is the engine's part (the plugin builds the site again with `use_directory_urls` off);
    the folders in `extra_dirs` (the PDFs) are copied from the main build.
    """
    with tempfile.TemporaryDirectory(prefix="selfhelp-offline-") as work:
        copy_dir = Path(work) / "site"
        build_copy(copy_dir)
        write_search_index_script(copy_dir)
        for name in extra_dirs:
            if (site_dir / name).is_dir():
                shutil.copytree(site_dir / name, copy_dir / name, dirs_exist_ok=True)
        name = zip_name(site_name, organisation)
        target = site_dir / OFFLINE_DIR / name
        zip_folder(copy_dir, target, top=name.removesuffix(".zip"))
    return target
