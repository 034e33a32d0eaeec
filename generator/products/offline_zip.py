"""Post-build: a zip of the site that works when opened from disk (file://), with no server and no network.

The zip is made from the one build, not a second one: every file of the
built site goes into it as it is, except what file:// needs otherwise.

- **Pages** keep their place (`guides/g/step/index.html`). A browser on
  file:// does not turn a folder address into its `index.html`, so every link
  or reference in a page's tags (`href`, `src`, `action`) that is relative and
  names a folder (`../step/`, `./`, `..`, `../step/#why`) gets `index.html`
  after its path; a link to a file, an anchor on the same page (`#why`), an
  absolute address (`https:`, `mailto:`, `/x`) and the query and fragment are
  left as they are.
- **The search index** (`search/search_index.json`): each document's
  `location` (`guides/g/step/#why`, or `` for the home page) gets the same
  `index.html`, and the index is also written as `search/search_index.js`
  (`var __index = {config: {...}, docs: "[...]"}`: the documents as JSON
  text, parsed in the worker), which Material loads with a script tag on
  file://, where nothing can be fetched.
- **Search itself**: each page loads `assets/search/search-file.js` right
  before Material's bundle (added here: the served site never loads it), the
  stand-in for Web Workers on file://. `search_index.js` also sets `__selfhelpWorkerSource`, the text
  of the search worker (our wrapper, then Material's worker, which carries
  lunr); `search-file.js` starts it from a Blob on file://, where a worker
  cannot be started from a file, so the index is built off the page's thread.
- **Left out**: what only a server uses (`_server/`, `.htaccess`, the root
  server files: `security_headers.is_private`), the service worker (`sw.js`,
  which file:// cannot run), the `.gz` copies and the zip itself (`offline/`).

Why this is the same as building with `use_directory_urls: false` where it
matters: MkDocs computes every page link relative to the page it is on, so a
page's links differ between the two settings only in how a folder is named
(`step/` against `step.html`); rewriting the folder form to `step/index.html`
names the same file the page was built into, and leaves the relative depth,
which the page keeps, as it was. Markdown values, bodies and templates all end
up as tags in the HTML, which is what is rewritten; text that shows a tag (in
`<code>`) is escaped (`&lt;a`) and is not a tag, so it is left alone.

The zip is reproducible: the same build gives the same bytes. The entries are
deflated on a few threads (`parallel.py`) and written in path order, the bytes
`zipfile.writestr` would write. A rebuild takes the deflated entries of files
that did not change from the previous build's zip (`previous_site`: the
`site/` the staged build replaces), each only after unpacking it to exactly
the new bytes, which costs a sixth of compressing again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..site_paths import FILE_SEARCH, OFFLINE_DIR, SEARCH_INDEX, SEARCH_INDEX_SCRIPT, SEARCH_WRAPPER, SERVICE_WORKER
from .early_products import EarlyResult, file_matches, read_entry
from .parallel import give_back_freed_memory, ordered_map, site_files
from .precompress import compressed_copy_of, inflates_to
from .security_headers import is_private

_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
_LEFT_OUT = (SERVICE_WORKER,)


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


# -- links for file:// -----------------------------------------------------------------------------

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_TAG = re.compile(r"""<[a-zA-Z][a-zA-Z0-9-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
_MATERIAL_BUNDLE = re.compile(r"""<script src="((?:[^"]*/)?)assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>""")

_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|action)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)


def file_url(url: str) -> str:
    """A relative address of a folder made to name its `index.html` (`../step/#a` -> `../step/index.html#a`).

    Anything else (a file, `#a` on the same page, an absolute or root-relative address) is returned as it is."""
    if not url or url.startswith(("#", "/", "?")) or _SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.endswith("/"):
        return f"{path}index.html{rest}"
    if path.rsplit("/", 1)[-1] in (".", ".."):
        return f"{path}/index.html{rest}"
    return url


@functools.lru_cache(maxsize=4096)
def _file_url_value(value: str) -> str:
    """An attribute's value, quoted or not, with its address made `file_url`. Cached: a site's pages repeat
    the same navigation links (at 300 steps, 30,000 addresses, 1,300 different ones)."""
    quote = value[0] if value[0] in "\"'" else ""
    inner = value[1:-1] if quote else value
    return f"{quote}{file_url(inner)}{quote}"


def _rewrite_attribute(match: re.Match[str]) -> str:
    return match.group(1) + _file_url_value(match.group(2))


