"""Read content YAML and Markdown front matter: every value text, every value with its line.

PyYAML reports lines relative to the text it parsed; this module adds the
front-matter offset itself so that every problem can name the real file and
line an editor has to open. Content YAML is read narrowly and within bounds:

- Every value is text exactly as written (or None when nothing is written):
  YAML 1.1 would turn `010` into 8, `12:30` into 750 and `No` into false.
  Where YAML would have read a plain value as something else (a number, a date,
  true/false, null), `reads_as` says so, so ids can be refused with "put it in
  quotes" instead of being silently changed.
- Anchors (`&name`), aliases (`*name`), tags (`!name`) and merge keys (`<<`)
  have no use in content and are refused: an alias "bomb" of 450 bytes would
  otherwise expand to millions of values.
- Lists and keys nest at most `MAX_YAML_DEPTH` levels.
- Syntax errors name the line where the problem starts, in plain words.

libyaml's parser is used when PyYAML has it (about ten times faster on a
1,000-page pack); text it rejects is parsed again by the pure-Python parser,
whose errors carry the detail our messages are worded from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, MappingStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .limits import MAX_YAML_DEPTH

YamlValue = Any
"""str, None, LineDict or LineList."""


class LineDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows the line of itself and of each key (1-based)."""

    line: int = 1
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]
    reads_as: dict[str, str]
    """For plain values YAML 1.1 would not read as text: key -> what it would read them as ("a number")."""

    def line_of(self, key: str) -> int:
        """The line a key was written on, or the mapping's own line when it is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):  # type: ignore[type-arg]
    """A YAML sequence that knows the line of itself and of each item (1-based)."""

    line: int = 1
    item_lines: list[int]
    reads_as: dict[int, str]
    """For plain items YAML 1.1 would not read as text: index -> what it would read them as."""

    def line_of(self, index: int) -> int:
        """The line item `index` was written on."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlSyntaxError(Exception):
    """YAML that does not parse or is refused, with the real line (front-matter offset applied)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_READS_AS = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "no value",
    "tag:yaml.org,2002:merge": "a merge key",
    "tag:yaml.org,2002:value": "a special value",
}


def _plain(node: ScalarNode) -> bool:
    return not node.style  # libyaml says '' where PyYAML says None.


def _reads_as(node: Node) -> str | None:
    if isinstance(node, ScalarNode) and _plain(node):
        return _READS_AS.get(node.tag)
    return None


class _ContentComposer(Composer):
    """PyYAML's composer, refusing anchors, aliases and tags, and nesting deeper than MAX_YAML_DEPTH."""

    line_offset = 0
    depth = 0

    def _line(self, event: Any) -> int:
        return int(event.start_mark.line) + 1 + self.line_offset

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise YamlSyntaxError(
                self._line(event),
                "a value cannot start with '*' (YAML reads '*name' as a copy of another value): "
                "put the value in quotes",
            )
        if event.anchor is not None:
            raise YamlSyntaxError(
                self._line(event),
                "a value cannot start with '&' (YAML reads '&name' as a label for copying): put the value in quotes",
            )
        if getattr(event, "tag", None) is not None:
            raise YamlSyntaxError(
                self._line(event),
                "a value cannot start with '!' (YAML reads '!name' as a type): put the value in quotes",
            )
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                what = "keys" if isinstance(event, MappingStartEvent) else "lists"
                raise YamlSyntaxError(
                    self._line(event),
                    f"{what} are nested more than {MAX_YAML_DEPTH} levels deep here: content never needs that "
                    "many; check the indentation and the brackets",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_SURROGATE = re.compile("[\ud800-\udfff]")


def _construct_scalar(loader: SafeConstructor, node: ScalarNode) -> str | None:
    # Only an empty value is "nothing"; `~` or `null` written out stays text, like every value.
    if node.value == "" and _plain(node):
        return None
    value = str(node.value)
    if not value.isascii() and _SURROGATE.search(value):  # Only `\\u` escapes make them: no file holds one.
        try:  # Two escapes of one pair, as JSON writes them ("\\ud83d\\ude00"), are the character they encode.
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            raise YamlSyntaxError(
                node.start_mark.line + 1 + getattr(loader, "line_offset", 0),
                "this value has half of a surrogate pair (a \\u escape between \\uD800 and \\uDFFF): write the "
                "character itself, or as one \\U escape (\\U0001F600)",
            ) from None
    return value


def _construct_mapping(loader: _ContentLoader, node: MappingNode) -> LineDict:
    offset = loader.line_offset
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1 + offset
    mapping.key_lines = {}
    mapping.duplicate_keys = []
    mapping.reads_as = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "(a list or mapping used as a key)"
        line = key_node.start_mark.line + 1 + offset
        if key in mapping.key_lines:
            mapping.duplicate_keys.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
        reads_as = _reads_as(value_node)
        if reads_as:
            mapping.reads_as[key] = reads_as
        else:
            mapping.reads_as.pop(key, None)
    return mapping


def _construct_sequence(loader: _ContentLoader, node: SequenceNode) -> LineList:
    sequence = LineList(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1 + loader.line_offset
    sequence.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    sequence.reads_as = {index: kind for index, child in enumerate(node.value) if (kind := _reads_as(child))}
    return sequence


class _Constructor(SafeConstructor):
    """Builds LineDict, LineList and text; no other types (tags are refused before construction)."""

    yaml_constructors: dict[Any, Any] = {
        None: _construct_scalar,
        "tag:yaml.org,2002:map": _construct_mapping,
        "tag:yaml.org,2002:seq": _construct_sequence,
        **{tag: _construct_scalar for tag in ("tag:yaml.org,2002:str", *_READS_AS)},
    }
    line_offset = 0


class _ContentLoader(Reader, Scanner, Parser, _ContentComposer, _Constructor, Resolver):
    """The pure-Python loader: slower than libyaml, but its errors say what and where."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _ContentComposer.__init__(self)
        _Constructor.__init__(self)
        Resolver.__init__(self)


try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

if CParser is not None:

    class _FastContentLoader(_ContentComposer, CParser, _Constructor, Resolver):  # type: ignore[misc, valid-type]
        """libyaml's scanner and parser with our composer and constructor."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _ContentComposer.__init__(self)
            _Constructor.__init__(self)
            Resolver.__init__(self)

    _LOADERS: tuple[type[Any], ...] = (_FastContentLoader, _ContentLoader)
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADERS = (_ContentLoader,)


def _load(loader_class: type[Any], text: str, line_offset: int) -> YamlValue:
    loader = loader_class(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def parse_yaml(text: str, first_line: int = 1) -> YamlValue:
    """Parse YAML text whose first line is line `first_line` of its file.

    Returns text (str), None (nothing written), LineDict or LineList. Raises
    YamlSyntaxError with the file's line number when the text is not YAML or
    uses what content YAML refuses.
    """
    offset = first_line - 1
    try:
        try:
            return _load(_LOADERS[0], text, offset)
        except yaml.YAMLError:
            if len(_LOADERS) == 1:
                raise
            return _load(_LOADERS[1], text, offset)  # Raises the error we word the message from.
    except yaml.MarkedYAMLError as error:
        line, message = _in_plain_words(error)
        raise YamlSyntaxError(line + offset, f"this is not valid YAML: {message}") from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(0, error.position)) + 1
        message = "this is not valid YAML: it holds a character YAML does not allow: delete it"
        raise YamlSyntaxError(line + offset, message) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(first_line, f"this is not valid YAML: {error}") from None


_CANNOT_START = re.compile(r"found character '(.)' that cannot start any token")
_INDENTATION = (
    "this line is not lined up with the lines around it: keys at the same level start in the same column "
    "(with spaces), and a value in quotes must end with its closing quote"
)


def _in_plain_words(error: yaml.MarkedYAMLError) -> tuple[int, str]:
    """`(line, message)` for a PyYAML error: the line where the problem starts, and what to do."""
    problem = error.problem or ""
    context = error.context or ""
    problem_line = error.problem_mark.line + 1 if error.problem_mark else 1
    context_line = error.context_mark.line + 1 if error.context_mark else problem_line
    if "escape" in problem:
        return problem_line, (
            "a backslash (\\) inside double quotes starts a special character: write the value in single quotes "
            "instead, or double the backslash (\\\\)"
        )
    if "quoted scalar" in context:
        return context_line, "the quote that starts the value on this line is never closed: add the closing quote"
    if "flow sequence" in context:
        return context_line, (
            "the '[' on this line is never closed: end the list with ']', or put the value in quotes "
            "if it is text that starts with '['"
        )
    if "flow mapping" in context:
        return context_line, (
            "the '{' on this line is never closed: end it with '}', or put the value in quotes "
            "if it is text that starts with '{'"
        )
    if "'\\t'" in problem or "tab" in problem:
        return problem_line, "there is a tab character here: indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return problem_line, (
            "a value contains ': ' (a colon and a space): put the whole value in quotes; if this line is a key "
            "of its own, start it in the same column as the keys above it"
        )
    if "simple key" in context:
        return context_line, (
            "this line is not 'key: value': add the key and a colon in front of it, or join it to the value "
            "it belongs to"
        )
    if "block scalar" in context:
        return context_line, "after '|' or '>' the text starts on the next line, indented: move it there"
    if (match := _CANNOT_START.search(problem)) is not None:
        return problem_line, f"a value cannot start with '{match.group(1)}': put the value in quotes"
    if "alias" in context or "anchor" in context:
        character = "*" if "alias" in context else "&"
        return problem_line, f"a value cannot start with '{character}': put the value in quotes"
    if "tag" in context:
        return problem_line, "a value cannot start with '!': put the value in quotes"
    if "single document" in context:
        return problem_line, "a '---' line here starts a second document: remove it (the file holds one)"
    if "found '-'" in problem:
        return problem_line, (
            "a list item ('- ...') where a 'key: value' line was expected: indent it under the key it belongs to"
        )
    if "<block end>" in problem or "expected key" in problem or "'-' indicator" in problem:
        return problem_line, _INDENTATION
    return problem_line, f"{problem or context}: check the quotes, colons and indentation of this line"


@dataclass
class FrontMatterDocument:
    """A Markdown file split into its front matter (parsed) and its body."""

    meta: YamlValue
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


def compose_lines(text: str) -> Node | None:
    """The node tree of a YAML text that may use any tags (mkdocs.yml's `!ENV`, `!!python/name:`...).

    Nothing is constructed, so unknown tags are fine; nodes carry their lines
    (`start_mark.line`, 0-based). None when the text is not YAML.
    """
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
