"""The zip entries and gzip copies made on a worker process while the pages are built (`early_products.py`):
`finish` writes the same bytes with them as without, takes none for a file changed after the worker read it,
deletes a copy whose file is gone, and does everything itself when the worker is gone."""

from __future__ import annotations

import gzip
from pathlib import Path

from generator.products.early_products import EarlyProducts, EarlyResult
from generator.products.offline_zip import offline_zip_path, write_offline_zip
from generator.products.precompress import write_compressed_copies

PAGES = {
    "index.html": b'<html><body><a href="step/">Step</a><a href="./">Home</a>' + b"<p>Home.</p>" * 300 + b"</body>",
    "step/index.html": b'<html><body><a href="../">Home</a><img src="../logo.svg">' + b"<p>A step.</p>" * 300,
    "other/index.html": b'<html><body><a href="../step/#why">Why</a>' + b"<p>Another.</p>" * 300 + b"</body></html>",
    "assets/site.css": b"body { color: black; }\n" * 200,
    "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "pdf/sheet.pdf": b"%PDF-1.7 not really\n" * 50,
}


def _site(folder: Path, files: dict[str, bytes]) -> Path:
    for uri, data in files.items():
        (folder / uri).parent.mkdir(parents=True, exist_ok=True)
        (folder / uri).write_bytes(data)
    return folder


def _products(site: Path, previous: Path | None, early: EarlyProducts | None) -> dict[str, bytes]:
    """The zip and the gzip copies `finish` writes, with what `early` made (or without it)."""
    if early is not None:
        early.all_written(wait=True)  # The build never waits; here the worker is to do every file.
    found, spool = early.results() if early is not None else ({}, None)
    assert early is None or len(found) == len(early.sent) > 0  # Every file it was given.
    try:
        write_offline_zip(site, "Site", previous_site=previous, early=found, spool=spool)
        write_compressed_copies(site, previous, early=found, handed=early.sent if early is not None else ())
    finally:
        if early is not None:
            early.close()
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _early(site: Path, previous: Path | None) -> EarlyProducts:
    target = offline_zip_path(site, "Site")
    previous_zip = previous / target.relative_to(site) if previous is not None else None
    return EarlyProducts(site, previous_site=previous, zip_target=target, zip_previous=previous_zip, gzip=True)


def _hand_over(early: EarlyProducts, pages: list[str]) -> None:
    for uri in pages:  # As the adapter does: each page as the next one starts, the last one by `results`.
        early.page(uri)


def _worker_results(site: Path, uris: list[str]) -> dict[str, EarlyResult]:
    """What the worker made of `uris` in `site`, once it has done every one (and has ended)."""
    early = _early(site, None)
    _hand_over(early, uris)
    early.all_written(wait=True)
    found, _ = early.results()
    early.close()
    return found


def test_the_products_are_the_same_bytes_with_the_worker_and_without(tmp_path: Path) -> None:
    without = _products(_site(tmp_path / "without", PAGES), None, None)
    site = _site(tmp_path / "with", {uri: data for uri, data in PAGES.items() if not uri.endswith(".html")})
    early = _early(site, None)
    for uri, data in PAGES.items():  # The pages are written one by one after the assets.
        if uri.endswith(".html"):
            early.page(uri)
            _site(site, {uri: data})
    assert _products(site, None, early) == without
    assert "index.html.gz" in without and "offline/site-offline.zip" in without


def test_a_rebuild_with_the_previous_build_gives_the_same_bytes(tmp_path: Path) -> None:
    previous = _site(tmp_path / "previous", PAGES)
    _products(previous, None, None)
    changed = {**PAGES, "step/index.html": PAGES["step/index.html"].replace(b"A step.", b"A changed step.")}
    without = _products(_site(tmp_path / "without", changed), previous, None)
    site = _site(tmp_path / "with", changed)
    early = _early(site, previous)
    _hand_over(early, sorted(changed))
    assert _products(site, previous, early) == without


def test_a_file_changed_or_deleted_after_the_worker_read_it_is_done_again(tmp_path: Path) -> None:
    site = _site(tmp_path / "with", PAGES)
    early = _early(site, None)
    _hand_over(early, ["index.html", "step/index.html", "other/index.html", "assets/site.css"])
    early.all_written(wait=True)
    found, _ = early.results()  # The worker is done with every file.
    assert {"index.html", "step/index.html", "other/index.html", "assets/site.css"} <= found.keys()
    rewritten = PAGES["index.html"].replace(b"Home.", b"Home, rewritten by another plugin.")
    (site / "index.html").write_bytes(rewritten)
    (site / "other/index.html").unlink()
    expected = {uri: data for uri, data in PAGES.items() if uri != "other/index.html"}
    without = _products(_site(tmp_path / "without", {**expected, "index.html": rewritten}), None, None)
    assert _products(site, None, early) == without
    assert not (site / "other/index.html.gz").exists()