def _rewrite_tag(tag: re.Match[str]) -> str:
    text = tag.group(0)
    # Four tags in five (span, li, div...) have none of the three attributes: a substring test rules them out
    # faster than the attribute pattern. In ASCII only: ignoring case, the pattern also reads `ſ` as `s`.
    lowered = text.lower()
    if "href" not in lowered and "src" not in lowered and "action" not in lowered and text.isascii():
        return text
    return _URL_ATTRIBUTE.sub(_rewrite_attribute, text)


def file_url_html(html: str) -> str:
    """The page with every folder link in its tags naming `index.html` (see `file_url`), and the search
    worker's file:// stand-in loaded right before Material's bundle (which starts the worker)."""
    html = _TAG.sub(_rewrite_tag, html)
    stand_in = lambda found: f'<script src="{found.group(1)}{FILE_SEARCH}"></script>{found.group(0)}'  # noqa: E731
    return _MATERIAL_BUNDLE.sub(stand_in, html, count=1)


def file_url_location(location: str) -> str:
    """A search index location (from the site's root) for file://: `` -> `index.html`, `a/#b` -> `a/index.html#b`."""
    path, hash_mark, fragment = location.partition("#")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path + hash_mark + fragment


_LOCATION = re.compile(rb'("location"\s*:\s*")([^"\\]*(?:\\.[^"\\]*)*)(")')
"""A document's location in the index: its text with JSON's escapes in it (written as a loop unrolled, which
the regular expression engine runs several times faster than an alternation tried at each character)."""


def file_url_search_index(data: bytes) -> bytes:
    """Material's search index with every document's `location` for file:// (`file_url_location`).

    Rewritten in the text rather than parsed: a 1,000-step index is megabytes of JSON, and its objects
    would cost the build many times that in memory. Locations are page paths, which JSON writes without
    escapes; one with an escape in it is decoded and written back the same way."""

    def rewrite(found: re.Match[bytes]) -> bytes:
        written = found.group(2)
        if b"\\" not in written:  # Nearly every one: its text is its bytes, and written back as they are.
            return found.group(1) + file_url_location(written.decode("utf-8")).encode("utf-8") + found.group(3)
        location = json.loads(b'"' + written + b'"')
        encoded = json.dumps(file_url_location(location), ensure_ascii=False).encode("utf-8")
        return found.group(1) + encoded[1:-1] + found.group(3)

    return _LOCATION.sub(rewrite, data)


_DOCUMENT_START = b'{"location"'
_READ_AT_ONCE = 1024 * 1024


def read_search_index_for_files(path: Path) -> bytearray:
    """`file_url_search_index` of the file at `path`, read and rewritten a megabyte at a time: the index as
    read and its rewritten copy are never both held whole (7 MB each at 1,000 steps).

    The same bytes: each piece is cut just before a document's `{"location"`, where no location can be
    cut in two (in JSON text, a `{` followed by a quote is never inside a string)."""
    rewritten, pending = bytearray(), bytearray()
    with open(path, "rb") as file:
        while chunk := file.read(_READ_AT_ONCE):
            pending += chunk
            cut = pending.rfind(_DOCUMENT_START)
            if cut > 0:
                rewritten += file_url_search_index(bytes(memoryview(pending)[:cut]))
                del pending[:cut]
    rewritten += file_url_search_index(bytes(pending))
    return rewritten


def _config_and_docs(index_json: bytes) -> tuple[str, memoryview] | None:
    """The index's `config` (JSON text) and `docs` (the UTF-8 bytes of the list's JSON text, a view into
    `index_json`: never copied whole), cut from Material's text (`{"config":{...},"docs":[...]}`), or None
    when it is not written that way."""
    head, middle = b'{"config":', b',"docs":'
    end = _stripped_length(index_json)
    cut = index_json.find(middle, 0, end)  # ASCII: never inside a character of several bytes
    if not index_json.startswith(head) or cut < 0 or index_json[end - 1 : end] != b"}":
        return None
    config = index_json[len(head) : cut].decode("utf-8")
    try:
        json.loads(config)
    except ValueError:
        return None
    return config, memoryview(index_json)[cut + len(middle) : end - 1]


def _stripped_length(data: bytes) -> int:
    """`len(data.decode().rstrip().encode())`, without decoding the whole of `data` (Unicode's spaces too)."""
    size = len(data)
    # A tail that starts on the first byte of a character: a UTF-8 character is at most 4 bytes.
    start = max(0, size - 64)
    while 0 < start and data[start] & 0xC0 == 0x80:
        start -= 1
    tail = data[start:].decode("utf-8")
    stripped = tail.rstrip()
    if not stripped and start > 0:  # 64 bytes of white space: rare enough to decode it all.
        return len(data.decode("utf-8").rstrip().encode("utf-8"))
    return start + len(stripped.encode("utf-8"))


