"""Typed options of the `selfhelp` plugin, declared once with MkDocs' config_options.

`SelfhelpConfig.to_options()` hands the checked values to the engine-free core
as an `options.SiteOptions`.

Every option has a default that builds the shipped site, so a plain
`plugins: [selfhelp]` works. Every wrong option is an error that says what is
wrong and how to fix it in plain words (the plugin's `load_config` adds the
`mkdocs.yml` line from `OptionLines`), and every option is checked, not just
the first wrong one. Values are text unless documented otherwise, and a value
YAML reads as something else (`phone: 116123` is a number) asks for quotes.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import messages as catalogues
from ..content.file_kinds import KIND_NAMES, sniff, svg_problem
from ..content.limits import MAX_LOGO_BYTES
from ..content.yaml_source import compose_lines
from ..options import DEFAULT_URGENT_NOTE, SiteOptions, options_from, site_id_of, slug  # noqa: F401 - also from here
from ..products.csp import frame_ancestor, frame_ancestor_problem
from ..products.security_headers import header_problem
from ..site_paths import CACHE_DIR

LOGO_KINDS = (".png", ".svg", ".jpg", ".webp")
"""What a logo may be, judged by its content."""


class OptionError(ValidationError):
    """What is wrong with one option and how to fix it; `sub_key` is the contact key it is about, if any."""

    def __init__(self, message: str, sub_key: str | None = None, unknown: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.sub_key = sub_key
        self.unknown = unknown
        """True for a key that is not an option (a typo, or a comma inside `{ }`)."""


class ContactProblems(ValidationError):
    """Every problem of one contact (`urgent_help`, `hr_contact`, `eap`)."""

    def __init__(self, problems: list[OptionError]) -> None:
        super().__init__("\n".join(problem.message for problem in problems))
        self.problems = problems


def _reads_as(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return "something else than text"


def _written(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


class _CollectingConfig(base.Config):
    """A Config that checks every option instead of stopping at the first wrong one (as MkDocs does)."""

    def _validate(self) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        failed: list[tuple[str, Exception]] = []
        warnings: list[tuple[str, str]] = []
        for key, option in self._schema:
            try:
                self[key] = option.validate(self.get(key))
                warnings.extend((key, warning) for warning in option.warnings)
                option.reset_warnings()
            except ValidationError as error:
                failed.append((key, error))
        for key in set(self.keys()) - {key for key, _ in self._schema}:
            warnings.append((key, f"Unrecognised configuration name: {key}"))
        return failed, warnings


class Text(c.BaseConfigOption[str]):
    """Text, written in quotes when YAML would read it as something else."""

    def __init__(self, default: str = "", noun: str = "the value", not_empty: bool = False, message: str = "") -> None:
        super().__init__()
        self.default = None if message else default  # unset: MkDocs hands run_validation None
        self.noun = noun
        self.not_empty = not_empty
        self.message = message
        """The catalogue key whose text, in the site's language, is the default (`generator/messages.py`)."""

    def run_validation(self, value: object) -> str:
        if value is None and self.message:
            return ""  # The plugin puts in the catalogue's text for the site's language.
        if value is None:
            value = self.default
        if isinstance(value, (list, tuple, dict)):
            raise OptionError(f"{self._name} must be text, not {_reads_as(value)}")
        if not isinstance(value, str):
            raise OptionError(
                f"{self._name} {_written(value)} is read by YAML as {_reads_as(value)}: "
                f'write {self.noun} in quotes: {self._name}: "{_written(value)}"'
            )
        if self.not_empty and not value.strip():
            raise OptionError(f"{self._name} is empty: write {self.noun}, or delete the line to use the default")
        return value


class Phone(Text):
    """A phone number, shown as written and dialled from a phone."""

    _NUMBER = re.compile(r"^[0-9+()./ -]+$")

    def __init__(self) -> None:
        super().__init__(noun="the phone number")

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if text and (not self._NUMBER.match(text) or sum(ch.isdigit() for ch in text) < 3):
            raise OptionError(
                f"phone '{text}' is not a phone number: write only the number (digits, spaces and + - ( ) .), "
                "and put words such as opening hours in 'note'"
            )
        return text


class Email(Text):
    """An email address, shown and linked with mailto:."""

    _ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"'\\?&=]+@[^@\s<>()\[\],;:\"'\\?&=]+\.[^@\s<>()\[\],;:\"'\\?&=]+$")

    def __init__(self) -> None:
        super().__init__(noun="the email address")

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if text and not self._ADDRESS.match(text.strip()):
            raise OptionError(f"email '{text}' is not an email address: write it like hr@example.com")
        return text.strip()


