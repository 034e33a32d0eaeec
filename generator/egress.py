"""Post-build check: no page or stylesheet loads anything from another host.

Intranet sites often have no internet, and readers' privacy means no request
may leave the organisation's own server. This scans the built HTML (parsed,
not grepped) and CSS for assets whose address names another host: scripts,
stylesheets, images, fonts, frames, media, preconnects. Ordinary links a
reader may choose to follow (`<a href>`) are not requests and are allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

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

    def __str__(self) -> str:
        return f"{self.file}: loads {self.reference}"


def is_external(address: str) -> bool:
    """True when fetching `address` would contact a host (any host: the site's own is always relative)."""
    address = address.strip()
    if address.startswith("//"):
        return True
    parts = urlsplit(address)
    return bool(parts.scheme) and parts.scheme not in ("data", "blob", "about", "mailto", "tel", "javascript")


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (tag, name) in _FETCHED or (name == "href" and tag == "link" and self._link_fetches(values)):
                candidates = [part.strip().split(" ")[0] for part in value.split(",")] if "srcset" in name else [value]
                self.addresses.extend(candidates)
            if name == "style":
                self.styles.append(value)
        self._in_style = tag == "style"

    @staticmethod
    def _link_fetches(values: dict[str, str]) -> bool:
        return bool(set(values.get("rel", "").lower().split()) & _FETCHING_LINK_RELS)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _css_addresses(css: str) -> list[str]:
    return [first or second for first, second in _CSS_URL.findall(css)]


def find_external_assets(site_dir: Path) -> list[ExternalAsset]:
    """Every reference to an asset on another host in the built site's HTML and CSS."""
    found: list[ExternalAsset] = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".css":
            addresses = _css_addresses(text)
        else:
            collector = _AssetCollector()
            collector.feed(text)
            addresses = collector.addresses + [a for style in collector.styles for a in _css_addresses(style)]
        relative = path.relative_to(site_dir).as_posix()
        found.extend(ExternalAsset(relative, a) for a in addresses if is_external(a))
    return found
