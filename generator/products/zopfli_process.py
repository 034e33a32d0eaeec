"""Zopfli's deflate streams for the gzip copies (`precompress.py`), made in a process of its own.

The `zopfli` package's compressor is a C extension that maps about 1.6 MB of its
file and keeps about 0.7 MB of heap in the process that calls it, for the rest of
that process's life. The build needs it only for zopfli copies that neither the
cache folder nor the previous build has (a first build, an edited script or
style), which `finish` makes last, when a cold build is near its peak of memory
(the offline zip and the search index come just before). So
`write_compressed_copies` hands those files to one `ZopfliProcess`: a bare
interpreter (`-I -S`, about 10 ms to start, with only this package's folder and
the `zopfli` package's on its path), started at the first file that needs it and
ended with the copies. The early-products worker, a small process of its own
already, calls zopfli itself (`deflate`).

The streams are the same bytes either way: the same function (`deflate`) with the
same options. If the process cannot be started or stops answering, `stream` says
so (None) and the caller calls `deflate` itself.

Protocol: for each file, its length (4 bytes, big-endian) then its bytes on
standard input; the answer, the raw deflate stream, the same way on standard
output. The process ends when its input closes.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

_LENGTH = struct.Struct(">I")


def deflate(data: bytes, options: dict[str, Any]) -> bytes:
    """The raw deflate stream zopfli makes of `data` with `options` (its gzip member without the 10-byte header,
    which has no optional fields, and the 8-byte trailer)."""
    import zopfli.zopfli  # Here, not at the top: only the process that compresses maps it.

    member = zopfli.zopfli.compress(data, gzip_mode=1, **options)
    return bytes(member[10:-8])


class ZopfliProcess:
    """One process that makes zopfli streams, started on the first `stream` call; `close` ends it.

    Threads may call `stream` at once: one file is in the process at a time."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = dict(options)
        self._process: subprocess.Popen[bytes] | None = None
        self._broken = False
        self._lock = threading.Lock()

    def stream(self, data: bytes) -> bytes | None:
        """The raw deflate stream of `data` (`deflate`), or None when the process cannot be started or answer."""
        with self._lock:
            if self._broken:
                return None
            try:
                process = self._process or self._start()
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(_LENGTH.pack(len(data)) + data)
                process.stdin.flush()
                (length,) = _LENGTH.unpack(_read(process.stdout, _LENGTH.size))
                return _read(process.stdout, length)
            except (OSError, EOFError, struct.error):
                self._broken = True
                self._end()
                return None

    def close(self) -> None:
        """End the process (it ends when its input closes; it has answered every file by then)."""
        with self._lock:
            self._end()

    def _start(self) -> subprocess.Popen[bytes]:
        import zopfli  # The package's folder only (its compressor stays out of this process).

        paths = [str(Path(__file__).resolve().parents[2]), str(Path(zopfli.__file__).resolve().parents[1])]
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
    """The process: a stream for each file on standard input until it closes (see the module's text)."""
    options = json.loads(sys.argv[1])
    source, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = source.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            return
        (length,) = _LENGTH.unpack(head)
        data = source.read(length)
        if len(data) != length:
            return
        stream = deflate(data, options)
        answers.write(_LENGTH.pack(len(stream)) + stream)
        answers.flush()
