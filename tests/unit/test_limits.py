"""limits: invisible characters and Markdown too deep or too tangled to render quickly."""

from __future__ import annotations

from generator.content.limits import MAX_HEADINGS, MAX_MARKDOWN_DEPTH, invisible_character, markdown_problem


def test_invisible_characters_are_found_on_their_line() -> None:
    assert invisible_character("plain text\nwith tabs\tand new lines\r\n") is None
    line, what = invisible_character("one\ntwo\x00\n")
    assert line == 2 and what.startswith("U+0000")
    assert invisible_character("a\u2028b")[1].startswith("U+2028")


def test_ordinary_markdown_passes() -> None:
    text = "# Title\n\n- a\n  - b\n\n> quote\n\n[link](page:x) and <em>html</em>\n"
    assert markdown_problem(text) is None


def test_too_deep_nesting_is_found() -> None:
    deep = "".join("  " * level + "- item\n" for level in range(MAX_MARKDOWN_DEPTH * 3))
    assert markdown_problem(deep) is not None
    assert markdown_problem(">" * (MAX_MARKDOWN_DEPTH * 3) + " quote\n") is not None


def test_too_many_headings_are_found() -> None:
    found = markdown_problem("".join(f"## Heading {n}\n\n" for n in range(MAX_HEADINGS + 5)))
    assert found is not None and "heading" in found[1].lower()
