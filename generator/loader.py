"""Load `content/` from disk and validate it into the typed content model.

Every problem is collected (file, line, what is wrong and how to fix it) and
reported together in one `ContentError`, so an editor fixes them all in one
pass. Nothing is built from content that did not validate.

Layout read here::

    content/index.md                      the home page
    content/pages/<id>.md                 free pages
    content/guides/<guide>/index.md       a guide (its steps, in order)
    content/guides/<guide>/<step>.md      one step per file; the file name is its id
    content/situations/<id>.md            situation pages
    content/worksheets/<id>.yml           worksheet templates
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .links import LINK_KINDS, find_content_links
from .model import (
    FIELD_KINDS,
    GROUP_ITEM_KINDS,
    ContentPack,
    Field,
    Guide,
    Markdown,
    Option,
    Page,
    Section,
    Situation,
    Source,
    Step,
    Worksheet,
)
from .yaml_source import LineDict, LineList, YamlSyntaxError, parse_yaml, split_front_matter

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_LINES = 30
MAX_ROWS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, where it is, and how to fix it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Content did not validate; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.message))
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the content:"
        super().__init__("\n".join([heading, *map(str, self.problems)]))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{value!r}"


class _Record:
    """Reads one YAML mapping, recording a Problem for each bad or unknown key."""

    def __init__(
        self,
        data: LineDict,
        path: str,
        problems: list[Problem],
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.what = what
        allowed = list(allowed)
        for key, line in data.duplicate_keys:
            self.report(line, f"key '{key}' appears twice in this {what}; keep one")
        for key in data:
            if key not in allowed:
                suggestion = difflib.get_close_matches(str(key), allowed, n=1)
                fix = f"did you mean '{suggestion[0]}'?" if suggestion else "remove it"
                self.report(
                    data.line_of(key),
                    f"unknown key '{key}' in {what}: {fix} (allowed keys: {', '.join(allowed)})",
                )
        for key in required:
            if data.get(key) in (None, "", []):
                self.report(data.line, f"{what} is missing required key '{key}': add '{key}: ...'")

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line(self, key: str | None = None) -> int:
        return self.data.line if key is None else self.data.line_of(key)

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.report(self.line(key), f"'{key}' must be text, not {_describe(value)}")
            return default
        if isinstance(value, bool):
            self.report(self.line(key), f"'{key}' must be text; put {_describe(value)} in quotes")
            return default
        return str(value).strip()

    def integer(self, key: str, default: int, low: int | None = None, high: int | None = None) -> int:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(self.line(key), f"'{key}' must be a whole number, not {_describe(value)}")
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.report(self.line(key), f"'{key}' must be between {low} and {high}, not {value}")
            return default
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            self.report(self.line(key), f"'{key}' must be a list: write each item on its own line starting with '- '")
            return ()
        if not isinstance(value, LineList):
            self.report(self.line(key), f"'{key}' must be a list, not {_describe(value)}")
            return ()
        items = []
        for index, item in enumerate(value):
            if item is None or isinstance(item, (dict, list, bool)):
                self.report(
                    value.line_of(index),
                    f"item {index + 1} of '{key}' must be text, not {_describe(item)}"
                    + (" (a value that contains ': ' must be put in quotes)" if isinstance(item, dict) else ""),
                )
                continue
            items.append(str(item).strip())
        return tuple(items)

    def id_list(self, key: str) -> tuple[str, ...]:
        return self.text_list(key)

    def records(self, key: str) -> list[tuple[LineDict, int]]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, LineList):
            self.report(self.line(key), f"'{key}' must be a list of entries, each starting with '- '")
            return []
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, LineDict):
                self.report(value.line_of(index), f"item {index + 1} of '{key}' must be a set of 'key: value' lines")
                continue
            found.append((item, value.line_of(index)))
        return found


def _check_id(record: _Record, key: str, what: str) -> str:
    value = record.text(key)
    if value and not ID_PATTERN.match(value):
        record.report(
            record.line(key),
            f"{what} id '{value}' may only use lowercase letters, digits and single dashes (e.g. 'action-plan')",
        )
    return value


class _ContentReader:
    """Walks a content folder and builds a ContentPack, collecting every Problem."""

    def __init__(self, content_dir: Path, display_root: Path) -> None:
        self.content_dir = content_dir
        self.display_root = display_root
        self.problems: list[Problem] = []
        self.links: list[tuple[str, int, str, str]] = []
        """Every content link seen: (path, line, kind, id)."""
        self.unreadable: dict[str, set[str]] = {kind: set() for kind in LINK_KINDS}
        """Ids of content that exists but did not validate: links to it are not reported again."""

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.display_root).as_posix()
        except ValueError:
            return path.as_posix()

    def report(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.display(path), line, message))

    # -- files ------------------------------------------------------------

    def read_text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            self.report(path, 1, f"file is not UTF-8 text ({error.reason}); save it as UTF-8")
        except OSError as error:
            self.report(path, 1, f"cannot read file: {error.strerror}")
        return None

    def read_markdown(self, path: Path, what: str) -> tuple[LineDict, Markdown] | None:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            document = split_front_matter(text)
        except YamlSyntaxError as error:
            self.report(path, error.line, f"front matter: {error.message}")
            return None
        if document is None:
            self.report(path, 1, f"{what} must start with front matter: a '---' line, 'title: ...', then '---'")
            return None
        if not isinstance(document.meta, LineDict):
            self.report(
                path,
                document.meta_line,
                f"front matter must be 'key: value' lines (like 'title: ...'), not {_describe(document.meta)}",
            )
            return None
        body = Markdown(document.body, Source(self.display(path), document.body_line))
        for link in find_content_links(document.body):
            self.links.append((self.display(path), document.body_line + link.line - 1, link.kind, link.id))
        return document.meta, body

    def record(self, data: LineDict, path: Path, what: str, allowed: Iterable[str], required: Iterable[str]) -> _Record:
        return _Record(data, self.display(path), self.problems, what, allowed, required)

    # -- pages ------------------------------------------------------------

    def read_page(self, path: Path, page_id: str) -> Page | None:
        read = self.read_markdown(path, "a page")
        if read is None:
            return None
        meta, body = read
        record = self.record(meta, path, "page front matter", ("title", "summary", "keywords", "order"), ("title",))
        return Page(
            id=page_id,
            title=record.text("title"),
            summary=record.text("summary"),
            keywords=record.text_list("keywords"),
            order=record.integer("order", 100),
            body=body,
        )

    def read_situation(self, path: Path) -> Situation | None:
        read = self.read_markdown(path, "a situation")
        if read is None:
            return None
        meta, body = read
        record = self.record(
            meta,
            path,
            "situation front matter",
            ("title", "summary", "keywords", "steps", "worksheets"),
            ("title", "summary", "steps"),
        )
        situation = Situation(
            id=path.stem,
            title=record.text("title"),
            summary=record.text("summary"),
            keywords=record.text_list("keywords"),
            step_ids=record.id_list("steps"),
            worksheet_ids=record.id_list("worksheets"),
            body=body,
        )
        self.note_refs(record, "steps", "step", situation.step_ids)
        self.note_refs(record, "worksheets", "worksheet", situation.worksheet_ids)
        return situation

    def note_refs(self, record: _Record, key: str, kind: str, ids: Iterable[str]) -> None:
        value = record.data.get(key)
        for index, ref in enumerate(ids):
            line = value.line_of(index) if isinstance(value, LineList) else record.line(key)
            self.links.append((record.path, line, kind, ref))

    # -- guides -----------------------------------------------------------

    def read_guide(self, folder: Path) -> Guide | None:
        index = folder / "index.md"
        if not index.is_file():
            self.report(folder, 1, "a guide folder needs an index.md with the guide's title, summary, audience and steps")
            return None
        read = self.read_markdown(index, "a guide")
        if read is None:
            return None
        meta, body = read
        record = self.record(
            meta,
            index,
            "guide front matter",
            ("title", "summary", "audience", "steps", "keywords"),
            ("title", "summary", "audience"),
        )
        step_ids = record.id_list("steps")
        steps_value = record.data.get("steps")
        if not step_ids:
            record.report(
                record.line("steps"),
                "this guide has no steps: list its step ids in reading order under 'steps:' "
                "(one '- step-id' per line, each with a matching .md file in this folder)",
            )
        step_files = {p.stem: p for p in folder.glob("*.md") if p.name != "index.md"}
        steps: list[Step] = []
        seen: set[str] = set()
        for position, step_id in enumerate(step_ids):
            line = steps_value.line_of(position) if isinstance(steps_value, LineList) else record.line("steps")
            if step_id in seen:
                record.report(line, f"step '{step_id}' is listed twice in 'steps'; keep one")
                continue
            seen.add(step_id)
            if step_id not in step_files:
                known = difflib.get_close_matches(step_id, list(step_files), n=1)
                fix = f"did you mean '{known[0]}'?" if known else f"create {self.display(folder / (step_id + '.md'))}"
                record.report(line, f"step '{step_id}' has no file: {fix}")
                continue
            step = self.read_step(step_files[step_id], folder.name)
            if step is not None:
                steps.append(step)
            else:
                self.unreadable["step"].add(step_id)
        for stem, path in sorted(step_files.items()):
            if stem not in seen:
                self.report(
                    path,
                    1,
                    f"this step is not listed in {self.display(index)}: add '- {stem}' under 'steps:' or delete the file",
                )
        return Guide(
            id=folder.name,
            title=record.text("title"),
            summary=record.text("summary"),
            audience=record.text("audience"),
            keywords=record.text_list("keywords"),
            steps=tuple(steps),
            body=body,
        )

    def read_step(self, path: Path, guide_id: str) -> Step | None:
        read = self.read_markdown(path, "a step")
        if read is None:
            return None
        meta, body = read
        record = self.record(
            meta,
            path,
            "step front matter",
            ("title", "summary", "keywords", "key_actions", "reflection_prompts", "worksheets"),
            ("title", "summary", "key_actions", "reflection_prompts"),
        )
        if not ID_PATTERN.match(path.stem):
            self.report(path, 1, "step file names may only use lowercase letters, digits and dashes; rename the file")
        step = Step(
            id=path.stem,
            guide_id=guide_id,
            title=record.text("title"),
            summary=record.text("summary"),
            keywords=record.text_list("keywords"),
            key_actions=record.text_list("key_actions"),
            reflection_prompts=record.text_list("reflection_prompts"),
            worksheet_ids=record.id_list("worksheets"),
            body=body,
        )
        self.note_refs(record, "worksheets", "worksheet", step.worksheet_ids)
        return step

    # -- worksheets -------------------------------------------------------

    def read_worksheet(self, path: Path) -> Worksheet | None:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            data = parse_yaml(text)
        except YamlSyntaxError as error:
            self.report(path, error.line, error.message)
            return None
        if not isinstance(data, LineDict):
            self.report(path, 1, f"a worksheet must be 'key: value' lines (id, title, sections...), not {_describe(data)}")
            return None
        record = self.record(
            data,
            path,
            "worksheet",
            ("id", "version", "title", "purpose", "time_needed", "instructions", "sections"),
            ("id", "title", "purpose", "sections"),
        )
        worksheet_id = _check_id(record, "id", "worksheet")
        if worksheet_id in ("index", "worksheets"):
            record.report(record.line("id"), f"worksheet id '{worksheet_id}' is reserved; choose another id and file name")
        if worksheet_id and worksheet_id != path.stem:
            record.report(
                record.line("id"),
                f"worksheet id '{worksheet_id}' does not match its file name '{path.name}': "
                f"rename the file to {worksheet_id}.yml or change the id",
            )
        field_ids: dict[str, int] = {}
        sections: list[Section] = []
        section_ids: set[str] = set()
        for section_data, _line in record.records("sections"):
            section = self.read_section(section_data, path, field_ids)
            if section.id in section_ids:
                self.report(path, section_data.line_of("id"), f"section id '{section.id}' is used twice; make it unique")
            section_ids.add(section.id)
            sections.append(section)
        instructions = record.text("instructions")
        for link in find_content_links(instructions):
            self.links.append((record.path, record.line("instructions") + link.line, link.kind, link.id))
        return Worksheet(
            id=worksheet_id,
            version=record.integer("version", 1, 1, 10_000),
            title=record.text("title"),
            purpose=record.text("purpose"),
            time_needed=record.text("time_needed"),
            instructions=instructions,
            sections=tuple(sections),
            source=Source(record.path, record.line()),
        )

    def read_section(self, data: LineDict, path: Path, field_ids: dict[str, int]) -> Section:
        record = self.record(data, path, "section", ("id", "title", "intro", "fields"), ("id", "title", "fields"))
        fields = tuple(
            f
            for f in (self.read_field(item, path, field_ids, in_group=False) for item, _ in record.records("fields"))
            if f is not None
        )
        return Section(
            id=_check_id(record, "id", "section"),
            title=record.text("title"),
            intro=record.text("intro"),
            fields=fields,
        )

    def read_field(self, data: LineDict, path: Path, field_ids: dict[str, int], in_group: bool) -> Field | None:
        common = ("id", "kind", "label", "help")
        kind_keys: dict[str, tuple[str, ...]] = {
            "text": ("lines",),
            "textarea": ("lines",),
            "choice": ("options",),
            "checklist": ("options",),
            "scale": ("min", "max", "min_label", "max_label"),
            "date": (),
            "checkbox": (),
            "group": ("item_label", "rows", "fields"),
        }
        kind = data.get("kind")
        allowed_kinds = GROUP_ITEM_KINDS if in_group else FIELD_KINDS
        display = self.display(path)
        if kind not in allowed_kinds:
            if kind is None:
                message = f"field is missing required key 'kind': add 'kind: ...' (one of {', '.join(allowed_kinds)})"
            elif in_group and kind in FIELD_KINDS:
                message = f"field kind '{kind}' cannot be used inside a group: use one of {', '.join(allowed_kinds)}"
            else:
                guess = difflib.get_close_matches(str(kind), allowed_kinds, n=1)
                hint = f"did you mean '{guess[0]}'? " if guess else ""
                message = f"field kind '{kind}' is not one of {', '.join(allowed_kinds)}: {hint}".rstrip(": ")
            self.problems.append(Problem(display, data.line_of("kind"), message))
            # Still check the keys every field has, so one pass reports everything.
            _Record(data, display, self.problems, "field", (*common, *sum(kind_keys.values(), ())), ("id", "label"))
            return None
        required = ("id", "label", "options") if kind in ("choice", "checklist") else ("id", "label")
        if kind == "group":
            required = ("id", "label", "item_label", "fields")
        record = _Record(data, display, self.problems, f"{kind} field", (*common, *kind_keys[kind]), required)
        field_id = _check_id(record, "id", "field")
        if field_id:
            if field_id in field_ids:
                record.report(
                    record.line("id"),
                    f"field id '{field_id}' is already used on line {field_ids[field_id]}; "
                    "every field in a worksheet needs its own id",
                )
            else:
                field_ids[field_id] = record.line("id")
        options: list[Option] = []
        if kind in ("choice", "checklist"):
            labels = record.text_list("options")
            if data.get("options") is not None and len(labels) < 2:
                record.report(record.line("options"), f"a {kind} field needs at least two options")
            seen: set[str] = set()
            for label in labels:
                if label in seen:
                    record.report(record.line("options"), f"option '{label}' is listed twice; keep one")
                seen.add(label)
                options.append(Option(value=label, label=label))
        scale_min = record.integer("min", 0, -100, 100)
        scale_max = record.integer("max", 10, -100, 100)
        if kind == "scale" and scale_min >= scale_max:
            record.report(
                record.line("min"),
                f"scale min ({scale_min}) must be below max ({scale_max}): swap them or change one",
            )
        sub_fields: tuple[Field, ...] = ()
        if kind == "group":
            sub_fields = tuple(
                f
                for f in (self.read_field(item, path, field_ids, in_group=True) for item, _ in record.records("fields"))
                if f is not None
            )
        return Field(
            id=field_id,
            kind=kind,
            label=record.text("label"),
            help=record.text("help"),
            lines=record.integer("lines", 3 if kind == "textarea" else 1, 1, MAX_LINES),
            options=tuple(options),
            scale_min=scale_min,
            scale_max=scale_max,
            min_label=record.text("min_label"),
            max_label=record.text("max_label"),
            item_label=record.text("item_label"),
            rows=record.integer("rows", 3, 1, MAX_ROWS),
            fields=sub_fields,
            source=Source(display, data.line),
        )

    # -- the whole folder -------------------------------------------------

    def read(self) -> ContentPack | None:
        root = self.content_dir
        if not root.is_dir():
            self.report(root, 1, "content folder not found: create it, or set 'content_dir' under the selfhelp plugin")
            return None
        home = None
        if (root / "index.md").is_file():
            home = self.read_page(root / "index.md", "index")
        else:
            self.report(root / "index.md", 1, "the home page is missing: create content/index.md with a title")
        for path in sorted(root.rglob("*.md")):
            relative = path.relative_to(root)
            top = relative.parts[0]
            allowed = (
                relative.as_posix() == "index.md"
                or (top in ("pages", "situations") and len(relative.parts) == 2)
                or (top == "guides" and len(relative.parts) == 3)
            )
            if not allowed:
                self.report(
                    path,
                    1,
                    "Markdown files belong in content/pages/, content/situations/ or content/guides/<guide>/: move this file",
                )
        for path in sorted(root.rglob("*.y*ml")):
            if path.relative_to(root).parts[0] != "worksheets" or path.parent != root / "worksheets":
                self.report(path, 1, "YAML files belong in content/worksheets/: move this file there")
        pages = self.read_all("page", sorted(root.glob("pages/*.md")), lambda path: self.read_page(path, path.stem))
        guides = self.read_all("guide", sorted(p for p in root.glob("guides/*") if p.is_dir()), self.read_guide)
        situations = self.read_all("situation", sorted(root.glob("situations/*.md")), self.read_situation)
        worksheet_paths = sorted([*root.glob("worksheets/*.yml"), *root.glob("worksheets/*.yaml")])
        worksheets = self.read_all("worksheet", worksheet_paths, self.read_worksheet)
        self.check_unique(worksheets, "worksheet", lambda w: w.source)
        step_sources = {
            step.id: Source(step.body.source.path, 1) for guide in guides for step in guide.steps
        }
        self.check_unique(
            [step for guide in guides for step in guide.steps], "step", lambda s: Source(s.body.source.path, 1)
        )
        for page in pages:
            if page.id in ("index", "situations", "worksheets", "guides", "privacy", "search", "assets"):
                self.report(root / "pages" / f"{page.id}.md", 1, f"page id '{page.id}' is reserved; rename the file")
        ids_by_kind: dict[str, set[str]] = {
            "step": set(step_sources),
            "worksheet": {w.id for w in worksheets},
            "situation": {s.id for s in situations},
            "page": {p.id for p in pages} | {"index", "privacy"},
            "guide": {g.id for g in guides},
        }
        folders = {"step": "guides/<guide>", "worksheet": "worksheets", "situation": "situations", "page": "pages"}
        for path, line, kind, target in self.links:
            if kind not in LINK_KINDS or target in ids_by_kind[kind] or target in self.unreadable[kind]:
                continue
            guess = difflib.get_close_matches(target, sorted(ids_by_kind[kind]), n=1)
            fix = f"did you mean '{guess[0]}'?" if guess else f"create it in content/{folders.get(kind, 'guides')}/ or fix the id"
            self.problems.append(Problem(path, line, f"link to {kind} '{target}' goes nowhere: {fix}"))
        if self.problems or home is None:
            return None
        return ContentPack(home=home, pages=pages, guides=guides, situations=situations, worksheets=worksheets)

    def read_all(self, kind: str, paths: list[Path], read: Any) -> list[Any]:
        """Read each path; remember the ids of those that did not validate."""
        items = []
        for path in paths:
            item = read(path)
            if item is None:
                self.unreadable[kind].add(path.stem)
            else:
                items.append(item)
        return items

    def check_unique(self, items: list[Any], what: str, source_of: Any) -> None:
        first: dict[str, Source] = {}
        for item in items:
            source = source_of(item)
            if item.id in first:
                self.problems.append(
                    Problem(
                        source.path,
                        source.line,
                        f"{what} id '{item.id}' is already used by {first[item.id]}; give one of them another id",
                    )
                )
            else:
                first[item.id] = source


def load_content(content_dir: Path, display_root: Path | None = None) -> ContentPack:
    """Read and validate a content folder.

    Paths in problems are shown relative to `display_root` (default: the
    content folder's parent, i.e. the project). Raises ContentError listing
    every problem when anything is wrong.
    """
    content_dir = Path(content_dir)
    reader = _ContentReader(content_dir, Path(display_root) if display_root else content_dir.parent)
    pack = reader.read()
    if pack is None:
        raise ContentError(reader.problems or [Problem(str(content_dir), 1, "content could not be read")])
    return pack
