"""The plugin's options as plain, typed, frozen values: what the engine-free core (`pipeline.py`) takes.

`engines/config.py` declares and checks the options with MkDocs' config_options and
words every problem at its `mkdocs.yml` line; `SelfhelpConfig.to_options()`
hands the checked values over as a `SiteOptions`. Anything else (a test, another
engine's adapter) makes one with `options_from(mapping)`, from values already
checked, or with the dataclass itself. Knows nothing of MkDocs.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_URGENT_NOTE = (
    "If you feel unsafe or might harm yourself, contact your local emergency number now, "
    "or talk to your doctor or a crisis line today."
)


def slug(text: str) -> str:
    """Lowercase words joined by dashes, letters of any script kept: "Acme Ltd." -> "acme-ltd"."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def site_id_of(site_id: str, organisation: str, site_name: str) -> str:
    """The id readers' answers are kept under: `site_id`, or organisation and site name ("acme/careers").

    Never starts with "/", so it cannot be taken for the site paths older versions used."""
    if slug(site_id):
        return slug(site_id)
    return "/".join(part for part in (slug(organisation), slug(site_name)) if part) or "site"


@dataclass(frozen=True)
class ContactOptions:
    """One way to get help (`urgent_help`, `hr_contact`, `eap`); empty strings where not set."""

    name: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class SiteOptions:
    """Every option of the plugin, checked (see `config.SelfhelpConfig` for what each means)."""

    enabled: bool = True
    content_dir: str | None = None
    """Absolute path of the content folder; None: the engine's docs folder."""
    organisation: str = ""
    site_id: str = ""
    logo: str | None = None
    """Absolute path of the logo image, or None."""
    primary_colour: str = "#1f5f66"
    accent_colour: str = "#a33b20"
    urgent_help: ContactOptions = field(default_factory=ContactOptions)
    urgent_note: str = DEFAULT_URGENT_NOTE
    hr_contact: ContactOptions = field(default_factory=ContactOptions)
    eap: ContactOptions = field(default_factory=ContactOptions)
    service_worker: bool = True
    pdf_pack: bool = True
    pdf_on_serve: bool = False
    concurrency: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Processes that render the PDFs at once (1: in the build's own process)."""
    cache_dir: str | None = None
    """Absolute path of the folder kept between builds; None: `.cache/selfhelp` in the project folder."""
    offline_zip: bool = True
    server_config: bool = True
    server_headers: tuple[tuple[str, str], ...] = ()
    """`(name, value)` in the order written."""
    embedding_origins: tuple[str, ...] = ()
    situations_title: str = "What happened?"
    worksheets_title: str = "My worksheets"
    privacy_title: str = "Your privacy"
    messages: tuple[tuple[str, Any], ...] = ()
    """Single messages of the catalogue replaced (`messages.py`): `(key, text or plural forms)` as written."""

    def answers_id(self, site_name: str) -> str:
        """The site id the build writes into every page (see `site_id_of`)."""
        return site_id_of(self.site_id, self.organisation, site_name)


CONTACT_FIELDS = tuple(f.name for f in dataclasses.fields(SiteOptions) if f.type == "ContactOptions")
_FIELDS = {f.name for f in dataclasses.fields(SiteOptions)}


def options_from(values: Mapping[str, Any]) -> SiteOptions:
    """A `SiteOptions` from checked values (a mapping, like MkDocs' validated plugin config); missing keys default.

    Contacts may be mappings or anything with the contact's attributes; headers a mapping; origins a list."""
    unknown = set(values) - _FIELDS
    if unknown:
        raise TypeError(f"not options of the selfhelp plugin: {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = dict(values)
    for name in CONTACT_FIELDS:
        if name in kwargs:
            kwargs[name] = _contact(kwargs[name])
    if "server_headers" in kwargs:
        kwargs["server_headers"] = tuple(dict(kwargs["server_headers"] or {}).items())
    if "messages" in kwargs:
        kwargs["messages"] = tuple(dict(kwargs["messages"] or {}).items())
    if "embedding_origins" in kwargs:
        kwargs["embedding_origins"] = tuple(kwargs["embedding_origins"] or ())
    return SiteOptions(**kwargs)


def _contact(value: object) -> ContactOptions:
    if isinstance(value, ContactOptions):
        return value
    if value is None:
        return ContactOptions()
    get = value.get if isinstance(value, Mapping) else lambda key, default: getattr(value, key, default)
    return ContactOptions(**{f.name: get(f.name, "") or "" for f in dataclasses.fields(ContactOptions)})
