"""Keep content values what they are documented to be: text stays text, Markdown values keep a safe subset.

Content holds three kinds of value (README, "Writing content"):

- **Text**: titles, summaries, labels, options, keywords, every plugin option
  and every other YAML value not listed below. Never markup, wherever it lands:
  `text_html` turns it into HTML for the places MkDocs and Material print as
  HTML without escaping (page titles, navigation, meta description, the search
  index); `markdown_text` makes it inert inside the Markdown our page templates
  write (so `*x*{: onclick=... }` or `[x](javascript:...)` stay characters).
  Jinja's autoescape covers our own HTML templates.
- **Markdown values**: a step's `key_actions` and `reflection_prompts` (inline:
  emphasis, strong, code, links, line breaks) and a worksheet's `instructions`
  (also paragraphs and lists). `MarkdownValues` renders them with
  Python-Markdown with raw HTML switched off, keeps a link only when it points
  to content (`step:ID`, ...) or to an http(s), mailto or tel address, and
  hands the result to nh3 with an allow-list of tags, attributes and URL
  schemes: whatever Markdown or its extensions produce, nothing else gets out.
  A build converts each distinct value once (values without a content link are
  the same HTML on every page), and an inline value made only of letters,
  digits, spaces and `,.;:'?!-` has no Markdown in it: it is its own HTML, with
  no call to Python-Markdown or nh3 (`tests/unit/test_sanitize.py` proves both
  paths give the same bytes).
- **Page bodies** stay the author's Markdown and HTML, as written;
  `generator.content.body_scripts` names every script in them.
"""

from __future__ import annotations

import html
import re
import string
import xml.etree.ElementTree as etree
from collections.abc import Callable
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .links import parse_content_link

LinkResolver = Callable[[str, str, str], "str | None"]
"""`(kind, id, anchor) -> URL` for a content link (`step:ID#anchor`), or None to show the link text only."""

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""URL schemes a link in a Markdown value may use (besides content links)."""

INLINE_TAGS = frozenset({"em", "strong", "code", "a", "br"})
"""What inline Markdown values (key actions, reflection prompts) may contain."""

BLOCK_TAGS = INLINE_TAGS | {"p", "ul", "ol", "li"}
"""What block Markdown values (worksheet instructions) may contain."""

_PUNCTUATION_REFERENCES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
"""Each ASCII punctuation mark to its numeric character reference (`markdown_text`)."""

_PLAIN_INLINE = re.compile(r"[A-Za-z0-9 ,.;:'?!-]*")
"""An inline value of only these characters has no Markdown syntax and nothing to escape: its HTML is itself."""


def text_html(text: str) -> Markup:
    """Text as HTML, for places MkDocs and Material print without escaping (titles, navigation, search index).

    The result is `Markup`, so a template that escapes it again (`| e`) leaves it
    as it is. An apostrophe is kept as written: every theme attribute is
    double-quoted, and Material's search index matches titles as written
    ("I've"), where `&#39;` would not match.
    """
    return Markup(html.escape(str(text), quote=False).replace('"', "&quot;"))  # noqa: S704 - escaped just now


def markdown_text(text: str) -> Markup:
    """Text to place inside generated Markdown, on one line, inert as Markdown and as HTML.

    Every ASCII punctuation mark becomes a numeric character reference: no
    Markdown syntax, core or from an extension (emphasis, links, `{: attr_list }`,
    `<html>`), can start without one, and a browser shows the references as the
    characters themselves.
    """
    return Markup(" ".join(str(text).split()).translate(_PUNCTUATION_REFERENCES))  # noqa: S704


def is_link_address(url: str) -> bool:
    """True for an http(s), mailto or tel address: the only addresses a contact or a Markdown value may link to."""
    try:
        return urlsplit(url.strip()).scheme.lower() in LINK_SCHEMES
    except ValueError:
        return False


class _LinkFilter(Treeprocessor):
    """Resolves content links, keeps http(s)/mailto/tel links, and turns every other link into its text."""

    def __init__(self, md: markdown_lib.Markdown) -> None:
        super().__init__(md)
        self.resolve: LinkResolver = lambda kind, item_id, anchor: None
        self.resolved: set[str] = set()
        self.content_links = False
        """True once the value being converted had a content link: its HTML depends on the page it is on."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("a"):
            href = element.get("href", "")
            target = parse_content_link(href)
            if target:
                self.content_links = True
            url = self.resolve(*target) if target else (href if is_link_address(href) else None)
            element.attrib.clear()
            if url is None:
                element.tag = "span"  # Not in the allow-list: nh3 keeps its text only.
                continue
            element.set("href", url)
            if target:
                self.resolved.add(url)


