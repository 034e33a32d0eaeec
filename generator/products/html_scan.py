"""Find the few things post-build checks need in built HTML, without parsing whole pages.

Every page carries the whole navigation, so a full HTML parse of a 1,000-page
site reads hundreds of megabytes of links that no check cares about. This
module finds just the start tags of the elements asked for, and the inline
`<script>` blocks, then hands each one to the standard HTML parser for its
attributes. Tag boundaries respect quoted attribute values, and a script's
text ends at the first `</script`, as the HTML spec says.

Every scan runs in the page's UTF-8 bytes with ASCII letters lowered (`_lowered`,
made once per page and shared by the scans of one page): HTML tag and attribute
names are ASCII and matched ASCII-case-insensitively, as browsers do, and a
case-sensitive pattern is several times faster than a case-insensitive one. Lowering
bytes keeps every offset, so what is found is read from the page's own bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
# A name ends where no (lowered) ASCII letter, digit, `-`, `_`, `:` or non-ASCII byte follows
# (`<scripts>`, `<scripté>` are other elements).
_NAME_END = r"(?![a-z0-9_:\-\x80-\xff])"
_SCRIPT = re.compile(rf"<script{_NAME_END}({_ATTRIBUTES})>(.*?)</script[\t\n\f\r /]*>".encode(), re.DOTALL)
_STYLE_BLOCK = re.compile(rf"<style{_NAME_END}{_ATTRIBUTES}>(.*?)</style[\t\n\f\r /]*>".encode(), re.DOTALL)


@lru_cache(maxsize=1)  # The page being scanned: its scans follow one another.
def _lowered(html: str) -> tuple[bytes, bytes]:
    """The page's UTF-8 bytes, and the same with ASCII letters lowered (same length: every offset holds).

    A lone surrogate (a YAML value may hold one) is kept as its three bytes (`surrogatepass`), and read
    back the same way, so no page makes a scan fail."""
    raw = html.encode("utf-8", "surrogatepass")
    return raw, raw.lower()


def _text(raw: bytes, start: int, end: int) -> str:
    return raw[start:end].decode("utf-8", "surrogatepass")


_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")


def written_size(html: str) -> int:
    """The length of `html` in bytes as MkDocs writes a page (UTF-8, a lone surrogate as a character reference)."""
    raw = _lowered(html)[0]
    return len(raw) if _SURROGATE.search(raw) is None else len(html.encode("utf-8", "xmlcharrefreplace"))


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


@lru_cache(maxsize=1024)
def _parse_tag(text: str) -> StartTag | None:
    # Cached: every page repeats the theme's tags (its scripts, stylesheets, the navigation's toggles), and
    # parsing is most of a scan's cost. A cached tag is shared: its attributes are read, never changed.
    parser = _TagParser()
    parser.feed(text)
    parser.close()
    return parser.tags[0] if parser.tags else None


@lru_cache(maxsize=32)
def _start_tag_pattern(names: tuple[str, ...]) -> re.Pattern[bytes]:
    alternatives = "|".join(re.escape(name.lower()) for name in names)
    return re.compile(rf"<(?:{alternatives}){_NAME_END}{_ATTRIBUTES}>".encode())


@lru_cache(maxsize=32)
def _in_bytes(pattern: re.Pattern[str]) -> re.Pattern[bytes]:
    """An `only_if` pattern (ASCII, as the checks' are) for the page's UTF-8 bytes."""
    return re.compile(pattern.pattern.encode("ascii"), pattern.flags & ~re.UNICODE)


def start_tags(html: str, names: Iterable[str], only_if: re.Pattern[str] | None = None) -> Iterator[StartTag]:
    """The start tags of the named elements, in document order.

    With `only_if`, a tag whose raw text has no match for it is skipped unparsed:
    parsing attributes is most of the cost, and most tags cannot matter to a check.
    """
    raw, lowered = _lowered(html)
    wanted = _in_bytes(only_if) if only_if is not None else None
    for match in _start_tag_pattern(tuple(sorted(set(names)))).finditer(lowered):
        if wanted is not None and not wanted.search(raw, match.start(), match.end()):
            continue
        tag = _parse_tag(_text(raw, match.start(), match.end()))
        if tag is not None:
            yield tag


# An attribute-like run anywhere (its name ASCII, matched in the lowered bytes).
_STYLE_ATTRIBUTE = re.compile(rb"""style(?<=\sstyle)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def style_texts(html: str) -> Iterator[str]:
    """Every inline `style="..."` value and `<style>` block text (an attribute-like run in prose counts too)."""
    raw, lowered = _lowered(html)
    for match in _STYLE_ATTRIBUTE.finditer(lowered):
        start, end = match.span(1) if match.group(1) is not None else match.span(2)
        yield _text(raw, start, end)
    for match in _STYLE_BLOCK.finditer(lowered):
        yield _text(raw, match.start(1), match.end(1))


def inline_scripts(html: str) -> Iterator[tuple[StartTag, str]]:
    """Each `<script>` without `src`, with its start tag and its exact text."""
    raw, lowered = _lowered(html)
    for match in _SCRIPT.finditer(lowered):
        tag = _parse_tag(_text(raw, match.start(), match.start(2)))
        if tag is not None and tag.name == "script" and "src" not in tag.attributes:
            yield tag, _text(raw, match.start(2), match.end(2))
