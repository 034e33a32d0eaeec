"""Post-build: a gzip copy (`<file>.gz`) beside every text file of the site, and a brotli copy (`<file>.br`)
beside its scripts, styles and data, for servers to send as they are.

nginx (`gzip_static on`) and Apache (the generated rewrite rules) send `page.html.gz`
with `Content-Encoding: gzip` to a browser that accepts gzip, so a first visit and
the offline precache travel compressed without the server compressing anything
per request, and stock nginx, which compresses only `text/html` unless told
otherwise, needs no `gzip_types`. Hashed bundles (Material's) are sent with a
year's `immutable` caching by the same server files (`cache_control_for`).

Brotli: to a browser that accepts `br`, Apache's rewrite rules (no `mod_brotli`
needed) and nginx with Debian's `libnginx-mod-http-brotli-static` (through
`_server/nginx-brotli.conf`, which a stock nginx never reads: it would refuse the
unknown `brotli_static`) send `site.js.br` with `Content-Encoding: br`, before the
gzip copy. Which files get one is a rule on the path alone, `needs_brotli_copy`:
every text file whose name ends in `.css`, `.js`, `.json`, `.svg` or
`.webmanifest` (what a page loads besides itself, the search index included),
in every build. Pages (`.html`), the sitemap and other text get none: brotli at a
quality cheap enough for 86 MB of pages (5) sends about a tenth fewer bytes than
the gzip copy, which does not pay for its time in a rebuild. The servers send a
`.br` only for paths the rule covers (the same suffixes in their configuration),
so a `.br` left over from another build (`rsync -a` without `--delete`) is either
replaced, because this build wrote one for the same path, or never sent.
Quality 11 (the smallest) for files up to 32 KiB outside
`assets/javascripts/lunr/` (every script and stylesheet of ours, the largest
about 22 KB: about 0.13 s of compression in a first build, none in a rebuild),
5 for the larger ones (Material's bundle and stylesheet, where 11 would cost a
first build another 0.27 s for 5 KB less on a first visit; the search index,
megabytes at 1,000 steps, where 11 takes seconds) and for lunr's language packs
(loaded only by sites in those languages). IIS and Azure Static Web Apps
compress by themselves and ignore both kinds of copy.

Every text file gets a gzip copy, however small: a copy from an earlier build must
never outlive its file, or a server would keep sending the old bytes after a
plain copy of the new build over the old one (`rsync -a` without `--delete`).
Copies are made reproducibly (no time stamp in the header) at level 6: on the
1,000-step benchmark pack (86 MB of pages) level 9 took four times as long for
2% fewer bytes.

Zopfli: the gzip copy of a file `needs_zopfli_copy` names (those brotli packs at
quality 11: scripts, styles and data up to 32 KiB, lunr's packs aside, so every
script and stylesheet of ours) is made by zopfli (Google's, the `zopfli`
package): the same gzip format, about 2-3% smaller than level 9 for our minified
files (a worksheet page's own script and styles: 11,938 B at gzip -9, 11,680 B).
It matters because browsers ask for brotli only over https: an intranet on
plain http gets the gzip copies. Five iterations without zopfli's block
splitting (`ZOPFLI_ITERATIONS`) take about 0.06 s of CPU for the shipped site's
21 such files; zopfli's defaults (15 iterations, block splitting) took 0.48 s
for 19 B less on a worksheet page, and level 6 about 0.002 s. Zopfli runs in a
process of its own (`zopfli_process.py`), started only when a copy must be
made: its compressor would stay in the build's process, about 2.3 MB, and a
first build makes these copies near its peak of memory.
Where zlib's level 9 stream is smaller (a tiny or incompressible file), it is the one written, so such a copy
is never larger than gzip -9's. Its header says so (XFL 2, "best compression";
level-6 copies have 0), which keeps the two kinds apart when copies are reused.
The brotli copy of a file of `BROTLI_APART_SIZE` bytes or more (the search index,
at quality 5) is made in that process too: brotli's encoder takes some 14 MB
beside a 6.8 MB index, which made the peak of a first build's memory.

A rebuild reuses the previous build's copy of a file that did not change
(`previous_dir`: the site folder the staged build will replace, still in place
while the new one is written beside it), which costs an unpacking instead of a
compression (about a sixth of the time for gzip; for a brotli copy at quality 11
or a zopfli copy, a few hundredths). A zopfli copy is also kept in the cache
folder (`cache_dir`, `<cache_dir>/gzip/`), named by a SHA-256 of the file's bytes
and of zopfli's version and settings, so a build into a fresh folder (a deleted
`site/`, another `-d`, CI with its cache kept) makes none again; the folder holds
only the copies of this build's files (`prune_cache`). Nothing about an old or
cached copy is trusted but its bytes: a gzip copy is reused only when it has the
header this module gives that file's copy (level 6 or zopfli) and unpacks, as
one complete gzip member with a matching checksum and length, to exactly the new
file's bytes (`is_copy_of`); a brotli copy only when it unpacks, as one complete stream with
nothing after it, to exactly the new file's bytes; otherwise (a changed file, a
copy edited or cut short, a file that had no copy) the copy is made afresh. Time
stamps are never looked at. A reused gzip copy is the one an earlier build made
with the same settings, so it is byte for byte what compressing again gives (as
long as Python's zlib, or zopfli's settings, did not change in between; it is a
valid copy of the file either way). A brotli stream does not say its quality: a copy made by an earlier
version with another quality is reused as it is, a valid copy of the file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import struct
import threading
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import brotli
import zopfli  # Its version only: the compressor runs in a process of its own (`zopfli_process.py`).

from .early_products import EarlyResult, file_matches
from .parallel import ordered_map, site_files
from .zopfli_process import ZopfliProcess, deflate

COMPRESSED_SUFFIX = ".gz"
TEXT_SUFFIXES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".webmanifest")
"""Text files worth compressing; images, PDFs and zips are compressed already."""

COMPRESS_LEVEL = 6

BROTLI_SUFFIX = ".br"
COPY_SUFFIXES = (COMPRESSED_SUFFIX, BROTLI_SUFFIX)
"""The names of the copies this module writes: never part of the site themselves (no zip, no precache)."""
BROTLI_TEXT_SUFFIXES = (".css", ".js", ".json", ".svg", ".webmanifest")
"""The text files that get a brotli copy too, in every build: what pages load besides themselves."""
BROTLI_BEST, BROTLI_FAST = 11, 5
BROTLI_BEST_MAX_SIZE = 32 * 1024
"""Files up to this size get a copy at quality 11 (`brotli_quality`), larger ones (the search index) at 5."""
BROTLI_FAST_FOLDERS = ("assets/javascripts/lunr/",)
"""lunr's language packs, loaded only by the search of sites in those languages: quality 5 whatever their size."""

