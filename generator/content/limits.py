"""Bounds on what content may hold, so that reading and rendering it stays fast and safe.

Every number here is far above what real content needs (the largest shipped
page is 4 KB and a worksheet nests 8 levels deep at most) and far below what
makes a parser slow: an editor never meets them, a hostile or broken file is
refused with one clear line instead of hanging the build.

The Markdown checks exist because Python-Markdown (and the standard library's
HTML parser it uses) take time that grows with the square of some inputs:
thousands of unclosed `<a` take minutes for a few kilobytes, as do tens of
thousands of identical headings, brackets nested hundreds deep, or lists and
`<div markdown>` blocks nested hundreds deep end in a RecursionError.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT_BYTES = 64 * 1024
"""A Markdown page or a worksheet: about 10,000 words, 16 times the longest shipped page."""

MAX_FILE_BYTES = 10 * 1024 * 1024
"""An image or PDF in content/files/: every reader's browser saves it for offline use."""

MAX_LOGO_BYTES = 1024 * 1024
"""The logo is on every page."""

MAX_YAML_DEPTH = 20
"""Lists and keys inside each other; a worksheet's options inside a group need 8."""

MAX_MARKDOWN_DEPTH = 20
"""Block quotes, lists, admonitions or `markdown` HTML blocks inside each other, and `[` inside `[`."""

MAX_HEADINGS = 300
"""Headings on one page (identical headings make the table of contents quadratic)."""

MAX_UNCLOSED_TAGS = 10
"""`<` followed by a letter and never closed with `>` (each one makes the HTML parser rescan the page)."""

MAX_FOLDER_DEPTH = 12
"""Folders inside folders under content/ (content/files/a/b/c/... for downloads)."""

_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""Control characters, and the line separators YAML counts as new lines but editors do not show."""


def invisible_character(text: str) -> tuple[int, str] | None:
    """`(line, description)` of the first control character in `text`, or None.

    These never belong in content; they come from copying out of other programs
    (a NUL byte, Word's stray control codes), and YAML refuses most of them.
    """
    match = _INVISIBLE.search(text)
    if match is None:
        return None
    character = match.group()
    name = unicodedata.name(character, "a control character")
    return text.count("\n", 0, match.start()) + 1, f"U+{ord(character):04X}, {name.lower()}"


_LIST_OR_ADMONITION = re.compile(r"(?:[-*+]|\d{1,9}[.)]|!!!|\?\?\?\+?)(?:\s|$)")
_HEADING = re.compile(r"#{1,6}(?:\s|$)|=+\s*$|-{2,}\s*$")
_TAG_START = re.compile(r"<(/?[A-Za-z!?])")
_MARKDOWN_BLOCK = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^>]*\bmarkdown\b[^>]*>")
_CLOSING_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9]*)\s*>")
_BRACKET = re.compile(r"\\\\|\\\[|\\\]|\[|\]")
"""Brackets, and the backslash escapes that are not brackets."""
_BLOCK_STARTS = frozenset(" \t>-*+!?0123456789")


def _depth_of_line(line: str) -> int:
    """How many blocks deep a line is: its `>` markers, then its list or note markers and their indentation."""
    depth = 0
    rest = line
    while (stripped := rest.lstrip(" \t")).startswith(">"):
        depth += 1
        rest = stripped[1:]
    expanded = rest.expandtabs(4)
    body = expanded.lstrip(" ")
    indent = len(expanded) - len(body)
    markers = 0
    # Several markers on one line (`- - - x`) nest as deeply as indented ones.
    while match := _LIST_OR_ADMONITION.match(body):
        markers += 1
        body = body[match.end() :].lstrip(" ")
    if markers:
        depth += markers + indent // 4
    return depth


def markdown_problem(text: str) -> tuple[int, str] | None:
    """`(line, what is wrong: how to fix it)` for Markdown too deep or too tangled to render quickly.

    Lines are counted from 1 at the start of `text`.
    """
    headings = 0
    bracket_depth = 0
    markdown_blocks: list[str] = []
    unclosed: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.isspace():
            bracket_depth = 0  # Links never span paragraphs.
            continue
        if line[0] in _BLOCK_STARTS and _depth_of_line(line) > MAX_MARKDOWN_DEPTH:
            return number, (
                f"this line is nested more than {MAX_MARKDOWN_DEPTH} levels deep (quotes, lists or notes inside "
                "each other): no page needs that many; remove some '>' or '-' markers or some indentation"
            )
        if line[0] in "#=- " and _HEADING.match(line.lstrip(" ")):
            headings += 1
            if headings > MAX_HEADINGS:
                return number, f"this page has more than {MAX_HEADINGS} headings: split it into several pages"
        if "[" in line:
            for bracket in _BRACKET.findall(line):
                if bracket == "[":
                    bracket_depth += 1
                    if bracket_depth > MAX_MARKDOWN_DEPTH:
                        return number, (
                            f"more than {MAX_MARKDOWN_DEPTH} '[' are open at once here: close each '[' with ']', "
                            "or write \\[ for a bracket that is just text"
                        )
                elif bracket == "]" and bracket_depth:
                    bracket_depth -= 1
        elif bracket_depth and "]" in line:
            bracket_depth = max(0, bracket_depth - line.count("]"))
        if "<" not in line:
            continue
        for match in _TAG_START.finditer(line):
            end = line.find(">", match.end())
            next_start = line.find("<", match.end())
            if end < 0 or (0 <= next_start < end):
                unclosed.append(number)
                if len(unclosed) > MAX_UNCLOSED_TAGS:
                    return unclosed[0], (
                        f"more than {MAX_UNCLOSED_TAGS} '<' here and below start an HTML tag that is never closed "
                        "with '>': write &lt; for a '<' sign, or finish each tag with '>'"
                    )
        if "markdown" in line:
            for match in _MARKDOWN_BLOCK.finditer(line):
                markdown_blocks.append(match.group(1).lower())
                if len(markdown_blocks) > MAX_MARKDOWN_DEPTH:
                    return number, (
                        f"more than {MAX_MARKDOWN_DEPTH} HTML blocks with 'markdown' are open at once here: "
                        "close each one before opening the next"
                    )
        if markdown_blocks and "</" in line:
            for match in _CLOSING_TAG.finditer(line):
                name = match.group(1).lower()
                if name in markdown_blocks:
                    while markdown_blocks and markdown_blocks.pop() != name:
                        pass
    return None
