"""Read YAML and Markdown front matter so every value remembers its source line.

PyYAML reports lines relative to the text it parsed; this module adds the
front-matter offset itself so that every problem can name the real file and
line an editor has to open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml


class LineDict(dict):
    """A YAML mapping that knows the line of itself and of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]
    duplicate_keys: list[tuple[Any, int]]

    def line_of(self, key: Any) -> int:
        """The line a key was written on, or the mapping's own line when it is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that knows the line of itself and of each item (1-based)."""

    line: int = 1
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """The line item `index` was written on."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def _no_yes_no_booleans(resolvers: dict[Any, list[Any]]) -> dict[Any, list[Any]]:
    return {first: [(tag, rx) for tag, rx in rules if tag != "tag:yaml.org,2002:bool"] for first, rules in resolvers.items()}


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that builds LineDict/LineList and only reads true/false as booleans.

    YAML 1.1 turns a bare `No`, `yes`, `on` or `off` into a boolean, which would
    silently change an answer option called "No" into `False`.
    """

    yaml_implicit_resolvers = _no_yes_no_booleans(yaml.SafeLoader.yaml_implicit_resolvers)


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader on libyaml's parser, about ten times faster on a 1,000-page pack.

    Its error messages are worded differently, so text it rejects is parsed again
    by `_LineLoader` to report the problem the way our messages and tests expect.
    """

    yaml_implicit_resolvers = _no_yes_no_booleans(yaml.SafeLoader.yaml_implicit_resolvers)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    mapping.duplicate_keys = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            key = str(key)
        if key in mapping:
            mapping.duplicate_keys.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    sequence = LineList(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(Exception):
    """YAML that does not parse, with the real line (front-matter offset applied)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _shift_lines(value: Any, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        value.duplicate_keys = [(k, v + offset) for k, v in value.duplicate_keys]
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, LineList):
        value.line += offset
        value.item_lines = [v + offset for v in value.item_lines]
        for item in value:
            _shift_lines(item, offset)


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text whose first line is line `first_line` of its file.

    Raises YamlSyntaxError with the file's line number when the text is not YAML.
    """
    try:
        try:
            value = yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            value = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - raises the message we report
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        problem = error.problem or "not valid YAML"
        hint = ""
        if "mapping values are not allowed" in problem or "could not find expected ':'" in problem:
            hint = " (a value that contains ': ' must be put in quotes)"
        elif "found character '\\t'" in problem:
            hint = " (indent with spaces, not tabs)"
        raise YamlSyntaxError(line, f"this is not valid YAML: {problem}{hint}") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(first_line, f"this is not valid YAML: {error}") from None
    _shift_lines(value, first_line - 1)
    return value


@dataclass
class FrontMatterDocument:
    """A Markdown file split into its front matter (parsed) and its body."""

    meta: Any
    meta_line: int
    """Line of the first front-matter key (the line after the opening `---`)."""
    body: str
    body_line: int
    """Line the body starts on."""


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> FrontMatterDocument | None:
    """Split `---` front matter from a Markdown text; None when the text has none.

    Raises YamlSyntaxError when the front matter is not valid YAML.
    """
    text = text.lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    yaml_text = match.group(1) or ""
    meta = parse_yaml(yaml_text, first_line=2)
    body_line = text.count("\n", 0, match.end()) + 1
    return FrontMatterDocument(meta=meta, meta_line=2, body=text[match.end() :], body_line=body_line)