class MarkdownValues:
    """Renders Markdown values (key actions, prompts, instructions) to clean HTML of the documented subset."""

    def __init__(self) -> None:
        # Python-Markdown's block processors the subset leaves out: their syntax stays as typed.
        not_blocks = ("code", "hashheader", "setextheader", "hr", "quote")
        self._inline, self._inline_links = self._markdown(without=(*not_blocks, "indent", "olist", "ulist"))
        self._block, self._block_links = self._markdown(without=not_blocks)
        self._converted: dict[tuple[bool, str], Markup] = {}
        """`(block, text)` -> HTML of each value converted so far that has no content link (same on every page)."""

    @staticmethod
    def _markdown(without: tuple[str, ...]) -> tuple[markdown_lib.Markdown, _LinkFilter]:
        md = markdown_lib.Markdown(extensions=[])
        # Raw HTML is shown as text, never passed through (Python-Markdown's documented way to switch it off).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Images are not in the subset: `![x](y)` stays a "!" and a link (checked like any other).
        for name in ("image_link", "image_reference", "short_image_ref"):
            md.inlinePatterns.deregister(name)
        for name in without:
            md.parser.blockprocessors.deregister(name)
        links = _LinkFilter(md)
        md.treeprocessors.register(links, "selfhelp_links", 5)  # After 'inline' (20) has made the links.
        return md, links

    def inline(self, text: str, resolve: LinkResolver) -> Markup:
        """An inline value (a key action, a prompt) as HTML: emphasis, strong, code, links and line breaks."""
        text = str(text)
        if _PLAIN_INLINE.fullmatch(text):
            return Markup(text.strip())  # noqa: S704 - letters, digits, spaces and ,.;:'?!- only
        return self._cached(False, text, resolve)

    def block(self, text: str, resolve: LinkResolver) -> Markup:
        """A block value (worksheet instructions) as HTML: paragraphs and lists of inline Markdown."""
        return self._cached(True, str(text), resolve)

    def _cached(self, block: bool, text: str, resolve: LinkResolver) -> Markup:
        """The value's HTML, converted once per distinct text unless it has a content link (then once per call)."""
        key = (block, text)
        found = self._converted.get(key)
        if found is not None:
            return found
        links = self._block_links if block else self._inline_links
        links.content_links = False
        rendered = self._convert(
            self._block if block else self._inline, links, text, resolve, BLOCK_TAGS if block else INLINE_TAGS
        )
        if not links.content_links:
            self._converted[key] = rendered
        return rendered

    @staticmethod
    def _convert(
        md: markdown_lib.Markdown, links: _LinkFilter, text: str, resolve: LinkResolver, tags: frozenset[str]
    ) -> Markup:
        links.resolve, links.resolved = resolve, set()
        try:
            rendered = md.reset().convert(str(text))
        finally:
            links.resolve = lambda kind, item_id, anchor: None
        resolved = links.resolved
        clean = nh3.clean(
            rendered,
            tags=set(tags),
            clean_content_tags={"script", "style"},
            attributes={"a": {"href"}, "ol": {"start"}},
            url_schemes=set(LINK_SCHEMES),
            # A relative URL is kept only when it is one our resolver made for a content link.
            url_relative=lambda url: url if url in resolved else None,
        )
        return Markup(clean.strip())  # noqa: S704 - sanitised by nh3 with the allow-list above
