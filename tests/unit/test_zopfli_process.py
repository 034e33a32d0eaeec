"""The zopfli streams and large files' brotli copies made in a process of their own (`zopfli_process.py`): the same
bytes as in this process, from several threads at once, the build's process never loading the compressor, an answer
made of other bytes never taken, and a process that fails falls back."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generator.products.precompress import _ZOPFLI_OPTIONS, compressed_copy
from generator.products.zopfli_process import ZopfliProcess, deflate

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    b"",
    b"x",
    b"body { margin: 0 auto; }\n" * 300,
    bytes(range(256)) * 40,
    b"function f(a) { return a + 1; }\n" * 1000,  # About 32 KiB.
]


def test_the_process_gives_the_streams_made_here_from_threads_at_once() -> None:
    packer = ZopfliProcess(_ZOPFLI_OPTIONS)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            streams = list(pool.map(packer.stream, FILES * 3))
        assert streams == [deflate(data, _ZOPFLI_OPTIONS) for data in FILES * 3]
        process = packer._process  # noqa: SLF001 - one process served every thread
        assert process is not None and process.poll() is None
    finally:
        packer.close()
    assert process.wait() == 0 and packer._process is None  # noqa: SLF001
    for data in FILES:
        copy = compressed_copy(data, "a.js")
        assert gzip.decompress(copy) == data


def test_a_process_that_stops_is_not_asked_again_and_the_copies_are_made_here() -> None:
    packer = ZopfliProcess(_ZOPFLI_OPTIONS)
    assert packer.stream(FILES[2]) == deflate(FILES[2], _ZOPFLI_OPTIONS)
    process = packer._process  # noqa: SLF001
    assert process is not None
    process.kill()
    process.wait()
    assert packer.stream(FILES[2]) is None
    assert packer.stream(FILES[3]) is None
    assert compressed_copy(FILES[4], "a.js", packer) == compressed_copy(FILES[4], "a.js")
    packer.close()


def test_a_process_that_cannot_start_leaves_the_copies_to_this_one(monkeypatch: object) -> None:
    packer = ZopfliProcess(_ZOPFLI_OPTIONS)

    def cannot(*args: object, **kwargs: object) -> None:
        raise OSError("no process")

    monkeypatch.setattr(subprocess, "Popen", cannot)  # type: ignore[attr-defined]
    assert packer.stream(FILES[2]) is None
    assert compressed_copy(FILES[2], "a.css", packer) == compressed_copy(FILES[2], "a.css")
    packer.close()


def test_the_builds_process_never_loads_the_compressor(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    files = {"assets/a.js": FILES[4], "assets/b.css": FILES[2], "index.html": b"<p>page</p>" * 100}
    for uri, data in files.items():
        (site / uri).write_bytes(data)
    code = (
        "import sys; from pathlib import Path; "
        "from generator.products.precompress import write_compressed_copies; "
        f"write_compressed_copies(Path({str(site)!r}), threads=2, cache_dir=Path({str(tmp_path / 'cache')!r})); "
        "print('zopfli.zopfli' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "False"
    for uri, data in files.items():
        assert (site / (uri + ".gz")).read_bytes() == compressed_copy(data, uri), uri
    assert len(list((tmp_path / "cache").glob("*.gz"))) == 2


def test_an_answer_that_is_not_the_files_stream_is_never_written() -> None:
    class Confused(ZopfliProcess):
        def stream(self, data: bytes) -> bytes | None:
            return deflate(data + b"!", _ZOPFLI_OPTIONS)  # Another file's stream (answers out of step).

    data = FILES[2]
    assert compressed_copy(data, "a.css", Confused(_ZOPFLI_OPTIONS)) == compressed_copy(data, "a.css")
    assert gzip.decompress(compressed_copy(data, "a.css", Confused(_ZOPFLI_OPTIONS))) == data


def test_the_process_makes_the_brotli_copies_of_large_files_with_the_same_bytes(tmp_path: Path) -> None:
    import brotli

    from generator.products.precompress import BROTLI_APART_SIZE, brotli_copy, write_compressed_copies

    large = b"".join(b'{"location": "step-%d/", "text": "words %d"},' % (n, n * 7) for n in range(20_000))
    assert len(large) >= BROTLI_APART_SIZE
    packer = ZopfliProcess(_ZOPFLI_OPTIONS)
    try:
        assert packer.brotli(large, 5) == brotli.compress(large, quality=5)
        assert packer.stream(FILES[2]) == deflate(FILES[2], _ZOPFLI_OPTIONS)  # Both kinds from one process.
    finally:
        packer.close()
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "search_index.json").write_bytes(large)
    write_compressed_copies(site, threads=2)
    assert (site / "search" / "search_index.json.br").read_bytes() == brotli_copy("search/search_index.json", large)


def test_a_brotli_answer_made_of_other_bytes_is_never_taken() -> None:
    from generator.products.precompress import BROTLI_APART_SIZE, _new_brotli_copy, brotli_copy

    class Confused(ZopfliProcess):
        def _ask(self, kind: bytes, quality: int, data: bytes) -> tuple[int, bytes] | None:
            return super()._ask(kind, quality, data[1:] + b"!")  # Another file's copy (answers out of step).

    data = b"let x = 1;\n" * (BROTLI_APART_SIZE // 10)
    packer = Confused(_ZOPFLI_OPTIONS)
    try:
        assert packer.brotli(data, 5) is None
        assert packer._process is not None  # noqa: SLF001 - it answered, but a copy of other bytes...
        assert _new_brotli_copy("a.js", data, packer) == brotli_copy("a.js", data)  # ...so it is made here.
    finally:
        packer.close()
