"""Find what would run as script in page bodies, and say where: one `path:line: what: fix` warning each.

A page body is the author's Markdown and may hold HTML (README). Three things
in it would run code in a reader's browser: a `<script>` element, an
event-handler attribute (`onerror=`, `onclick=`, ...), and a `javascript:` or
`vbscript:` address (also a `data:` address anywhere but an image, and an
iframe's `srcdoc`). The site's Content-Security-Policy blocks them where it is
served with the generated headers, but not in the offline copy opened from
disk, so each is reported; the plugin logs them as warnings, which strict mode
(the shipped mkdocs.yml) turns into a stopped build.

What is checked is the HTML a body renders to with the site's extensions, so
what is reported is what would be live: attr_list's `{: onclick=... }` and a
Markdown link to `javascript:` count, a `<script>` shown as code does not. Each
finding is then traced to the line of the body where it is written.

In a build the body is not rendered a second time for this: the plugin hands
`find_page_scripts` the HTML MkDocs has just rendered for each page that has an
author's body (`on_page_content`, before the theme), one pass of an HTML
tokenizer. The scripts our templates wrote around the body carry the build's
token (`csp.MARK_ATTRIBUTE`, handed in as `template_mark`) and are left out, and pages without an author's
body (worksheets, indexes, My plan, privacy) are not checked at all.
`find_body_scripts` renders bodies itself, for callers without a build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown as markdown_lib

from .model import ContentPack, Markdown, Source
from .render import page_uri

_WORTH_RENDERING = re.compile(r"[<{&]|s\s*c\s*r\s*i\s*p\s*t\s*:|d\s*a\s*t\s*a\s*:", re.IGNORECASE)
"""A body without any of these cannot produce a script, an attribute or such an address: it is not checked.