class WebAddress(Text):
    """A web page's address: http or https only (never javascript:, data: or file:)."""

    def __init__(self) -> None:
        super().__init__(noun="the address")

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value).strip()
        if not text:
            return text
        parts = urlsplit(text)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s\x00-\x1f]", text):
            raise OptionError(
                f"url '{text}' is not a web address: write the whole address, starting with https:// "
                "(like https://intranet.example/hr)"
            )
        return text


class Flag(c.BaseConfigOption[bool]):
    """true or false."""

    def __init__(self, default: bool) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> bool:
        if value is None:
            return bool(self.default)
        if not isinstance(value, bool):
            raise OptionError(f"{self._name} must be true or false, not '{_written(value)}'")
        return value


class Colour(c.BaseConfigOption[str]):
    """A CSS hex colour such as `#1f5f66` (or the short form `#1f6`)."""

    _HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str:
        if value is None:
            return str(self.default)
        text = _written(value).strip()
        if not isinstance(value, str) or not self._HEX.match(text):
            raise OptionError(
                f"{self._name} '{text}' is not a colour: write a hex colour in quotes, "
                f'like {self._name}: "{self.default}"'
            )
        return text.lower()


class MessageOverrides(c.BaseConfigOption[dict]):
    """Single strings of the catalogue replaced: `{key: text}`, a plural message as `{key: {one: ..., other: ...}}`."""

    def run_validation(self, value: object) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise OptionError(f"{self._name} must be 'key: text' lines under it, not {_reads_as(value)}")
        problems: list[OptionError] = []
        known = catalogues.keys()
        for key, text in value.items():
            key = str(key)
            if key not in known:
                guesses = catalogues.close_keys(key)
                hint = (
                    f"did you mean {' or '.join(repr(g) for g in guesses)}?"
                    if guesses
                    else "the keys are those of generator/locales/en.json"
                )
                problems.append(OptionError(f"unknown message '{key}' in {self._name}: {hint}", sub_key=key, unknown=True))
                continue
            plural = isinstance(catalogues.catalogue(catalogues.FALLBACK)[key], dict)
            if plural and isinstance(text, dict):
                if "other" not in text or not all(isinstance(v, str) for v in text.values()):
                    problems.append(
                        OptionError(f"'{key}' needs text for each plural form, at least 'other'", sub_key=key)
                    )
            elif not isinstance(text, str):
                problems.append(
                    OptionError(
                        f"'{key}' must be text, not {_reads_as(text)}: write it in quotes: {key}: \"...\"", sub_key=key
                    )
                )
        if problems:
            raise ContactProblems(problems)
        return {str(k): v for k, v in value.items()}


class Processes(c.BaseConfigOption[int]):
    """How many processes may work at once: a whole number, 1 or more; not set, every core of the machine."""

    def run_validation(self, value: object) -> int:
        cores = os.cpu_count() or 1
        if value is None:
            return cores
        fix = (
            f"write a whole number of processes, like {self._name}: 2 (1 renders in the build's own process), "
            f"or delete the line to use every core ({cores} here)"
        )
        if isinstance(value, bool) or not isinstance(value, int):
            raise OptionError(f"{self._name} '{_written(value)}' is not a number of processes: {fix}")
        if value < 1:
            raise OptionError(f"{self._name} {value} is less than one process: {fix}")
        return value


