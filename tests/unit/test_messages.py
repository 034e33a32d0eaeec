"""messages: every catalogue complete, every key used, placeholders and plural forms right, overrides checked."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale

from generator import messages
from generator.engines.config import SelfhelpConfig

GENERATOR = Path(messages.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")
ENGLISH = messages.catalogue("en")
OTHER_LANGUAGES = [lang for lang in messages.shipped_languages() if lang != "en"]
ALSO_ALLOWED = {"item": {"item_lower"}}
"""Placeholders a translation may use instead of the English one (German nouns keep their capital)."""


def test_the_shipped_languages() -> None:
    assert messages.shipped_languages() == ["en", "de", "es", "fr", "nl"]


def test_every_catalogue_is_json_of_strings_and_plural_forms() -> None:
    for lang in messages.shipped_languages():
        data = json.loads((messages.LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
        for key, value in data.items():
            assert isinstance(value, str) or (
                isinstance(value, dict) and "other" in value and all(isinstance(v, str) for v in value.values())
            ), (lang, key)
            assert value, (lang, key)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_no_key_is_missing_or_extra(lang: str) -> None:
    found = messages.catalogue(lang)
    assert sorted(set(ENGLISH) - set(found)) == [], f"{lang}.json lacks these keys"
    assert sorted(set(found) - set(ENGLISH)) == [], f"{lang}.json has keys English does not"


def _forms(value: messages.Message) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def _placeholders(value: messages.Message) -> set[str]:
    return {name for text in _forms(value) for name in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_translations_use_only_the_placeholders_the_code_fills(lang: str) -> None:
    for key, value in messages.catalogue(lang).items():
        english = _placeholders(ENGLISH[key]) | {"count"} if isinstance(ENGLISH[key], dict) else _placeholders(ENGLISH[key])
        allowed = english | {alt for name, alts in ALSO_ALLOWED.items() if alts & english for alt in [name]}
        assert _placeholders(value) <= allowed, (lang, key)


@pytest.mark.parametrize("lang", messages.shipped_languages())
def test_plural_messages_have_the_languages_forms(lang: str) -> None:
    """Each plural message has every CLDR category the language uses for whole numbers ("many" falls back to "other")."""
    needed = set(Locale.parse(lang).plural_form.tags) - {"many"} | {"other"}
    for key, value in messages.catalogue(lang).items():
        assert isinstance(value, dict) == isinstance(ENGLISH[key], dict), (lang, key)
        if isinstance(value, dict):
            assert needed <= set(value), (lang, key, needed - set(value))


def _sources() -> str:
    files = [p for p in GENERATOR.rglob("*") if p.suffix in {".py", ".html", ".j2", ".js"} and p.is_file()]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_key_is_used_somewhere() -> None:
    text = _sources()
    unused = []
    for key in ENGLISH:
        short = key[len(messages.BROWSER_PREFIX) :] if key.startswith(messages.BROWSER_PREFIX) else None
        quoted = [f'"{key}"']
        if short:
            quoted.append(f'"{short}"')
        if not any(q in text for q in quoted):
            unused.append(key)
    assert unused == []


def test_every_key_the_code_asks_for_exists() -> None:
    """t("...") in templates and Python, T("...") and selfhelpT("...") in the scripts."""
    text = _sources()
    key = r"([a-z_0-9]+(?:\.[a-z_0-9]+)+)"
    asked = set(re.findall(r'\bt\("' + key + '"', text)) | set(re.findall(r'messages\.text\("' + key + '"', text))
    asked |= {"js." + k for k in re.findall(r'\b(?:T|selfhelpT)\("' + key + '"', text)}
    asked |= {"js." + k for pair in re.findall(r'T\([a-z.]+ \? "' + key + '" : "' + key + '"', text) for k in pair}
    assert asked and sorted(asked - set(ENGLISH)) == []


def test_plural_forms_and_placeholders_are_filled() -> None:
    de = messages.Messages("de")
    assert de.text("pdf.cover.pages", count=1) == "1 Seite"
    assert de.text("pdf.cover.pages", count=3) == "3 Seiten"
    assert messages.Messages("fr").text("pdf.cover.pages", count=0) == "0 page"  # French: 0 is singular
    assert de.text("step.position", number=1, total=2) == "Schritt 1 von 2 in"


@pytest.mark.parametrize("lang", messages.shipped_languages())
def test_each_shipped_language_has_cldrs_plural_rule_as_babel_has_it(lang: str) -> None:
    assert messages.PLURAL_RULES.get(lang) == Locale.parse(lang).plural_form.rules, (
        f"set messages.PLURAL_RULES[{lang!r}] = {Locale.parse(lang).plural_form.rules!r}"
    )
    rule = messages.plural_rule(lang)
    for count in (0, 1, 2, 5, 21, 1_000_000):
        assert rule(count) == Locale.parse(lang).plural_form(count)


def test_plural_forms_follow_the_language_of_the_strings_shown() -> None:
    """A site in a language without a catalogue shows English strings, so English picks the form."""
    portuguese = messages.Messages("pt")
    assert portuguese.text("pdf.cover.pages", count=0) == messages.ENGLISH.text("pdf.cover.pages", count=0)
    assert portuguese.plural_form(0) == "other"


def test_the_build_process_never_loads_babels_locale_data_for_a_shipped_language() -> None:
    code = (
        "import sys\n"
        "from generator.messages import Messages\n"
        "m = Messages('fr')\n"
        "assert m.text('pdf.cover.pages', count=0) == '0 page'\n"
        "import babel.localedata\n"
        "assert not babel.localedata._cache, list(babel.localedata._cache)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_regional_language_takes_its_base_catalogue_and_an_unknown_one_english() -> None:
    assert messages.Messages("de-AT").text("paper.date") == "Datum"
    assert messages.Messages("de_CH").catalogue_language == "de"
    assert messages.Messages("ja").text("paper.date") == "Date"
    assert messages.Messages("ja").language == "ja"


def test_overrides_replace_single_strings() -> None:
    found = messages.Messages("de", {"js.button.export": "Kopie speichern"})
    assert found.text("js.button.export") == "Kopie speichern"
    assert '"button.export":"Kopie speichern"' in found.script_messages('T("button.export")')


def test_a_scripts_messages_cannot_close_its_script_element() -> None:
    found = messages.Messages("en", {"js.button.export": "</script><script>alert(1)</script>"})
    text = found.script_messages('T("button.export")')
    assert "</" not in text and "<" not in text
    assert json.loads(text.partition("{},")[2][: -len(");\n")])["button.export"].startswith("</script>")


def test_page_numbers_become_css_counters() -> None:
    def css(text: str) -> str:
        return json.dumps(text)

    assert messages.Messages("de").css_page_numbers(css) == '"Seite " counter(page) " von " counter(pages)'


def test_dates_in_the_language() -> None:
    import datetime

    assert messages.Messages("de").format_date(datetime.date(2026, 12, 6)) == "6. Dezember 2026"


def _load(options: dict) -> tuple[list, SelfhelpConfig]:
    config = SelfhelpConfig()
    config.load_dict(options)
    failed, _ = config.validate()
    return failed, config


def test_an_unknown_message_key_is_named_with_close_keys() -> None:
    failed, _ = _load({"messages": {"js.button.exprt": "Save"}})
    (key, error), = failed
    assert key == "messages"
    assert "unknown message 'js.button.exprt'" in str(error) and "'js.button.export'" in str(error)


def test_a_message_must_be_text() -> None:
    failed, _ = _load({"messages": {"paper.date": 12}})
    assert failed and "in quotes" in str(failed[0][1])


def test_titles_and_the_urgent_note_default_to_the_sites_language() -> None:
    failed, config = _load({})
    assert not failed
    config.fill_defaults("de")
    assert config.privacy_title == "Ihre Privatsphäre" and config.worksheets_title == "Meine Arbeitsblätter"
    failed, config = _load({"privacy_title": "Datenschutz"})
    config.fill_defaults("de")
    assert config.privacy_title == "Datenschutz"


def test_a_wrong_message_names_its_mkdocs_yml_line(tmp_path: Path) -> None:
    from generator.engines.plugin import SelfhelpPlugin

    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        "site_name: x\nplugins:\n  - selfhelp:\n      messages:\n        js.button.exprt: Kopie\n        paper.date: 12\n",
        encoding="utf-8",
    )
    options = {"messages": {"js.button.exprt": "Kopie", "paper.date": 12}}
    errors, _ = SelfhelpPlugin().load_config(options, str(config_file))
    texts = [str(error) for _, error in errors]
    assert any(t.startswith("mkdocs.yml:5: unknown message 'js.button.exprt'") and "'js.button.export'" in t for t in texts)
    assert any(t.startswith("mkdocs.yml:6: messages: 'paper.date' must be text") for t in texts)


def test_a_script_carries_the_messages_it_names_in_the_sites_language() -> None:
    found = messages.Messages("de").script_messages('T("button.print"); T(x ? "quote" : \'status.saved_at\'); "status"')
    prefix, _, rest = found.partition("{},")
    assert prefix == "self.selfhelpMessages=Object.assign(self.selfhelpMessages||" and found.endswith(");\n")
    assert json.loads(rest[: -len(");\n")]) == {
        key: messages.Messages("de").text("js." + key) for key in ("button.print", "quote", "status.saved_at")
    }
    assert messages.Messages("de").script_messages("var none = 1;") == ""
    unsafe = messages.Messages("en", {"js.button.print": "</script>\u2028"}).script_messages('"button.print"')
    assert "<" not in unsafe and "\u2028" not in unsafe
