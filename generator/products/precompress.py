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

A rebuild reuses the previous build's copy of a file that did not change
(`previous_dir`: the site folder the staged build will replace, still in place
while the new one is written beside it), which costs an unpacking instead of a
compression (about a sixth of the time). Nothing about the old copy is trusted
but its bytes: it is reused only when it has the header this module writes and
unpacks, as one complete gzip member with a matching checksum and length, to
exactly the new file's bytes; otherwise (a changed file, a copy edited or cut
short, a file that had no copy) the copy is made afresh. Time stamps are never
looked at. A reused copy is the one an earlier build made with the same
settings, so it is byte for byte what compressing again gives (as long as
Python's zlib did not change in between; it is a valid copy of the file either
way).
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .early_products import EarlyResult, file_matches
from .parallel import ordered_map, site_files

COMPRESSED_SUFFIX = ".gz"
TEXT_SUFFIXES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".webmanifest")
"""Text files worth compressing; images, PDFs and zips are compressed already."""

COMPRESS_LEVEL = 6

_HEADER = gzip.compress(b"", compresslevel=COMPRESS_LEVEL, mtime=0)[:10]
"""The 10 bytes every copy starts with: no file name, no time stamp, no extra fields."""


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


def compressed_copy(data: bytes) -> bytes:
    """The gzip copy of `data` as this module writes it (reproducible: no time stamp)."""
    return gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0)


def is_copy_of(packed: bytes, data: bytes) -> bool:
    """True when `packed` is one gzip member with this module's header that unpacks to exactly `data`."""
    if len(packed) < len(_HEADER) + 8 or not packed.startswith(_HEADER):
        return False
    if packed[-8:] != struct.pack("<LL", zlib.crc32(data), len(data) & 0xFFFFFFFF):
        return False
    return inflates_to(memoryview(packed)[len(_HEADER) : -8], data)  # The raw deflate stream between the two.


_COMPARED_AT_ONCE = 64 * 1024
"""Bytes unpacked at a time by `inflates_to`: the file is never held twice (a search index is megabytes)."""


def inflates_to(raw: bytes | memoryview, data: bytes) -> bool:
    """True when `raw` is one complete raw deflate stream, nothing after it, that unpacks to exactly `data`."""
    inflater = zlib.decompressobj(wbits=-15)
    expected = memoryview(data)
    done = 0
    tail: bytes | memoryview = raw
    try:
        while not inflater.eof:
            chunk = inflater.decompress(tail, _COMPARED_AT_ONCE)
            if expected[done : done + len(chunk)] != chunk:
                return False
            done += len(chunk)
            tail = inflater.unconsumed_tail
            if not tail and len(chunk) < _COMPARED_AT_ONCE and not inflater.eof:
                return False  # Every byte read, nothing more to give, and no end: the stream is cut short.
    except zlib.error:
        return False
    return done == len(data) and not inflater.unused_data and not inflater.unconsumed_tail


def _previous_copy(previous_dir: Path | None, uri: str, data: bytes) -> bytes | None:
    """The previous build's copy of `uri` when it is a copy of `data` (`is_copy_of`), else None."""
    if previous_dir is None:
        return None
    try:
        packed = (previous_dir / (uri + COMPRESSED_SUFFIX)).read_bytes()
    except OSError:  # No copy there (a new file), or not a file.
        return None
    return packed if is_copy_of(packed, data) else None


def _file_size(text: tuple[Path, str]) -> int:
    return text[0].stat().st_size


def _write_copy(path: Path, uri: str, previous_dir: Path | None, early: EarlyResult | None = None) -> tuple[int, int]:
    copy = path.with_name(path.name + COMPRESSED_SUFFIX)
    if early is not None and early.gzip_size is not None:
        # Written while the pages were built (`early_products.py`): kept when the file is still what was read.
        try:
            copied = copy.stat().st_size == early.gzip_size
        except OSError:
            copied = False
        if copied and file_matches(path, early) is not None:
            return early.size, early.gzip_size
    data = path.read_bytes()
    packed = _previous_copy(previous_dir, uri, data) or compressed_copy(data)
    copy.write_bytes(packed)
    return len(data), len(packed)


def write_compressed_copies(
    site_dir: Path,
    previous_dir: Path | None = None,
    threads: int = 1,
    early: Mapping[str, EarlyResult] | None = None,
    handed: Iterable[str] = (),
) -> tuple[int, int, int]:
    """Write `<file>.gz` beside each text file of the built site.

    `previous_dir`: the previous build of the site, whose copies are reused where they unpack to the new
    file's bytes (see the module's text). `threads`: how many files are read, compressed (or checked) and
    written at once (`parallel.ordered_map`). `early`: the copies written while the pages were built
    (`early_products.py`), kept where the file is still the bytes they were made of; `handed`: the files the
    worker was given, whose copy is deleted if the file is gone.
    Returns (files compressed, their bytes, the bytes of their copies).
    """
    early = early or {}
    texts = [(site_dir / uri, uri) for uri in site_files(site_dir) if needs_compressed_copy(uri)]
    for uri in (set(handed) | early.keys()) - {uri for _, uri in texts}:
        if needs_compressed_copy(uri) and not (site_dir / uri).exists():
            (site_dir / (uri + COMPRESSED_SUFFIX)).unlink(missing_ok=True)
    count = original_bytes = compressed_bytes = 0
    copies = ordered_map(
        lambda text: _write_copy(*text, previous_dir, early.get(text[1])), texts, threads, size=_file_size
    )
    for _, (size, packed_size) in copies:
        count += 1
        original_bytes += size
        compressed_bytes += packed_size
    return count, original_bytes, compressed_bytes
