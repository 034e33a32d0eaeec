"""The file:// copy made from the one build (generator/products/offline_zip.py): folder links name their index.html."""

from __future__ import annotations

import json
import random
import zipfile
import zlib
from pathlib import Path

import pytest

from generator.products.offline_zip import (
    WORKER_PRELUDE,
    StreamedEntry,
    _deflated,
    _inflates_to_pieces,
    file_url,
    file_url_html,
    file_url_location,
    offline_files,
    search_index_script_pieces,
    zip_files,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("../step/", "../step/index.html"),
        ("../step/#why", "../step/index.html#why"),
        ("./", "./index.html"),
        (".", "./index.html"),
        ("..", "../index.html"),
        ("../..", "../../index.html"),
        ("../../#top", "../../index.html#top"),
        ("x/?q=1#a", "x/index.html?q=1#a"),
        ("#why", "#why"),
        ("../assets/site.js", "../assets/site.js"),
        ("../pdf/sheet.pdf#page=2", "../pdf/sheet.pdf#page=2"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("mailto:hr@example.org", "mailto:hr@example.org"),
        ("/root/", "/root/"),
        ("//cdn.example/a/", "//cdn.example/a/"),
        ("", ""),
    ],
)
def test_file_url(url: str, expected: str) -> None:
    assert file_url(url) == expected


def search_index_script(index_json: bytes, worker_source: str | None) -> bytes:
    """The whole of `search_index_script_pieces` (the zip deflates it piece by piece)."""
    return b"".join(search_index_script_pieces(index_json, worker_source))


def test_only_tags_are_rewritten_not_text_that_shows_them() -> None:
    html = (
        '<a class="x" href="../step/">Step</a><link rel=stylesheet href=../a/>'
        "<img src='../p/' alt='a > b'><code>&lt;a href=\"../shown/\"&gt;</code>"
        '<script id="__config" type="application/json">{"base": "../.."}</script>'
    )
    assert file_url_html(html) == (
        '<a class="x" href="../step/index.html">Step</a><link rel=stylesheet href=../a/index.html>'
        "<img src='../p/index.html' alt='a > b'><code>&lt;a href=\"../shown/\"&gt;</code>"
        '<script id="__config" type="application/json">{"base": "../.."}</script>'
    )


def test_search_locations() -> None:
    assert file_url_location("") == "index.html"
    assert file_url_location("#help") == "index.html#help"
    assert file_url_location("guides/g/step/#why") == "guides/g/step/index.html#why"
    assert file_url_location("pdf/x.pdf") == "pdf/x.pdf"


