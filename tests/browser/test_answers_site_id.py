"""Answers are keyed by the site, not the folder: the build writes a site id (organisation and site
name, or `site_id`) into every page, so a copy unzipped anywhere finds the reader's answers, two
organisations' copies never share them, and answers saved under the old path keys are carried over."""

from __future__ import annotations

import json
import shutil

import pytest
from worksheet_helpers import SLEEP, legacy_key, open_sheet, put, record, stored, wait_stored

from generator.engines.config import site_id_of
from generator.products.offline_zip import zip_name

pytestmark = pytest.mark.browser


def test_the_site_id_comes_from_organisation_and_site_name_or_the_option():
    assert (
        site_id_of("", "Acme Ltd.", "Getting through a career setback") == "acme-ltd/getting-through-a-career-setback"
    )
    assert site_id_of("", "", "Sleep better") == "sleep-better"
    assert site_id_of("Wellbeing 2024", "Acme", "Renamed site") == "wellbeing-2024"
    assert site_id_of("", "Zürich Versicherung", "Schlaf besser") == "zürich-versicherung/schlaf-besser"
    assert site_id_of("", "", "!!!") == "site"
    assert not site_id_of("/one/", "", "x").startswith("/")  # never mistaken for an old path key


def test_the_zip_name_includes_the_organisation():
    assert (
        zip_name("Getting through a career setback", "Acme Ltd")
        == "acme-ltd-getting-through-a-career-setback-offline.zip"
    )
    assert zip_name("Getting through a career setback") == "getting-through-a-career-setback-offline.zip"
    assert zip_name("Sleep better", "Globex") != zip_name("Sleep better", "Initech")


def test_a_long_organisation_and_site_name_still_make_a_file_name():
    # A file name longer than 255 bytes cannot be created: the build used to stop with a traceback.
    long_site, long_name = "Help " * 60, "Example Care and Support Services " * 10
    name = zip_name(long_site, long_name)
    assert len(name) <= 100 and name.endswith("-offline.zip") and name.startswith("example-care-and-support")
    assert zip_name(long_site, long_name) != zip_name(long_site + "again", long_name)


def test_a_copy_in_another_folder_finds_the_answers_and_another_organisations_does_not(sites, page, tmp_path):
    # Two unzipped copies of one site (say, version 1 and version 2) and another organisation's copy.
    first, second, other = tmp_path / "v1" / "site", tmp_path / "Downloads" / "v2", tmp_path / "other-org"
    shutil.copytree(sites.www / "one", first)
    shutil.copytree(sites.www / "one", second)
    shutil.copytree(sites.www / "two", other)
    page.goto((first / "worksheets/sleep-diary/index.html").as_uri())
    page.locator(".shs-toolbar").wait_for()
    page.type("#shs-f-best-night", "typed in the first copy")
    page.locator(".shs-worksheet__status").filter(has_text="Saved on this device").wait_for()
    page.goto((second / "worksheets/sleep-diary/index.html").as_uri())
    page.locator(".shs-toolbar").wait_for()
    assert page.input_value("#shs-f-best-night") == "typed in the first copy"
    page.goto((other / "worksheets/sleep-diary/index.html").as_uri())
    page.locator(".shs-toolbar").wait_for()
    assert page.input_value("#shs-f-best-night") == ""
    assert page.console_errors == []


def test_answers_under_the_old_path_key_are_carried_over_and_the_old_key_removed(sites, page):
    page.goto(sites.one)
    old = record(SLEEP, {"best-night": "saved by the old version", "nights": [{"notes": "old row"}]})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [legacy_key(sites.one, SLEEP), json.dumps(old)])
    open_sheet(page, sites.one)
    assert page.input_value("#shs-f-best-night") == "saved by the old version"
    assert page.input_value("#shs-f-nights-1-notes") == "old row"
    migrated = stored(page, sites.one, SLEEP)
    assert migrated["format"] == 2 and migrated["answers"] == old["answers"]
    assert page.evaluate("k => localStorage.getItem(k)", legacy_key(sites.one, SLEEP)) is None
    # "My worksheets" carries them over too, for worksheets not opened yet.
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [legacy_key(sites.one, "wake-plan"), json.dumps(record("wake-plan", {"wake-time": "7:00"}, version=1))],
    )
    page.goto(sites.one + "worksheets/")
    page.locator("[data-shs-worksheet-id=wake-plan]", has_text="1 of 1 answered").wait_for()
    assert page.evaluate("k => localStorage.getItem(k)", legacy_key(sites.one, "wake-plan")) is None
    assert page.console_errors == []