class CacheFolder(c.BaseConfigOption[str]):
    """A folder for what a build may reuse, relative to mkdocs.yml (or absolute); made when missing."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default
        self.project_dir: Path | None = None

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        self.project_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent

    def run_validation(self, value: object) -> str:
        if value is None:
            value = self.default
        if not isinstance(value, str) or not value.strip():
            raise OptionError(
                f"{self._name} must be the path of a folder from the folder of mkdocs.yml, in quotes, "
                f'like {self._name}: "{self.default}", or delete the line to use that default'
            )
        path = (self.project_dir or Path.cwd()) / value.strip()
        if path.exists() and not path.is_dir():
            raise OptionError(
                f"{self._name} '{value}' is a file, not a folder: write the path of a folder "
                f"(it is made when missing), like {self._name}: \"{self.default}\""
            )
        return str(path.resolve())


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


class ProjectPath(c.BaseConfigOption[str]):
    """A path relative to mkdocs.yml that must stay inside the project folder."""

    def __init__(self, noun: str) -> None:
        super().__init__()
        self.noun = noun
        self.project_dir: Path | None = None

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        self.project_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent

    def resolve(self, value: object) -> tuple[str, Path]:
        if not isinstance(value, str) or not value.strip():
            raise OptionError(f"{self._name} must be the path of {self.noun} from the folder of mkdocs.yml, in quotes")
        project = self.project_dir or Path.cwd()
        path = (project / value.strip()).resolve()
        if not path.is_relative_to(project):
            raise OptionError(
                f"{self._name} '{value}' is outside the project folder, and nothing from outside it is ever "
                f"published: copy {self.noun} into the project (next to mkdocs.yml, say) and write its path from there"
            )
        if not path.exists():
            raise OptionError(
                f"{self._name} '{value}' does not exist: write the path of {self.noun} from the folder of mkdocs.yml"
            )
        return value, path


class ContentFolder(ProjectPath):
    """The content folder: a folder inside the project."""

    def __init__(self) -> None:
        super().__init__("the content folder")

    def run_validation(self, value: object) -> str | None:  # type: ignore[override]
        if value is None:
            return None
        written, path = self.resolve(value)
        if not path.is_dir():
            raise OptionError(f"content_dir '{written}' is a file, not a folder: write the path of the content folder")
        return str(path)


class Logo(ProjectPath):
    """A PNG, SVG, JPEG or WebP image inside the project folder, judged by its content; a safe SVG only."""

    def __init__(self) -> None:
        super().__init__("the logo image")

    def run_validation(self, value: object) -> str | None:  # type: ignore[override]
        if value is None:
            return None
        written, path = self.resolve(value)
        if not path.is_file():
            raise OptionError(f"logo '{written}' is a folder, not an image file: write the path of the image")
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise OptionError(
                f"logo '{written}' is {size // 1024} KB, more than the {MAX_LOGO_BYTES // 1024} KB allowed "
                "(it is on every page): make the image smaller"
            )
        data = path.read_bytes()
        kind = sniff(data)
        if kind not in LOGO_KINDS:
            what = f"it is {KIND_NAMES[kind]}" if kind else "it is not an image"
            raise OptionError(
                f"logo '{written}' is not a PNG, SVG, JPEG or WebP image ({what}): "
                "export the logo in one of those formats"
            )
        if kind == ".svg":
            problem = svg_problem(data)
            if problem:
                raise OptionError(
                    f"logo '{written}' cannot be published: {problem}; export it again as a plain SVG without it, "
                    "or use a PNG"
                )
        return str(path)


class ContactConfig(_CollectingConfig):
    """One way to get help: a name, how to reach it, and when to use it."""

    name = Text(noun="the name")
    """Who or what this is ("HR team", "Employee Assistance Programme")."""
    phone = Phone()
    """A phone number, shown as written and dialled on a phone."""
    email = Email()
    """An email address."""
    url = WebAddress()
    """A web page (an intranet page, usually): https:// or http:// only."""
    note = Text(noun="the note")
    """A short line on when to use it or when it is open."""


CONTACT_KEYS = tuple(name for name, _ in ContactConfig._schema)


class Contact(c.SubConfig[ContactConfig]):
    """A contact's keys, every problem reported (MkDocs' SubConfig reports the first one only)."""

    def run_validation(self, value: object) -> ContactConfig:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise OptionError(
                f"{self._name} must be 'key: value' lines under it ({', '.join(CONTACT_KEYS)}), not {_reads_as(value)}"
            )
        problems: list[OptionError] = []
        for key in value:
            if key not in CONTACT_KEYS:
                guess = difflib.get_close_matches(str(key), CONTACT_KEYS, n=1)
                hint = f"did you mean '{guess[0]}'?" if guess else f"the keys are {', '.join(CONTACT_KEYS)}"
                problems.append(
                    OptionError(f"unknown key '{key}' in {self._name}: {hint}", sub_key=str(key), unknown=True)
                )
        config = ContactConfig(config_file_path=self._config_file_path)
        config.load_dict({key: item for key, item in value.items() if key in CONTACT_KEYS})
        failed, _warnings = config.validate()
        for key, error in failed:
            message = error.message if isinstance(error, OptionError) else str(error)
            problems.append(OptionError(message, sub_key=key))
        if problems:
            raise ContactProblems(problems)
        return config


