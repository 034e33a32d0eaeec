"""The gzip and brotli copies (`precompress.py`): which files get a `.br` (a rule on the path alone), and a rebuild
reuses the previous build's copy only when it is a copy of the new file."""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

import brotli
import pytest

from generator.products import precompress
from generator.products.offline_zip import _in_copy
from generator.products.precompress import (
    BROTLI_BEST,
    BROTLI_BEST_MAX_SIZE,
    BROTLI_FAST,
    brotli_copy,
    brotli_quality,
    compressed_copy,
    compressed_copy_of,
    inflates_to,
    is_brotli_copy_of,
    is_copy_of,
    needs_brotli_copy,
    needs_zopfli_copy,
    write_compressed_copies,
)
from generator.products.service_worker import precache_manifest

PAGE = b"<html><body>" + b"A page that stays the same. " * 200 + b"</body></html>"


def _site(folder: Path, files: dict[str, bytes]) -> Path:
    for uri, data in files.items():
        (folder / uri).parent.mkdir(parents=True, exist_ok=True)
        (folder / uri).write_bytes(data)
    return folder


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    compressed: list[bytes] = []

    def counted(data: bytes, uri: str = "", packer: object = None) -> bytes:
        compressed.append(data)
        return compressed_copy(data, uri)

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
        assert copy.read_bytes() == compressed_copy(data, uri), uri
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


# -- brotli -------------------------------------------------------------------------------------------------


def test_which_files_get_a_brotli_copy_is_a_rule_on_the_path() -> None:
    for uri in (
        "assets/selfhelp/site.js", "assets/selfhelp/worksheet-page.css", "search/search_index.json",
        "assets/images/logo.svg", "manifest.webmanifest", "sw.js", "assets/javascripts/lunr/min/lunr.fr.min.js",
    ):  # fmt: skip
        assert needs_brotli_copy(uri), uri
    for uri in (
        "index.html", "guides/a/b/index.html", "404.html", "sitemap.xml", "robots.txt", "pdf/a.pdf",
        "assets/images/favicon.png", "assets/selfhelp/site.js.gz", "assets/selfhelp/site.js.br",
        "_server/site.json", "staticwebapp.config.json", ".hidden/a.js", "offline/site.zip",
    ):  # fmt: skip
        assert not needs_brotli_copy(uri), uri


def test_every_file_the_rule_names_gets_a_brotli_copy_however_small(tmp_path: Path) -> None:
    """Whatever its size or how well it compresses: a .br the rule allows must never be left from an older build."""
    files = {
        "a.css": b"",
        "b.js": b"x",
        "c.json": bytes(range(256)),  # Does not compress at all.
        "d.svg": b"<svg></svg>" * 40,
        "e.webmanifest": b'{"name": "a"}',
        "page.html": PAGE,
        "sitemap.xml": b"<urlset></urlset>",
        "_server/site.json": b"{}",
    }
    site = _site(tmp_path / "site", files)
    write_compressed_copies(site)
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.br"))
    assert written == ["a.css.br", "b.js.br", "c.json.br", "d.svg.br", "e.webmanifest.br"]
    for name in written:
        assert brotli.decompress((site / name).read_bytes()) == files[name[: -len(".br")]], name
    assert (site / "page.html.gz").exists() and not (site / "_server/site.json.gz").exists()


def test_brotli_quality_is_the_best_for_small_files_and_fast_for_large_ones_and_lunr_packs() -> None:
    assert brotli_quality("assets/selfhelp/site.js", 3000) == BROTLI_BEST == 11
    assert brotli_quality("assets/selfhelp/worksheet-page.js", 21_573) == BROTLI_BEST
    assert brotli_quality("assets/javascripts/bundle.a5f9d56c.min.js", 114_081) == BROTLI_FAST
    assert brotli_quality("search/search_index.json", BROTLI_BEST_MAX_SIZE + 1) == BROTLI_FAST == 5
    assert brotli_quality("assets/javascripts/lunr/min/lunr.fr.min.js", 10_000) == BROTLI_FAST
    data = b"function f(a) { return a + 1; }\n" * 300
    assert brotli_copy("assets/selfhelp/site.js", data) == brotli.compress(data, quality=11)
    assert brotli_copy("assets/javascripts/lunr/min/lunr.fr.min.js", data) == brotli.compress(data, quality=5)