_QUOTED_AT_ONCE = 256 * 1024
"""Bytes of the documents' JSON text quoted at a time by `_quoted_ascii`."""


def _quoted_ascii(text: memoryview) -> Iterator[bytes]:
    """`json.dumps(bytes(text).decode(), ensure_ascii=True)` as ASCII bytes, a slice at a time.

    The same bytes: JSON quotes a string character by character, and each slice ends where a character does."""
    yield b'"'
    done = 0
    while done < len(text):
        end = min(done + _QUOTED_AT_ONCE, len(text))
        while end < len(text) and text[end] & 0xC0 == 0x80:  # not inside a character of several bytes
            end += 1
        yield json.dumps(str(text[done:end], "utf-8"), ensure_ascii=True)[1:-1].encode("ascii")
        done = end
    yield b'"'


def search_index_script_pieces(index_json: bytes, worker_source: str | None) -> Iterator[bytes]:
    """`var __index = {config: {...}, docs: "[...]"}`: the documents as one JSON string, which the page reads
    as fast as it copies it, for the search worker to parse (`WORKER_PRELUDE`); so the page's thread never
    parses the documents or copies them as objects into the worker. Then the worker's source.

    In pieces (the documents quoted a slice at a time), which the zip deflates as they come: at 1,000 steps
    the script is 8 MB beside the 7 MB index, and holding it whole was the build's peak of memory."""
    parts = _config_and_docs(index_json)
    if parts is not None and worker_source is not None:
        config, docs = parts
        try:
            yield f"var __index = {{config: {config}, docs: ".encode("ascii")
            yield from _quoted_ascii(docs)
        finally:
            docs.release()
        yield b"};\n"
    else:  # No worker to parse the documents, or an index written otherwise: parsed here, still as JSON text.
        if parts is not None:
            parts[1].release()
        yield b"var __index = JSON.parse("
        yield from _quoted_ascii(memoryview(index_json))
        yield b");\n"
    if worker_source is not None:
        yield f"self.__selfhelpWorkerSource = {json.dumps(worker_source, ensure_ascii=True)};\n".encode("ascii")


@dataclass(frozen=True)
class StreamedEntry:
    """An entry made in pieces, made again each time it is read (`pieces`), never held whole; its length and
    CRC-32 are taken by a first pass (`of`)."""

    pieces: Callable[[], Iterator[bytes]]
    size: int
    crc: int

    @classmethod
    def of(cls, pieces: Callable[[], Iterator[bytes]]) -> StreamedEntry:
        size, crc = 0, 0
        for piece in pieces():
            size, crc = size + len(piece), zlib.crc32(piece, crc)
        return cls(pieces, size, crc)


_INFLATED_AT_ONCE = 256 * 1024


def _inflates_to_pieces(raw: bytes, pieces: Iterator[bytes]) -> bool:
    """`precompress.inflates_to` for bytes that come in pieces: `raw` is one complete raw deflate stream,
    nothing after it, that unpacks to exactly the pieces one after another."""
    inflater = zlib.decompressobj(wbits=-15)
    tail: bytes = raw
    inflated = memoryview(b"")
    try:
        for piece in pieces:
            expected, at = memoryview(piece), 0
            while at < len(expected):
                if not inflated:
                    if inflater.eof:
                        return False  # The stream ended first.
                    inflated = memoryview(inflater.decompress(tail, _INFLATED_AT_ONCE))
                    tail = inflater.unconsumed_tail
                    if not inflated and not tail:
                        return False  # Every byte read and nothing more to give: cut short.
                    continue
                count = min(len(inflated), len(expected) - at)
                if inflated[:count] != expected[at : at + count]:
                    return False
                inflated, at = inflated[count:], at + count
        if inflated or inflater.decompress(tail):
            return False  # The stream unpacks to more.
    except zlib.error:
        return False
    return inflater.eof and not inflater.unused_data


WORKER_PRELUDE = """/* The zip's search_index.js hands the documents over as JSON text: parsed here, off the page. */
self.addEventListener("message", function (event) {
  var message = event.data;
  if (message && message.type === 0 && message.data && typeof message.data.docs === "string") {
    message.data.docs = JSON.parse(message.data.docs);
  }
});
"""