_HEADER = gzip.compress(b"", compresslevel=COMPRESS_LEVEL, mtime=0)[:10]
"""The 10 bytes every level-6 copy starts with: no file name, no time stamp, no extra fields."""
_BEST_HEADER = _HEADER[:8] + b"\x02" + _HEADER[9:]
"""The same with XFL 2 ("the slowest, best compression"): the header of every zopfli copy (`needs_zopfli_copy`)."""

ZOPFLI_ITERATIONS = 5
"""zopfli's passes over a file (its default is 15), without its block splitting: see the module's text."""
_ZOPFLI_OPTIONS = {"numiterations": ZOPFLI_ITERATIONS, "blocksplitting": 0}
_CACHE_NAME = re.compile(r"[0-9a-f]{64}(\.gz|\.\d+\.\d+\.part)")
"""The names `write_compressed_copies` writes in its cache folder (and a build stopped while writing leaves)."""


def needs_compressed_copy(uri: str) -> bool:
    """True for a text file of the site (path relative to site/), which gets a gzip copy.

    Server configuration (`_server/`, `staticwebapp.config.json`) is never served, so it gets none:
    a copy would be a file under another name that the servers' refusals do not cover."""
    from .security_headers import is_private  # here: security_headers imports this module

    return uri.endswith(TEXT_SUFFIXES) and not is_private(uri)


