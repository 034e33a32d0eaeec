"""During the build: the offline zip's entries, the gzip copies and the egress check of files as they are written,
on a core that would otherwise idle.

Plain MkDocs builds its pages on one core, and in a warm build (every PDF in
the cache) nothing else runs: the machine's other cores are idle until
`pipeline.finish`, which then scans, rewrites, deflates and gzips every page
on the build's own core. `EarlyProducts` hands that per-file work to one
worker process (`python -c ...main()`: a fresh interpreter that imports only
this module's few dependencies) while the pages are still being built:

- the adapter tells it each page as MkDocs starts the next one (`page`, from
  `on_page_context`): MkDocs writes a page right after its `on_post_page`, so
  when the next page starts, the one before is complete on disk; at the first
  page it also hands over every file written before the pages (static
  assets, `404.html`, the sitemap); the last page is handed over as the
  post-build step begins (`all_written`);
- for each file the worker reads its bytes and makes what `finish` would make
  of them, with the same functions: the addresses on other hosts a page or
  stylesheet loads (`egress.file_external_addresses`), its SHA-256 and its
  copy's (the service worker's and deploy script's lists: `parallel.file_digest`
  takes them, under the same check), the gzip copy
  (`precompress.gzip_copy`, reusing the cached or previous build's copy where
  it unpacks to exactly these bytes), written beside the file, and the zip entry
  (`offline_zip`: the page's links made file links, deflated or taken from
  the previous zip the same way), whose raw stream goes to a spool file (an
  unnamed temporary file the parent passes it), not to memory; then one
  line for the file (its length and CRC-32, where its results are) in a
  second unnamed file: a line there means the file's products are complete.

Why the result is the same bytes: the worker runs the same functions on the
same bytes; `finish` takes a result only after reading the file again and
finding the same length and CRC-32 (a file changed after the worker read it,
for instance by another plugin's `on_post_build`, is done again in
`finish`), writes the zip's entries in path order as before, and deletes a
copy whose file is gone. Anything the worker did not do (a file it was not
told of or had not reached, an error, a crash, a worker that could not
start) is done in `finish` as without it: the worker can make the build
faster, never different, and its errors never reach the build (`finish`
meets the same error and reports it as it always did).

When it runs: only on a core that would otherwise idle. It runs at the
lowest priority (`SCHED_IDLE` on Linux, else `nice` 19), so it never takes
the build's core; it is not started with `concurrency: 1`, on a one-core
machine, while the PDF pack renders on worker processes during the pages (a
cold build: they have the other cores, and the work is done in `finish` as
before), or under `mkdocs serve` or `selfhelp check` (no zip, no copies).
`finish` never waits for it (`results`): a worker still busy (a loaded
machine gave it no core) is ended, and `finish` does what it had not done.
Its memory is that of a small interpreter plus one file at a time.

Ending it: the worker ignores Ctrl-C (the build ends it, as the PDF workers)
and ends by itself when its input closes, so it never outlives the build's
process for long; `close` (a failed or interrupted build, or the next build
of the same process) kills it at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

_GZIP = "gzip"
_ZIP = "zip"


@dataclass(frozen=True)
class EarlyResult:
    """What the worker made of one file: the length and CRC-32 of the bytes it read, and (when it made them)
    its gzip copy's length and its zip entry (unpacked length, CRC-32, and the raw stream's place in the spool)."""

    size: int
    crc: int
    gzip_size: int | None = None
    entry: tuple[int, int, int, int] | None = None
    """(unpacked length, CRC-32, offset in the spool, raw length)."""
    external: list[str] | None = None
    """A page's or stylesheet's addresses on other hosts (`egress.file_external_addresses`)."""
    digest: str = ""
    """The SHA-256 of the file's bytes (hex), for the service worker's and the deploy script's lists."""
    gzip_crc: int = 0
    gzip_digest: str = ""
    """The CRC-32 and SHA-256 of its gzip copy."""

    def digests(self, site_dir: Path, uri: str) -> dict[str, tuple[int, int, str]]:
        """`parallel.known_digests` entries of the file and its copy: {path: (length, CRC-32, SHA-256)}."""
        path = os.fspath(site_dir / uri)
        found = {path: (self.size, self.crc, self.digest)} if self.digest else {}
        if self.gzip_size is not None and self.gzip_digest:
            found[path + ".gz"] = (self.gzip_size, self.gzip_crc, self.gzip_digest)
        return found


