"""Post-build check: no page or stylesheet loads anything from another host.

Intranet sites often have no internet, and readers' privacy means no request
may leave the organisation's own server. This scans the built HTML (the
relevant tags, found by `html_scan`) and CSS for assets whose address names another host: scripts,
stylesheets, images, fonts, frames, media, preconnects. Ordinary links a
reader may choose to follow (`<a href>`) are not requests and are allowed.

The plugin runs `external_addresses` on each page body as it is built, so an
author's external image is reported at its content file and line; this
post-build scan of the whole site stays as the backstop (theme overrides,
`extra_css`, hand-placed files), naming the content file a page was made from.
The engine's pages are scanned as each one is handed to be written (`PageScan`,
from the page's HTML already in memory), or, while the early-products worker
runs, by that worker from the file as written (`file_external_addresses`);
`find_external_assets` reads again only the files it has no scan of, or whose
size on disk is not the size scanned (a file something changed after it was
written), or whose bytes are not those the worker read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .html_scan import start_tags, style_texts, written_size
from .parallel import site_files

# (tag, attribute) pairs whose value the browser fetches by itself.
_FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("form", "action"),
    ("image", "href"),
    ("use", "href"),
}
_FETCHING_TAGS = {tag for tag, _ in _FETCHED} | {"link"}
# <link rel=...> kinds that make the browser connect or fetch.
_FETCHING_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "manifest",
    "prerender",
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class ExternalAsset:
    """An asset address that points at another host."""

    file: str
    """The built file that references it, relative to the site folder."""
    reference: str
    source: str = ""
    """The content file the page was made from, when there is one."""

    def __str__(self) -> str:
        made_from = f" (made from {self.source})" if self.source else ""
        return f"{self.file}{made_from}: loads {self.reference}"


# A tag can only name another host with a scheme (`:`), a `//`, or what a browser
# reads as either: a character reference, a backslash, or a tab or newline inside the URL.
_MAY_NAME_A_HOST = re.compile(r"[:&\\\t\n\r]|//")
# Browsers drop tabs and newlines anywhere in a URL and read `\` as `/` (URL Standard).
_URL_IGNORED = str.maketrans({"\t": None, "\n": None, "\r": None, "\\": "/"})
_C0_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))


def is_external(address: str) -> bool:
    """True when fetching `address` would contact a host (any host: the site's own is always relative)."""
    address = address.strip(_C0_CONTROLS_AND_SPACE).translate(_URL_IGNORED)
    if address.startswith("//"):
        return True
    parts = urlsplit(address)
    return bool(parts.scheme) and parts.scheme not in ("data", "blob", "about", "mailto", "tel", "javascript")


def _css_addresses(css: str) -> list[str]:
    return [first or second for first, second in _CSS_URL.findall(css)]


def _html_addresses(html: str) -> list[str]:
    addresses: list[str] = []
    for tag in start_tags(html, _FETCHING_TAGS, only_if=_MAY_NAME_A_HOST):
        rels = set(tag.attributes.get("rel", "").lower().split())
        for name, value in tag.attributes.items():
            if (tag.name, name) in _FETCHED or (tag.name == "link" and name == "href" and rels & _FETCHING_LINK_RELS):
                if "srcset" in name:
                    addresses.extend(part.strip().split(" ")[0] for part in value.split(","))
                else:
                    addresses.append(value)
    addresses.extend(a for style in style_texts(html) for a in _css_addresses(style))
    return addresses


def external_addresses(html: str) -> list[str]:
    """The addresses on other hosts that this HTML (a page, or the body of one) would load."""
    return [address for address in _html_addresses(html) if is_external(address)]


def file_external_addresses(relative: str, data: bytes) -> list[str] | None:
    """The addresses on other hosts a built page or stylesheet (`relative`, its `data`) loads; None for other files."""
    suffix = PurePosixPath(relative).suffix
    if suffix not in (".html", ".css"):
        return None
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")  # As `read_text`.
    addresses = _css_addresses(text) if suffix == ".css" else _html_addresses(text)
    return [address for address in addresses if is_external(address)]


@dataclass(frozen=True)
class PageScan:
    """What a page's HTML loads from other hosts, scanned as it was handed to be written."""

    size: int
    """Its length in bytes as written (UTF-8): a file of another size on disk is scanned again."""
    external: tuple[str, ...]

    @classmethod
    def of(cls, html: str) -> PageScan:
        return cls(written_size(html), tuple(external_addresses(html)))


def find_external_assets(
    site_dir: Path,
    sources: Mapping[str, str] | None = None,
    known: Mapping[str, list[str]] | None = None,
    scanned: Mapping[str, PageScan] | None = None,
) -> list[ExternalAsset]:
    """Every reference to an asset on another host in the built site's HTML and CSS.

    `sources` maps a built file (relative to the site folder) to the content file it was made from;
    `known`: the addresses `file_external_addresses` found in files whose bytes are still the same (made
    while the pages were built, `early_products.py`), which are not read again; `scanned` maps a built page
    to its `PageScan`, which stands for reading it while its size is the same.
    """
    sources, known, scanned = sources or {}, known or {}, scanned or {}
    found: list[ExternalAsset] = []
    for relative in site_files(site_dir):
        suffix = PurePosixPath(relative).suffix
        if suffix not in (".html", ".css"):
            continue
        scan = scanned.get(relative) if suffix == ".html" else None
        addresses: list[str] | tuple[str, ...] | None
        if scan is not None and (site_dir / relative).stat().st_size == scan.size:
            addresses = scan.external
        else:
            addresses = known.get(relative)
            if addresses is None:
                addresses = file_external_addresses(relative, (site_dir / relative).read_bytes())
        found.extend(ExternalAsset(relative, a, sources.get(relative, "")) for a in addresses or ())
    return found
