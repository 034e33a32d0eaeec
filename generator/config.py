"""Typed options of the `selfhelp` plugin, declared once with MkDocs' config_options.

Every option has a default that builds the shipped site, so a plain
`plugins: [selfhelp]` works. Unknown keys are reported by MkDocs as warnings,
which `--strict` turns into a stopped build.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


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

    situations_title = c.Type(str, default="What happened?")
    """Navigation title of the situations section."""

    worksheets_title = c.Type(str, default="My worksheets")
    """Navigation title of the worksheets section and its overview page."""

    privacy_title = c.Type(str, default="Your privacy")
    """Title of the privacy page."""