class SelfhelpConfig(_CollectingConfig):
    """Options of the selfhelp plugin (`plugins: - selfhelp: ...` in mkdocs.yml)."""

    enabled = Flag(default=True)
    """Turn the plugin off (the site then has only what MkDocs finds in `docs_dir`)."""

    content_dir = ContentFolder()
    """Folder of guides, situations, pages, worksheets and files, inside the project; defaults to `docs_dir`."""

    organisation = Text(noun="the name")
    """The organisation's name, shown in the footer and on printed worksheets."""

    site_id = Text(noun="the site id")
    """The name readers' answers are saved under in their browsers. Empty: made from `organisation` and
    `site_name`. Set it to the old id before renaming the site, so readers keep their answers."""

    def answers_id(self, site_name: str) -> str:
        """The site id the build writes into every page (see `site_id_of`)."""
        return site_id_of(self.site_id, self.organisation, site_name)

    def to_options(self) -> SiteOptions:
        """The checked options as the engine-free core takes them (`options.SiteOptions`)."""
        return options_from({name: self[name] for name, _ in self._schema})

    logo = Logo()
    """A PNG, SVG, JPEG or WebP image inside the project (path relative to mkdocs.yml), shown in the header and on
    printed worksheets. Judged by its content; an SVG with scripts or links to other files is refused."""

    primary_colour = Colour(default="#1f5f66")
    """The header and link colour. Dark enough for white text on it and for links on white (WCAG AA)."""

    accent_colour = Colour(default="#a33b20")
    """The colour of focused and hovered controls."""

    urgent_help = Contact()
    """The urgent-help line shown on every page. Empty: a neutral default note is shown."""

    urgent_note = Text(noun="the sentence", not_empty=True, message="urgent.note")
    """The sentence shown on every page above the urgent-help contact. Default: a neutral sentence in the site's
    language (message `urgent.note`)."""

    hr_contact = Contact()
    """Your HR team."""

    eap = Contact()
    """Your Employee Assistance Programme (confidential counselling)."""

    service_worker = Flag(default=True)
    """Cache the site in readers' browsers so it works offline after one visit (needs https or localhost).
    Switching it off also clears what earlier builds cached."""

    pdf_pack = Flag(default=True)
    """Write `pdf/worksheets.pdf` (every blank worksheet, with a cover) and `pdf/<worksheet>.pdf`."""

    pdf_on_serve = Flag(default=False)
    """Render the PDFs under `mkdocs serve` too. Off by default: a preview builds faster without them, and
    its PDF links answer "not found" until a `mkdocs build`. On: an edit re-renders only the PDFs it changes."""

    concurrency = Processes()
    """How many processes render the PDFs at once: a whole number, 1 or more (1 renders them in the build's own
    process). Not set: every core of the machine."""

    cache_dir = CacheFolder(default=CACHE_DIR)
    """Where PDFs are kept between builds, by a hash of everything that shapes them, so an unchanged worksheet
    is never rendered twice (its `pdf/` subfolder); relative to mkdocs.yml. Keep it between CI runs to make them
    faster; deleting it is always safe."""

    offline_zip = Flag(default=True)
    """Write `offline/<site>-offline.zip`: a copy of the site that opens from disk."""

    server_config = Flag(default=True)
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

    situations_title = Text(noun="the title", not_empty=True, message="nav.situations")
    """Navigation title of the situations section (default: "What happened?" in the site's language)."""

    worksheets_title = Text(noun="the title", not_empty=True, message="nav.worksheets")
    """Navigation title of the worksheets section and its overview page (default: "My worksheets" in the site's
    language)."""

    privacy_title = Text(noun="the title", not_empty=True, message="nav.privacy")
    """Title of the privacy page (default: "Your privacy" in the site's language)."""

    messages = MessageOverrides()
    """Single strings of the site's language replaced, by key (`generator/locales/en.json` lists every key):
    `{"js.button.export": "Save a copy"}`. A plural message takes `{one: ..., other: ...}`."""

    def fill_defaults(self, language: str | None) -> catalogues.Messages:
        """The site's messages; options left unset get their text in the site's language."""
        found = catalogues.Messages(language, self.messages)
        for name, option in self._schema:
            if isinstance(option, Text) and option.message and not self[name]:
                self[name] = found.text(option.message)
        return found


OPTION_KEYS = tuple(name for name, _ in SelfhelpConfig._schema)
CONTACT_OPTIONS = tuple(name for name, option in SelfhelpConfig._schema if isinstance(option, Contact))


