"""Content links: `[text](step:ID)`, `worksheet:ID`, `situation:ID`, `page:ID`, `guide:ID`, `file:NAME`.

Authors link by id instead of by file path, so moving or renaming a page never
breaks a link silently. The loader checks every target exists; the renderer
turns each into the relative `.md` path MkDocs resolves (and checks again).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

LINK_KINDS: tuple[str, ...] = ("step", "worksheet", "situation", "page", "guide", "file")
"""`file:` names an image or PDF by its path in content/files/ (`file:charts/sleep.png`)."""

_CONTENT_LINK = re.compile(r"\]\(\s*(?P<kind>[a-z]+):(?P<id>[^)\s#]*)(?P<anchor>#[^)\s]*)?(?P<rest>[^)]*)\)")


@dataclass(frozen=True)
class ContentLink:
    """One `kind:id` link found in Markdown, with its line relative to the text (1-based)."""

    kind: str
    id: str
    line: int


def find_content_links(markdown: str) -> Iterator[ContentLink]:
    """Every `kind:id` link in a Markdown text whose kind is a content kind."""
    for match in _CONTENT_LINK.finditer(markdown):
        if match.group("kind") in LINK_KINDS:
            line = markdown.count("\n", 0, match.start()) + 1
            yield ContentLink(match.group("kind"), match.group("id"), line)


def parse_content_link(href: str) -> tuple[str, str, str] | None:
    """`(kind, id, anchor)` of a link address such as `step:ID#anchor` (anchor without '#'), else None."""
    kind, colon, rest = href.strip().partition(":")
    if not colon or kind not in LINK_KINDS:
        return None
    item_id, _, anchor = rest.partition("#")
    return kind, item_id, anchor


def rewrite_content_links(markdown: str, target_uri: Callable[[str, str], str]) -> str:
    """Replace each content link with the path `target_uri(kind, id)` returns."""

    def replace(match: re.Match[str]) -> str:
        kind = match.group("kind")
        if kind not in LINK_KINDS:
            return match.group(0)
        anchor = match.group("anchor") or ""
        return f"]({target_uri(kind, match.group('id'))}{anchor}{match.group('rest')})"

    return _CONTENT_LINK.sub(replace, markdown)
