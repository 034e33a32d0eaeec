"""Post-build: a gzip copy (`<file>.gz`) beside every text file of the site, for servers to send as they are.

nginx (`gzip_static on`) and Apache (the generated rewrite rules) send `page.html.gz`
with `Content-Encoding: gzip` to a browser that accepts gzip, so a first visit and
the offline precache travel compressed without the server compressing anything
per request, and stock nginx, which compresses only `text/html` unless told
otherwise, needs no `gzip_types`. Only gzip: stock nginx has no brotli module.

Copies are made at the highest level, reproducibly (no time stamp in the header),
and only where they are smaller; `deploy_check` expects a compressed response for
every file that has one.
"""

from __future__ import annotations

import gzip
from pathlib import Path

COMPRESSED_SUFFIX = ".gz"
TEXT_SUFFIXES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".webmanifest")
"""Text files worth compressing; images, PDFs and zips are compressed already."""

MIN_SIZE = 1024
"""Smaller files gain a few bytes at most, less than a `Content-Encoding` header costs."""

_SKIPPED_FOLDERS = ("_server/",)
"""Server configuration is never served, so it needs no copy."""


def needs_compressed_copy(uri: str, size: int) -> bool:
    """True for a text file of the site (path relative to site/) big enough to be worth a gzip copy."""
    return uri.endswith(TEXT_SUFFIXES) and size >= MIN_SIZE and not uri.startswith(_SKIPPED_FOLDERS)


def compressed_copy_of(uri: str) -> str | None:
    """The file a `.gz` path is the copy of (`a.js.gz` -> `a.js`), or None for any other path."""
    if not uri.endswith(COMPRESSED_SUFFIX):
        return None
    original = uri[: -len(COMPRESSED_SUFFIX)]
    return original if original.endswith(TEXT_SUFFIXES) else None


def write_compressed_copies(site_dir: Path) -> tuple[int, int, int]:
    """Write `<file>.gz` beside each text file of the built site.

    Returns (files compressed, their bytes, the bytes of their copies).
    """
    count = original_bytes = compressed_bytes = 0
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        uri = path.relative_to(site_dir).as_posix()
        size = path.stat().st_size
        if not needs_compressed_copy(uri, size):
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        if len(packed) >= size:
            continue
        path.with_name(path.name + COMPRESSED_SUFFIX).write_bytes(packed)
        count += 1
        original_bytes += size
        compressed_bytes += len(packed)
    return count, original_bytes, compressed_bytes