def needs_brotli_copy(uri: str) -> bool:
    """True for a file of the site (path relative to site/) that gets a brotli copy beside its gzip one.

    A rule on the path alone, the same in every build, so that a file has a `.br` in every build or in
    none; the server files send a `.br` only for these suffixes (`BROTLI_TEXT_SUFFIXES`)."""
    return uri.endswith(BROTLI_TEXT_SUFFIXES) and needs_compressed_copy(uri)


def brotli_quality(uri: str, size: int) -> int:
    """The quality of the brotli copy of a file of `size` bytes at `uri`: 11 unless large or a lunr pack."""
    return BROTLI_FAST if size > BROTLI_BEST_MAX_SIZE or uri.startswith(BROTLI_FAST_FOLDERS) else BROTLI_BEST


def needs_zopfli_copy(uri: str, size: int) -> bool:
    """True for a file of `size` bytes at `uri` whose gzip copy zopfli makes: those brotli packs at quality 11
    (`brotli_quality`: scripts, styles and data up to 32 KiB, lunr's packs aside); level 6 for the others."""
    return needs_brotli_copy(uri) and brotli_quality(uri, size) == BROTLI_BEST


def compressed_copy_of(uri: str) -> str | None:
    """The file a `.gz` or `.br` path is the copy of (`a.js.gz`, `a.js.br` -> `a.js`), or None for any other path."""
    for suffix in COPY_SUFFIXES:
        if uri.endswith(suffix):
            original = uri[: -len(suffix)]
            return original if original.endswith(TEXT_SUFFIXES) else None
    return None


