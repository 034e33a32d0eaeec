"""service_worker: the precache manifest made from the files of a build."""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.products.service_worker import REVISION_LENGTH, kept_on_first_use, precache_manifest


def _write(site: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)


def test_manifest_lists_what_a_reader_needs_with_revisions(tmp_path: Path) -> None:
    _write(tmp_path, {
        "index.html": b"<p>home</p>",
        "worksheets/diary/index.html": b"<p>diary</p>",
        "files/leaflet.pdf": b"%PDF-1.7",
        "assets/javascripts/lunr/lunr.de.min.js": b"de",
        "assets/javascripts/lunr/lunr.multi.min.js": b"multi",
        # Left out: the worker itself, the sitemap, big or duplicate files, the worksheets' PDFs (the pages print
        # the same paper copy), and private server files.
        "pdf/diary.pdf": b"%PDF-1.7",
        "sw.js": b"worker", "404.html": b"<p>not found</p>", "sitemap.xml": b"<x/>", "index.html.gz": b"gz",
        "offline/site.zip": b"PK",
        "pdf/worksheets.pdf": b"%PDF", "assets/app.js.map": b"{}", "_server/nginx.conf": b"x",
        ".htaccess": b"x", "web.config": b"x", "staticwebapp.config.json": b"{}",
    })
    manifest = precache_manifest(tmp_path)
    assert [entry["url"] for entry in manifest] == ["files/leaflet.pdf", "index.html", "worksheets/diary/index.html"]
    assert manifest[1]["revision"] == hashlib.sha256(b"<p>home</p>").hexdigest()[:REVISION_LENGTH]
    # The worksheets' PDFs are kept once a reader opens one (the pack too), each with its revision.
    later = kept_on_first_use(tmp_path)
    assert [entry["url"] for entry in later] == ["pdf/diary.pdf", "pdf/worksheets.pdf"]
    assert later[0]["revision"] == hashlib.sha256(b"%PDF-1.7").hexdigest()[:REVISION_LENGTH]


def test_search_language_packs_only_for_the_sites_languages(tmp_path: Path) -> None:
    _write(tmp_path, {
        "assets/javascripts/lunr/lunr.de.min.js": b"de",
        "assets/javascripts/lunr/lunr.fr.min.js": b"fr",
        "assets/javascripts/lunr/lunr.multi.min.js": b"multi",
        "assets/javascripts/lunr/lunr.stemmer.support.min.js": b"support",
    })
    urls = [entry["url"].rsplit("/", 1)[-1] for entry in precache_manifest(tmp_path, {"en", "de"})]
    assert urls == ["lunr.de.min.js", "lunr.multi.min.js", "lunr.stemmer.support.min.js"]
    assert precache_manifest(tmp_path, {"en"}) == []