def test_an_old_record_and_a_new_one_are_merged_field_by_field(sites, page):
    page.goto(sites.one)
    put(
        page,
        sites.one,
        SLEEP,
        {**record(SLEEP, {"best-night": "newer, in the new record"}), "savedAt": "2025-06-01T10:00:00.000Z"},
    )
    old = {
        **record(SLEEP, {"best-night": "older", "thoughts": "only in the old record"}),
        "savedAt": "2025-01-01T10:00:00.000Z",
    }
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [legacy_key(sites.one, SLEEP), json.dumps(old)])
    open_sheet(page, sites.one)
    assert page.input_value("#shs-f-best-night") == "newer, in the new record"
    assert page.input_value("#shs-f-thoughts") == "only in the old record"
    assert page.locator("[data-shs-field=best-night] .shs-other__text").text_content() == "older"
    merged = wait_stored(page, sites.one, SLEEP, "a.thoughts === 'only in the old record'")
    assert merged["others"]["best-night"]["value"] == "older"


def test_an_unreadable_old_record_is_left_alone(sites, page):
    page.goto(sites.one)
    page.evaluate("k => localStorage.setItem(k, '{not json')", legacy_key(sites.one, SLEEP))
    open_sheet(page, sites.one)
    assert page.evaluate("k => localStorage.getItem(k)", legacy_key(sites.one, SLEEP)) == "{not json"
    assert stored(page, sites.one, SLEEP) is None
    assert page.console_errors == []


def test_on_disk_answers_an_older_copy_left_in_another_folder_are_offered(sites, page, tmp_path):
    # Older versions kept answers under the folder they were opened from; a newer copy unzipped
    # elsewhere (its name now has the organisation in it) offers them, and takes them only if asked.
    new_copy = tmp_path / "new" / "second-org-sleep-better-offline"
    shutil.copytree(sites.www / "one", new_copy)
    sheet = (new_copy / "worksheets/sleep-diary/index.html").as_uri()
    old_folder = (tmp_path / "Downloads" / "sleep-better-offline").as_posix() + "/"
    old = json.dumps(record(SLEEP, {"best-night": "saved by the old copy"}))
    page.goto(sheet)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [f"selfhelp:{old_folder}:worksheet:{SLEEP}", old])
    page.reload()
    offer = page.locator(".shs-remind", has_text="older copy")
    offer.wait_for()
    assert old_folder in offer.text_content()
    assert page.input_value("#shs-f-best-night") == ""  # nothing taken unasked
    offer.locator("text=Bring them here").click()
    assert page.input_value("#shs-f-best-night") == "saved by the old copy"
    assert page.evaluate("k => localStorage.getItem(k)", f"selfhelp:{old_folder}:worksheet:{SLEEP}") is None
    assert page.locator(".shs-notice", has_text="older copy").count() == 1  # with Undo

    # Another organisation's old copy, say: "Not mine" is remembered, and its answers are left alone.
    other_folder = (tmp_path / "Downloads" / "someone-else").as_posix() + "/"
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [f"selfhelp:{other_folder}:worksheet:{SLEEP}", old])
    page.reload()
    offer = page.locator(".shs-remind", has_text=other_folder)
    offer.wait_for()
    offer.locator("text=Not mine").click()
    page.reload()
    page.locator(".shs-toolbar").wait_for()
    page.evaluate("() => new Promise((done) => setTimeout(done))")
    assert page.locator(".shs-remind").count() == 0
    assert page.evaluate("k => localStorage.getItem(k)", f"selfhelp:{other_folder}:worksheet:{SLEEP}") == old
    assert page.console_errors == []