A `<script>` or a handler needs `<` (raw HTML) or `{` (attr_list); an address
written with character references needs `&`; any other `javascript:`,
`vbscript:` or `data:` address has those letters and colon in the body, perhaps
with whitespace between them (a browser ignores tabs and newlines in an
address, and Python-Markdown keeps them): `description` alone is not enough."""

_RUNNING_SCHEMES = ("javascript:", "vbscript:")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset"}
_IMAGE_SOURCES = {("img", "src"), ("img", "srcset"), ("source", "srcset"), ("input", "src")}


@dataclass(frozen=True)
class BodyScript:
    """One thing in a page body that would run script, where it is written, and what to do."""

    source: Source
    what: str
    fix: str
    script_text: str = ""
    """For a `<script>` element: its text (so the page check does not report it twice)."""

    def __str__(self) -> str:
        return f"{self.source}: {self.what}: {self.fix}"


@dataclass(frozen=True)
class _Finding:
    what: str
    fix: str
    needle: str
    """Lowercase text to look for in the body source."""
    hint: str = ""
    """Text expected shortly after the needle (a script's text, an attribute's value): picks the right one."""
    script_text: str = ""


class _LiveHtml(HTMLParser):
    """Collects, in document order, the script elements, handlers and addresses of rendered HTML."""

    def __init__(self, template_mark: tuple[str, str] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[_Finding] = []
        self._script: list[str] | None = None
        self._template_mark = template_mark

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            if self._template_mark is not None and self._template_mark in attrs:
                return  # A script our templates wrote (csp.TemplateScriptMarker), not the author's.
            self._script = []
        for name, raw in attrs:
            value = raw or ""
            compact = "".join(value.split()).lower()  # Browsers ignore tabs and newlines in a URL's scheme.
            if name.startswith("on"):
                self.findings.append(
                    _Finding(
                        f"the '{name}' attribute on <{tag}> in the page body would run script in readers' browsers",
                        "remove the attribute",
                        name,
                        value,
                    )
                )
            elif scheme := next((s for s in _RUNNING_SCHEMES if compact.startswith(s)), None):
                self.findings.append(
                    _Finding(
                        f"a {scheme} address in the '{name}' of <{tag}> in the page body would run script "
                        "in readers' browsers",
                        "link to an http(s), mailto: or tel: address, or to content such as step:ID",
                        scheme,
                    )
                )
            elif compact.startswith("data:") and name in _URL_ATTRIBUTES and (tag, name) not in _IMAGE_SOURCES:
                self.findings.append(
                    _Finding(
                        f"a data: address in the '{name}' of <{tag}> in the page body can hold a page that runs script",
                        "put the file in the site's folder and link to it there",
                        "data:",
                    )
                )
            elif name == "srcdoc":
                self.findings.append(
                    _Finding(
                        f"the 'srcdoc' attribute on <{tag}> in the page body holds a page that can run script",
                        "remove the attribute",
                        "srcdoc",
                    )
                )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            self._script = None
            self.findings.append(
                _Finding(
                    "a <script> element in the page body would run in readers' browsers",
                    "remove it (the site's Content-Security-Policy blocks scripts written in content, "
                    "and the offline copy would run them)",
                    "<script",
                    text.strip()[:80],
                    text,
                )
            )

    def close(self) -> None:
        super().close()
        if self._script is not None:  # An unclosed <script> runs to the end of the page.
            self.handle_endtag("script")


def _live_html(html: str, template_mark: tuple[str, str] | None = None) -> list[_Finding]:
    parser = _LiveHtml(template_mark)
    parser.feed(html)
    parser.close()
    return parser.findings


def _locate(findings: list[_Finding], body: Markdown) -> list[BodyScript]:
    """Each finding with the source line where it is written (the body's first line when it cannot be found)."""
    text = body.text
    lowered = text.lower()
    after: dict[str, int] = {}
    located = []
    for finding in findings:
        position = lowered.find(finding.needle, after.get(finding.needle, 0))
        candidate = position
        while finding.hint and candidate != -1:  # The occurrence followed by the hint, before the next one.
            following = lowered.find(finding.needle, candidate + 1)
            if finding.hint in text[candidate : following if following != -1 else len(text)]:
                position = candidate
                break
            candidate = following
        if position == -1:
            line = body.source.line
        else:
            after[finding.needle] = position + 1
            line = body.source.line + text.count("\n", 0, position)
        located.append(BodyScript(Source(body.source.path, line), finding.what, finding.fix, finding.script_text))
    return located


def pack_bodies(pack: ContentPack) -> list[Markdown]:
    """The body of every page of the pack (home, pages, guides, steps, situations)."""
    bodies = [pack.home.body, *(page.body for page in pack.pages)]
    for guide in pack.guides:
        bodies.append(guide.body)
        bodies.extend(step.body for step in guide.steps)
    bodies.extend(situation.body for situation in pack.situations)
    return bodies


def page_bodies(pack: ContentPack) -> dict[str, Markdown]:
    """`{src_uri of a page: the author's body on it}` for the pages `pack_bodies` lists (no other page has one)."""
    bodies = {page_uri("page", page.id, pack): page.body for page in (pack.home, *pack.pages)}
    for guide in pack.guides:
        bodies[page_uri("guide", guide.id, pack)] = guide.body
        bodies.update((page_uri("step", step.id, pack), step.body) for step in guide.steps)
    bodies.update((page_uri("situation", item.id, pack), item.body) for item in pack.situations)
    return bodies


def find_page_scripts(
    html: str, body: Markdown, template_mark: tuple[str, str] | None = None
) -> list[BodyScript]:
    """Everything in a page's rendered HTML that would run script, at the line of `body` where it is written.

    `html` is what the engine rendered for the page whose author's body is `body`
    (the body with the site's extensions, inside what our page template wrote
    around it, which holds no handler or such address); a script carrying the
    attribute `template_mark` (name, value) is the templates' own and is left out."""
    if not _WORTH_RENDERING.search(body.text):
        return []
    return _locate(_live_html(html, template_mark), body)


def find_body_scripts(
    bodies: Iterable[Markdown], extensions: list[Any], extension_configs: Mapping[str, Any] | None = None
) -> list[BodyScript]:
    """Everything in these bodies that would run script, rendered with the site's Markdown extensions."""
    md: markdown_lib.Markdown | None = None
    found: list[BodyScript] = []
    for body in bodies:
        if not _WORTH_RENDERING.search(body.text):
            continue
        if md is None:
            md = markdown_lib.Markdown(extensions=extensions, extension_configs=dict(extension_configs or {}))
        try:
            html = md.reset().convert(body.text)
        except Exception:  # noqa: BLE001 - an extension that fails here fails the build later, with its own message
            html = body.text  # Still check the raw HTML the author wrote.
        found.extend(_locate(_live_html(html), body))
    return found
