"""Typed options of the `selfhelp` plugin, declared once with MkDocs' config_options.

Every option has a default that builds the shipped site, so a plain
`plugins: [selfhelp]` works. Unknown keys are reported by MkDocs as warnings,
which `--strict` turns into a stopped build.
"""

from __future__ import annotations

import re

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from .csp import frame_ancestor, frame_ancestor_problem
from .security_headers import header_problem


class Colour(c.Type[str]):
    """A CSS hex colour such as `#1f5f66` (or the short form `#1f6`)."""

    _HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if not self._HEX.match(text.strip()):
            raise ValidationError(
                f"'{text}' is not a colour: write it as a hex value in quotes, like '#1f5f66'"
            )
        return text.strip().lower()


class ServerHeaders(c.DictOfItems[str]):
    """Response headers of the site's own (`{name: value}`), written into every server configuration."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        headers = super().run_validation(value)
        for name, text in headers.items():
            problem = header_problem(name, text)
            if problem:
                raise ValidationError(problem)
        return headers


class EmbeddingOrigins(c.BaseConfigOption[list[str]]):
    """Origins (`https://host[:port]`) that may show the site in a frame, besides the site itself."""

    def run_validation(self, value: object) -> list[str]:
        if value is None:
            return []
        example = "one per line under it, like - https://teams.microsoft.com"
        if not isinstance(value, list):
            raise ValidationError(f"{self._name} must be a list of origins, {example}")
        for origin in value:
            if not isinstance(origin, str):
                raise ValidationError(f"{self._name} holds {origin!r}, which is not an origin: list origins, {example}")
            problem = frame_ancestor_problem(origin)
            if problem:
                raise ValidationError(f"{self._name} {problem}")
        return list(dict.fromkeys(frame_ancestor(origin) for origin in value))


class ContactConfig(base.Config):
    """One way to get help: a name, how to reach it, and when to use it."""

    name = c.Type(str, default="")
    """Who or what this is ("HR team", "Employee Assistance Programme")."""
    phone = c.Type(str, default="")
    """A phone number, shown as written and dialled on a phone."""
    email = c.Type(str, default="")
    """An email address."""
    url = c.Type(str, default="")
    """A web page (an intranet page, usually)."""
    note = c.Type(str, default="")
    """A short line on when to use it or when it is open."""


class SelfhelpConfig(base.Config):
    """Options of the selfhelp plugin (`plugins: - selfhelp: {...}` in mkdocs.yml)."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off (the site then has only what MkDocs finds in `docs_dir`)."""

    content_dir = c.Optional(c.Dir(exists=True))
    """Folder of guides, situations, pages and worksheets; defaults to `docs_dir`."""

    organisation = c.Type(str, default="")
    """The organisation's name, shown in the footer and on printed worksheets."""

    logo = c.Optional(c.File(exists=True))
    """An image file (SVG or PNG), relative to mkdocs.yml, shown in the header and on printed worksheets."""

    primary_colour = Colour(default="#1f5f66")
    """The header and link colour. Dark enough for white text on it and for links on white (WCAG AA)."""

    accent_colour = Colour(default="#a33b20")
    """The colour of focused and hovered controls."""

    urgent_help = c.SubConfig(ContactConfig)
    """The urgent-help line shown on every page. Empty: a neutral default note is shown."""

    urgent_note = c.Type(
        str,
        default=(
            "If you feel unsafe or might harm yourself, contact your local emergency number now, "
            "or talk to your doctor or a crisis line today."
        ),
    )
    """The sentence shown on every page above the urgent-help contact."""

    hr_contact = c.SubConfig(ContactConfig)
    """Your HR team."""

    eap = c.SubConfig(ContactConfig)
    """Your Employee Assistance Programme (confidential counselling)."""

    service_worker = c.Type(bool, default=True)
    """Cache the site in readers' browsers so it works offline after one visit (needs https or localhost).
    Switching it off also clears what earlier builds cached."""

    pdf_pack = c.Type(bool, default=True)
    """Write `pdf/worksheets.pdf` (every blank worksheet, with a cover) and `pdf/<worksheet>.pdf`."""

    offline_zip = c.Type(bool, default=True)
    """Write `offline/<site>-offline.zip`: a copy of the site that opens from disk."""

    server_config = c.Type(bool, default=True)
    """Write `_server/` (nginx, Apache and plain header lists) and `.htaccess`: the security
    headers, with a Content-Security-Policy that allows this build's inline scripts by hash."""

    server_headers = ServerHeaders()
    """Headers of your own for `_server/` and `.htaccess`, e.g. `{Strict-Transport-Security: max-age=31536000}`:
    written into every location of the nginx snippet (nginx drops a server block's add_header there)."""

    embedding_origins = EmbeddingOrigins()
    """Origins allowed to show the site inside a frame: a Teams tab, a SharePoint page's embed
    (`[https://teams.microsoft.com, https://contoso.sharepoint.com]`). Written into the CSP's
    `frame-ancestors` of every server file; with any set, `X-Frame-Options` (which can name no
    other origin) is left out. Empty (the default): only the site's own pages may frame it."""

    situations_title = c.Type(str, default="What happened?")
    """Navigation title of the situations section."""

    worksheets_title = c.Type(str, default="My worksheets")
    """Navigation title of the worksheets section and its overview page."""

    privacy_title = c.Type(str, default="Your privacy")
    """Title of the privacy page."""