def compressed_copy(data: bytes, uri: str = "", packer: ZopfliProcess | None = None) -> bytes:
    """The gzip copy of `data`, the file at `uri`, as this module writes it (reproducible: no time stamp): by
    zopfli where `needs_zopfli_copy` says so (or zlib at level 9 where that is smaller), else at level 6.

    `packer`: the process that runs zopfli (`zopfli_process.py`); without one, this process runs it."""
    if not needs_zopfli_copy(uri, len(data)):
        return gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = min(_zopfli_stream(data, packer), deflater.compress(data) + deflater.flush(), key=len)
    return _BEST_HEADER + stream + struct.pack("<LL", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def _zopfli_stream(data: bytes, packer: ZopfliProcess | None = None) -> bytes:
    """The raw deflate stream zopfli makes of `data`: from `packer` when its answer unpacks to exactly `data`, else
    (no packer, one that failed) made here."""
    stream = packer.stream(data) if packer is not None else None
    return stream if stream is not None and inflates_to(stream, data) else deflate(data, _ZOPFLI_OPTIONS)


def is_copy_of(packed: bytes, data: bytes, uri: str = "") -> bool:
    """True when `packed` is one gzip member with the header this module gives the copy of `data` (the file at
    `uri`: `needs_zopfli_copy`) that unpacks to exactly `data`."""
    header = _BEST_HEADER if needs_zopfli_copy(uri, len(data)) else _HEADER
    if len(packed) < len(header) + 8 or not packed.startswith(header):
        return False
    if packed[-8:] != struct.pack("<LL", zlib.crc32(data), len(data) & 0xFFFFFFFF):
        return False
    return inflates_to(memoryview(packed)[len(header) : -8], data)  # The raw deflate stream between the two.


def brotli_copy(uri: str, data: bytes) -> bytes:
    """The brotli copy of the file `uri` holding `data`, at the quality `brotli_quality` gives it."""
    return bytes(brotli.compress(data, quality=brotli_quality(uri, len(data))))


BROTLI_APART_SIZE = 256 * 1024
"""A brotli copy of a file this large is made in the zopfli process (`zopfli_process.py`): the encoder's window
and tables are megabytes (14 MB for a 6.8 MB search index), which would stack on the build's own peak."""


def _new_brotli_copy(uri: str, data: bytes, packer: ZopfliProcess | None) -> bytes:
    """`brotli_copy`, made by `packer` (the same bytes) for a file of `BROTLI_APART_SIZE` bytes or more."""
    if packer is not None and len(data) >= BROTLI_APART_SIZE:
        made = packer.brotli(data, brotli_quality(uri, len(data)))
        if made is not None:
            return made
    return brotli_copy(uri, data)


def is_brotli_copy_of(packed: bytes, data: bytes) -> bool:
    """True when `packed` is one complete brotli stream, nothing after it, that unpacks to exactly `data`."""
    if not packed:
        return False
    decompressor = brotli.Decompressor()
    expected = memoryview(data)
    done = 0
    try:
        chunk = decompressor.process(packed, output_buffer_limit=_COMPARED_AT_ONCE)
        while True:
            if expected[done : done + len(chunk)] != chunk:
                return False
            done += len(chunk)
            if decompressor.is_finished():
                break
            if done > len(data):
                return False
            chunk = decompressor.process(b"", output_buffer_limit=_COMPARED_AT_ONCE)
            if not chunk and not decompressor.is_finished():
                return False  # Every byte read, nothing more to give, and no end: the stream is cut short.
    except brotli.error:  # Not brotli, or bytes after the stream's end.
        return False
    return done == len(data)


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


def _previous_copy(previous_dir: Path | None, uri: str, data: bytes, suffix: str = COMPRESSED_SUFFIX) -> bytes | None:
    """The previous build's `.gz` (or `.br`) copy of `uri` when it is a copy of `data` (`is_copy_of`,
    `is_brotli_copy_of`), else None."""
    if previous_dir is None:
        return None
    try:
        packed = (previous_dir / (uri + suffix)).read_bytes()
    except OSError:  # No copy there (a new file), or not a file.
        return None
    copy_of = is_brotli_copy_of(packed, data) if suffix == BROTLI_SUFFIX else is_copy_of(packed, data, uri)
    return packed if copy_of else None


def gzip_copy(
    uri: str,
    data: bytes,
    previous_dir: Path | None = None,
    cache_dir: Path | None = None,
    packer: ZopfliProcess | None = None,
) -> bytes:
    """The gzip copy of the file `uri` holding `data`: a zopfli copy from the cache folder, else the previous
    build's copy, else made (`compressed_copy`, zopfli on `packer`), each taken only where it is a copy of `data`
    (`is_copy_of`); a zopfli copy not found in the cache is put there, for a build into a fresh folder."""
    cache = cache_dir if needs_zopfli_copy(uri, len(data)) else None
    name = _cache_name(data) if cache is not None else ""
    if cache is not None:
        try:
            packed = (cache / name).read_bytes()
        except OSError:  # Not there yet (a new or edited file, an emptied cache), or unreadable.
            packed = b""
        if is_copy_of(packed, data, uri):
            return packed
    packed = _previous_copy(previous_dir, uri, data) or compressed_copy(data, uri, packer)
    if cache is not None:
        _write_cached(cache, name, packed)
    return packed


def _cache_name(data: bytes) -> str:
    """The name of the zopfli copy of `data` in the cache folder: a hash of the bytes and of how they are packed."""
    settings = f"zopfli {zopfli.__version__} {sorted(_ZOPFLI_OPTIONS.items())}\0".encode()
    return hashlib.sha256(settings + data).hexdigest() + COMPRESSED_SUFFIX


def _write_cached(cache_dir: Path, name: str, packed: bytes) -> None:
    try:  # Written whole, then renamed: a build stopped midway leaves no half file, nor do two writers of one name.
        cache_dir.mkdir(parents=True, exist_ok=True)
        part = cache_dir / f"{name.removesuffix(COMPRESSED_SUFFIX)}.{os.getpid()}.{threading.get_ident()}.part"
        part.write_bytes(packed)
        os.replace(part, cache_dir / name)
    except OSError:
        pass  # A read-only cache folder: made again next build.


def prune_cache(cache_dir: Path, used: set[str]) -> None:
    """Delete the cached copies of files this build does not have (an edited or deleted file) and parts left by a
    build stopped while writing: like the PDF and script caches, the folder holds only what the site uses now."""
    try:
        entries = list(cache_dir.iterdir())
    except OSError:
        return  # No cache folder yet, or unreadable: nothing to tidy.
    for entry in entries:
        if _CACHE_NAME.fullmatch(entry.name) and entry.name not in used:
            try:
                entry.unlink(missing_ok=True)
            except OSError:
                pass


def _file_size(text: tuple[Path, str]) -> int:
    return text[0].stat().st_size


def _write_copy(
    path: Path,
    uri: str,
    previous_dir: Path | None,
    early: EarlyResult | None = None,
    cache_dir: Path | None = None,
    packer: ZopfliProcess | None = None,
) -> tuple[int, int, int, str]:
    """Write the file's gzip copy (and its brotli copy, `needs_brotli_copy`): (its bytes, the gzip copy's, the
    brotli copy's or 0, the name of its zopfli copy in the cache or "")."""
    copy = path.with_name(path.name + COMPRESSED_SUFFIX)
    data: bytes | None = None
    gzip_size = None
    if early is not None and early.gzip_size is not None:
        # Written while the pages were built (`early_products.py`): kept when the file is still what was read.
        try:
            copied = copy.stat().st_size == early.gzip_size
        except OSError:
            copied = False
        if copied:
            data = file_matches(path, early)
            gzip_size = early.gzip_size if data is not None else None
    if data is None or gzip_size is None:
        data = path.read_bytes()
        packed = gzip_copy(uri, data, previous_dir, cache_dir, packer)
        copy.write_bytes(packed)
        gzip_size = len(packed)
    brotli_size = 0
    if needs_brotli_copy(uri):
        squeezed = _previous_copy(previous_dir, uri, data, BROTLI_SUFFIX) or _new_brotli_copy(uri, data, packer)
        path.with_name(path.name + BROTLI_SUFFIX).write_bytes(squeezed)
        brotli_size = len(squeezed)
    cached = _cache_name(data) if cache_dir is not None and needs_zopfli_copy(uri, len(data)) else ""
    return len(data), gzip_size, brotli_size, cached


def write_compressed_copies(
    site_dir: Path,
    previous_dir: Path | None = None,
    threads: int = 1,
    early: Mapping[str, EarlyResult] | None = None,
    handed: Iterable[str] = (),
    cache_dir: Path | None = None,
) -> tuple[int, int, int]:
    """Write `<file>.gz` beside each text file of the built site, and `<file>.br` beside those of
    `needs_brotli_copy`.

    `previous_dir`: the previous build of the site, whose copies are reused where they unpack to the new
    file's bytes (see the module's text). `threads`: how many files are read, compressed (or checked) and
    written at once (`parallel.ordered_map`). `early`: the copies written while the pages were built
    (`early_products.py`), kept where the file is still the bytes they were made of; `handed`: the files the
    worker was given, whose copy is deleted if the file is gone. `cache_dir`: where zopfli copies are kept
    between builds (`gzip_copy`), left with only this build's (`prune_cache`).
    Returns (files compressed, their bytes, the bytes of their gzip copies).
    """
    early = early or {}
    texts = [(site_dir / uri, uri) for uri in site_files(site_dir) if needs_compressed_copy(uri)]
    for uri in (set(handed) | early.keys()) - {uri for _, uri in texts}:
        if needs_compressed_copy(uri) and not (site_dir / uri).exists():
            for suffix in COPY_SUFFIXES:
                (site_dir / (uri + suffix)).unlink(missing_ok=True)
    count = original_bytes = compressed_bytes = 0
    packer = ZopfliProcess(_ZOPFLI_OPTIONS)  # Started only if a zopfli copy must be made.
    copies = ordered_map(
        lambda text: _write_copy(*text, previous_dir, early.get(text[1]), cache_dir, packer),
        texts,
        threads,
        size=_file_size,
    )
    used: set[str] = set()
    try:
        for _, (size, packed_size, _brotli_size, cached) in copies:
            count += 1
            original_bytes += size
            compressed_bytes += packed_size
            used.add(cached)
    finally:
        packer.close()
    if cache_dir is not None:
        prune_cache(cache_dir, used)
    return count, original_bytes, compressed_bytes
