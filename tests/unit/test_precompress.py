"""The gzip copies (`precompress.py`): a rebuild reuses the previous build's copy only when it is a copy of the new file."""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

import pytest

from generator.products import precompress
from generator.products.precompress import compressed_copy, inflates_to, is_copy_of, write_compressed_copies

PAGE = b"<html><body>" + b"A page that stays the same. " * 200 + b"</body></html>"


def _site(folder: Path, files: dict[str, bytes]) -> Path:
    for uri, data in files.items():
        (folder / uri).parent.mkdir(parents=True, exist_ok=True)
        (folder / uri).write_bytes(data)
    return folder


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    compressed: list[bytes] = []

    def counted(data: bytes) -> bytes:
        compressed.append(data)
        return compressed_copy(data)

    monkeypatch.setattr(precompress, "compressed_copy", counted)
    return compressed


def test_a_rebuild_reuses_only_copies_of_unchanged_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "same.html": PAGE,
        "changed.css": b"body { color: black; }\n" * 50,
        "tampered.js": b"console.log('the same script');\n" * 50,
        "cut.json": b'{"same": "data"}' * 50,
        "two-members.svg": b"<svg></svg>" * 50,
        "forged.txt": b"text that stays\n" * 50,
        "picture.png": b"\x89PNG not text",
    }
    previous = _site(tmp_path / "site", files)
    write_compressed_copies(previous)
    # The old copies, edited after the build in ways that still look like gzip.
    tampered = bytearray((previous / "tampered.js.gz").read_bytes())
    tampered[20] ^= 0xFF
    (previous / "tampered.js.gz").write_bytes(bytes(tampered))
    (previous / "cut.json.gz").write_bytes((previous / "cut.json.gz").read_bytes()[:-12])
    two = previous / "two-members.svg.gz"
    two.write_bytes(two.read_bytes() + gzip.compress(b"<script>", mtime=0))
    # Other bytes behind the right checksum and length: only unpacking tells them apart.
    forged_text = files["forged.txt"].replace(b"stays", b"moves")
    trailer = struct.pack("<LL", zlib.crc32(files["forged.txt"]), len(files["forged.txt"]))
    (previous / "forged.txt.gz").write_bytes(compressed_copy(forged_text)[:-8] + trailer)

    new_files = dict(files, **{"changed.css": b"body { color: navy; }\n" * 50, "new.html": b"<p>new</p>"})
    staged = _site(tmp_path / "site.staging-0123abcd", new_files)
    compressed = _counting(monkeypatch)
    count, _, _ = write_compressed_copies(staged, previous)

    assert count == 7
    remade = {data for data in compressed}
    assert remade == {new_files[uri] for uri in new_files if uri not in ("same.html", "picture.png")}
    for uri, data in new_files.items():
        copy = staged / (uri + ".gz")
        if uri.endswith(".png"):
            assert not copy.exists()
            continue
        # Every copy, reused or made, is exactly what compressing the new file gives.
        assert copy.read_bytes() == compressed_copy(data), uri
        assert gzip.decompress(copy.read_bytes()) == data, uri


def test_without_a_previous_build_every_copy_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    staged = _site(tmp_path / "staged", {"a.html": PAGE, "b/c.js": b"let b = 1;"})
    compressed = _counting(monkeypatch)
    write_compressed_copies(staged, tmp_path / "no-such-site")
    assert sorted(compressed) == sorted([PAGE, b"let b = 1;"])


def test_is_copy_of_wants_this_modules_header() -> None:
    assert is_copy_of(compressed_copy(PAGE), PAGE)
    assert not is_copy_of(compressed_copy(PAGE), PAGE + b" ")
    # Unpacks to the same bytes, but with a time stamp (or another level) a fresh build would not write it.
    assert not is_copy_of(gzip.compress(PAGE, compresslevel=6, mtime=1), PAGE)
    assert not is_copy_of(gzip.compress(PAGE, compresslevel=9, mtime=0), PAGE)
    assert not is_copy_of(b"", PAGE)


def test_inflates_to_reads_the_whole_stream_and_nothing_after_it() -> None:
    big = bytes(range(256)) * 2000  # Several rounds of unpacking at a time.
    for data in (b"", b"x", PAGE, big):
        stream = zlib.compress(data, 6, wbits=-15)
        assert inflates_to(stream, data)
        assert not inflates_to(stream[:-1], data)
        assert not inflates_to(stream + b"\0", data)
        assert not inflates_to(stream, data + b"y")
        assert not data or not inflates_to(stream, data[:-1])