class OptionLines:
    """Where the selfhelp plugin's options are written in mkdocs.yml, so that errors can name the line."""

    def __init__(self, config_file_path: str | None) -> None:
        self.name = os.path.basename(config_file_path) if config_file_path else "mkdocs.yml"
        self.text_lines: list[str] = []
        self.plugin_line = 1
        self.options: MappingNode | None = None
        if not config_file_path:
            return
        try:
            text = Path(config_file_path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return
        self.text_lines = text.splitlines()
        self._find_options(compose_lines(text))

    def _find_options(self, root: Node | None) -> None:
        plugins = _value_of(root, "plugins")
        items = plugins.value if isinstance(plugins, SequenceNode) else [plugins] if plugins is not None else []
        for item in items:
            if isinstance(item, ScalarNode) and item.value == "selfhelp":
                self.plugin_line = item.start_mark.line + 1
            elif isinstance(item, MappingNode):
                for key_node, value_node in item.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == "selfhelp":
                        self.plugin_line = key_node.start_mark.line + 1
                        if isinstance(value_node, MappingNode):
                            self.options = value_node

    def _key_node(self, mapping: Node | None, key: str) -> tuple[Node, Node] | None:
        if isinstance(mapping, MappingNode):
            for key_node, value_node in mapping.value:
                if isinstance(key_node, ScalarNode) and key_node.value == key:
                    return key_node, value_node
        return None

    def line(self, key: str, sub_key: str | None = None) -> int:
        """The line of an option (or of a contact's key), else the closest line known."""
        found = self._key_node(self.options, key)
        if found is None:
            return self.plugin_line
        if sub_key is not None:
            inner = self._key_node(found[1], sub_key)
            if inner is not None:
                return int(inner[0].start_mark.line) + 1
        return int(found[0].start_mark.line) + 1

    def in_braces(self, key: str) -> bool:
        """True when a contact is written on one line in `{ }` (flow style), where a comma ends a value."""
        found = self._key_node(self.options, key)
        return found is not None and isinstance(found[1], MappingNode) and bool(found[1].flow_style)

    def comment_after(self, line: int, key: str) -> str | None:
        """The text after `key:` on a line when it starts with '#' (YAML read it as a comment), else None."""
        if not 0 < line <= len(self.text_lines):
            return None
        match = re.search(rf"(?:^|[\s{{,]){re.escape(key)}\s*:\s+(#.*)$", self.text_lines[line - 1])
        return match.group(1).strip() if match else None


def _value_of(mapping: Node | None, key: str) -> Node | None:
    if isinstance(mapping, MappingNode):
        for key_node, value_node in mapping.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return value_node
    return None


def option_problems(
    options: dict[str, Any], errors: list[tuple[str, Exception]], warnings: list[tuple[str, str]], lines: OptionLines
) -> list[tuple[str, str]]:
    """Every problem with the plugin's options as `(option, "mkdocs.yml:LINE: what is wrong: how to fix it")`."""
    found: list[tuple[str, int, str]] = []

    def commented(key: str, value: object, sub_key: str | None = None) -> bool:
        name = sub_key or key
        if value is not None:
            return False
        line = lines.line(key, sub_key)
        comment = lines.comment_after(line, name)
        if comment is None:
            return False
        noun = "the colour" if name.endswith("colour") else "the value"
        found.append(
            (
                key,
                line,
                f"{name} has no value, because YAML reads everything after '#' as a comment: "
                f'put {noun} in quotes: {name}: "{comment}"',
            )
        )
        return True

    for key, value in options.items():
        commented(key, value)
        if key in CONTACT_OPTIONS and isinstance(value, dict):
            for sub_key, sub_value in value.items():
                commented(key, sub_value, str(sub_key))
    for key, error in errors:
        problems = error.problems if isinstance(error, ContactProblems) else [error]
        for problem in problems:
            sub_key = getattr(problem, "sub_key", None)
            message = problem.message if isinstance(problem, OptionError) else str(problem)
            contact = options.get(key)
            split_by_comma = isinstance(contact, dict) and sub_key in contact and contact[sub_key] is None
            if isinstance(problem, OptionError) and problem.unknown and split_by_comma and lines.in_braces(key):
                message = (
                    f"{key} is written on one line in {{ }}, where a comma ends a value, so '{sub_key}' became a key "
                    f"of its own: write {key} in block style, one key per line under '{key}:', "
                    "with each value in quotes"
                )
            elif sub_key is not None and not getattr(problem, "unknown", False):
                message = f"{key}: {message}"
            found.append((key, lines.line(key, sub_key), message))
    for key, _message in warnings:
        guess = difflib.get_close_matches(key, OPTION_KEYS, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"the options are {', '.join(OPTION_KEYS)}"
        found.append((key, lines.line(key), f"unknown option '{key}' for the selfhelp plugin: {hint}"))
    found.sort(key=lambda item: item[1])
    return list(dict.fromkeys((key, f"{lines.name}:{line}: {message}") for key, line, message in found))