def worker_source(site_dir: Path) -> str | None:
    """The search worker (our wrapper, then Material's worker) as one text, for a Blob worker."""
    wrapper = site_dir / SEARCH_WRAPPER
    if not wrapper.is_file():
        return None
    text = wrapper.read_text(encoding="utf-8")
    found = re.search(r"""importScripts\(("[^"]+")\);?\s*$""", text)
    if not found:
        return None
    material = (wrapper.parent / json.loads(found.group(1))).resolve()
    if not material.is_file() or not material.is_relative_to(site_dir.resolve()):
        return None
    return WORKER_PRELUDE + text[: found.start()] + material.read_text(encoding="utf-8")


# -- the zip ---------------------------------------------------------------------------------------


def _in_copy(uri: str) -> bool:
    return not (
        uri.startswith(f"{OFFLINE_DIR}/") or uri in _LEFT_OUT or is_private(uri) or compressed_copy_of(uri) is not None
    )


@dataclass(frozen=True)
class ReadyEntry:
    """A zip entry made already while the pages were built (`early_products.py`): its unpacked length,
    CRC-32 and raw deflate stream."""

    size: int
    crc: int
    raw: bytes


def offline_files(
    site_dir: Path, early: Mapping[str, EarlyResult] | None = None, spool: IO[bytes] | None = None
) -> Iterator[tuple[str, bytes | ReadyEntry | StreamedEntry]]:
    """`(path, bytes)` of each file of the file:// copy of the built site in `site_dir`, sorted by path.

    One file at a time, straight into the zip: a 1,000-step site is 90 MB of pages, never all held at once.
    `early` and `spool`: what the worker made of files while the pages were built; a file whose bytes are
    still those it read comes as a `ReadyEntry` instead of its bytes."""
    uris = [uri for uri in site_files(site_dir) if _in_copy(uri)]
    if SEARCH_INDEX in uris:
        uris.append(SEARCH_INDEX_SCRIPT)
    index: bytearray | None = None
    written = 0
    for uri in sorted(set(uris)):
        if uri in (SEARCH_INDEX, SEARCH_INDEX_SCRIPT):
            if index is None:
                give_back_freed_memory()  # What the pages before it freed: the index is the zip's largest file.
                index = read_search_index_for_files(site_dir / SEARCH_INDEX)
            if uri == SEARCH_INDEX:
                yield uri, index
            else:
                pieces = functools.partial(search_index_script_pieces, index, worker_source(site_dir))
                yield uri, StreamedEntry.of(pieces)
            written += 1
            if written == 2:  # Both written: the index is not held to the end of the zip.
                index = None
            continue
        made = early.get(uri) if early is not None and spool is not None else None
        if made is not None and made.entry is not None and spool is not None:
            data = file_matches(site_dir / uri, made)
            ready = read_entry(spool, made.entry) if data is not None else None
            if ready is not None:
                yield uri, ReadyEntry(*ready)
                continue
        else:
            data = (site_dir / uri).read_bytes()
        if data is None:  # Changed since the worker read it: made here.
            data = (site_dir / uri).read_bytes()
        if uri.endswith(".html"):
            data = file_url_html(data.decode("utf-8")).encode("utf-8")
        yield uri, data


_DEFLATE_LEVEL = 6
"""What `zipfile` deflates at when given no level (zlib's default), so the bytes are those it would write."""


def _deflated(entry: tuple[str, bytes | ReadyEntry | StreamedEntry, tuple[int, bytes] | None]) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of an entry's bytes, exactly as `zipfile` compresses them (one call, one
    flush), or the previous zip's stream for it (its CRC-32 and stream) when that unpacks to exactly these
    bytes. zlib lets go of Python's lock meanwhile, so several entries are compressed at once."""
    _, data, previous = entry
    if isinstance(data, ReadyEntry):
        return data.crc, data.raw
    if isinstance(data, StreamedEntry):
        if previous is not None and previous[0] == data.crc and _inflates_to_pieces(previous[1], data.pieces()):
            return data.crc, previous[1]
        compressor = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15)
        raw = bytearray()
        for piece in data.pieces():
            raw += compressor.compress(piece)
        raw += compressor.flush()
        return data.crc, bytes(raw)
    crc = zlib.crc32(data)
    if previous is not None and previous[0] == crc and inflates_to(previous[1], data):
        return crc, previous[1]
    compressor = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15)
    return crc, compressor.compress(data) + compressor.flush()


