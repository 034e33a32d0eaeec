"""Load `content/` from disk and validate it into the typed content model.

Every problem is collected (file, line, what is wrong and how to fix it) and
reported together in one `ContentError`, so an editor fixes them all in one
pass. Nothing is built from content that did not validate.

Layout read here (anything else in `content/` is refused, never published)::

    content/index.md                      the home page
    content/pages/<id>.md                 free pages
    content/guides/<guide>/index.md       a guide (its steps, in order)
    content/guides/<guide>/<step>.md      one step per file; the file name is its id
    content/situations/<id>.md            situation pages
    content/worksheets/<id>.yml           worksheet templates
    content/plan.yml                      My plan: its sections (fields join one with `plan: <section id>`)
    content/files/...                     images and PDFs (FILE_KINDS), checked by content

Names starting with a dot (`.DS_Store`, `.git/`) are skipped, as MkDocs skips
them. Links (symlinks) to files inside `content/` are read; links to folders,
links that leave `content/`, loop or lead nowhere are refused. Every file has a
size limit and every text is checked for depth and invisible characters
(`limits.py`) before it is parsed.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..site_paths import (
    BUILT_IN_PAGE_IDS,
    PLAN_PAGE_ID,
    RESERVED_PAGE_IDS,
    RESERVED_SITUATION_IDS,
    RESERVED_WORKSHEET_IDS,
)
from .file_kinds import KIND_NAMES, same_kind, sniff, svg_problem
from .limits import MAX_FILE_BYTES, MAX_FOLDER_DEPTH, MAX_TEXT_BYTES, invisible_character, markdown_problem
from .links import LINK_KINDS, find_content_links
from .model import (
    FIELD_KINDS,
    FILE_KINDS,
    FILES_FOLDER,
    GROUP_ITEM_KINDS,
    RESERVED_FIELD_IDS,
    ContentPack,
    Field,
    Guide,
    Markdown,
    Option,
    Page,
    Plan,
    PlanSection,
    Section,
    Situation,
    Source,
    Step,
    Worksheet,
)
from .yaml_source import LineDict, LineList, YamlSyntaxError, parse_yaml, split_front_matter

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Every id: guides, steps, situations, pages, worksheets, sections and fields."""
ID_RULE = "ids use only lowercase letters, digits and single dashes, like 'action-plan'"
FILE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
"""Names of files and folders under content/files/ (they become part of a web address)."""
MAX_LINES = 30
MAX_ROWS = 20
WORKSHEET_SUFFIXES = (".yml", ".yaml")
PLAN_FILES = ("plan.yml", "plan.yaml")
"""My plan's declaration, at the top of content/."""
MAX_PLAN_LATEST = 100
MARKDOWN_PLACES = "content/pages/, content/situations/ or content/guides/<guide>/"

T = TypeVar("T")


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


