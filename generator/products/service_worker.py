"""Post-build: the service worker (`sw.js`) that precaches this build for offline reading.

The manifest lists every file a reader may need offline with a revision (the
start of the SHA-256 of its bytes). The worker hashes every file it downloads
(or reuses from an earlier build's cache) and keeps it only if it matches, so a
deploy copied in any order never leaves a reader on a mix of builds, and a new
build re-downloads only what changed. The worksheets' blank PDFs are not
precached (a third of the bytes, opened by few): they are listed apart
(`kept_on_first_use`), and the worker keeps one, checked the same way, once the
reader has opened it online, so it opens offline too. With the `service_worker` option off,
`sw.js` becomes a worker that clears earlier caches and unregisters itself, so
readers who visited before are not left on a stale copy.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import jinja2

from ..site_paths import FILE_SEARCH, MATERIAL_LUNR, OFFLINE_DIR, PDF_DIR, SERVICE_WORKER, SITEMAP, template
from .parallel import file_digest, ordered_map, site_files
from .security_headers import is_private

# Not precached: server configuration (`is_private`: servers refuse it), the worker itself, large downloads,
# files browsers never fetch, and the worksheets' blank PDFs (a third of the precache, opened by few: kept once
# opened, `kept_on_first_use`; offline, a worksheet page prints the same paper copy itself). Content files stay.
_SKIPPED_PREFIXES = (f"{OFFLINE_DIR}/", f"{PDF_DIR}/")
_SKIPPED_NAMES = {SERVICE_WORKER, SITEMAP, f"{SITEMAP}.gz", FILE_SEARCH, "404.html"}
"""`search-file.js` is loaded only by the offline zip's pages (file://), never by the served site. `404.html`
is never asked for by its own address: a server sends it for a missing page, which the worker does not answer."""
_SKIPPED_SUFFIXES = (".map", ".zip", ".gz", ".br")

REVISION_LENGTH = 16
"""Hex digits of a file's SHA-256 that make its revision; sw.js checks every download against them."""


def _needed_search_language_file(uri: str, languages: set[str]) -> bool:
    """Material ships lunr packs for every language; only those of the site's own languages are needed."""
    name = uri.rsplit("/", 1)[-1]
    other_languages = languages - {"en"}
    if not other_languages:
        return False
    support = {"lunr.stemmer.support.min.js", "lunr.multi.min.js", "tinyseg.js", "wordcut.js"}
    return name in support or any(name == f"lunr.{lang}.min.js" for lang in other_languages)


def _with_revisions(site_dir: Path, uris: list[str], threads: int) -> list[dict[str, str]]:
    """`[{url, revision}]` of `uris`, hashed `threads` at a time (`parallel.ordered_map`)."""
    size = lambda uri: (site_dir / uri).stat().st_size  # noqa: E731
    hashed = ordered_map(lambda uri: file_digest(site_dir / uri), uris, threads, size=size)
    return [{"url": uri, "revision": digest[:REVISION_LENGTH]} for uri, digest in hashed]


def precache_manifest(
    site_dir: Path, search_languages: set[str] | None = None, threads: int = 1, listed: list[str] | None = None
) -> list[dict[str, str]]:
    """`[{url, revision}]` for every file of the built site a reader may need offline, sorted by url.

    `threads`: how many files are hashed at once (`parallel.ordered_map`); `listed`: the site's files
    (`parallel.site_files`), when the caller has listed them already."""
    uris = []
    for uri in site_files(site_dir) if listed is None else listed:
        skipped = uri in _SKIPPED_NAMES or uri.startswith(_SKIPPED_PREFIXES) or uri.endswith(_SKIPPED_SUFFIXES)
        if skipped or is_private(uri):
            continue
        if uri.startswith(MATERIAL_LUNR) and not _needed_search_language_file(uri, search_languages or {"en"}):
            continue
        uris.append(uri)
    return _with_revisions(site_dir, uris, threads)


def kept_on_first_use(site_dir: Path, threads: int = 1, listed: list[str] | None = None) -> list[dict[str, str]]:
    """`[{url, revision}]` of the worksheets' PDFs, sorted by url: cached once a reader opens one, not before.

    `listed`: as for `precache_manifest`."""
    files = site_files(site_dir) if listed is None else listed
    uris = [uri for uri in files if uri.startswith(f"{PDF_DIR}/") and uri.endswith(".pdf")]
    return _with_revisions(site_dir, uris, threads)


def write_service_worker(
    site_dir: Path,
    loader: jinja2.BaseLoader,
    *,
    enabled: bool,
    search_languages: set[str] | None = None,
    threads: int = 1,
) -> int:
    """Write `sw.js` into the site; returns how many entries it precaches (0 when switched off)."""
    env = jinja2.Environment(loader=loader, autoescape=False, keep_trailing_newline=True)  # noqa: S701 - JavaScript
    if not enabled:
        script = env.get_template(template("sw-off.js.j2")).render()
        (site_dir / SERVICE_WORKER).write_text(script, encoding="utf-8")
        return 0
    listed = site_files(site_dir)
    manifest = precache_manifest(site_dir, search_languages, threads, listed)
    on_first_use = kept_on_first_use(site_dir, threads, listed)
    build = hashlib.sha256("".join(e["url"] + e["revision"] for e in manifest + on_first_use).encode()).hexdigest()[:16]
    script = env.get_template(template("sw.js.j2")).render(
        build=build, manifest=manifest, on_first_use=on_first_use, revision_length=REVISION_LENGTH
    )
    (site_dir / SERVICE_WORKER).write_text(script, encoding="utf-8")
    return len(manifest)


def build_of(script: str) -> str | None:
    """The build id a generated `sw.js` precaches, or None for the worker that switches offline use off."""
    found = re.search(r'^var BUILD = "([0-9a-f]+)";$', script, re.MULTILINE)
    return found.group(1) if found else None
