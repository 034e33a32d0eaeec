"""The typed content model: guides, steps, situations, pages and worksheets.

Plain dataclasses built by `generator.content.loader` from validated content. Nothing
here knows about MkDocs, Jinja or files on disk, so the same model can be
rendered, checked or exported by any stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldKind = Literal["text", "textarea", "choice", "checklist", "scale", "date", "checkbox", "group"]

FIELD_KINDS: tuple[str, ...] = (
    "text",
    "textarea",
    "choice",
    "checklist",
    "scale",
    "date",
    "checkbox",
    "group",
)
"""Every field kind a worksheet may use, in the order error messages list them."""

GROUP_ITEM_KINDS: tuple[str, ...] = tuple(k for k in FIELD_KINDS if k not in ("group", "checklist"))
"""Kinds allowed inside a repeatable group (no nesting, no multi-value fields)."""

RESERVED_FIELD_IDS: frozenset[str] = frozenset(
    {
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
    }
)
"""Every name of JavaScript's Object.prototype: the worksheet script keys answers by field id in plain
objects, where `"constructor" in answers` is true before anything is saved."""

FILE_KINDS: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf")
"""What `content/files/` may hold (images and PDFs), each checked by its content, not only its name."""

FILES_FOLDER = "files"
"""The folder of `content/` for images and downloads, published at the same path."""


@dataclass(frozen=True)
class Source:
    """Where a piece of content was written: a path relative to the project and a 1-based line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Option:
    """One choice in a choice or checklist field; `value` is what is stored."""

    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One answer a reader gives on a worksheet."""

    id: str
    kind: FieldKind
    label: str
    help: str = ""
    lines: int = 1
    """How many ruled lines the answer gets on paper (text and textarea)."""
    options: tuple[Option, ...] = ()
    scale_min: int = 0
    scale_max: int = 10
    min_label: str = ""
    max_label: str = ""
    item_label: str = ""
    """For a group: what one row is called ("Action step")."""
    rows: int = 3
    """For a group: how many blank rows are printed."""
    fields: tuple[Field, ...] = ()
    """For a group: the fields of one row."""
    plan: str = ""
    """The id of the plan section this field's answer is gathered into on My plan ('' for none)."""
    calendar: str = ""
    """For a date: the name of the calendar event its answer becomes ('' for none)."""
    source: Source = Source("")


@dataclass(frozen=True)
class Section:
    """A titled block of fields on a worksheet."""

    id: str
    title: str
    intro: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Worksheet:
    """A worksheet template: the form a reader fills in and can print."""

    id: str
    version: int
    title: str
    purpose: str
    time_needed: str
    instructions: str
    """Markdown."""
    sections: tuple[Section, ...]
    source: Source

    def all_fields(self) -> list[Field]:
        """Every top-level field, section by section."""
        return [f for section in self.sections for f in section.fields]

    def has_calendar_dates(self) -> bool:
        """Whether a date of it (a group's too) names a calendar event: its toolbar offers a calendar file."""
        return any(f.calendar or any(s.calendar for s in f.fields) for f in self.all_fields())


@dataclass(frozen=True)
class PlanSection:
    """One part of My plan, filled from the fields that name it (`plan: <id>` in a worksheet)."""

    id: str
    title: str
    intro: str = ""
    latest: int = 0
    """Show only this many rows of a group, those added last (0: every row): for a log of small wins."""


@dataclass(frozen=True)
class Plan:
    """My plan (`content/plan.yml`): one page gathering the reader's answers into a personal plan."""

    title: str
    summary: str
    sections: tuple[PlanSection, ...]
    source: Source


@dataclass(frozen=True)
class Markdown:
    """Markdown written by an author, with the line its body starts on in the source file."""

    text: str
    source: Source


@dataclass(frozen=True)
class Step:
    """One step of a guide."""

    id: str
    guide_id: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    key_actions: tuple[str, ...]
    reflection_prompts: tuple[str, ...]
    worksheet_ids: tuple[str, ...]
    body: Markdown


@dataclass(frozen=True)
class Guide:
    """A guide: an overview and its steps in reading order."""

    id: str
    title: str
    summary: str
    audience: str
    keywords: tuple[str, ...]
    steps: tuple[Step, ...]
    body: Markdown


@dataclass(frozen=True)
class Situation:
    """A short page that routes a reader from what happened to them to the right steps."""

    id: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    step_ids: tuple[str, ...]
    worksheet_ids: tuple[str, ...]
    body: Markdown
    order: int = 100
    """Its place in the list of situations, the navigation and the home (lower first; ties by file name)."""


@dataclass(frozen=True)
class Page:
    """A free-standing page (the home page has id `index`)."""

    id: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    order: int
    body: Markdown


@dataclass
class ContentPack:
    """Everything under `content/`, validated and cross-linked."""

    home: Page
    pages: list[Page] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    situations: list[Situation] = field(default_factory=list)
    worksheets: list[Worksheet] = field(default_factory=list)
    files: tuple[str, ...] = ()
    """Images and PDFs accepted in `content/files/`, as paths from `content/` (`files/chart.png`):
    with the pages, the only files from the content folder that are published."""
    plan: Plan | None = None
    """My plan, when `content/plan.yml` declares one."""

    def step(self, step_id: str) -> Step:
        """The step with this id, from any guide."""
        index: dict[str, Step] | None = self.__dict__.get("_steps_by_id")
        if index is None:  # Looked up for every link and page: indexed once (first step of an id wins, as below).
            index = {}
            for guide in self.guides:
                for step in guide.steps:
                    index.setdefault(step.id, step)
            self.__dict__["_steps_by_id"] = index
        found = index.get(step_id)
        if found is not None:
            return found
        for guide in self.guides:  # Not indexed (added since): look through every guide.
            for step in guide.steps:
                if step.id == step_id:
                    return step
        raise KeyError(step_id)

    def worksheet(self, worksheet_id: str) -> Worksheet:
        """The worksheet with this id."""
        for worksheet in self.worksheets:
            if worksheet.id == worksheet_id:
                return worksheet
        raise KeyError(worksheet_id)

    def plan_sources(self, section_id: str) -> list[tuple[Worksheet, Field]]:
        """The fields gathered into a plan section, worksheet by worksheet (in pack order), field by field."""
        return [(w, f) for w in self.worksheets for f in w.all_fields() if f.plan == section_id]

    def worksheets_in_guide_order(self) -> list[Worksheet]:
        """Every worksheet in the order a reader meets it: guide by guide, step by step, as each step
        lists them; then the worksheets no step lists, in pack order."""
        first: dict[str, int] = {}
        for worksheet_id in (w for g in self.guides for s in g.steps for w in s.worksheet_ids):
            first.setdefault(worksheet_id, len(first))
        listed = sorted((w for w in self.worksheets if w.id in first), key=lambda w: first[w.id])
        return listed + [w for w in self.worksheets if w.id not in first]

    def steps_using(self, worksheet_id: str) -> list[Step]:
        """Steps that link to a worksheet, in guide order."""
        return [s for g in self.guides for s in g.steps if worksheet_id in s.worksheet_ids]