def file_matches(path: Path, result: EarlyResult) -> bytes | None:
    """The file's bytes when they are the bytes the worker read (same length and CRC-32), else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) == result.size and zlib.crc32(data) == result.crc else None


class EarlyProducts:
    """The worker process and what it made (see the module's text)."""

    def __init__(
        self,
        site_dir: Path,
        *,
        previous_site: Path | None,
        zip_target: Path | None,
        zip_previous: Path | None,
        gzip: bool,
        gzip_cache: Path | None = None,
    ) -> None:
        self.site_dir = Path(site_dir)
        self.pending: str | None = None
        self.started_pages = False
        self.sent: set[str] = set()
        """Every file handed to the worker (a gzip copy it wrote of a file now gone is deleted in `finish`)."""
        self._spool: IO[bytes] | None = tempfile.TemporaryFile(prefix="selfhelp-early-")  # noqa: SIM115 - see close()
        self._made: IO[bytes] | None = tempfile.TemporaryFile(prefix="selfhelp-early-")  # noqa: SIM115 - see close()
        settings = {
            "site": str(self.site_dir),
            "previous_site": str(previous_site) if previous_site is not None else None,
            "zip_top": zip_target.name.removesuffix(".zip") if zip_target is not None else None,
            "zip_target": str(zip_target) if zip_target is not None else None,
            "zip_previous": str(zip_previous) if zip_previous is not None else None,
            "gzip": gzip,
            "gzip_cache": str(gzip_cache) if gzip_cache is not None else None,
            "spool": self._spool.fileno(),
            "made": self._made.fileno(),
        }
        root = str(Path(__file__).resolve().parents[2])
        code = f"import sys; sys.path.insert(0, {root!r}); from generator.products.early_products import main; main()"
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", code, json.dumps(settings)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(self._spool.fileno(), self._made.fileno()),
        )

    @property
    def running(self) -> bool:
        """True until the worker is known to be gone (ended, or found dead when handed a file)."""
        return self._process is not None

    def _send(self, uris: list[str]) -> None:
        process = self._process
        if process is None or process.stdin is None or process.stdin.closed:
            return
        fresh = [uri for uri in uris if uri not in self.sent and "\n" not in uri]
        self.sent.update(fresh)
        try:
            process.stdin.write("".join(f"{uri}\n" for uri in fresh).encode("utf-8", "surrogateescape"))
            process.stdin.flush()
        except OSError:  # The worker is gone: `finish` does everything itself.
            self.close()

    def page(self, dest_uri: str) -> None:
        """MkDocs starts building the page written to `dest_uri`: the page before it is complete on disk."""
        if not self.started_pages:
            self.started_pages = True
            from .parallel import site_files

            self._send(site_files(self.site_dir))  # Written before the pages: assets, 404.html, the sitemap.
        if self.pending is not None:
            self._send([self.pending])
        self.pending = dest_uri

    def all_written(self, *, wait: bool = False) -> None:
        """Every page is written (`finish` starts): hand over the last one; the worker ends once it is done
        (`wait`: wait for that, which the build never does)."""
        if self.pending is not None:
            self._send([self.pending])
            self.pending = None
        process = self._process
        if process is not None and process.stdin is not None and not process.stdin.closed:
            try:
                process.stdin.close()
            except OSError:
                pass
        if wait and process is not None:
            process.wait()

    def results(self) -> tuple[dict[str, EarlyResult], IO[bytes] | None]:
        """What the worker made, by path, and the spool of its zip entries (open until `close`).

        Never waits for it: a worker still busy (a loaded machine gave it no core) is ended, and what it had
        not finished is done by `finish` as it would be without it."""
        self.all_written()
        process, made = self._process, self._made
        if process is None or made is None:
            return {}, None
        if process.poll() is None:
            process.kill()
        process.wait()
        found: dict[str, EarlyResult] = {}
        lines = os.pread(made.fileno(), os.fstat(made.fileno()).st_size, 0).split(b"\n")
        for line in lines[:-1]:  # Each line is written whole; a worker ended mid-line leaves no newline.
            try:
                uri, size, crc, gzip_size, entry, external, digest, gzip_crc, gzip_digest = json.loads(line)
                entry = tuple(entry) if entry is not None else None
                found[uri] = EarlyResult(size, crc, gzip_size, entry, external, digest, gzip_crc, gzip_digest)
            except (ValueError, TypeError):
                continue
        return found, self._spool

    def close(self) -> None:
        """End the worker now (a failed or interrupted build, or one done with it) and drop its files."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdin is not None:
                try:
                    process.stdin.close()
                except OSError:
                    pass
        for name in ("_spool", "_made"):
            spooled = getattr(self, name)
            setattr(self, name, None)
            if spooled is not None:
                spooled.close()


def read_entry(spool: IO[bytes], entry: tuple[int, int, int, int]) -> tuple[int, int, bytes] | None:
    """(unpacked length, CRC-32, raw deflate stream) of a zip entry the worker made, from the spool."""
    size, crc, offset, length = entry
    raw = os.pread(spool.fileno(), length, offset)
    return (size, crc, raw) if len(raw) == length else None


# -- the worker process ----------------------------------------------------------------------------


def _work(uri: str, settings: dict[str, Any], state: dict[str, Any]) -> list[Any] | None:
    from ..site_paths import SEARCH_INDEX
    from .egress import file_external_addresses
    from .offline_zip import _deflated, _in_copy, file_url_html
    from .precompress import COMPRESSED_SUFFIX, gzip_copy, needs_compressed_copy

    gzipped = settings["gzip"] and needs_compressed_copy(uri)
    zipped = settings["zip_top"] is not None and _in_copy(uri) and uri != SEARCH_INDEX
    path = Path(settings["site"]) / uri
    checked = uri.endswith((".html", ".css"))
    if not (gzipped or zipped or checked) or path.is_symlink() or not path.is_file():
        return None
    data = path.read_bytes()
    external = file_external_addresses(uri, data)
    digest = hashlib.sha256(data).hexdigest()
    result: list[Any] = [uri, len(data), zlib.crc32(data), None, None, external, digest, 0, ""]
    if gzipped:
        previous = Path(settings["previous_site"]) if settings["previous_site"] else None
        cache = Path(settings["gzip_cache"]) if settings.get("gzip_cache") else None
        packed = gzip_copy(uri, data, previous, cache)
        path.with_name(path.name + COMPRESSED_SUFFIX).write_bytes(packed)
        result[3], result[7], result[8] = len(packed), zlib.crc32(packed), hashlib.sha256(packed).hexdigest()
    if zipped:
        entry = file_url_html(data.decode("utf-8")).encode("utf-8") if uri.endswith(".html") else data
        old = state["previous_zip"]
        crc, raw = _deflated((uri, entry, old.stream(f"{settings['zip_top']}/{uri}", len(entry))))
        offset, done = state["offset"], 0
        while done < len(raw):  # At this entry's own offset: a write cut short by an error moves no later entry.
            done += os.pwrite(settings["spool"], memoryview(raw)[done:], offset + done)
        state["offset"] = offset + len(raw)
        result[4] = [len(entry), crc, offset, len(raw)]
    return result


def _lowest_priority() -> None:
    """Run only on a core nothing else wants: never taking the build's core from it (`SCHED_IDLE` on Linux)."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        try:
            os.nice(19)
        except (AttributeError, OSError):
            pass


def main() -> None:
    """The worker: paths on standard input, one a line, until it closes; a JSON line for each file it made."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # The build ends it (`close`), as it ends the PDF workers.
    _lowest_priority()
    settings = json.loads(sys.argv[1])
    from .offline_zip import _PreviousZip

    state: dict[str, Any] = {"offset": 0, "previous_zip": None}
    if settings["zip_top"]:
        previous = Path(settings["zip_previous"]) if settings["zip_previous"] else None
        state["previous_zip"] = _PreviousZip(previous, Path(settings["zip_target"]))
    written = 0
    for line in sys.stdin.buffer:
        uri = line.rstrip(b"\n").decode("utf-8", "surrogateescape")
        try:
            result = _work(uri, settings, state)
        except Exception:  # noqa: BLE001 - left for `finish`, which meets the same error and reports it
            result = None
        if result is not None:
            record = json.dumps(result).encode("utf-8") + b"\n"
            while record:  # The line after the file's products: a line read back means they are complete.
                done = os.pwrite(settings["made"], record, written)
                written += done
                record = record[done:]
    if state["previous_zip"] is not None:
        state["previous_zip"].close()
