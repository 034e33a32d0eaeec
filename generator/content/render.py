"""Render the content model into MkDocs page sources with the Jinja2 templates in `generator/theme/selfhelp/`.

Each page becomes Markdown with YAML front matter (title, description, search
boost) that MkDocs and Material then build like any hand-written page; the
worksheet form is a raw HTML block inside it. What each value may hold is
decided in `generator.content.sanitize`: text (titles, summaries, labels, ...) is
written into the Markdown inert (`md_text`) or into raw HTML escaped (Jinja's
autoescape); Markdown values (key actions, prompts, instructions) are rendered
here to sanitised HTML in raw HTML blocks, with their content links resolved to
the built pages' URLs; the body of a page is passed through as the author's.
This module takes a Jinja loader, never a path, and returns strings: it knows
nothing of files on disk.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .. import site_paths
from ..messages import ENGLISH, Messages
from ..site_paths import PLAN_PAGE, PRIVACY_PAGE, SITUATIONS_INDEX, WORKSHEETS_INDEX
from .links import find_content_links, rewrite_content_links
from .model import ContentPack, Field, Guide, Markdown, Page, Plan, Situation, Step, Worksheet
from .paper_layout import TEMPLATE_GLOBALS as PAPER_LAYOUT
from .paper_layout import is_tall
from .sanitize import MarkdownValues, markdown_text, text_html


def relative_path(target: str, start: str) -> str:
    """`posixpath.relpath(target, start)` for two paths inside the site, without asking for the working folder
    (which `relpath` joins to both, to no effect when neither climbs out with `..`); `relpath` itself otherwise."""
    if not target or ".." in target or ".." in start or target[0] == "/" or start[:1] == "/":
        return posixpath.relpath(target, start)
    to = [part for part in target.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, base):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def page_uri(kind: str, item_id: str, pack: ContentPack) -> str:
    """The docs-relative `.md` path of a piece of content (`site_paths.page_uri`, a step's guide looked up)."""
    return site_paths.page_uri(kind, item_id, pack.step(item_id).guide_id if kind == "step" else None)


# libyaml's emitter when PyYAML has it: the pure-Python one took a third of our rendering time.
_SafeDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_QUOTABLE = re.compile("[ -~\u00a1-\u1fff\u2010-\u2027]{1,1000}")
"""Text both of PyYAML's emitters write on one line without escapes, as it is or in single quotes: printable
ASCII, and letters, marks and the common typographic punctuation of the Basic Multilingual Plane below
U+2028 (never a line break, tab, control character, no-break space, byte-order mark or character beyond
U+FFFF), and short enough never to be folded at `width`."""
_YAML_WORDS = frozenset("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split())
"""The words YAML 1.1 reads as a boolean or null (with `~`, a number or a date: none starts with a letter)."""


def _yaml_text(text: str) -> str | None:
    """`text` as `yaml.dump` writes it as a value in block style (plain, or in single quotes), or None when it
    does not start with a letter or is not `_QUOTABLE` text (left to `yaml.dump`)."""
    first = text[:1]
    # A letter first: no indicator (`-`, `'`, `&`, ...), digit, dot, sign or space, so only these decide.
    if not (first.isalpha() or (first and not first.isascii())) or _QUOTABLE.fullmatch(text) is None:
        return None
    if text[-1] == " " or ": " in text or " #" in text or text.endswith(":") or text in _YAML_WORDS:
        return "'" + text.replace("'", "''") + "'"
    return text


def _yaml_scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _yaml_text(value)
    return None


def front_matter(meta: dict[str, Any]) -> str:
    """`meta` as YAML, exactly as `yaml.dump` (block style, Unicode, keys in order, `width` 10,000) writes it.

    The values a page's front matter holds (text, booleans, whole numbers, lists of text, one level of
    mapping) are written here when every text among them is `_QUOTABLE`, which is what `yaml.dump` would
    write, byte for byte (tests/unit/test_front_matter.py compares both emitters on hostile text); anything
    else is left to `yaml.dump`, so the text MkDocs parses is the same either way."""
    lines: list[str] = []
    for key, value in meta.items():
        name = _yaml_text(key) if isinstance(key, str) else None
        if name is None:
            break
        if isinstance(value, (list, tuple)) and value:
            items = [_yaml_text(item) if isinstance(item, str) else None for item in value]
            if None in items:
                break
            lines.append(f"{name}:\n")
            lines.extend(f"- {item}\n" for item in items)
        elif isinstance(value, dict) and value:
            entries = [(_yaml_text(k) if isinstance(k, str) else None, _yaml_scalar(v)) for k, v in value.items()]
            if any(k is None or v is None for k, v in entries):
                break
            lines.append(f"{name}:\n")
            lines.extend(f"  {k}: {v}\n" for k, v in entries)
        else:
            scalar = _yaml_scalar(value)
            if scalar is None:
                break
            lines.append(f"{name}: {scalar}\n")
    else:
        if lines:
            return "".join(lines)
    return yaml.dump(meta, Dumper=_SafeDumper, allow_unicode=True, sort_keys=False, width=10_000)

NAV_PART_SIZE = 25
"""Longest list of steps, situations or worksheets the navigation shows without splitting it into parts."""


def in_parts(entries: list[Any], label: str) -> list[Any]:
    """`entries` as they are when short, else as nav sections of `NAV_PART_SIZE` ("Steps 1–25", ...)."""
    if len(entries) <= NAV_PART_SIZE:
        return entries
    return [
        {f"{label} {start + 1}–{min(start + NAV_PART_SIZE, len(entries))}": entries[start : start + NAV_PART_SIZE]}
        for start in range(0, len(entries), NAV_PART_SIZE)
    ]


STEP_SEARCH_BOOST = 2
SITUATION_SEARCH_BOOST = 4
"""Search boosts (Material's front matter `search.boost`): a step outranks a page or worksheet that
merely mentions the reader's words, and a situation outranks a step, so a query that says what
happened ("i got laid off what now") leads to that situation's page first."""

TOOLBAR_TEMPLATE = "data-shs-tools><template"
"""What a worksheet page's form must hold (worksheet-form.html): the toolbar worksheets.js puts in place."""


@dataclass(frozen=True)
class RenderSettings:
    """What the renderer needs from the site configuration."""

    situations_title: str = "What happened?"
    worksheets_title: str = "My worksheets"
    privacy_title: str = "Your privacy"
    use_directory_urls: bool = True
    """MkDocs' setting: pages live at `name/` (True) or `name.html` (False, e.g. the offline copy)."""
    pdf_links: bool = True
    """Link the worksheet PDFs (when the build writes them)."""
    messages: Messages = ENGLISH
    """The fixed words of the pages (`t("key")` in the templates), in the site's language."""


def worksheet_schema(worksheet: Worksheet) -> dict[str, Any]:
    """The worksheet's structure as plain data, for the browser (import checks, progress)."""

    def field_schema(field: Field) -> dict[str, Any]:
        data: dict[str, Any] = {"id": field.id, "kind": field.kind, "label": field.label}
        if field.options:
            data["options"] = [o.value for o in field.options]
        if field.kind == "scale":
            data["min"], data["max"] = field.scale_min, field.scale_max
        if field.kind == "group":
            data["fields"] = [field_schema(f) for f in field.fields]
        if field.calendar:
            data["calendar"] = field.calendar
        return data

    return {
        "id": worksheet.id,
        "version": worksheet.version,
        "title": worksheet.title,
        "fields": [field_schema(f) for f in worksheet.all_fields()],
    }


class SiteRenderer:
    """Turns a ContentPack into `{src_uri: markdown}` for every page of the site."""

    def __init__(self, loader: jinja2.BaseLoader, pack: ContentPack, settings: RenderSettings | None = None) -> None:
        self.pack = pack
        self.settings = settings or RenderSettings()
        self.env = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # One build: no template changes while its pages render (no stat per include).
        )
        self.env.filters["md_text"] = markdown_text
        self.env.filters["json_data"] = self._json_data
        # Messages are Markdown text written for the page (emphasis, apostrophes): only <, > and & are escaped.
        self.env.globals["t"] = lambda key, **values: Markup(
            self.settings.messages.text(key, **values).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        )
        self.markdown_values = MarkdownValues()
        self._relpaths: dict[tuple[str, str], str] = {}
        # The worksheet's copy for the browser's print (paper.html) takes the PDF pack's layout (paper_layout);
        # paper has no links, so the instructions' links are their words.
        self.env.globals.update(
            PAPER_LAYOUT,
            paper_markdown=lambda text: self.markdown_values.block(text, lambda kind, item_id, anchor: None),
        )
        self.env.tests["tall"] = is_tall

    @staticmethod
    def _json_data(value: Any) -> Markup:
        # Safe inside <script type="application/json">: '<', '>' and '&' cannot close the tag.
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(safe)  # noqa: S704 - escaped just now

    # -- helpers handed to templates ---------------------------------------

    def _relpath(self, target: str, start: str) -> str:
        """`posixpath.relpath`, once per pair in a build (pages of one folder link to the same places)."""
        key = (target, start)
        found = self._relpaths.get(key)
        if found is None:
            found = self._relpaths[key] = relative_path(target, start)
        return found

    def _link(self, from_uri: str, kind: str, item_id: str) -> str:
        target = page_uri(kind, item_id, self.pack)
        return self._relpath(target, posixpath.dirname(from_uri) or ".")

    def _relative(self, from_uri: str, target: str) -> str:
        return self._relpath(target, posixpath.dirname(from_uri) or ".")

    def _asset(self, from_uri: str, target: str) -> str:
        """URL of a built file (not a page) relative to the page made from `from_uri`, for raw HTML links."""
        page_dir = posixpath.dirname(from_uri)
        stem = posixpath.basename(from_uri).removesuffix(".md")
        if self.settings.use_directory_urls and stem != "index":
            page_dir = posixpath.join(page_dir, stem)
        return self._relpath(target, page_dir or ".")

    def _exists(self, kind: str, item_id: str) -> bool:
        pack = self.pack
        items: dict[str, list[Any]] = {
            "step": [step for guide in pack.guides for step in guide.steps],
            "worksheet": pack.worksheets,
            "situation": pack.situations,
            "page": [pack.home, *pack.pages],
            "guide": pack.guides,
        }
        return any(item.id == item_id for item in items.get(kind, ()))

    def _page_url(self, from_uri: str, kind: str, item_id: str, anchor: str) -> str | None:
        """URL of a content page relative to the page made from `from_uri`, for raw HTML; None if there is none."""
        if not self._exists(kind, item_id):
            return None  # The link shows as its text.
        stem = page_uri(kind, item_id, self.pack).removesuffix(".md")
        if not self.settings.use_directory_urls:
            url = self._asset(from_uri, stem + ".html")
        else:
            folder = stem.removesuffix("index") if posixpath.basename(stem) == "index" else stem + "/"
            url = self._asset(from_uri, folder or ".").rstrip("/") + "/"
        return url + (f"#{anchor}" if anchor else "")

    def _markdown_value(self, from_uri: str, text: str, *, block: bool) -> Markup:
        """A Markdown value (key action, prompt, instructions) as sanitised HTML, content links resolved."""
        resolve = lambda kind, item_id, anchor: self._page_url(from_uri, kind, item_id, anchor)  # noqa: E731
        values = self.markdown_values
        return values.block(text, resolve) if block else values.inline(text, resolve)

    def _markdown(self, from_uri: str, markdown: Markdown | str) -> Markup:
        text = markdown.text if isinstance(markdown, Markdown) else markdown
        # noqa: S704 below: a page body is the author's Markdown and HTML, as written (body_scripts.py names scripts).
        rewritten = rewrite_content_links(text, lambda kind, item_id: self._link(from_uri, kind, item_id))
        return Markup(rewritten.strip())  # noqa: S704

    def _render(self, template: str, uri: str, meta: dict[str, Any], **context: Any) -> str:
        header = front_matter({k: v for k, v in meta.items() if v not in (None, "", [], ())})
        body = self.env.get_template(site_paths.template(template)).render(
            uri=uri,
            pack=self.pack,
            settings=self.settings,
            link=lambda kind, item_id: self._link(uri, kind, item_id),
            relative=lambda target: self._relative(uri, target),
            asset=lambda target: self._asset(uri, target),
            pdf_uri=site_paths.worksheet_pdf,
            pdf_pack_uri=site_paths.PACK_PDF,
            markdown=lambda text: self._markdown(uri, text),
            inline_markdown=lambda text: self._markdown_value(uri, text, block=False),
            block_markdown=lambda text: self._markdown_value(uri, text, block=True),
            **context,
        )
        return f"---\n{header}---\n\n{body}"

    # -- pages ----------------------------------------------------------------

    def render_page(self, page: Page) -> str:
        uri = page_uri("page", page.id, self.pack)
        meta = {"title": page.title, "description": page.summary, "tags": list(page.keywords)}
        return self._render("page.md.j2", uri, meta, page=page)

    def render_home(self, home: Page) -> str:
        """The home page: the author's words, then the first step, the situations, the guides, My plan,
        My worksheets and the privacy promise, from the content model (`home.md.j2`)."""
        uri = page_uri("page", home.id, self.pack)
        meta = {"title": home.title, "description": home.summary, "tags": list(home.keywords), "hide": ["toc"]}
        return self._render(
            "home.md.j2",
            uri,
            meta,
            page=home,
            plan_page=PLAN_PAGE,
            worksheets_index=WORKSHEETS_INDEX,
            privacy_page=PRIVACY_PAGE,
        )

    def render_guide(self, guide: Guide) -> str:
        uri = page_uri("guide", guide.id, self.pack)
        meta = {"title": guide.title, "description": guide.summary, "tags": list(guide.keywords)}
        return self._render("guide.md.j2", uri, meta, guide=guide)

    def render_step(self, guide: Guide, step: Step, number: int) -> str:
        """Step `number` (1-based) of `guide`."""
        uri = page_uri("step", step.id, self.pack)
        meta = {
            "title": step.title,
            "description": step.summary,
            "tags": list(step.keywords),
            "search": {"boost": STEP_SEARCH_BOOST},
        }
        worksheets = [self.pack.worksheet(w) for w in step.worksheet_ids]
        return self._render("step.md.j2", uri, meta, guide=guide, step=step, number=number, worksheets=worksheets)

    def render_situation(self, situation: Situation) -> str:
        uri = page_uri("situation", situation.id, self.pack)
        meta = {
            "title": situation.title,
            "description": situation.summary,
            "tags": list(situation.keywords),
            "search": {"boost": SITUATION_SEARCH_BOOST},
        }
        # "Steps that help" lists only the steps the page's own text does not already link to.
        linked = {link.id for link in find_content_links(situation.body.text) if link.kind == "step"}
        steps = [self.pack.step(s) for s in situation.step_ids if s not in linked]
        worksheets = [self.pack.worksheet(w) for w in situation.worksheet_ids]
        return self._render("situation.md.j2", uri, meta, situation=situation, steps=steps, worksheets=worksheets)

    def render_situations_index(self) -> str:
        meta = {"title": self.settings.situations_title}
        return self._render("situations.md.j2", SITUATIONS_INDEX, meta, situations=self.pack.situations)

    def render_worksheet(self, worksheet: Worksheet) -> str:
        uri = page_uri("worksheet", worksheet.id, self.pack)
        meta = {"title": worksheet.title, "description": worksheet.purpose, "worksheet_tools": True, "worksheet_paper": True}
        page = self._render(
            "worksheet.md.j2",
            uri,
            meta,
            worksheet=worksheet,
            schema=worksheet_schema(worksheet),
            steps=self.pack.steps_using(worksheet.id),
        )
        if TOOLBAR_TEMPLATE not in page:  # worksheets.js puts the toolbar from it in place, then loads the answers.
            form = self.env.get_template(site_paths.template("worksheet-form.html")).filename
            raise jinja2.TemplateRuntimeError(
                f"{form} has no toolbar template ('{TOOLBAR_TEMPLATE}'): it is a copy from an older version, and "
                "without it the worksheet would not load or save answers; copy generator/theme/selfhelp/"
                "worksheet-form.html again and make your changes to the new copy"
            )
        return page

    def render_worksheets_index(self) -> str:
        meta = {"title": self.settings.worksheets_title, "worksheet_tools": True}
        schemas = [worksheet_schema(w) for w in self.pack.worksheets]
        return self._render(
            "worksheets.md.j2", WORKSHEETS_INDEX, meta, worksheets=self.pack.worksheets_in_guide_order(), schemas=schemas
        )

    def render_plan(self, plan: Plan) -> str:
        """My plan: each section's title and where its answers come from; worksheets.js and plan.js fill it in."""
        sections = [(section, self.pack.plan_sources(section.id)) for section in plan.sections]
        worksheets = [w for w in self.pack.worksheets if any(w is sw for _, sources in sections for sw, _ in sources)]
        data = {
            "sections": [
                {"id": s.id, "latest": s.latest, "sources": [{"worksheet": w.id, "field": f.id} for w, f in sources]}
                for s, sources in sections
            ],
            "schemas": [worksheet_schema(w) for w in worksheets],
        }
        meta = {"title": plan.title, "description": plan.summary, "worksheet_tools": True}
        return self._render("plan.md.j2", PLAN_PAGE, meta, plan=plan, sections=sections, data=data)

    def render_privacy(self) -> str:
        meta = {"title": self.settings.privacy_title, "worksheet_tools": True}
        schemas = [worksheet_schema(w) for w in self.pack.worksheets]
        return self._render("privacy.md.j2", PRIVACY_PAGE, meta, schemas=schemas)

    # -- the whole site -------------------------------------------------------

    def rendered_pages(self) -> Iterator[tuple[str, str]]:
        """Every page of the site, one at a time: `(src_uri, markdown source)`."""
        for src_uri, render in self.page_makers():
            yield src_uri, render()

    def page_makers(self) -> Iterator[tuple[str, Callable[[], str]]]:
        """Every page of the site in order, unrendered: `(src_uri, a function that renders it)`."""
        pack = self.pack
        yield page_uri("page", "index", pack), partial(self.render_home, pack.home)
        for page in pack.pages:
            yield page_uri("page", page.id, pack), partial(self.render_page, page)
        for guide in pack.guides:
            yield page_uri("guide", guide.id, pack), partial(self.render_guide, guide)
            for number, step in enumerate(guide.steps, start=1):
                yield page_uri("step", step.id, pack), partial(self.render_step, guide, step, number)
        if pack.situations:
            yield SITUATIONS_INDEX, self.render_situations_index
            for situation in pack.situations:
                yield page_uri("situation", situation.id, pack), partial(self.render_situation, situation)
        if pack.worksheets:
            yield WORKSHEETS_INDEX, self.render_worksheets_index
            for worksheet in pack.worksheets:
                yield page_uri("worksheet", worksheet.id, pack), partial(self.render_worksheet, worksheet)
        if pack.plan is not None:
            yield PLAN_PAGE, partial(self.render_plan, pack.plan)
        yield PRIVACY_PAGE, self.render_privacy

    def render_all(self) -> dict[str, str]:
        """Every page of the site: `{src_uri: markdown source}`."""
        return dict(self.rendered_pages())

    def navigation(self) -> list[Any]:
        """The site navigation in MkDocs' `nav` format, built from the content.

        A long list (more than `NAV_PART_SIZE` steps, situations or worksheets) is
        split into parts, so that with `navigation.prune` a page carries only the
        part it is in: the nav HTML of each page, and so the build, stays the same
        size whether a guide has 20 steps or 2,000.
        """
        pack = self.pack
        # MkDocs and Material print navigation titles as HTML, unescaped: every title is text made HTML here.
        pack, title = self.pack, text_html
        nav: list[Any] = [{title(pack.home.title): site_paths.HOME_PAGE}]
        for guide in pack.guides:
            steps = [{title(step.title): page_uri("step", step.id, pack)} for step in guide.steps]
            nav.append({title(guide.title): [page_uri("guide", guide.id, pack), *in_parts(steps, self.settings.messages.text("nav.steps_part"))]})
        if pack.situations:
            situations = [{title(s.title): page_uri("situation", s.id, pack)} for s in pack.situations]
            nav.append({title(self.settings.situations_title): [SITUATIONS_INDEX, *in_parts(situations, self.settings.messages.text("nav.situations_part"))]})
        for page in sorted(pack.pages, key=lambda p: (p.order, p.title.lower())):
            nav.append({title(page.title): page_uri("page", page.id, pack)})
        if pack.worksheets:
            # In the order the guide brings them in, as on My worksheets.
            worksheets = [{title(w.title): page_uri("worksheet", w.id, pack)} for w in pack.worksheets_in_guide_order()]
            nav.append({title(self.settings.worksheets_title): [WORKSHEETS_INDEX, *in_parts(worksheets, self.settings.messages.text("nav.worksheets_part"))]})
        if pack.plan is not None:
            nav.append({title(pack.plan.title): PLAN_PAGE})
        nav.append({title(self.settings.privacy_title): PRIVACY_PAGE})
        return nav
