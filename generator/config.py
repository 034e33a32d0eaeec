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


def slug(text: str) -> str:
    """Lowercase words joined by dashes, letters of any script kept: "Acme Ltd." -> "acme-ltd"."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def site_id_of(site_id: str, organisation: str, site_name: str) -> str:
    """The id readers' answers are kept under: `site_id`, or organisation and site name ("acme/careers").

    Never starts with "/", so it cannot be taken for the site paths older versions used."""
    if slug(site_id):
        return slug(site_id)
    return "/".join(part for part in (slug(organisation), slug(site_name)) if part) or "site"


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

    site_id = c.Type(str, default="")
    """The name readers' answers are saved under in their browsers. Empty: made from `organisation` and
    `site_name`. Set it to the old id before renaming the site, so readers keep their answers."""

    def answers_id(self, site_name: str) -> str:
        """The site id the build writes into every page (see `site_id_of`)."""
        return site_id_of(self.site_id, self.organisation, site_name)

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

    situations_title = c.Type(str, default="What happened?")
    """Navigation title of the situations section."""

    worksheets_title = c.Type(str, default="My worksheets")
    """Navigation title of the worksheets section and its overview page."""

    privacy_title = c.Type(str, default="Your privacy")
    """Title of the privacy page."""
