"""yaml_source: every value text, with the line it is written on in its file."""

from __future__ import annotations

import pytest

from generator.content.yaml_source import YamlSyntaxError, compose_lines, parse_yaml, split_front_matter


def test_values_are_text_as_written_with_their_lines() -> None:
    data = parse_yaml("id: '010'\ntime: 12:30\nflag: No\nempty:\nitems:\n  - a\n  - 2\n")
    assert data == {"id": "010", "time": "12:30", "flag": "No", "empty": None, "items": ["a", "2"]}
    assert [data.line_of(key) for key in ("id", "time", "flag", "empty", "items")] == [1, 2, 3, 4, 5]
    assert data["items"].line_of(1) == 7


def test_first_line_offsets_every_line_and_every_error() -> None:
    assert parse_yaml("a: 1\nb: 2\n", first_line=10).line_of("b") == 11
    with pytest.raises(YamlSyntaxError) as error:
        parse_yaml("a: 1\nb: [unclosed\n", first_line=10)
    assert 11 <= error.value.line <= 12
    assert "not valid YAML" in str(error.value)


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: !tag 1\n", "a: &x {b: 1}\nc:\n  <<: *x\n"])
def test_anchors_aliases_tags_and_merge_keys_are_refused(text: str) -> None:
    with pytest.raises(YamlSyntaxError):
        parse_yaml(text)


def test_nesting_stops_at_the_limit() -> None:
    with pytest.raises(YamlSyntaxError):
        parse_yaml("a: " + "[" * 60 + "]" * 60 + "\n")


def test_front_matter_lines_are_the_file_lines() -> None:
    document = split_front_matter("---\ntitle: Hello\nsummary: Hi\n---\nBody text\n")
    assert document is not None
    assert document.meta["title"] == "Hello" and document.meta.line_of("summary") == 3
    assert document.body == "Body text\n" and document.body_line == 5
    assert split_front_matter("No front matter\n") is None
    assert split_front_matter("\ufeff---\ntitle: x\n---\n").meta["title"] == "x"


def test_compose_lines_accepts_any_tag_and_gives_none_for_broken_yaml() -> None:
    node = compose_lines("a: !ENV X\nb: !!python/name:foo.bar\n")
    assert node is not None and node.value[1][0].start_mark.line == 1
    assert compose_lines("a: [\n") is None


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d"])
def test_half_a_surrogate_pair_is_refused_at_its_line(escape: str) -> None:
    """Only an escape can make one, and no page file can hold it: refused with the line and the fix."""
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(f'id: fine\ntitle: "Sad {escape} face"\n', first_line=3)
    assert caught.value.line == 4 and "surrogate" in caught.value.message and "\\U0001F600" in caught.value.message
    assert parse_yaml('title: "Sad \\U0001F600 face"\n') == {"title": "Sad \U0001F600 face"}
    assert parse_yaml('title: "Sad \\ud83d\\ude00 face"\n') == {"title": "Sad \U0001F600 face"}  # JSON's way
