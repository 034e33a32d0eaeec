"""The Content-Security-Policy of the built site: only the inline scripts the templates wrote, by hash.

Scripts are allowed from the site itself plus the inline scripts written in a
template file (Material's and ours), each by its SHA-256 hash, so no
`'unsafe-inline'` or `'unsafe-eval'` is needed, and a script that came from
content is never allowed.

How the allow-list is built from the templates, not from the pages:

1. `TemplateScriptMarker` wraps the theme's Jinja loader. Every `<script`
   written in a template's source gets an attribute carrying a token drawn at
   random for this build. Content never passes through a loader, and cannot
   guess the token, so no script from content (a page body, a title, an
   option) can carry it, wherever it lands in the page.
2. `TemplateScripts.take(html)` reads each rendered page: the inline scripts
   carrying the token are the templates' own, and their hashes join the
   allow-list (the text is hashed exactly as it is served, so one template
   script rendered with two different `base_url` values gives two hashes);
   the token is removed from the page; every other executable inline script is
   returned, for the build to report where it came from.

`generator.products.security_headers` writes the policy into the server snippets.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from .html_scan import inline_scripts

MARK_ATTRIBUTE = "data-selfhelp-template-script"
"""Attribute that marks, during a build only, the script elements written in a template."""

_JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
_SCRIPT_TAG = re.compile(r"<script(?=[\s>/])", re.IGNORECASE)


def script_hash(script: str) -> str:
    """The CSP source expression (`'sha256-…'`) that allows exactly this inline script text."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def is_executable(attributes: dict[str, str]) -> bool:
    """True for a script a browser runs (data blocks such as `application/json` are not run, and CSP ignores them)."""
    return attributes.get("type", "").strip().lower() in _JAVASCRIPT_TYPES


def new_token() -> str:
    """A fresh, unguessable token for one build."""
    return secrets.token_hex(16)


class TemplateScriptMarker(jinja2.BaseLoader):
    """A Jinja loader that adds `MARK_ATTRIBUTE=<token>` to every `<script` in the templates it loads."""

    has_source_access = True

    def __init__(self, loader: jinja2.BaseLoader, token: str) -> None:
        self.loader = loader
        self.token = token

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        # Unquoted (the token is hex), so a `<script` inside a Jinja string literal still compiles.
        marked = _SCRIPT_TAG.sub(lambda tag: f"{tag.group(0)} {MARK_ATTRIBUTE}={self.token}", source)
        return marked, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


@dataclass(frozen=True)
class StrayScript:
    """An executable inline script in a built page that no template wrote."""

    text: str

    def excerpt(self) -> str:
        words = " ".join(self.text.split())
        return words if len(words) <= 60 else words[:57] + "..."


class TemplateScripts:
    """Collects, page by page, the hashes of the inline scripts the templates wrote (marked with `token`)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._mark = f" {MARK_ATTRIBUTE}={token}"
        self._hashes: set[str] = set()
        self._seen: set[str] = set()
        """Texts already hashed: every page repeats the theme's few inline scripts."""

    def found(self, html: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The texts of a rendered page's executable inline scripts, in page order: the marked ones (the
        templates'), and the others. A function of `html` and the token only (`take` records them)."""
        marked: list[str] = []
        other: list[str] = []
        for tag, text in inline_scripts(html):
            if is_executable(tag.attributes):
                (marked if tag.attributes.get(MARK_ATTRIBUTE) == self.token else other).append(text)
        return tuple(marked), tuple(other)

    def take(
        self, html: str, found: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    ) -> tuple[str, list[StrayScript]]:
        """Record the marked scripts of a rendered page; return the page without marks, and its stray scripts.

        `found`: `self.found(html)` when the caller has it already (a serve rebuild keeps it for unchanged pages)."""
        marked, other = self.found(html) if found is None else found
        for text in marked:
            if text not in self._seen:
                self._seen.add(text)
                self._hashes.add(script_hash(text))
        return html.replace(self._mark, ""), [StrayScript(text) for text in other]

    @property
    def hashes(self) -> list[str]:
        """CSP source expressions of every template script seen so far, sorted."""
        return sorted(self._hashes)


def mark_template_scripts(env: jinja2.Environment, token: str) -> None:
    """Make `env` mark the scripts of every template it loads from now on (its compiled templates are dropped)."""
    loader: Any = env.loader
    if isinstance(loader, TemplateScriptMarker):
        loader = loader.loader
    env.loader = TemplateScriptMarker(loader, token)
    if env.cache is not None:
        env.cache.clear()


_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_ORIGIN_HOST = re.compile(rf"(?:\*\.(?=[^.:]+\.))?{_HOST_LABEL}(?:\.{_HOST_LABEL})*(?::\d{{1,5}})?")
"""A host with an optional port; `*.` may start it only in front of two labels or more (`*.office.com`)."""


def frame_ancestor_problem(origin: str) -> str | None:
    """Why `origin` cannot be listed in `frame-ancestors` (the `embedding_origins` option), or None when it can.

    Only an origin is allowed: a scheme, a host (its first label may be `*.`) and a port, as
    `https://teams.microsoft.com` or `https://*.teams.microsoft.com`."""
    text = origin.strip()
    example = "like https://teams.microsoft.com or https://contoso.sharepoint.com"
    if text in ("*", "'self'", "'none'", "https:", "http:", "https://*", "http://*"):
        return (
            f"'{text}' is not an origin the site may be framed by: list each one that needs it, {example} "
            "(the site's own origin is always allowed)"
        )
    if "://" not in text:
        return f"'{text}' needs its scheme: write https://{text.lstrip('/')}"
    scheme, _, rest = text.partition("://")
    if scheme.lower() not in ("https", "http"):
        return f"'{text}' is not a web origin: write an https:// address, {example}"
    host, slash, path = rest.partition("/")
    if slash and path:
        return f"'{text}' is a page, not an origin: write {scheme}://{host} (frames are allowed by origin only)"
    if not _ORIGIN_HOST.fullmatch(host):
        return f"'{text}' is not an origin: write a scheme, a host and an optional port, {example}"
    return None


def frame_ancestor(origin: str) -> str:
    """`origin` (already checked by `frame_ancestor_problem`) as written in the policy: lowercase, no trailing slash."""
    return origin.strip().rstrip("/").lower()


def content_security_policy(script_hashes: list[str], frame_ancestors: Sequence[str] = ()) -> str:
    """The policy: everything from the site itself, inline scripts only by hash, no forms, no plugins.

    `frame_ancestors` are the origins, besides the site's own, that may show it in a frame
    (a Teams tab, a SharePoint page: the `embedding_origins` option)."""
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
        " ".join(["frame-ancestors 'self'", *frame_ancestors]),
    ]
    return "; ".join(d.strip() for d in directives)