def test_without_the_worker_finish_does_everything(tmp_path: Path) -> None:
    without = _products(_site(tmp_path / "without", PAGES), None, None)
    site = _site(tmp_path / "with", PAGES)
    early = _early(site, None)
    _hand_over(early, sorted(PAGES))
    early.close()  # Killed (an interrupted build) or gone: nothing of it is taken.
    assert early.results() == ({}, None)
    assert _products(site, None, None) == without


def test_the_egress_backstop_finds_the_same_addresses_with_the_worker(tmp_path: Path) -> None:
    from generator.products.egress import find_external_assets

    tracked = b'<html><head><script src="https://cdn.example.test/t.js"></script></head><body>Hi</body></html>'
    far = b"a { background: url(//far.example.test/x.png) }"
    files = {**PAGES, "tracked/index.html": tracked, "assets/far.css": far}
    site = _site(tmp_path / "site", files)
    found = _worker_results(site, sorted(files))
    assert found["tracked/index.html"].external == ["https://cdn.example.test/t.js"]
    assert found["assets/far.css"].external == ["//far.example.test/x.png"] and found["index.html"].external == []
    known = {uri: result.external for uri, result in found.items() if result.external is not None}
    assert find_external_assets(site, known=known) == find_external_assets(site)
    assert [asset.reference for asset in find_external_assets(site, known=known)] == [
        "//far.example.test/x.png",
        "https://cdn.example.test/t.js",
    ]


def test_the_digests_it_made_are_taken_only_for_unchanged_bytes(tmp_path: Path) -> None:
    import hashlib

    from generator.products import parallel

    site = _site(tmp_path / "site", PAGES)
    found = _worker_results(site, sorted(PAGES))
    with parallel.known_digests() as digests:
        for uri, result in found.items():
            digests.update(result.digests(site, uri))
        assert str(site / "index.html") in digests and str(site / "index.html.gz") in digests
        digests[str(site / "logo.svg")] = (len(PAGES["logo.svg"]), 0, "not this one")  # A CRC-32 that differs.
        for path in sorted(site.rglob("*")):
            if path.is_file():
                assert parallel.file_digest(path) == hashlib.sha256(path.read_bytes()).hexdigest(), path
        (site / "index.html").write_bytes(b"changed after the worker read it")
        changed = hashlib.sha256(b"changed after the worker read it").hexdigest()
        assert parallel.file_digest(site / "index.html") == changed
    assert parallel._known_digests == {}  # noqa: SLF001 - emptied once finish is done


def test_the_worker_takes_zopfli_copies_from_the_cache_and_fills_it(tmp_path: Path) -> None:
    """`assets/site.css` and `logo.svg` get zopfli copies (`precompress.needs_zopfli_copy`): the worker keeps them
    in the cache folder, takes them from there, and never a damaged one; the bytes are those made without it."""
    from generator.products import precompress

    cache = tmp_path / "cache"
    without = _products(_site(tmp_path / "without", PAGES), None, None)
    site = _site(tmp_path / "first", PAGES)
    target = offline_zip_path(site, "Site")
    early = EarlyProducts(site, previous_site=None, zip_target=target, zip_previous=None, gzip=True, gzip_cache=cache)
    _hand_over(early, sorted(PAGES))
    early.all_written(wait=True)  # Before `finish` looks: the worker filled the cache.
    entries = {uri: cache / precompress._cache_name(PAGES[uri]) for uri in ("assets/site.css", "logo.svg")}
    assert sorted(p.name for p in cache.iterdir()) == sorted(p.name for p in entries.values())
    assert _products(site, None, early) == without
    entries["assets/site.css"].write_bytes(entries["assets/site.css"].read_bytes()[:-3])  # Cut short.
    fresh = _site(tmp_path / "fresh", PAGES)
    early = EarlyProducts(fresh, previous_site=None, zip_target=offline_zip_path(fresh, "Site"), zip_previous=None,
                          gzip=True, gzip_cache=cache)  # fmt: skip
    _hand_over(early, sorted(PAGES))
    assert _products(fresh, None, early) == without
    assert gzip.decompress(entries["assets/site.css"].read_bytes()) == PAGES["assets/site.css"]  # Mended.
