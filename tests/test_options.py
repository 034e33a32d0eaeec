"""The plugin's options as the engine-free core takes them: `SelfhelpConfig.to_options()` and `options_from`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.engines.config import OPTION_KEYS, SelfhelpConfig
from generator.options import ContactOptions, SiteOptions, options_from


def checked(options: dict, tmp_path: Path) -> SelfhelpConfig:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    config = SelfhelpConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict(options)
    failed, _warnings = config.validate()
    assert failed == []
    return config


def test_every_option_has_a_typed_field_with_the_same_default(tmp_path: Path) -> None:
    assert {field.name for field in dataclasses.fields(SiteOptions)} == set(OPTION_KEYS)
    config = checked({}, tmp_path)
    config.fill_defaults(None)  # as on_config does: unset titles and the urgent sentence take the language's words
    defaults = config.to_options()
    assert defaults.cache_dir == str(tmp_path.resolve() / ".cache" / "selfhelp")
    assert dataclasses.replace(defaults, cache_dir=None) == SiteOptions()


def test_checked_values_reach_the_core_as_plain_frozen_values(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    options = checked(
        {
            "content_dir": "content",
            "organisation": "Acme Ltd.",
            "primary_colour": "#ABCDEF",
            "hr_contact": {"name": "HR", "email": " hr@example.com "},
            "server_headers": {"Strict-Transport-Security": "max-age=31536000"},
            "embedding_origins": ["https://Teams.Microsoft.com/", "https://teams.microsoft.com"],
            "offline_zip": False,
        },
        tmp_path,
    ).to_options()
    assert options.content_dir == str((tmp_path / "content").resolve())
    assert options.primary_colour == "#abcdef"
    assert options.hr_contact == ContactOptions(name="HR", email="hr@example.com")
    assert options.eap == ContactOptions()
    assert options.server_headers == (("Strict-Transport-Security", "max-age=31536000"),)
    assert options.embedding_origins == ("https://teams.microsoft.com",)
    assert options.offline_zip is False
    assert options.answers_id("Careers") == "acme-ltd/careers"
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.organisation = "Other"  # type: ignore[misc]
    hash(options)  # every value is immutable: contacts, headers and origins too


def test_options_from_a_mapping_refuses_a_name_that_is_no_option() -> None:
    assert options_from({"eap": {"name": "EAP", "phone": "0800 1"}}).eap == ContactOptions(name="EAP", phone="0800 1")
    with pytest.raises(TypeError, match="offline_zipp"):
        options_from({"offline_zipp": False})