def _counting_brotli(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    made: list[bytes] = []

    def counted(uri: str, data: bytes) -> bytes:
        made.append(data)
        return brotli_copy(uri, data)

    monkeypatch.setattr(precompress, "brotli_copy", counted)
    return made


def test_a_rebuild_reuses_only_brotli_copies_of_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "same.js": b"console.log('the same script');\n" * 50,
        "changed.css": b"body { color: black; }\n" * 50,
        "tampered.json": b'{"same": "data"}' * 50,
        "cut.js": b"let cut = 'short';\n" * 50,
        "trailing.svg": b"<svg></svg>" * 50,
        "other.js": b"let other = 1;\n" * 50,
    }
    previous = _site(tmp_path / "site", files)
    write_compressed_copies(previous)
    tampered = bytearray((previous / "tampered.json.br").read_bytes())
    tampered[len(tampered) // 2] ^= 0xFF
    (previous / "tampered.json.br").write_bytes(bytes(tampered))
    (previous / "cut.js.br").write_bytes((previous / "cut.js.br").read_bytes()[:-2])
    (previous / "trailing.svg.br").write_bytes((previous / "trailing.svg.br").read_bytes() + b"\0")
    (previous / "other.js.br").write_bytes(brotli.compress(b"a copy of some other file"))

    new_files = dict(files, **{"changed.css": b"body { color: navy; }\n" * 50, "new.js": b"let fresh = 2;"})
    staged = _site(tmp_path / "site.staging-0123abcd", new_files)
    made = _counting_brotli(monkeypatch)
    write_compressed_copies(staged, previous)

    assert sorted(made) == sorted(data for uri, data in new_files.items() if uri != "same.js")
    for uri, data in new_files.items():
        copy = (staged / (uri + ".br")).read_bytes()
        assert copy == brotli_copy(uri, data), uri
        assert brotli.decompress(copy) == data, uri


def test_early_gzip_copies_still_get_their_brotli_copy(tmp_path: Path) -> None:
    """A file whose .gz the early worker wrote (`early_products.py`) still gets its .br in `finish`."""
    from generator.products.early_products import EarlyResult

    data = b"let early = 'worker';\n" * 40
    site = _site(tmp_path / "site", {"a.js": data})
    (site / "a.js.gz").write_bytes(compressed_copy(data))
    early = EarlyResult(len(data), zlib.crc32(data), gzip_size=len(compressed_copy(data)))
    write_compressed_copies(site, early={"a.js": early})
    assert brotli.decompress((site / "a.js.br").read_bytes()) == data


def test_is_brotli_copy_of_reads_the_whole_stream_and_nothing_after_it() -> None:
    big = bytes(range(256)) * 2000  # Several rounds of unpacking at a time.
    for data in (b"", b"x", PAGE, big):
        stream = brotli.compress(data, quality=5)
        assert is_brotli_copy_of(stream, data)
        assert not is_brotli_copy_of(stream[:-1], data)
        assert not is_brotli_copy_of(stream + b"\0", data)
        assert not is_brotli_copy_of(stream, data + b"y")
        assert not data or not is_brotli_copy_of(stream, data[:-1])
    assert not is_brotli_copy_of(b"", b"")
    assert not is_brotli_copy_of(compressed_copy(PAGE), PAGE)


def test_brotli_copies_are_no_part_of_the_site(tmp_path: Path) -> None:
    """Like the .gz copies: not in the offline zip, not precached, known for the copy they are."""
    assert compressed_copy_of("assets/selfhelp/site.js.br") == "assets/selfhelp/site.js"
    assert compressed_copy_of("a.js.gz") == "a.js"
    assert compressed_copy_of("picture.png.br") is None
    assert not _in_copy("assets/selfhelp/site.js.br") and _in_copy("assets/selfhelp/site.js")
    site = _site(tmp_path / "site", {"index.html": PAGE, "assets/selfhelp/site.js": b"let a = 1;" * 50})
    write_compressed_copies(site)
    assert (site / "assets/selfhelp/site.js.br").is_file()
    assert [entry["url"] for entry in precache_manifest(site)] == ["assets/selfhelp/site.js", "index.html"]


# -- zopfli: the smallest gzip copies of small scripts, styles and data -------------------------------------

THEME_ASSETS = Path(__file__).resolve().parents[2] / "generator/theme/assets/selfhelp"


def _gzip_9(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def test_the_files_brotli_packs_hardest_get_a_zopfli_gzip_copy_and_the_others_level_6() -> None:
    for uri, size in (
        ("assets/selfhelp/site.js", 2795), ("assets/selfhelp/worksheet-page.css", 14_737),
        ("assets/selfhelp/worksheet-page.js", BROTLI_BEST_MAX_SIZE), ("manifest.webmanifest", 300),
        ("assets/images/logo.svg", 900), ("search/search_index.json", 20_000),
    ):  # fmt: skip
        assert needs_zopfli_copy(uri, size), uri
    for uri, size in (
        ("index.html", 3000), ("404.html", 900), ("sitemap.xml", 2000), ("robots.txt", 50),
        ("assets/javascripts/bundle.a5f9d56c.min.js", 114_081), ("search/search_index.json", BROTLI_BEST_MAX_SIZE + 1),
        ("assets/javascripts/lunr/min/lunr.fr.min.js", 10_000), ("_server/site.json", 100),
    ):  # fmt: skip
        assert not needs_zopfli_copy(uri, size), uri
    page = PAGE * 3
    assert compressed_copy(page, "index.html") == gzip.compress(page, compresslevel=6, mtime=0) == compressed_copy(page)


def test_zopfli_copies_unpack_to_the_file_and_are_never_larger_than_gzip_9(tmp_path: Path) -> None:
    samples = {f"assets/selfhelp/{p.name}": p.read_bytes() for p in sorted(THEME_ASSETS.iterdir())}
    assert len(samples) > 8
    samples.update({
        "empty.css": b"", "one.js": b"x", "noise.json": bytes(range(256)) * 3 + bytes(reversed(range(256))),
        "big.js": b"let a = 1;\n" * 2900,  # Just under the limit.
    })  # fmt: skip
    for uri, data in samples.items():
        assert needs_zopfli_copy(uri, len(data)), uri
        packed = compressed_copy(data, uri)
        assert gzip.decompress(packed) == data, uri
        assert len(packed) <= len(_gzip_9(data)), uri
        assert is_copy_of(packed, data, uri)
        assert packed[4:8] == b"\0\0\0\0" and packed[8] == 2, "no time stamp; XFL: the best compression"
    for uri in ("assets/selfhelp/worksheets.js", "assets/selfhelp/selfhelp.css", "assets/selfhelp/site.js"):
        assert len(compressed_copy(samples[uri], uri)) < len(_gzip_9(samples[uri])), uri
    # Written by the build: the site's copies are these.
    site = _site(tmp_path / "site", samples)
    write_compressed_copies(site)
    for uri, data in samples.items():
        assert (site / (uri + ".gz")).read_bytes() == compressed_copy(data, uri), uri


def test_a_copy_made_another_way_is_not_reused_for_a_file_whose_rule_changed(tmp_path: Path) -> None:
    """A level-6 copy (an older build) of a file that now gets a zopfli copy is made again, and the other way round."""
    small = b"function f(a) { return a + 1; }\n" * 60
    large = b"function g(b) { return b * 2; }\n" * 1100  # Over 32 KiB: level 6.
    previous = _site(tmp_path / "site", {"small.js": small, "large.js": large})
    (previous / "small.js.gz").write_bytes(gzip.compress(small, compresslevel=6, mtime=0))
    trailer = struct.pack("<LL", zlib.crc32(large), len(large))
    (previous / "large.js.gz").write_bytes(precompress._BEST_HEADER + precompress._zopfli_stream(large) + trailer)
    assert gzip.decompress((previous / "large.js.gz").read_bytes()) == large  # A zopfli copy of it, from before.
    assert not is_copy_of((previous / "small.js.gz").read_bytes(), small, "small.js")
    assert not is_copy_of((previous / "large.js.gz").read_bytes(), large, "large.js")
    staged = _site(tmp_path / "staged", {"small.js": small, "large.js": large})
    write_compressed_copies(staged, previous)
    assert (
        (staged / "small.js.gz").read_bytes()
        == compressed_copy(small, "small.js")
        != (previous / "small.js.gz").read_bytes()
    )
    assert (staged / "large.js.gz").read_bytes() == gzip.compress(large, compresslevel=6, mtime=0)


def _counting_zopfli(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    made: list[bytes] = []
    real = precompress._zopfli_stream

    def counted(data: bytes, packer: object = None) -> bytes:
        made.append(data)
        return real(data, packer)

    monkeypatch.setattr(precompress, "_zopfli_stream", counted)
    return made


SCRIPTS = {
    "assets/a.js": b"console.log('script a');\n" * 80,
    "assets/b.css": b"body { margin: 0 auto; }\n" * 80,
    "c.svg": b"<svg><path d='M0 0h24v24H0z'/></svg>" * 30,
    "page.html": PAGE,
}


def test_a_build_into_a_fresh_folder_takes_zopfli_copies_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = _site(tmp_path / "first", SCRIPTS)
    made = _counting_zopfli(monkeypatch)
    write_compressed_copies(first, cache_dir=cache)
    assert sorted(made) == sorted(data for uri, data in SCRIPTS.items() if uri != "page.html")
    assert len(list(cache.glob("*.gz"))) == 3
    made.clear()
    fresh = _site(tmp_path / "fresh", SCRIPTS)  # No previous build beside it (`rm -rf site`, a new -d, CI).
    write_compressed_copies(fresh, cache_dir=cache)
    assert made == []
    for uri in SCRIPTS:
        assert (fresh / (uri + ".gz")).read_bytes() == (first / (uri + ".gz")).read_bytes(), uri


def test_a_rebuild_fills_the_cache_from_the_previous_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies reused from the previous build (no cache folder yet, or an emptied one) go into the cache too."""
    cache = tmp_path / "cache"
    previous = _site(tmp_path / "site", SCRIPTS)
    write_compressed_copies(previous)
    made = _counting_zopfli(monkeypatch)
    write_compressed_copies(_site(tmp_path / "staged", SCRIPTS), previous, cache_dir=cache)
    assert made == [] and len(list(cache.glob("*.gz"))) == 3
    write_compressed_copies(_site(tmp_path / "fresh", SCRIPTS), cache_dir=cache)
    assert made == []


def test_a_corrupt_or_stale_cached_copy_is_never_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = _site(tmp_path / "first", SCRIPTS)
    write_compressed_copies(first, cache_dir=cache)
    entries = {uri: cache / precompress._cache_name(data) for uri, data in SCRIPTS.items() if uri != "page.html"}
    assert all(entry.is_file() for entry in entries.values())
    flipped = bytearray(entries["assets/a.js"].read_bytes())
    flipped[len(flipped) // 2] ^= 0xFF
    entries["assets/a.js"].write_bytes(bytes(flipped))  # Damaged on disk.
    entries["assets/b.css"].write_bytes(compressed_copy(SCRIPTS["c.svg"], "c.svg"))  # Another file's copy.
    entries["c.svg"].write_bytes(entries["c.svg"].read_bytes()[:-5])  # Cut short.
    made = _counting_zopfli(monkeypatch)
    fresh = _site(tmp_path / "fresh", SCRIPTS)
    write_compressed_copies(fresh, cache_dir=cache)
    assert sorted(made) == sorted(data for uri, data in SCRIPTS.items() if uri != "page.html")
    for uri, data in SCRIPTS.items():
        copy = (fresh / (uri + ".gz")).read_bytes()
        assert copy == compressed_copy(data, uri) and gzip.decompress(copy) == data, uri
    for uri, entry in entries.items():  # Mended.
        assert entry.read_bytes() == compressed_copy(SCRIPTS[uri], uri), uri


def test_the_cache_keeps_only_the_copies_of_this_builds_files(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    write_compressed_copies(_site(tmp_path / "first", SCRIPTS), cache_dir=cache)
    (cache / ("0" * 64 + ".123.140212.part")).write_bytes(b"left by a build that stopped")
    (cache / "notes.txt").write_bytes(b"not ours: left alone")
    changed = dict(SCRIPTS, **{"assets/a.js": b"console.log('script a, edited');\n" * 80})
    write_compressed_copies(_site(tmp_path / "second", changed), cache_dir=cache)
    kept = sorted(p.name for p in cache.iterdir())
    expected = sorted(
        [precompress._cache_name(data) for uri, data in changed.items() if uri != "page.html"] + ["notes.txt"]
    )
    assert kept == expected


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_bytes(b"")
    site = _site(tmp_path / "site", SCRIPTS)
    write_compressed_copies(site, cache_dir=blocked / "gzip")
    for uri, data in SCRIPTS.items():
        assert (site / (uri + ".gz")).read_bytes() == compressed_copy(data, uri), uri
