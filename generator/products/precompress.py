"""Post-build: a gzip copy (`<file>.gz`) beside every text file of the site, for servers to send as they are.

nginx (`gzip_static on`) and Apache (the generated rewrite rules) send `page.html.gz`
with `Content-Encoding: gzip` to a browser that accepts gzip, so a first visit and
the offline precache travel compressed without the server compressing anything
per request, and stock nginx, which compresses only `text/html` unless told
otherwise, needs no `gzip_types`. Hashed bundles (Material's) are sent with a
year's `immutable` caching by the same server files (`cache_control_for`).

Only gzip, no brotli, decided on purpose: brotli would send about a fifth
fewer bytes for our text, but neither stock nginx (`brotli_static` is a
third-party module, not in Debian's or the official packages) nor stock Apache
(`mod_brotli` compresses per request; sending `.br` copies needs rewrite
rules per server) nor IIS would serve the copies, and making them needs a
compiled dependency (Google's `brotli` package) for every build. Every server
we generate configuration for serves the `.gz` copies as they are. With
them, the shipped site's precache is about 0.57 MB on the wire and a first
visit to a page about 70 KB, most of it Material's own bundle and stylesheet
(`benchmarks/run.py` reports both against plain Material served the same way).

Every text file gets a copy, however small: a copy from an earlier build must
never outlive its file, or a server would keep sending the old bytes after a
plain copy of the new build over the old one (`rsync -a` without `--delete`).
Copies are made reproducibly (no time stamp in the header) at level 6: on the
1,000-step benchmark pack (86 MB of pages) level 9 took four times as long for
2% fewer bytes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

COMPRESSED_SUFFIX = ".gz"
TEXT_SUFFIXES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".webmanifest")
"""Text files worth compressing; images, PDFs and zips are compressed already."""

COMPRESS_LEVEL = 6


def needs_compressed_copy(uri: str) -> bool:
    """True for a text file of the site (path relative to site/), which gets a gzip copy.

    Server configuration (`_server/`, `staticwebapp.config.json`) is never served, so it gets none:
    a copy would be a file under another name that the servers' refusals do not cover."""
    from .security_headers import is_private  # here: security_headers imports this module

    return uri.endswith(TEXT_SUFFIXES) and not is_private(uri)


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
        if not needs_compressed_copy(uri):
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0)
        path.with_name(path.name + COMPRESSED_SUFFIX).write_bytes(packed)
        count += 1
        original_bytes += len(data)
        compressed_bytes += len(packed)
    return count, original_bytes, compressed_bytes
