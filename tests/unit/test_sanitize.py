"""sanitize: text stays text wherever it lands, and Markdown values keep to their subset."""

from __future__ import annotations

import random

from generator.content.sanitize import (
    _PLAIN_INLINE,
    INLINE_TAGS,
    MarkdownValues,
    is_link_address,
    markdown_text,
    text_html,
)


def _resolve(kind: str, item_id: str, anchor: str) -> str | None:
    return f"/{kind}s/{item_id}/" + (f"#{anchor}" if anchor else "") if item_id != "missing" else None


def test_text_html_escapes_but_keeps_apostrophes() -> None:
    assert text_html('<b>"I\'ve" & co</b>') == "&lt;b&gt;&quot;I've&quot; &amp; co&lt;/b&gt;"


def test_markdown_text_is_inert_and_on_one_line() -> None:
    text = markdown_text("*a* [b](c)\n{: onclick=x }")
    assert "*" not in text and "[" not in text and "{" not in text and "\n" not in text
    assert text.startswith("&#42;a&#42; &#91;b&#93;")


def test_link_addresses() -> None:
    assert all(map(is_link_address, ["https://x.org", "HTTP://x", "mailto:a@b", "tel:+44"]))
    assert not any(map(is_link_address, ["javascript:alert(1)", "data:text/html,x", "file:///etc", "/path", "[::"]))


def test_markdown_values_keep_to_their_subset() -> None:
    values = MarkdownValues()
    inline = values.inline("*Ask* [the plan](worksheet:plan#top) or [x](javascript:alert(1)) <b>hi</b>", _resolve)
    assert "<em>Ask</em>" in inline
    assert '<a href="/worksheets/plan/#top" rel="noopener noreferrer">the plan</a>' in inline
    assert "javascript" not in inline and "<b>" not in inline and "&lt;b&gt;" in inline
    assert values.inline("[gone](step:missing)", _resolve) == "gone"
    block = values.block("First.\n\n- one\n- two\n\n# Not a heading\n\n![img](https://x.org/a.png)", _resolve)
    assert "<ul>" in block and "<h1>" not in block and "<img" not in block


def _slow_inline(values: MarkdownValues, text: str) -> str:
    """What Python-Markdown and nh3 make of an inline value (no fast path, no memo)."""
    return values._convert(values._inline, values._inline_links, text, _resolve, INLINE_TAGS)


def test_plain_inline_values_skip_markdown_with_the_same_bytes() -> None:
    values = MarkdownValues()
    alphabet = "ab Z09 ,.;:'?!-"
    rng = random.Random(14)
    samples = [
        "", " ", "  lead and trail  ", "one  two", "1. not a list", "- not a list", "---", "a - b -- c", "-", "1-2", "Put screens away.",
        "It's fine: really!", "? ! . , ; :", "0", "a:b", "http: no link", "'quoted' words", "end with two  ",
        "    four spaces first", "A.B.C.", "::", "!!", "Why? Because.",
    ]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(3000)]
    for text in samples:
        assert _PLAIN_INLINE.fullmatch(text), text
        assert values.inline(text, _resolve) == _slow_inline(values, text), repr(text)
    # Anything else goes through Markdown: emphasis, code, links, escapes, entities, line breaks, other letters.
    for text in ["*a*", "`a`", "[a](https://x.org)", "a\\b", "a &amp; b", "a  \nb", "café", "a_b_", "a=b", "(a)"]:
        assert not _PLAIN_INLINE.fullmatch(text), text


def test_a_value_is_converted_once_per_build_unless_it_links_to_content() -> None:
    values = MarkdownValues()
    calls: list[str] = []

    def counting(kind: str, item_id: str, anchor: str) -> str | None:
        calls.append(item_id)
        return _resolve(kind, item_id, anchor)

    assert values.inline("*Ask* [web](https://x.org)", counting) == values.inline("*Ask* [web](https://x.org)", _resolve)
    assert values.block("- *one*\n- two", _resolve) == values.block("- *one*\n- two", _resolve)
    assert len(values._converted) == 2 and not calls
    first = values.inline("[the plan](worksheet:plan)", counting)
    other = values.inline("[the plan](worksheet:plan)", lambda kind, item_id, anchor: f"../{item_id}/")
    assert first == '<a href="/worksheets/plan/" rel="noopener noreferrer">the plan</a>'
    assert other == '<a href="../plan/" rel="noopener noreferrer">the plan</a>'  # resolved for its own page
    assert calls == ["plan"] and len(values._converted) == 2