class _PreviousZip:
    """The previous build's zip, read for the deflated streams of entries that may not have changed.

    Nothing in it is trusted: `_deflated` reuses a stream only when it unpacks to exactly the new bytes.
    A zip that cannot be read (none, cut short, not a zip) gives nothing."""

    def __init__(self, path: Path | None, target: Path) -> None:
        self._archive: zipfile.ZipFile | None = None
        try:
            if path is None or not path.is_file() or (target.exists() and path.samefile(target)):
                return  # The same file would be emptied by writing the new zip into it.
            self._archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError):
            self._archive = None

    def stream(self, name: str, size: int) -> tuple[int, bytes] | None:
        """(CRC-32, raw deflate stream) of the entry `name` when it is deflated, `size` bytes unpacked."""
        archive = self._archive
        info = archive.NameToInfo.get(name) if archive is not None else None
        if info is None or info.compress_type != zipfile.ZIP_DEFLATED or info.file_size != size or info.flag_bits & 1:
            return None
        try:
            assert archive is not None and archive.fp is not None
            archive.fp.seek(info.header_offset)
            header = archive.fp.read(30)
            if len(header) != 30 or header[:4] != b"PK\x03\x04":
                return None
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            archive.fp.seek(info.header_offset + 30 + name_length + extra_length)
            raw = archive.fp.read(info.compress_size)
        except (OSError, ValueError, struct.error):
            return None
        return (info.CRC, raw) if len(raw) == info.compress_size else None

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()


def _write_deflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, crc: int, raw: bytes) -> None:
    """Write an entry compressed already into `archive` (a seekable file being written), the same bytes as
    `archive.writestr(info, data)` writes (`tests/unit/test_offline_zip.py` compares the two)."""
    info.file_size, info.compress_size, info.CRC = size, len(raw), crc
    info.flag_bits = 0x00  # Sizes in the local header: the zip is a file, not a stream.
    zip64 = size * 1.05 > zipfile.ZIP64_LIMIT
    info.header_offset = archive.start_dir
    archive._writecheck(info)  # noqa: SLF001 - the checks writestr makes (duplicate names, zip64 allowed)
    archive._didModify = True  # noqa: SLF001 - so that closing writes the central directory
    archive.fp.seek(archive.start_dir)
    archive.fp.write(info.FileHeader(zip64))
    archive.fp.write(raw)
    archive.start_dir = archive.fp.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info


def _size(data: bytes | ReadyEntry | StreamedEntry) -> int:
    return data.size if isinstance(data, (ReadyEntry, StreamedEntry)) else len(data)


def zip_files(
    files: Iterable[tuple[str, bytes | ReadyEntry | StreamedEntry]],
    target: Path,
    top: str,
    threads: int = 1,
    previous: Path | None = None,
) -> None:
    """Zip `files` into `target` under the folder name `top`, in their order, with fixed times.

    The deflating happens on `threads` threads (`parallel.ordered_map`) while the next files are read
    and rewritten; the entries are written in the files' order, so the bytes do not depend on `threads`.
    `previous`: an earlier zip of the same name, whose deflated entries are reused where they unpack to
    exactly the new bytes (unpacking costs a sixth of compressing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = _PreviousZip(previous, target)
    try:
        entries = (
            (uri, data, None if isinstance(data, ReadyEntry) else old.stream(f"{top}/{uri}", _size(data)))
            for uri, data in files
        )
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=_DEFLATE_LEVEL) as archive:
            deflated = ordered_map(_deflated, entries, threads, size=lambda entry: _size(entry[1]))
            for (uri, data, _), (crc, raw) in deflated:
                info = zipfile.ZipInfo(f"{top}/{uri}", date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                _write_deflated(archive, info, _size(data), crc, raw)
    finally:
        old.close()


def offline_zip_path(site_dir: Path, site_name: str, organisation: str = "") -> Path:
    """Where `write_offline_zip` writes the zip: `<site>/offline/<name>`."""
    return Path(site_dir) / OFFLINE_DIR / zip_name(site_name, organisation)


def write_offline_zip(
    site_dir: Path,
    site_name: str,
    organisation: str = "",
    threads: int = 1,
    previous_site: Path | None = None,
    early: Mapping[str, EarlyResult] | None = None,
    spool: IO[bytes] | None = None,
) -> Path:
    """Zip a file:// copy of the built site in `site_dir` into `<site>/offline/<name>` and return its path.

    `threads`: how many threads deflate the files (`parallel.thread_count`); `previous_site`: the previous
    build, whose zip's entries are reused where nothing changed (`zip_files`); `early` and `spool`: the entries
    made while the pages were built (`early_products.py`), taken where the file is still what was read."""
    target = offline_zip_path(site_dir, site_name, organisation)
    name = target.name
    previous = Path(previous_site) / OFFLINE_DIR / name if previous_site is not None else None
    files = offline_files(Path(site_dir), early, spool)
    zip_files(files, target, top=name.removesuffix(".zip"), threads=threads, previous=previous)
    return target
