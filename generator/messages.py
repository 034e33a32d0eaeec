"""Every word the generator writes, in the site's language (`theme.language`).

The catalogues are `generator/locales/<language>.json`: flat keys to strings, with
`{name}` placeholders, and plural forms as `{"one": ..., "other": ...}` (CLDR plural
categories, chosen by Babel for the templates and by `Intl.PluralRules` in the browser).
English is the fallback for a language without a catalogue and for a key a catalogue lacks;
the `messages:` option of the plugin replaces single strings (checked in `generator/engines/config.py`).

Templates call `t("key", name=value)` (a Jinja global); the browser scripts read the keys
starting with `js.`: each of our scripts is published with the messages its source names at its top
(`script_messages`), so a page loads the words of the scripts it runs, cached with them, precached by the
service worker and in the offline copy; `site.js`, which every page runs first, gives the scripts `selfhelpT`
and the page's language (`<html lang>`, which Material writes from `theme.language`).
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Union

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.plural import PluralRule
from markupsafe import Markup

LOCALES = Path(__file__).parent / "locales"
FALLBACK = "en"
BROWSER_PREFIX = "js."
"""Keys of what the worksheet scripts show: the words each script reads go into its JSON (`script_messages`); a
worksheet's toolbar, which the script puts in place from its page, is written by the page's template."""

PLURAL_RULES: dict[str, dict[str, str]] = {
    "de": {"one": "i in 1 and v in 0"},
    "en": {"one": "i in 1 and v in 0"},
    "es": {"many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "n in 1"},
    "fr": {"many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "i in 0..1"},
    "nl": {"one": "i in 1 and v in 0"},
}
"""CLDR's plural rules of the shipped catalogues' languages, as Babel has them (`tests/unit/test_messages.py`
checks they are equal): Babel reads a rule from the language's whole locale data, which would cost the
build's process 5 MB it keeps to the end. A catalogue without one here gets Babel's."""

Message = Union[str, dict[str, str]]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_QUOTED = re.compile(r"""["'`]([a-z_0-9]+(?:\.[a-z_0-9]+)*)["'`]""")
"""A quoted word or dotted key in a script's source: the message keys it may ask for."""


def _safe_json(data: object) -> Markup:
    """JSON that cannot end a `<script>` element it is put in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _script_text(json_text: str) -> str:
    """JSON as a JavaScript expression: U+2028 and U+2029 end a line in engines older than ES2019, so escaped."""
    return str(json_text).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def shipped_languages() -> list[str]:
    """The languages with a catalogue, English first."""
    names = sorted(path.stem for path in LOCALES.glob("*.json"))
    return [FALLBACK, *(name for name in names if name != FALLBACK)]


@cache
def catalogue(language: str) -> dict[str, Message]:
    """One language's catalogue as written (no fallback)."""
    path = LOCALES / f"{language}.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else {}


def keys() -> list[str]:
    """Every message key (the English catalogue has them all)."""
    return list(catalogue(FALLBACK))


def close_keys(key: str) -> list[str]:
    """Keys that look like a mistyped one, for "did you mean"."""
    return difflib.get_close_matches(key, keys(), n=3, cutoff=0.6)


@cache
def plural_rule(language: str) -> PluralRule:
    """CLDR's plural rule of a catalogue's language (`PLURAL_RULES`, else from Babel's locale data)."""
    rules = PLURAL_RULES.get(language)
    return PluralRule(rules) if rules is not None else Locale.parse(language).plural_form


def catalogue_language(language: str | None) -> str:
    """The catalogue for a `theme.language` ("de", "de-AT", "pt_BR"): itself, its base language, or English."""
    written = (language or FALLBACK).replace("_", "-")
    for candidate in (written, written.split("-")[0].lower()):
        if (LOCALES / f"{candidate}.json").is_file():
            return candidate
    return FALLBACK


class Messages:
    """The strings of one site: its language's catalogue over English, with the site's own overrides on top."""

    def __init__(self, language: str | None = FALLBACK, overrides: Mapping[str, str] | None = None) -> None:
        self.language = (language or FALLBACK).replace("_", "-")
        self.catalogue_language = catalogue_language(self.language)
        self.strings: dict[str, Message] = {**catalogue(FALLBACK), **catalogue(self.catalogue_language)}
        for key, value in (overrides or {}).items():
            self.strings[key] = value
        try:
            self.locale = Locale.parse(self.language, sep="-")
        except (UnknownLocaleError, ValueError):
            self.locale = Locale.parse(self.catalogue_language)

    def plural_form(self, count: int) -> str:
        """The CLDR plural category of a number in the language of the strings ("one", "other", ...)."""
        return str(plural_rule(self.catalogue_language)(abs(count)))

    def text(self, key: str, count: int | None = None, **values: object) -> str:
        """The message `key` with its `{name}` placeholders filled (and `{count}`, which picks the plural form)."""
        message = self.strings[key]
        if isinstance(message, dict):
            form = self.plural_form(count if count is not None else 0)
            message = message.get(form) or message["other"]
        if count is not None:
            values["count"] = count
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), message)

    __call__ = text

    def script_messages(self, source: str) -> str:
        """The `js.` messages a script's source names (each key quoted, `"status.saved_at"`), as a statement put at
        the top of the script as published, which adds them to the page's `selfhelpMessages`; "" for a script that
        names none. So a page loads the words of the scripts it runs, and a script loaded on first need brings
        its own."""
        found = self.browser_messages(source)
        if not found:
            return ""
        text = _script_text(_safe_json(found))
        return f"self.selfhelpMessages=Object.assign(self.selfhelpMessages||{{}},{text});\n"

    def browser_messages(self, used_in: str | None = None) -> dict[str, Message]:
        """The `js.` messages without their prefix: all, or those whose key `used_in` quotes."""
        found = {k[len(BROWSER_PREFIX) :]: v for k, v in self.strings.items() if k.startswith(BROWSER_PREFIX)}
        if used_in is None:
            return found
        quoted = set(_QUOTED.findall(used_in))
        return {k: v for k, v in found.items() if k in quoted}

    def css_page_numbers(self, css_string: Callable[[str], str]) -> str:
        """`pdf.page_of` ("Page {page} of {pages}") as a CSS `content` value with page counters."""
        parts = re.split(r"(\{pages?\})", self.text("pdf.page_of"))
        tokens = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
        return " ".join(tokens.get(part) or css_string(part) for part in parts if part)

    def format_date(self, date: datetime.date, format: str = "long") -> str:
        """A date in this language's words ("6. Dezember 2026"), for the PDFs."""
        return str(babel_format_date(date, format=format, locale=self.locale))


ENGLISH = Messages()
