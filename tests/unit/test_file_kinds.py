"""file_kinds: files recognised by content, and what makes an SVG unsafe to publish."""

from __future__ import annotations

import pytest

from generator.content.file_kinds import same_kind, sniff, svg_problem


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n....", ".png"),
        (b"\xff\xd8\xff\xe0", ".jpg"),
        (b"GIF89a", ".gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", ".webp"),
        (b"\n" * 100 + b"%PDF-1.7", ".pdf"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', ".svg"),
        (b"plain text", None),
    ],
)
def test_sniff(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


def test_same_kind() -> None:
    assert same_kind(".JPEG") == same_kind(".jpg") == ".jpg"
    assert same_kind(".PNG") == ".png"


SVG = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'


def test_a_plain_svg_is_fine() -> None:
    assert svg_problem(SVG.format('<circle r="4" fill="#123"/><style>circle {{ fill: red }}</style>').encode()) is None


@pytest.mark.parametrize(
    "inner",
    [
        "<script>alert(1)</script>",
        '<circle onload="alert(1)"/>',
        "<foreignObject><div/></foreignObject>",
        '<image href="https://example.org/x.png"/>',
        '<animate attributeName="href"/>',
        "<style>@import url(x.css);</style>",
    ],
)
def test_unsafe_svgs_are_refused(inner: str) -> None:
    assert svg_problem(SVG.format(inner).encode()) is not None


def test_entity_declarations_are_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    assert svg_problem(data) is not None
