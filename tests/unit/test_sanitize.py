"""sanitize: text stays text wherever it lands, and Markdown values keep to their subset."""

from __future__ import annotations

from generator.content.sanitize import MarkdownValues, is_link_address, markdown_text, text_html


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