def suggested_id(name: str) -> str:
    """An id made from a name an editor typed: 'Lost My Job' becomes 'lost-my-job' ('' if nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
                    f"unknown key '{_one_line(key, 60)}' in {what}: {fix} (allowed keys: {', '.join(allowed)})",
                )
        for key in required:
            if data.get(key) in (None, "", []):
                self.report(data.line, f"{what} is missing required key '{key}': add '{key}: ...'")

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line(self, key: str | None = None) -> int:
        return self.data.line if key is None else self.data.line_of(key)

    def _checked_text(self, text: str, line: int) -> str:
        problem = markdown_problem(text)
        if problem is not None:
            self.report(line + problem[0] - 1, problem[1])
        return text.strip()

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.report(self.line(key), f"'{key}' must be text, not {_describe(value)}")
            return default
        return self._checked_text(value, self.line(key))

    def integer(self, key: str, default: int, low: int | None = None, high: int | None = None) -> int:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or not re.fullmatch(r"[-+]?[0-9]{1,9}", value.strip()):
            self.report(self.line(key), f"'{key}' must be a whole number, like 3, not {_describe(value)}")
            return default
        number = int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            self.report(self.line(key), f"'{key}' must be between {low} and {high}, not {number}")
            return default
        return number

    def _list(self, key: str) -> LineList | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            self.report(self.line(key), f"'{key}' must be a list: write each item on its own line starting with '- '")
            return None
        if not isinstance(value, LineList):
            self.report(self.line(key), f"'{key}' must be a list, not {_describe(value)}")
            return None
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self._list(key)
        items = []
        for index, item in enumerate(value or ()):
            if not isinstance(item, str):
                self.report(
                    value.line_of(index),  # type: ignore[union-attr]
                    f"item {index + 1} of '{key}' must be text, not {_describe(item)}"
                    + (" (a value that contains ': ' must be put in quotes)" if isinstance(item, dict) else ""),
                )
                continue
            items.append(self._checked_text(item, value.line_of(index)))  # type: ignore[union-attr]
        return tuple(items)

    def _id_problem(self, value: Any, reads_as: str | None, what: str, written: str) -> str | None:
        if isinstance(value, (dict, list)) or value is None:
            return f"{what} id must be text, not {_describe(value)}"
        if reads_as:
            return f"{what} id {value} is read by YAML as {reads_as}, not as text: put it in quotes: {written}"
        if not ID_PATTERN.match(value):
            better = suggested_id(value)
            fix = f": use '{better}'" if better and better != value and "/" not in value else ""
            return f"{what} id '{_one_line(value, 60)}' is not an id ({ID_RULE}){fix}"
        return None

    def identifier(self, key: str, what: str) -> str:
        """The id under `key` ('' when missing or refused, with a problem recorded)."""
        value = self.data.get(key)
        if value is None or value == "":
            return ""
        problem = self._id_problem(value, self.data.reads_as.get(key), what, f'{key}: "{value}"')
        if problem:
            self.report(self.line(key), problem)
            return ""
        return str(value)

    def id_list(self, key: str, what: str) -> list[tuple[str, int]]:
        """`(id, line)` of each valid id listed under `key`; a problem for each item that is not an id."""
        value = self._list(key)
        found = []
        for index, item in enumerate(value or ()):
            line = value.line_of(index)  # type: ignore[union-attr]
            problem = self._id_problem(item, value.reads_as.get(index), what, f'- "{item}"')  # type: ignore[union-attr]
            if problem:
                self.report(line, f"in '{key}': {problem}")
            else:
                found.append((str(item), line))
        return found

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


@dataclass
class _Layout:
    """The files found under content/, sorted by what they are."""

    home: Path | None = None
    pages: list[Path] = field(default_factory=list)
    situations: list[Path] = field(default_factory=list)
    guides: dict[Path, list[Path]] = field(default_factory=dict)
    """Each guide folder and the Markdown files in it."""
    worksheets: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    plan: Path | None = None


class _ContentReader:
    """Walks a content folder and builds a ContentPack, collecting every Problem."""

    def __init__(self, content_dir: Path, display_root: Path, parsed: dict[tuple[str, str], Any] | None = None) -> None:
        self.content_dir = content_dir
        self.parsed_before = dict(parsed or {})
        """YAML and front matter parsed by an earlier load, by (kind, text) (`load_content`'s `parsed`)."""
        self.parsed: dict[tuple[str, str], Any] = {}
        self.real_content_dir = content_dir.resolve()
        self.display_root = display_root
        self.problems: list[Problem] = []
        self.links: list[tuple[str, int, str, str]] = []
        """Every content link seen: (path, line, kind, id)."""
        self.unreadable: dict[str, set[str]] = {kind: set() for kind in LINK_KINDS}
        """Ids of content that exists but did not validate: links to it are not reported again."""
        self.plan_refs: list[tuple[str, int, str]] = []
        """Every `plan:` on a field: (path, line, plan section id)."""
        self.plan_section_lines: dict[str, int] = {}

    def _parse(self, kind: str, text: str, parse: Callable[[str], Any]) -> Any:
        """`parse(text)`, or what an earlier load parsed from the same text (the result is never modified)."""
        key = (kind, text)
        value = self.parsed[key] = self.parsed_before[key] if key in self.parsed_before else parse(text)
        return value

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.display_root).as_posix()
        except ValueError:
            return path.as_posix()

    def report(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.display(path), line, message))

    def guarded(self, path: Path, read: Callable[[Path], T]) -> T | None:
        """`read(path)`, with an unexpected error reported as one line about `path` instead of a traceback."""
        try:
            return read(path)
        except Exception as error:  # noqa: BLE001 - any bug must still end in one readable line, never a traceback
            self.report(
                path,
                1,
                f"selfhelp failed while reading this file ({type(error).__name__}: {_one_line(str(error), 80)}): "
                "this is a bug in selfhelp, not in your file; please report it with this file attached",
            )
            return None

    # -- walking content/ -------------------------------------------------

    def symlink_problem(self, path: Path) -> str | None:
        """Why a link (symlink) under content/ cannot be read, or None when it is a link to a file inside it."""
        target = os.readlink(path)
        try:
            real = path.resolve(strict=True)
        except (RuntimeError, OSError) as error:  # A loop is RuntimeError before Python 3.13, OSError after.
            if isinstance(error, RuntimeError) or getattr(error, "errno", None) == 40:
                return f"this link ({target}) goes round in a loop: delete it"
            return f"this link ({target}) leads to nothing: delete it, or put the file itself here"
        if not real.is_relative_to(self.real_content_dir):
            return (
                f"this link ({target}) leads outside the content folder, which is never published: "
                "put the file itself here instead of a link"
            )
        if real.is_dir():
            return f"this is a link to a folder ({target}): links to folders are not followed; move the folder here"
        return None

    def walk(self) -> _Layout:
        layout = _Layout()
        folders = [(self.content_dir, 0)]
        while folders:
            folder, depth = folders.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as error:
                self.report(folder, 1, f"cannot read this folder: {error.strerror}")
                continue
            for entry in entries:
                path = Path(entry.path)
                if entry.name.startswith("."):
                    continue  # Hidden files (.DS_Store, .git) are never published; MkDocs skips them too.
                if entry.is_symlink():
                    problem = self.symlink_problem(path)
                    if problem:
                        self.report(path, 1, problem)
                        continue
                try:
                    mode = path.stat().st_mode
                except OSError as error:
                    self.report(path, 1, f"cannot read this: {error.strerror}")
                    continue
                if stat.S_ISDIR(mode):
                    if depth + 1 >= MAX_FOLDER_DEPTH:
                        self.report(
                            path, 1, f"folders are nested more than {MAX_FOLDER_DEPTH} deep here: move this one up"
                        )
                    else:
                        folders.append((path, depth + 1))
                elif stat.S_ISREG(mode):
                    self.place(path, layout)
                else:
                    self.report(
                        path, 1, "this is not a file (a pipe, socket or device): delete it from the content folder"
                    )
        return layout

    def place(self, path: Path, layout: _Layout) -> None:
        """Sort one file into the layout, or report why it does not belong in content/."""
        parts = path.relative_to(self.content_dir).parts
        top, suffix = parts[0], path.suffix.lower()
        if parts == ("index.md",):
            layout.home = path
        elif len(parts) == 1 and parts[0] in PLAN_FILES and layout.plan is None:
            layout.plan = path
        elif top in ("pages", "situations") and len(parts) == 2 and suffix == ".md":
            (layout.pages if top == "pages" else layout.situations).append(path)
        elif top == "guides" and len(parts) == 3 and suffix == ".md":
            layout.guides.setdefault(path.parent, []).append(path)
        elif top == "worksheets" and len(parts) == 2 and suffix in WORKSHEET_SUFFIXES:
            layout.worksheets.append(path)
        elif top == FILES_FOLDER and len(parts) > 1 and suffix in FILE_KINDS:
            layout.files.append(path)
        elif suffix == ".md":
            self.report(path, 1, f"Markdown files belong in {MARKDOWN_PLACES}: move this file")
        elif suffix in WORKSHEET_SUFFIXES:
            my_plan = " (or, if it is My plan, name it content/plan.yml)" if len(parts) == 1 else ""
            self.report(path, 1, f"YAML files belong in content/worksheets/{my_plan}: move this file there")
        elif suffix in FILE_KINDS:
            self.report(
                path,
                1,
                f"images and PDFs belong in content/{FILES_FOLDER}/: move this file there and link to it "
                f"as (file:{path.name})",
            )
        else:
            kind = f"'{path.suffix}' files" if path.suffix else "files without an ending like .md"
            self.report(
                path,
                1,
                f"{kind} are not published: the content folder holds pages (.md), worksheets (.yml) and, in "
                f"content/{FILES_FOLDER}/, images and PDFs ({', '.join(FILE_KINDS)}); move this file out of content/",
            )

    # -- files ------------------------------------------------------------

    def read_text(self, path: Path) -> str | None:
        try:
            size = path.stat().st_size
            if size > MAX_TEXT_BYTES:
                self.report(
                    path,
                    1,
                    f"this file is {size // 1024} KB, more than the {MAX_TEXT_BYTES // 1024} KB a page or worksheet "
                    "may have: split it into several",
                )
                return None
            data = path.read_bytes()
        except OSError as error:
            self.report(path, 1, f"cannot read file: {error.strerror}")
            return None
        try:
            # utf-8-sig drops a byte-order mark; splitlines/newline handling makes CRLF and CR lines plain lines.
            text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            self.report(path, line, f"this file is not UTF-8 text ({error.reason} on this line): save it as UTF-8")
            return None
        invisible = invisible_character(text)
        if invisible is not None:
            line, character = invisible
            self.report(
                path,
                line,
                f"this line holds an invisible control character ({character}), often pasted from another "
                "program: delete it (retype the line if you cannot see it)",
            )
            return None
        return text

    def read_markdown(self, path: Path, what: str) -> tuple[LineDict, Markdown] | None:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            document = self._parse("front matter", text, split_front_matter)
        except YamlSyntaxError as error:
            self.report(path, error.line, f"front matter: {error.message}")
            return None
        if document is None:
            self.report(path, 1, f"{what} must start with front matter: a '---' line, 'title: ...', then '---'")
            return None
        if not isinstance(document.meta, LineDict):
            hint = " (put a space after each ':')" if isinstance(document.meta, str) and ":" in document.meta else ""
            self.report(
                path,
                document.meta_line,
                f"front matter must be 'key: value' lines (like 'title: ...'), not {_describe(document.meta)}{hint}"
                if document.meta is not None
                else "front matter is empty: add 'title: ...' between the two '---' lines",
            )
            return None
        problem = markdown_problem(document.body)
        if problem is not None:
            self.report(path, document.body_line + problem[0] - 1, problem[1])
            return None
        body = Markdown(document.body, Source(self.display(path), document.body_line))
        for link in find_content_links(document.body):
            self.links.append((self.display(path), document.body_line + link.line - 1, link.kind, link.id))
        return document.meta, body

    def record(self, data: LineDict, path: Path, what: str, allowed: Iterable[str], required: Iterable[str]) -> _Record:
        return _Record(data, self.display(path), self.problems, what, allowed, required)

    def name_is_id(self, path: Path, what: str, name: str | None = None) -> bool:
        """True when a file or folder name can be an id; otherwise a problem that suggests a new name."""
        name = name if name is not None else path.stem
        if ID_PATTERN.match(name):
            return True
        better = suggested_id(name)
        renamed = better + (path.suffix if path.is_file() else "")
        kind = "file" if path.is_file() else "folder"
        fix = f"rename the {kind} to {renamed}" if better else f"rename the {kind} ({ID_RULE})"
        self.report(
            path if path.is_file() else path / "index.md",
            1,
            f"the name '{path.name}' cannot be used: a {what}'s {kind} name is its id and its web address, "
            f"and {ID_RULE}: {fix}",
        )
        return False

    def note_refs(self, record: _Record, kind: str, refs: list[tuple[str, int]]) -> None:
        for ref, line in refs:
            self.links.append((record.path, line, kind, ref))

    def note_list_links(self, record: _Record, key: str) -> None:
        """Content links inside the Markdown items of a list (key actions, prompts), each at its item's line."""
        value = record.data.get(key)
        if not isinstance(value, LineList):
            return
        for index, item in enumerate(value):
            if isinstance(item, str):
                for link in find_content_links(item):
                    self.links.append((record.path, value.line_of(index) + link.line - 1, link.kind, link.id))

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
            order=record.integer("order", 100, -10_000, 10_000),
            body=body,
        )

    def read_free_page(self, path: Path) -> Page | None:
        if not self.name_is_id(path, "page"):
            return None
        if path.stem in RESERVED_PAGE_IDS:
            self.report(path, 1, f"page id '{path.stem}' is reserved for a part of the site; rename the file")
            return None
        return self.read_page(path, path.stem)

    def read_situation(self, path: Path) -> Situation | None:
        if not self.name_is_id(path, "situation"):
            return None
        if path.stem in RESERVED_SITUATION_IDS:
            self.report(path, 1, f"situation id '{path.stem}' is reserved for the list of situations; rename the file")
            return None
        read = self.read_markdown(path, "a situation")
        if read is None:
            return None
        meta, body = read
        record = self.record(
            meta,
            path,
            "situation front matter",
            ("title", "summary", "keywords", "steps", "worksheets", "order"),
            ("title", "summary", "steps"),
        )
        steps = record.id_list("steps", "step")
        worksheets = record.id_list("worksheets", "worksheet")
        self.note_refs(record, "step", steps)
        self.note_refs(record, "worksheet", worksheets)
        return Situation(
            id=path.stem,
            title=record.text("title"),
            summary=record.text("summary"),
            keywords=record.text_list("keywords"),
            step_ids=tuple(step_id for step_id, _ in steps),
            worksheet_ids=tuple(worksheet_id for worksheet_id, _ in worksheets),
            order=record.integer("order", 100, -10_000, 10_000),
            body=body,
        )

    # -- guides -----------------------------------------------------------

    def read_guide(self, folder: Path, markdown_files: list[Path]) -> Guide | None:
        index = folder / "index.md"
        step_files = {p.stem: p for p in markdown_files if p.name != "index.md"}
        if not self.name_is_id(folder, "guide", folder.name):
            return None
        if index not in markdown_files:
            self.report(
                folder, 1, "a guide folder needs an index.md with the guide's title, summary, audience and steps"
            )
            for stem in step_files:
                self.unreadable["step"].add(stem)
            return None
        read = self.read_markdown(index, "a guide")
        if read is None:
            for stem in step_files:
                self.unreadable["step"].add(stem)
            return None
        meta, body = read
        record = self.record(
            meta,
            index,
            "guide front matter",
            ("title", "summary", "audience", "steps", "keywords"),
            ("title", "summary", "audience"),
        )
        listed = record.id_list("steps", "step")
        if record.data.get("steps") in (None, "", []):
            record.report(
                record.line("steps"),
                "this guide has no steps: list its step ids in reading order under 'steps:' "
                "(one '- step-id' per line, each with a matching .md file in this folder)",
            )
        listed_ids = {step_id for step_id, _ in listed}
        unlisted = [stem for stem in step_files if stem not in listed_ids and ID_PATTERN.match(stem)]
        claimed: set[str] = set()
        steps: list[Step] = []
        seen: set[str] = set()
        for step_id, line in listed:
            if step_id in seen:
                record.report(line, f"step '{step_id}' is listed twice in 'steps'; keep one")
                continue
            seen.add(step_id)
            if step_id not in step_files:
                # A typo: the file it meant is unlisted; name it once, and do not also call that file unlisted.
                guess = difflib.get_close_matches(step_id, [s for s in unlisted if s not in claimed], n=1)
                if guess:
                    claimed.add(guess[0])
                    record.report(line, f"step '{step_id}' has no file: did you mean '{guess[0]}'?")
                else:
                    record.report(
                        line,
                        f"step '{step_id}' has no file: create {self.display(folder / (step_id + '.md'))} "
                        "or remove it from 'steps'",
                    )
                continue
            step = self.guarded(step_files[step_id], lambda path: self.read_step(path, folder.name))
            if step is not None:
                steps.append(step)
            else:
                self.unreadable["step"].add(step_id)
        for stem, path in sorted(step_files.items()):
            if stem in seen:
                continue
            # Read it anyway, so its own problems show in this pass; links to it are not reported as well.
            self.unreadable["step"].add(stem)
            self.guarded(path, lambda path: self.read_step(path, folder.name))
            if stem in unlisted and stem not in claimed:
                self.report(
                    path,
                    1,
                    f"this step is not listed in {self.display(index)}: "
                    f"add '- {stem}' under 'steps:' or delete the file",
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
        if not self.name_is_id(path, "step"):
            return None
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
        worksheets = record.id_list("worksheets", "worksheet")
        self.note_refs(record, "worksheet", worksheets)
        for markdown_list in ("key_actions", "reflection_prompts"):
            self.note_list_links(record, markdown_list)
        return Step(
            id=path.stem,
            guide_id=guide_id,
            title=record.text("title"),
            summary=record.text("summary"),
            keywords=record.text_list("keywords"),
            key_actions=record.text_list("key_actions"),
            reflection_prompts=record.text_list("reflection_prompts"),
            worksheet_ids=tuple(worksheet_id for worksheet_id, _ in worksheets),
            body=body,
        )

    # -- worksheets -------------------------------------------------------

    def read_worksheet(self, path: Path) -> Worksheet | None:
        text = self.read_text(path)
        if text is None:
            return None
        if not text.strip():
            self.report(
                path, 1, "this worksheet is empty: write it (see 'Writing a worksheet' in README.md) or delete it"
            )
            return None
        try:
            data = self._parse("yaml", text, parse_yaml)
        except YamlSyntaxError as error:
            self.report(path, error.line, error.message)
            return None
        if not isinstance(data, LineDict):
            hint = " (put a space after each ':')" if isinstance(data, str) and ":" in data else ""
            self.report(
                path, 1, f"a worksheet must be 'key: value' lines (id, title, sections...), not {_describe(data)}{hint}"
            )
            return None
        record = self.record(
            data,
            path,
            "worksheet",
            ("id", "version", "title", "purpose", "time_needed", "instructions", "sections"),
            ("id", "title", "purpose", "sections"),
        )
        worksheet_id = record.identifier("id", "worksheet")
        if worksheet_id in RESERVED_WORKSHEET_IDS:
            record.report(
                record.line("id"), f"worksheet id '{worksheet_id}' is reserved; choose another id and file name"
            )
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
            if section.id and section.id in section_ids:
                self.report(
                    path, section_data.line_of("id"), f"section id '{section.id}' is used twice; make it unique"
                )
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
        section_id = record.identifier("id", "section")
        fields = tuple(
            f
            for f in (self.read_field(item, path, field_ids, in_group=False) for item, _ in record.records("fields"))
            if f is not None
        )
        return Section(id=section_id, title=record.text("title"), intro=record.text("intro"), fields=fields)

    def read_field(self, data: LineDict, path: Path, field_ids: dict[str, int], in_group: bool) -> Field | None:
        # `plan:` is read on a field inside a group too, only to say where it belongs.
        common = ("id", "kind", "label", "help", "plan")
        kind_keys: dict[str, tuple[str, ...]] = {
            "text": ("lines",),
            "textarea": ("lines",),
            "choice": ("options",),
            "checklist": ("options",),
            "scale": ("min", "max", "min_label", "max_label"),
            "date": ("calendar",),
            "checkbox": (),
            "group": ("item_label", "rows", "fields"),
        }
        kind = data.get("kind")
        allowed_kinds = GROUP_ITEM_KINDS if in_group else FIELD_KINDS
        display = self.display(path)
        if kind not in allowed_kinds:
            if kind is None:
                message = f"field is missing required key 'kind': add 'kind: ...' (one of {', '.join(allowed_kinds)})"
            elif not isinstance(kind, str):
                message = f"field kind must be one word (one of {', '.join(allowed_kinds)}), not {_describe(kind)}"
            elif in_group and kind in FIELD_KINDS:
                message = f"field kind '{kind}' cannot be used inside a group: use one of {', '.join(allowed_kinds)}"
            else:
                guess = difflib.get_close_matches(kind, allowed_kinds, n=1)
                hint = f"did you mean '{guess[0]}'? " if guess else ""
                message = f"field kind '{_one_line(kind, 40)}' is not one of {', '.join(allowed_kinds)}: {hint}".rstrip(
                    ": "
                )
            self.problems.append(Problem(display, data.line_of("kind"), message))
            # Still check the keys every field has, so one pass reports everything.
            _Record(data, display, self.problems, "field", (*common, *sum(kind_keys.values(), ())), ("id", "label"))
            return None
        required = ("id", "label", "options") if kind in ("choice", "checklist") else ("id", "label")
        if kind == "group":
            required = ("id", "label", "item_label", "fields")
        record = _Record(data, display, self.problems, f"{kind} field", (*common, *kind_keys[kind]), required)
        field_id = record.identifier("id", "field")
        if field_id in RESERVED_FIELD_IDS:
            record.report(
                record.line("id"),
                f"field id '{field_id}' is a name the browser's JavaScript already uses for itself, so answers to it "
                f"would be lost: choose another id, like '{field_id}-answer'",
            )
            field_id = ""
        if field_id:
            if field_id in field_ids:
                record.report(
                    record.line("id"),
                    f"field id '{field_id}' is already used on line {field_ids[field_id]}; "
                    "every field in a worksheet needs its own id",
                )
            else:
                field_ids[field_id] = record.line("id")
        plan_section = record.identifier("plan", "plan section")
        if plan_section and in_group:
            record.report(
                record.line("plan"),
                "'plan' cannot be set on a field inside a group: put 'plan: "
                f"{plan_section}' on the group itself, and its rows go to My plan",
            )
            plan_section = ""
        elif plan_section:
            self.plan_refs.append((display, record.line("plan"), plan_section))
        calendar = record.text("calendar")
        if data.get("calendar") is not None and not calendar:
            record.report(record.line("calendar"), "'calendar' is empty: write the event's name, like 'Review my plan'")
        options: list[Option] = []
        if kind in ("choice", "checklist"):
            labels = record.text_list("options")
            if data.get("options") is not None and len(labels) < 2:
                record.report(record.line("options"), f"a {kind} field needs at least two options")
            seen: set[str] = set()
            for label in labels:
                if label in seen:
                    record.report(record.line("options"), f"option '{_one_line(label, 60)}' is listed twice; keep one")
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
            plan=plan_section,
            calendar=calendar,
            source=Source(display, data.line),
        )

    # -- My plan ----------------------------------------------------------

    def read_plan(self, path: Path) -> Plan | None:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            data = self._parse("yaml", text, parse_yaml)
        except YamlSyntaxError as error:
            self.report(path, error.line, error.message)
            return None
        if not isinstance(data, LineDict):
            self.report(path, 1, f"My plan must be 'key: value' lines (title, sections...), not {_describe(data)}")
            return None
        record = self.record(data, path, "plan", ("title", "summary", "sections"), ("title", "sections"))
        sections: list[PlanSection] = []
        seen: dict[str, int] = {}
        for item, _line in record.records("sections"):
            section = self.record(
                item, path, "plan section", ("id", "title", "intro", "latest"), ("id", "title")
            )
            section_id = section.identifier("id", "plan section")
            if section_id in seen:
                section.report(
                    section.line("id"),
                    f"plan section id '{section_id}' is already used on line {seen[section_id]}; make it unique",
                )
                continue
            if section_id:
                seen[section_id] = self.plan_section_lines[section_id] = section.line("id")
                sections.append(
                    PlanSection(
                        id=section_id,
                        title=section.text("title"),
                        intro=section.text("intro"),
                        latest=section.integer("latest", 0, 1, MAX_PLAN_LATEST),
                    )
                )
        return Plan(
            title=record.text("title"),
            summary=record.text("summary"),
            sections=tuple(sections),
            source=Source(record.path, record.line()),
        )

    def check_plan(self, plan: Plan | None, plan_path: Path | None, worksheets_clean: bool) -> None:
        """Every `plan:` names a section of content/plan.yml, and every section gets answers."""
        known = [section.id for section in plan.sections] if plan else []
        used = set()
        for path, line, section_id in self.plan_refs:
            used.add(section_id)
            if plan is None:
                fix = (
                    "content/plan.yml is missing or could not be read: create it with the plan's sections "
                    "(see 'My plan' in README.md)"
                    if plan_path is None
                    else f"fix {self.display(plan_path)} first"
                )
                self.problems.append(Problem(path, line, f"plan section '{section_id}' does not exist: {fix}"))
            elif section_id not in known:
                guess = difflib.get_close_matches(section_id, known, n=1)
                fix = f"did you mean '{guess[0]}'?" if guess else f"use one of {', '.join(known)}"
                where = self.display(plan_path) if plan_path else "content/plan.yml"
                self.problems.append(Problem(path, line, f"plan section '{section_id}' is not in {where}: {fix}"))
        if plan is None or plan_path is None or not worksheets_clean:
            return
        if not plan.sections:
            self.report(plan_path, plan.source.line, "My plan has no sections: list them under 'sections:'")
        for section in plan.sections:
            if section.id not in used:
                self.report(
                    plan_path,
                    self.plan_section_lines.get(section.id, 1),
                    f"plan section '{section.id}' gets no answers: add 'plan: {section.id}' to a field of a "
                    "worksheet in content/worksheets/, or remove the section",
                )

    # -- images and downloads ---------------------------------------------

    def read_file(self, path: Path) -> str | None:
        """The path from content/ of an image or PDF that may be published, or None (with a problem)."""
        relative = path.relative_to(self.content_dir)
        for part in relative.parts[1:]:
            if not FILE_NAME_PATTERN.match(part):
                self.report(
                    path,
                    1,
                    f"the name '{part}' cannot be part of a web address: rename it using only letters, digits, "
                    "dashes, dots and underscores (no spaces)",
                )
                return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.report(
                path,
                1,
                f"this file is {size / 1024 / 1024:.1f} MB, more than the {MAX_FILE_BYTES // 1024 // 1024} MB allowed "
                "(every reader's browser saves it for offline use): make it smaller",
            )
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        named, found = same_kind(path.suffix), sniff(data)
        if found is None:
            self.report(
                path,
                1,
                f"this file is named {path.suffix} but is not {KIND_NAMES[named]} (it may be damaged, or another "
                f"kind of file renamed): save it again as {KIND_NAMES[named]}",
            )
            return None
        if found != named:
            self.report(
                path,
                1,
                f"this file is named {path.suffix} but holds {KIND_NAMES[found]}: rename it to {path.stem}{found}",
            )
            return None
        if found == ".svg":
            problem = svg_problem(data)
            if problem is not None:
                self.report(
                    path,
                    1,
                    f"this SVG cannot be published: {problem}; save it again without it (as a plain SVG), or as a PNG",
                )
                return None
        return relative.as_posix()

    # -- the whole folder -------------------------------------------------

    def read(self) -> ContentPack | None:
        root = self.content_dir
        if not root.is_dir():
            self.report(root, 1, "content folder not found: create it, or set 'content_dir' under the selfhelp plugin")
            return None
        layout = self.walk()
        home = None
        if layout.home is not None:
            home = self.guarded(layout.home, lambda path: self.read_page(path, "index"))
        else:
            self.report(root / "index.md", 1, "the home page is missing: create content/index.md with a title")
        pages = self.read_all("page", layout.pages, self.read_free_page)
        guides = []
        for folder, markdown_files in sorted(layout.guides.items()):
            guide = self.guarded(folder, lambda folder, files=markdown_files: self.read_guide(folder, files))
            if guide is not None:
                guides.append(guide)
                continue
            # Links to a guide that did not validate, or to its steps, are not reported a second time.
            self.unreadable["guide"].update({folder.name, suggested_id(folder.name)})
            self.unreadable["step"].update(path.stem for path in markdown_files if path.name != "index.md")
        situations = self.read_all("situation", layout.situations, self.read_situation)
        situations.sort(key=lambda situation: situation.order)  # Stable: equal orders keep file-name order.
        before = len(self.problems)
        worksheets = self.read_all("worksheet", sorted(layout.worksheets), self.read_worksheet)
        # A section seems to get no answers when the field naming it was refused: say so only once worksheets read cleanly.
        worksheets_clean = len(self.problems) == before
        plan = self.guarded(layout.plan, self.read_plan) if layout.plan is not None else None
        self.check_plan(plan, layout.plan, worksheets_clean)
        files = []
        for path in sorted(layout.files):
            accepted = self.guarded(path, self.read_file)
            if accepted:
                files.append(accepted)
            else:
                self.unreadable["file"].add(path.relative_to(self.content_dir / FILES_FOLDER).as_posix())
        self.check_unique(worksheets, "worksheet", lambda w: w.source)
        step_sources = {step.id: Source(step.body.source.path, 1) for guide in guides for step in guide.steps}
        self.check_unique(
            [step for guide in guides for step in guide.steps], "step", lambda s: Source(s.body.source.path, 1)
        )
        ids_by_kind: dict[str, set[str]] = {
            "step": set(step_sources),
            "worksheet": {w.id for w in worksheets},
            "situation": {s.id for s in situations},
            "page": {p.id for p in pages} | set(BUILT_IN_PAGE_IDS) | ({PLAN_PAGE_ID} if plan else set()),
            "guide": {g.id for g in guides},
            "file": {file.removeprefix(f"{FILES_FOLDER}/") for file in files},
        }
        folders = {
            "step": "guides/<guide>",
            "worksheet": "worksheets",
            "situation": "situations",
            "page": "pages",
            "file": FILES_FOLDER,
        }
        for path, line, kind, target in self.links:
            if kind not in LINK_KINDS or target in ids_by_kind[kind] or target in self.unreadable[kind]:
                continue
            if kind == "file" and (not target or ".." in target.split("/")):
                fix = f"name the file by its path inside content/{FILES_FOLDER}/, like file:chart.png"
            elif kind != "file" and not ID_PATTERN.match(target):
                fix = f"{ID_RULE}; link by id, never by file path"
            else:
                guess = difflib.get_close_matches(target, sorted(ids_by_kind[kind]), n=1)
                place = folders.get(kind, "guides")
                missing = (
                    f"put the file in content/{place}/ or fix its name"
                    if kind == "file"
                    else f"create it in content/{place}/ or fix the id"
                )
                fix = f"did you mean '{guess[0]}'?" if guess else missing
            self.problems.append(Problem(path, line, f"link to {kind} '{_one_line(target, 60)}' goes nowhere: {fix}"))
        if self.problems or home is None:
            return None
        return ContentPack(
            home=home,
            pages=pages,
            guides=guides,
            situations=situations,
            worksheets=worksheets,
            files=tuple(files),
            plan=plan,
        )

    def read_all(self, kind: str, paths: list[Path], read: Callable[[Path], T | None]) -> list[T]:
        """Read each path; remember the ids of those that did not validate."""
        items = []
        for path in paths:
            item = self.guarded(path, read)
            if item is None:
                # A link to it (or to the id its file name should have) is not reported a second time.
                self.unreadable[kind].update({path.stem, suggested_id(path.stem)})
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


def load_content(
    content_dir: Path, display_root: Path | None = None, parsed: dict[tuple[str, str], Any] | None = None
) -> ContentPack:
    """Read and validate a content folder.

    Paths in problems are shown relative to `display_root` (default: the
    content folder's parent, i.e. the project). Raises ContentError listing
    every problem when anything is wrong. `parsed` (`mkdocs serve`'s rebuilds):
    the YAML and front matter parsed by the last load, by text; files whose text
    is unchanged are not parsed again, and it is left holding this load's.
    """
    content_dir = Path(content_dir)
    reader = _ContentReader(content_dir, Path(display_root) if display_root else content_dir.parent, parsed)
    try:
        pack = reader.guarded(content_dir, lambda _: reader.read())
    finally:
        if parsed is not None:
            parsed.clear()
            parsed.update(reader.parsed)
    if pack is None:
        raise ContentError(reader.problems or [Problem(str(content_dir), 1, "content could not be read")])
    return pack
