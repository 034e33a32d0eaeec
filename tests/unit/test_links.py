"""links: content links by id, found with their lines and rewritten to page paths."""

from __future__ import annotations

from generator.content.links import find_content_links, parse_content_link, rewrite_content_links


def test_finds_content_links_with_their_lines_and_ignores_others() -> None:
    text = "See [a](step:wind-down).\n\n[b](https://example.org) and [c](worksheet:diary#row)\n[d](mailto:x@y)\n"
    found = [(link.kind, link.id, link.line) for link in find_content_links(text)]
    assert found == [("step", "wind-down", 1), ("worksheet", "diary", 3)]


def test_parses_a_link_address() -> None:
    assert parse_content_link(" step:wind-down#why ") == ("step", "wind-down", "why")
    assert parse_content_link("page:about") == ("page", "about", "")
    assert parse_content_link("https://example.org") is None
    assert parse_content_link("no-colon") is None


def test_rewrites_content_links_keeping_anchor_and_title() -> None:
    text = '[a](step:x#why "Title") [b](https://example.org) [c](guide:g)'
    rewritten = rewrite_content_links(text, lambda kind, item: f"/{kind}s/{item}/")
    assert rewritten == '[a](/steps/x/#why "Title") [b](https://example.org) [c](/guides/g/)'
