"""A page's front matter (`render.front_matter`) is exactly what `yaml.dump` writes, so MkDocs reads the same values.

`front_matter` writes the usual values itself (text that needs no escape, plain or in single quotes) and leaves
the rest to `yaml.dump`. Each case is compared byte for byte with both of PyYAML's emitters (libyaml's, which
the build uses when PyYAML has it, and the pure-Python one), and read back.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from generator.content.render import _QUOTABLE, _SafeDumper, front_matter

DUMPERS = [yaml.SafeDumper, *([yaml.CSafeDumper] if hasattr(yaml, "CSafeDumper") else [])]

HOSTILE = [
    "Plain title",
    "It's fine",
    "Step 1: breathe",
    "Step 1:breathe",
    "ends with a colon:",
    ": starts with one",
    "a # comment?",
    "a#b",
    "# heading",
    "- a list item",
    "-dash",
    "--- a document",
    "... the end",
    "'quoted'",
    '"double"',
    'say "hi"',
    "yes",
    "No",
    "OFF",
    "on",
    "null",
    "Null",
    "~",
    "y",
    "n",
    "true story",
    "123",
    "1.5",
    "0x1F",
    "1e3",
    "2024-01-01",
    ".inf",
    "<<",
    "=",
    "? key",
    "?",
    "!tag",
    "&anchor",
    "*alias",
    "%directive",
    "@at",
    "`tick",
    "|pipe",
    ">fold",
    "[flow]",
    "{flow}",
    "a, b [c] {d}",
    " leading space",
    "trailing space ",
    "two  spaces",
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "crlf\r\nline",
    "line\u2028separator",
    "paragraph\u2029separator",
    "next\x85line",
    "no-break\xa0space",
    "\ufeffbyte order mark",
    "bell\x07",
    "delete\x7f",
    "emoji 😀",
    "😀 first",
    "café, naïve, Ünïcode",
    "é first",
    "“curly quotes” and ‘single’ — dash – en … ellipsis",
    "“quote first",
    "Ÿes",
    "日本語のタイトル",
    "Привет мир",
    "مرحبا",
    "back\\slash",
    "<script>alert(1)</script>",
    "a" * 999,
    "a" * 1000,
    "a" * 1001,
    "x " * 600,
    "\ud800 lone surrogate",
]


def dumped(meta: dict[str, Any], dumper: type) -> str:
    return yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)


def shapes(text: str) -> list[dict[str, Any]]:
    return [
        {"title": text},
        {"title": "T", "description": text, "tags": [text, "b"]},
        {"title": text, "description": text, "tags": ["a", text], "search": {"boost": 2}},
        {"title": text, "worksheet_tools": True, "worksheet_paper": True},
        {"title": text, "hide": ["toc"]},
        {"title": text, "search": {"boost": text}},
    ]


def texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in texts(key) + texts(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in texts(item)]
    return []


def check(meta: dict[str, Any]) -> None:
    try:
        expected = dumped(meta, _SafeDumper)  # What the build wrote before.
    except (yaml.YAMLError, UnicodeEncodeError) as error:  # The emitter refuses it (a lone surrogate).
        with pytest.raises(type(error)):
            front_matter(meta)
        return
    written = front_matter(meta)
    assert written == expected, meta
    if all(_QUOTABLE.fullmatch(text) for text in texts(meta)):  # Written by front_matter: the same for either emitter.
        for dumper in DUMPERS:
            assert written == dumped(meta, dumper), (meta, dumper)
    assert yaml.load(written, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == meta


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_written_as_yaml_dump_writes_it(text: str) -> None:
    for meta in shapes(text):
        check(meta)


def test_random_text_is_written_as_yaml_dump_writes_it() -> None:
    # The characters the rules turn on, many times over, and a sample of everything else.
    tricky = list(" :#-'\"?!&*%@`|>[]{},.~=<\\\t\n\r\x85\xa0\u2028\u2029\ufeff") + ["😀", "é", "—", "’", "…", "ſ"]
    letters = list("abcXYZ019")
    words = sorted(
        "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL y n".split()
    )
    chance = random.Random(14)
    for _ in range(5_000):
        kind = chance.random()
        if kind < 0.1:
            text = chance.choice(words)
        elif kind < 0.8:
            text = "".join(chance.choice(tricky if chance.random() < 0.4 else letters) for _ in range(chance.randint(1, 8)))
        else:
            text = "".join(chr(chance.randint(1, 0x2FFFF)) for _ in range(chance.randint(1, 4)))
            if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
                continue
        check({"title": text, "tags": [text], "search": {"boost": 4}})


def test_other_values_are_left_to_yaml_dump() -> None:
    for meta in ({}, {"title": "T", "tags": [""]}, {"ratio": 1.5}, {"title": "T", "nested": {"a": [1]}}, {"n": None}):
        assert front_matter(meta) == dumped(meta, DUMPERS[-1])
