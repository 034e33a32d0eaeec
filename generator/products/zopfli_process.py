"""Zopfli's deflate streams for the gzip copies, and the brotli copies of large files (`precompress.py`), made in a
process of its own.

The `zopfli` package's compressor is a C extension that maps about 1.6 MB of its
file and keeps about 0.7 MB of heap in the process that calls it, for the rest of
that process's life. The build needs it only for zopfli copies that neither the
cache folder nor the previous build has (a first build, an edited script or
style), which `finish` makes last, when a cold build is near its peak of memory
(the offline zip and the search index come just before). Brotli's encoder, for a
file of megabytes (the search index, 6.8 MB at 1,000 steps, at quality 5), fills a
window of 4 MB and tables beside it: some 14 MB above the file itself, which was
the peak of a first build's memory (the brotli copy of a changed search index). So
`write_compressed_copies` hands both to one `ZopfliProcess`: a bare
interpreter (`-I -S`, about 10 ms to start, with only this package's folder and
the `zopfli` and `brotli` packages' on its path), started at the first file that
needs it and ended with the copies. The early-products worker, a small process of
its own already, calls zopfli itself (`deflate`).

The copies are the same bytes either way: the same function (`deflate`, or
`brotli.compress` at the quality asked) with the same options. If the process
cannot be started or stops answering, `stream` and `brotli` say so (None) and the
caller compresses in its own process.

Protocol: for each file, what to make (one byte: `z` for a zopfli stream, `b` for a
brotli copy, then the brotli quality, one byte) and its length (4 bytes, big-endian)
then its bytes on standard input; the answer, the raw deflate stream or the brotli
copy, with the CRC-32 of the bytes it was made of (4 bytes, so that a copy is never
taken for another file's), its length then its bytes, on standard output. The
process ends when its input closes.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path
from typing import IO, Any

_REQUEST = struct.Struct(">cBI")
"""What to make (`z` zopfli, `b` brotli), the brotli quality (0 for zopfli), the file's length."""
_ANSWER = struct.Struct(">II")
"""The CRC-32 of the bytes the answer was made of, and its length."""


def deflate(data: bytes, options: dict[str, Any]) -> bytes:
    """The raw deflate stream zopfli makes of `data` with `options` (its gzip member without the 10-byte header,
    which has no optional fields, and the 8-byte trailer)."""
    import zopfli.zopfli  # Here, not at the top: only the process that compresses maps it.

    member = zopfli.zopfli.compress(data, gzip_mode=1, **options)
    return bytes(member[10:-8])


class ZopfliProcess:
    """One process that makes zopfli streams and brotli copies, started on the first `stream` or `brotli` call;
    `close` ends it.

    Threads may call `stream` and `brotli` at once: one file is in the process at a time."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = dict(options)
        self._process: subprocess.Popen[bytes] | None = None
        self._broken = False
        self._lock = threading.Lock()

    def stream(self, data: bytes) -> bytes | None:
        """The raw deflate stream of `data` (`deflate`), or None when the process cannot be started or answer."""
        return self._answer(b"z", 0, data)

    def brotli(self, data: bytes, quality: int) -> bytes | None:
        """The brotli copy of `data` at `quality` (`brotli.compress`), or None when the process cannot be started
        or answer."""
        return self._answer(b"b", quality, data)

    def _answer(self, kind: bytes, quality: int, data: bytes) -> bytes | None:
        """The process's answer, when it was made of `data` (the CRC-32 it gives is that of `data`)."""
        answered = self._ask(kind, quality, data)
        return answered[1] if answered is not None and answered[0] == zlib.crc32(data) else None

    def _ask(self, kind: bytes, quality: int, data: bytes) -> tuple[int, bytes] | None:
        with self._lock:
            if self._broken:
                return None
            try:
                process = self._process or self._start()
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(_REQUEST.pack(kind, quality, len(data)))
                process.stdin.write(data)  # Apart: joined to its header, a search index would be held twice.
                process.stdin.flush()
                crc, length = _ANSWER.unpack(_read(process.stdout, _ANSWER.size))
                answer = _read(process.stdout, length)
            except (OSError, EOFError, struct.error):
                self._broken = True
                self._end()
                return None
        return crc, answer

    def close(self) -> None:
        """End the process (it ends when its input closes; it has answered every file by then)."""
        with self._lock:
            self._end()

    def _start(self) -> subprocess.Popen[bytes]:
        import brotli
        import zopfli  # The package's folder only (its compressor stays out of this process).

        folders = (Path(__file__).resolve().parents[2], Path(zopfli.__file__).resolve().parents[1])
        paths = list(dict.fromkeys(map(str, (*folders, Path(brotli.__file__).resolve().parent))))  # A module there.
        code = f"import sys; sys.path[:0] = {paths!r}; from generator.products.zopfli_process import main; main()"
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-I", "-S", "-c", code, json.dumps(self.options)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        return self._process

    def _end(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for pipe in (process.stdin, process.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        if self._broken and process.poll() is None:
            process.kill()
        process.wait()


def _read(pipe: IO[bytes], length: int) -> bytes:
    data = pipe.read(length)
    if data is None or len(data) != length:
        raise EOFError("the zopfli process stopped")
    return data


def main() -> None:
    """The process: an answer for each file on standard input until it closes (see the module's text)."""
    options = json.loads(sys.argv[1])
    source, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = source.read(_REQUEST.size)
        if len(head) < _REQUEST.size:
            return
        kind, quality, length = _REQUEST.unpack(head)
        data = source.read(length)
        if len(data) != length:
            return
        if kind == b"b":
            import brotli

            answer = bytes(brotli.compress(data, quality=quality))
        else:
            answer = deflate(data, options)
        answers.write(_ANSWER.pack(zlib.crc32(data), len(answer)))
        answers.write(answer)
        answers.flush()
        del data, answer  # Not held while the next file is read.
