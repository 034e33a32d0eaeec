"""Say what the build finds in a rendered page in terms of the content file and line it came from.

MkDocs checks links and anchors in the pages the renderer made, and names
those pages (`Doc file 'guides/better-sleep/wind-down.md' contains a link
'wind-down.md#x'...`); an editor needs the content file, the line, and the
fix, in the words of content (`step:wind-down#x`). `content_origins` maps each
rendered page to the content file it came from; `ContentLinkReports` is a
logging filter that rewrites MkDocs' link warnings about those pages into
`path:line: what is wrong: how to fix it`; `external_asset_problems` does the
same for assets a page body would load from another host.
"""

from __future__ import annotations

import difflib
import logging
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .links import LINK_KINDS
from .loader import Problem
from .model import ContentPack, Source
from .render import page_uri

CONTENT_LINK_FIX = (
    "link to content by id ("
    + ", ".join(f"{kind}:ID" for kind in LINK_KINDS if kind != "file")
    + ") or to a file in content/files/ (file:NAME)"
)


@dataclass
class ContentOrigin:
    """The content file a rendered page was made from."""

    ref: str
    """How content links to it: `step:wind-down`."""
    source: Source
    """The file (relative to the project) and the line its body starts on."""
    project_dir: Path
    _lines: list[str] | None = field(default=None, repr=False)

    def lines(self) -> list[str]:
        if self._lines is None:
            try:
                text = (self.project_dir / self.source.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._lines = text.splitlines()
        return self._lines

    def lines_with(self, text: str) -> list[int]:
        """Every line (1-based) of the file that contains `text`."""
        return [number for number, line in enumerate(self.lines(), start=1) if text in line]

    def line_with(self, *texts: str) -> int:
        """The first line holding the first of `texts` found; else the line the body starts on."""
        for text in texts:
            if text and (found := self.lines_with(text)):
                return found[0]
        return self.source.line


def content_origins(pack: ContentPack, project_dir: Path) -> dict[str, ContentOrigin]:
    """`{src_uri of a rendered page: where its content was written}`, for every page made from one content file."""
    origins: dict[str, ContentOrigin] = {}

    def add(kind: str, item_id: str, source: Source) -> None:
        origins[page_uri(kind, item_id, pack)] = ContentOrigin(f"{kind}:{item_id}", source, project_dir)

    for page in (pack.home, *pack.pages):
        add("page", page.id, page.body.source)
    for guide in pack.guides:
        add("guide", guide.id, guide.body.source)
        for step in guide.steps:
            add("step", step.id, step.body.source)
    for situation in pack.situations:
        add("situation", situation.id, situation.body.source)
    for worksheet in pack.worksheets:
        add("worksheet", worksheet.id, worksheet.source)
    return origins


# MkDocs' link warnings (mkdocs/structure/pages.py), which name the rendered page and the link in it.
_DOC_LINK = r"^Doc file '(?P<page>[^']+)' contains "
_MKDOCS_LINK_WARNINGS = {
    "anchor": re.compile(
        _DOC_LINK + r"a link '(?P<link>[^']+)', but (?:there is no such anchor on this page"
        r"|the doc '(?P<target>[^']+)' does not contain an anchor '#[^']*')\.(?P<rest>.*)$",
        re.DOTALL,
    ),
    "not_found": re.compile(
        _DOC_LINK + r"a link '(?P<link>[^']+)', but the target(?: '(?P<target>[^']+)')? is not found "
        r"among documentation files\.(?P<rest>.*)$",
        re.DOTALL,
    ),
    "unrecognized": re.compile(
        _DOC_LINK + r"an unrecognized relative link '(?P<link>[^']+)', it was left as is\.(?P<rest>.*)$", re.DOTALL
    ),
    "absolute": re.compile(
        _DOC_LINK + r"an absolute link '(?P<link>[^']+)', it was left as is\.(?P<rest>.*)$", re.DOTALL
    ),
}
_DID_YOU_MEAN = re.compile(r"Did you mean '([^']*)'\?")


class ContentLinkReports(logging.Filter):
    """Rewrites MkDocs' warnings about links in rendered pages into `content file:line: problem: fix`.

    Attach it to the `mkdocs.structure.pages` logger for a build. Warnings about
    pages not made from one content file (the lists, the privacy page) pass as MkDocs wrote them.
    """

    def __init__(self, origins: dict[str, ContentOrigin], headings: Callable[[str], list[str]]) -> None:
        """`headings(src_uri)` gives the heading ids of a built page, for suggestions."""
        super().__init__()
        self.origins = origins
        self.headings = headings

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG and isinstance(record.msg, str) and not record.args:
            rewritten = self.rewrite(record.msg)
            if rewritten is not None:
                record.msg = rewritten
        return True

    def rewrite(self, message: str) -> str | None:
        """The content-located form of one MkDocs link warning, or None when it is not about a content page."""
        for kind, pattern in _MKDOCS_LINK_WARNINGS.items():
            match = pattern.match(message)
            if match is None:
                continue
            origin = self.origins.get(match["page"])
            if origin is None:
                return None
            return str(self._problem(kind, match, origin))
        return None

    def _problem(self, kind: str, match: re.Match[str], origin: ContentOrigin) -> Problem:
        page, link = match["page"], match["link"]
        path, _, anchor = link.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        target_ref = self.origins[target].ref if target in self.origins else ""
        # A content link was rewritten to a path (`step:x#a` became `x.md#a`): find what the author wrote.
        candidates = [link]
        if target_ref:
            candidates.insert(0, f"{target_ref}#{anchor}" if anchor else target_ref)
        if anchor:
            candidates.append(f"#{anchor}")
        line = origin.line_with(*candidates)
        written = _written_link(origin.lines()[line - 1] if line <= len(origin.lines()) else "", candidates) or link
        if kind == "anchor":
            where = "this page" if target == page else f"'{target_ref or target}'"
            ids = self.headings(target)
            guess = difflib.get_close_matches(anchor, ids, n=1)
            if guess:
                fix = f"did you mean '#{guess[0]}'?"
            elif ids:
                fix = f"use one of its headings ({', '.join('#' + i for i in ids[:6])}) or remove '#{anchor}'"
            else:
                fix = f"that page has no headings to link to: remove '#{anchor}'"
            return Problem(
                origin.source.path,
                line,
                f"the link '{written}' goes to '#{anchor}', which is not a heading on {where}: {fix}",
            )
        fix = self._suggestion(page, match["rest"]) or CONTENT_LINK_FIX
        if kind == "absolute":
            what = "starts with '/', which leaves the site when it is hosted under a sub-path"
        elif kind == "unrecognized":
            what = "is an address inside the site that cannot be checked"
        else:
            what = "goes to a file that is not in the site"
            fix = fix if fix != CONTENT_LINK_FIX else f"correct the path, or {fix}"
        return Problem(origin.source.path, line, f"the link '{written}' {what}: {fix}")

    def _suggestion(self, page: str, rest: str) -> str:
        """MkDocs' "Did you mean" guess, as a content link when it names a content page."""
        guess = _DID_YOU_MEAN.search(rest or "")
        if guess is None:
            return ""
        path, _, anchor = guess[1].partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        if target in self.origins:
            return f"did you mean '{self.origins[target].ref}{'#' + anchor if anchor else ''}'?"
        return f"did you mean '{guess[1]}'?"


def _written_link(line: str, candidates: list[str]) -> str:
    """The link target on `line` that holds one of `candidates` (the first candidate found)."""
    for candidate in candidates:
        for target in re.findall(r"""\]\(\s*<?([^)\s>]+)|\]:\s*<?(\S+?)>?(?:\s|$)|href=["']([^"']+)""", line):
            value = next((part for part in target if part), "")
            if candidate in value:
                return value
    return ""


def external_asset_problems(origin: ContentOrigin, addresses: list[str]) -> Iterator[Problem]:
    """One problem per line of the content file that holds an address a built page would load from another host."""
    for address in dict.fromkeys(addresses):
        host = urlsplit(address.strip()).hostname or "another host"
        lines = origin.lines_with(address.strip()) or [origin.line_with(host)]
        for line in lines:
            yield Problem(
                origin.source.path,
                line,
                f"'{address.strip()}' would be loaded from {host}, which readers on an intranet may not reach "
                "and which would learn who reads the page: save a copy of the file in the content folder and "
                "link to it with a relative path",
            )
