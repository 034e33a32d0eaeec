"""Find the few things post-build checks need in built HTML, without parsing whole pages.

Every page carries the whole navigation, so a full HTML parse of a 1,000-page
site reads hundreds of megabytes of links that no check cares about. This
module finds just the start tags of the elements asked for, and the inline
`<script>` blocks, then hands each one to the standard HTML parser for its
attributes. Tag boundaries respect quoted attribute values, and a script's
text ends at the first `</script`, as the HTML spec says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_SCRIPT = re.compile(rf"<script\b({_ATTRIBUTES})>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_BLOCK = re.compile(rf"<style\b{_ATTRIBUTES}>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class StartTag:
    """One start tag: its name and attributes (values unescaped, as a browser reads them)."""

    name: str
    attributes: dict[str, str]


class _TagParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[StartTag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(StartTag(tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def _parse_tag(text: str) -> StartTag | None:
    parser = _TagParser()
    parser.feed(text)
    parser.close()
    return parser.tags[0] if parser.tags else None


@lru_cache(maxsize=32)
def _start_tag_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"<(?:{alternatives})\b{_ATTRIBUTES}>", re.IGNORECASE)


def start_tags(html: str, names: Iterable[str], only_if: re.Pattern[str] | None = None) -> Iterator[StartTag]:
    """The start tags of the named elements, in document order.

    With `only_if`, a tag whose raw text has no match for it is skipped unparsed:
    parsing attributes is most of the cost, and most tags cannot matter to a check.
    """
    for match in _start_tag_pattern(tuple(sorted(set(names)))).finditer(html):
        if only_if is not None and not only_if.search(match.group(0)):
            continue
        tag = _parse_tag(match.group(0))
        if tag is not None:
            yield tag


# Matched in the page's UTF-8 bytes lowered (ASCII only, so every offset stays the same):
# a case-sensitive pattern that starts with a literal is several times faster to run
# than a case-insensitive one, and attribute names are ASCII.
_STYLE_ATTRIBUTE = re.compile(rb"""style(?<=\sstyle)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def style_texts(html: str) -> Iterator[str]:
    """Every inline `style="..."` value and `<style>` block text (an attribute-like run in prose counts too)."""
    raw = html.encode("utf-8")
    for match in _STYLE_ATTRIBUTE.finditer(raw.lower()):
        start, end = match.span(1) if match.group(1) is not None else match.span(2)
        yield raw[start:end].decode("utf-8")
    for match in _STYLE_BLOCK.finditer(html):
        yield match.group(1)


def inline_scripts(html: str) -> Iterator[tuple[StartTag, str]]:
    """Each `<script>` without `src`, with its start tag and its exact text."""
    for match in _SCRIPT.finditer(html):
        tag = _parse_tag(f"<script{match.group(1)}>")
        if tag is not None and "src" not in tag.attributes:
            yield tag, match.group(2)