def test_the_copy_leaves_out_server_files_and_carries_the_index_as_a_script(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for uri, text in {
        "index.html": '<a href="step/">s</a>',
        "step/index.html": '<a href="../">home</a>',
        "search/search_index.json": json.dumps({"config": {}, "docs": [{"location": "step/#a", "title": "Step"}]}),
        "sw.js": "worker",
        "_server/nginx.conf": "conf",
        ".htaccess": "conf",
        "web.config": "conf",
        "index.html.gz": "old copy",
        "sitemap.xml": "<urlset/>",
        "sitemap.xml.gz": "a gzip copy (MkDocs' own or ours)",
        "offline/site-offline.zip": "zip",
        "assets/search/fuzzy-worker.js": 'var wrapper = 1;\nimportScripts("../javascripts/workers/search.js");\n',
        "assets/javascripts/workers/search.js": "var material = 2;",
    }.items():
        (site / uri).parent.mkdir(parents=True, exist_ok=True)
        (site / uri).write_text(text, encoding="utf-8")
    listed = list(offline_files(site))
    files = dict(listed)
    assert [uri for uri, _ in listed] == [
        "assets/javascripts/workers/search.js",
        "assets/search/fuzzy-worker.js",
        "index.html",
        "search/search_index.js",
        "search/search_index.json",
        "sitemap.xml",
        "step/index.html",
    ]
    assert files["index.html"] == b'<a href="step/index.html">s</a>'
    assert files["step/index.html"] == b'<a href="../index.html">home</a>'
    assert json.loads(files["search/search_index.json"])["docs"][0]["location"] == "step/index.html#a"
    script = files["search/search_index.js"]
    assert isinstance(script, StreamedEntry)
    assert b"".join(script.pieces()) == search_index_script(
        files["search/search_index.json"], WORKER_PRELUDE + "var wrapper = 1;\nvar material = 2;"
    )
    assert (script.size, script.crc) == (len(b"".join(script.pieces())), zlib.crc32(b"".join(script.pieces())))


def test_the_zip_pages_load_the_file_search_stand_in_right_before_materials_bundle() -> None:
    bundle = '<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
    page = f'<script src="../../a.js"></script>{bundle}<script src="../../b.js"></script>'
    assert file_url_html(page) == (
        f'<script src="../../a.js"></script><script src="../../assets/search/search-file.js"></script>{bundle}'
        '<script src="../../b.js"></script>'
    )
    assert file_url_html('<script src="assets/javascripts/bundle.0f.min.js"></script>').startswith(
        '<script src="assets/search/search-file.js"></script>'
    )


def test_search_index_locations_are_rewritten_in_place_and_text_is_left_alone() -> None:
    from generator.products.offline_zip import file_url_search_index

    index = json.dumps(
        {"config": {"lang": ["en"]}, "docs": [
            {"location": "", "title": "Home", "text": 'say "location":"x/" here'},
            {"location": "a/#b", "title": "A", "text": ""},
        ]}
    ).encode()
    rewritten = json.loads(file_url_search_index(index))
    assert [doc["location"] for doc in rewritten["docs"]] == ["index.html", "a/index.html#b"]
    assert rewritten["docs"][0]["text"] == 'say "location":"x/" here'
    assert rewritten["config"] == {"lang": ["en"]}


def test_the_index_read_a_piece_at_a_time_is_rewritten_to_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`read_search_index_for_files` cuts the file before each document: the bytes of a rewrite of the whole."""
    from generator.products import offline_zip

    docs = [
        {"location": "", "title": "Home", "text": 'say {"location":"x/"} here'},
        {"location": "a/#b", "title": "Ä", "text": "é" * 40},
        {"location": "c/d/", "title": "C", "text": ""},
    ]
    path = tmp_path / "search_index.json"
    for index in (
        json.dumps({"config": {"lang": ["en"]}, "docs": docs}, separators=(",", ":")).encode(),
        json.dumps({"config": {"lang": ["en"]}, "docs": docs}, ensure_ascii=False).encode() + b"\n",
        b"",
        b"{}",
    ):
        path.write_bytes(index)
        for size in (1, 5, 17, 64, 1 << 20):
            monkeypatch.setattr(offline_zip, "_READ_AT_ONCE", size)
            assert bytes(offline_zip.read_search_index_for_files(path)) == offline_zip.file_url_search_index(index)


def test_the_script_is_quoted_a_slice_at_a_time_into_the_bytes_json_dumps_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`search_index_script` quotes the documents in slices that end where a character ends."""
    from generator.products import offline_zip

    text = "".join(["a", "é", "😀", "\u2028", '"', "\\", "\n", "中", "\x01"][i % 9] for i in range(5000))
    index = ('{"config":{"lang":["en"]},"docs":[' + json.dumps(text, ensure_ascii=False) + "]}").encode()
    monkeypatch.setattr(offline_zip, "_QUOTED_AT_ONCE", 7)
    script = bytes(search_index_script(index, "w();")).decode("ascii")
    docs = '[' + json.dumps(text, ensure_ascii=False) + "]"
    worker = 'self.__selfhelpWorkerSource = "w();";\n'
    assert script == f'var __index = {{config: {{"lang":["en"]}}, docs: {json.dumps(docs)}}};\n{worker}'
    fallback = bytes(search_index_script(index + b"x", None)).decode("ascii")
    assert fallback == f"var __index = JSON.parse({json.dumps(index.decode() + 'x')});\n"


def test_the_documents_go_to_the_worker_as_json_text() -> None:
    """Material's compact index: the page keeps config as an object and hands the documents over as text."""
    material = {"config": {"lang": ["en"], "separator": "[\\s\\-]+"}, "docs": [{"location": "a/", "title": 'A "q"'}]}
    index = json.dumps(material, separators=(",", ":")).encode()
    script = search_index_script(index, "worker();").decode("ascii")
    prefix = "var __index = {config: " + json.dumps(material["config"], separators=(",", ":")) + ", docs: "
    assert script.startswith(prefix)
    docs_literal = script[len(prefix) : script.index("};\n")]
    assert json.loads(json.loads(docs_literal)) == [{"location": "a/", "title": 'A "q"'}]
    assert script.endswith('self.__selfhelpWorkerSource = "worker();";\n')
    # Without a worker source (no fuzzy worker found), the whole index is parsed by the page as before.
    assert search_index_script(index, None).decode("ascii").startswith("var __index = JSON.parse(")


def _writestr_zip(files: list[tuple[str, bytes]], target: Path, top: str) -> None:
    """The zip as `zipfile.writestr` writes it (what `zip_files` wrote before it deflated on threads)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for uri, data in files:
            info = zipfile.ZipInfo(f"{top}/{uri}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_the_zip_is_the_bytes_zipfile_writes_whatever_the_threads(tmp_path: Path, threads: int) -> None:
    files = [
        ("index.html", b"<html>" + b"the same words again " * 3000 + b"</html>"),
        ("empty.txt", b""),
        ("assets/random.bin", bytes(range(256)) * 40),
        *((f"guides/g/step-{n}/index.html", f"<p>step {n}</p>".encode() * (n * 50)) for n in range(30)),
    ]
    _writestr_zip(files, tmp_path / "expected.zip", "top")
    zip_files(iter(files), tmp_path / "zipped.zip", "top", threads=threads)
    assert (tmp_path / "zipped.zip").read_bytes() == (tmp_path / "expected.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "zipped.zip") as archive:
        assert archive.testzip() is None
        assert [(name.removeprefix("top/"), archive.read(name)) for name in archive.namelist()] == files


def test_tags_are_read_as_the_attribute_pattern_reads_them_whatever_the_case() -> None:
    # The pattern ignores case the Unicode way (`ſ` is an `s`); the quick test that skips most tags must not miss them.
    assert file_url_html("<a HREF=../x/ ſrc=y/ actıon=..>") == "<a HREF=../x/index.html ſrc=y/index.html actıon=../index.html>"
    assert file_url_html('<span class="x/">a/</span>') == '<span class="x/">a/</span>'


def test_a_rebuild_reuses_only_zip_entries_that_unpack_to_the_new_bytes(tmp_path: Path) -> None:
    page = b"<p>" + b"words that stay the same " * 400 + b"</p>"
    old_files = [("changed.html", page + b"old"), ("kept.html", page), ("level9.html", page * 2), ("tampered.html", page * 3)]
    previous = tmp_path / "previous.zip"
    with zipfile.ZipFile(previous, "w") as archive:
        for uri, data in old_files:
            info = zipfile.ZipInfo(f"top/{uri}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9 if uri == "level9.html" else 6)
    with zipfile.ZipFile(previous) as archive:
        tampered = archive.getinfo("top/tampered.html")
        stream_start = tampered.header_offset + 30 + len(tampered.filename) + len(tampered.extra)
    spoiled = bytearray(previous.read_bytes())
    spoiled[stream_start + tampered.compress_size // 2] ^= 0x55  # The listing's checksum and sizes still match.
    previous.write_bytes(bytes(spoiled))

    new_files = [("changed.html", page + b"new"), ("kept.html", page), ("level9.html", page * 2), ("new.html", page),
                 ("tampered.html", page * 3)]
    zip_files(iter(new_files), tmp_path / "fresh.zip", "top", threads=2)
    zip_files(iter(new_files), tmp_path / "rebuilt.zip", "top", threads=2, previous=previous)

    def streams(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            assert [archive.read(f"top/{uri}") for uri, _ in new_files] == [data for _, data in new_files]
            found = {}
            for info in archive.infolist():
                start = info.header_offset + 30 + len(info.filename) + len(info.extra)
                found[info.filename.removeprefix("top/")] = path.read_bytes()[start : start + info.compress_size]
            return found

    fresh, rebuilt = streams(tmp_path / "fresh.zip"), streams(tmp_path / "rebuilt.zip")
    # The level-9 entry unpacks to the same bytes, so it was taken as it was: the reuse happened.
    assert rebuilt["level9.html"] != fresh["level9.html"]
    assert {uri: rebuilt[uri] == fresh[uri] for uri in fresh if uri != "level9.html"} == dict.fromkeys(
        ["changed.html", "kept.html", "new.html", "tampered.html"], True
    )


def test_a_previous_zip_that_is_not_a_zip_is_ignored(tmp_path: Path) -> None:
    files = [("index.html", b"<p>a page</p>")]
    (tmp_path / "previous.zip").write_bytes(b"PK\x03\x04 not a zip at all")
    zip_files(iter(files), tmp_path / "new.zip", "top", previous=tmp_path / "previous.zip")
    _writestr_zip(files, tmp_path / "expected.zip", "top")
    assert (tmp_path / "new.zip").read_bytes() == (tmp_path / "expected.zip").read_bytes()
    # Written over itself (no staging folder), it is made afresh, not read while it is being emptied.
    zip_files(iter(files), tmp_path / "expected.zip", "top", previous=tmp_path / "expected.zip")
    assert (tmp_path / "new.zip").read_bytes() == (tmp_path / "expected.zip").read_bytes()


def test_an_entry_made_in_pieces_is_deflated_and_reused_as_if_it_were_whole() -> None:
    """The search index script is deflated piece by piece (never held whole): the same stream as deflating it
    in one call, and the previous zip's stream is reused only when it unpacks to exactly those pieces."""
    rng = random.Random(7)
    words = [bytes(rng.choice(b"abcdefgh \\u00e9") for _ in range(rng.randint(1, 9))) for _ in range(400)]
    whole = b" ".join(rng.choice(words) for _ in range(300_000))
    cuts = sorted(rng.sample(range(1, len(whole)), 40))
    pieces = [whole[a:b] for a, b in zip([0, *cuts], [*cuts, len(whole)])]
    entry = StreamedEntry.of(lambda: iter(pieces))
    assert (entry.size, entry.crc) == (len(whole), zlib.crc32(whole))
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    one_call = compressor.compress(whole) + compressor.flush()
    assert _deflated(("x", entry, None)) == (zlib.crc32(whole), one_call)
    assert _inflates_to_pieces(one_call, iter(pieces))
    assert _deflated(("x", entry, (zlib.crc32(whole), one_call))) == (zlib.crc32(whole), one_call)
    changed = [*pieces[:-1], pieces[-1][:-1] + b"!"]
    assert not _inflates_to_pieces(one_call, iter(changed))
    assert not _inflates_to_pieces(one_call, iter([*pieces, b"more"]))
    assert not _inflates_to_pieces(one_call, iter(pieces[:-1]))
    assert not _inflates_to_pieces(one_call[:-10], iter(pieces))
    assert not _inflates_to_pieces(one_call + b"\0", iter(pieces))
    assert not _inflates_to_pieces(b"not deflate", iter(pieces))
