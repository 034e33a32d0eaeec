"""Bad content stops `selfhelp check` and `mkdocs build` with one clear line per problem: file, line, fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.content.loader import ContentError, load_content

from .conftest import build_site, copy_pack, edit, parse


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid copy of the sleep-pack fixture project, ready to break."""
    return copy_pack("sleep-pack", tmp_path / "project")


def problems_of(project: Path) -> list[str]:
    """The problem lines `load_content` reports for the project's content."""
    with pytest.raises(ContentError) as caught:
        load_content(project / "content", project)
    return [str(p) for p in caught.value.problems]


def test_fixture_pack_is_valid(project: Path) -> None:
    pack = load_content(project / "content", project)
    assert [s.id for s in pack.guides[0].steps] == ["wind-down", "keep-a-rhythm"]
    assert {w.id for w in pack.worksheets} == {"sleep-diary", "wake-plan"}


def test_invalid_yaml_names_file_and_line(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "title: Wake-up plan", "title: [Wake-up plan")
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:2: this is not valid YAML: the '[' on this line is never closed: end the "
        "list with ']', or put the value in quotes if it is text that starts with '['"
    ]


def test_yaml_colon_in_value_gets_the_quote_hint(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "label: My wake-up time", "label: Time: my wake-up time")
    [problem] = problems_of(project)
    assert problem.startswith("content/worksheets/wake-plan.yml:11: this is not valid YAML")
    assert "put the whole value in quotes" in problem


def test_invalid_front_matter_yaml_line_is_counted_in_the_markdown_file(project: Path) -> None:
    edit(project / "content/guides/better-sleep/wind-down.md", "summary: Give", "summary: [Give")
    [problem] = problems_of(project)
    assert problem.startswith("content/guides/better-sleep/wind-down.md:")
    assert "front matter: this is not valid YAML" in problem


def test_unknown_key_suggests_the_right_one(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "purpose:", "purpse:")
    problems = problems_of(project)
    assert (
        "content/worksheets/wake-plan.yml:3: unknown key 'purpse' in worksheet: did you mean 'purpose'? "
        "(allowed keys: id, version, title, purpose, time_needed, instructions, sections)"
    ) in problems
    assert "content/worksheets/wake-plan.yml:1: worksheet is missing required key 'purpose': add 'purpose: ...'" in (
        problems
    )


def test_missing_required_key(project: Path) -> None:
    edit(project / "content/guides/better-sleep/keep-a-rhythm.md", "summary: Wake at the same time every day.\n", "")
    assert problems_of(project) == [
        "content/guides/better-sleep/keep-a-rhythm.md:2: step front matter is missing required key 'summary': "
        "add 'summary: ...'"
    ]


def test_unknown_field_kind_lists_the_kinds(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "kind: text", "kind: txt")
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:10: field kind 'txt' is not one of text, textarea, choice, checklist, "
        "scale, date, checkbox, group: did you mean 'text'?"
    ]


def test_group_inside_group_is_refused(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "kind: checkbox", "kind: group")
    [problem] = problems_of(project)
    assert problem.startswith("content/worksheets/sleep-diary.yml:")
    assert "field kind 'group' cannot be used inside a group" in problem


def test_duplicate_field_id_names_both_lines(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "id: best-night", "id: mood")
    assert problems_of(project) == [
        "content/worksheets/sleep-diary.yml:40: field id 'mood' is already used on line 37; "
        "every field in a worksheet needs its own id"
    ]


def test_duplicate_field_id_inside_group(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "id: nap", "id: thoughts")
    assert problems_of(project) == [
        "content/worksheets/sleep-diary.yml:59: field id 'thoughts' is already used on line 31; "
        "every field in a worksheet needs its own id"
    ]


def test_duplicate_worksheet_id(project: Path) -> None:
    (project / "content/worksheets/wake-plan-copy.yml").write_text(
        (project / "content/worksheets/wake-plan.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    problems = problems_of(project)
    assert (
        "content/worksheets/wake-plan.yml:1: worksheet id 'wake-plan' is already used by "
        "content/worksheets/wake-plan-copy.yml:1; give one of them another id"
    ) in problems
    assert any(p.startswith("content/worksheets/wake-plan-copy.yml:1: worksheet id 'wake-plan' does not match") for p in problems)


def test_step_linking_to_missing_worksheet(project: Path) -> None:
    edit(project / "content/guides/better-sleep/keep-a-rhythm.md", "[sleep-diary, wake-plan]", "[sleep-diary, wake-plans]")
    assert problems_of(project) == [
        "content/guides/better-sleep/keep-a-rhythm.md:9: link to worksheet 'wake-plans' goes nowhere: "
        "did you mean 'wake-plan'?"
    ]


def test_markdown_link_to_missing_step_names_the_body_line(project: Path) -> None:
    edit(project / "content/guides/better-sleep/keep-a-rhythm.md", "(step:wind-down)", "(step:wind-up)")
    assert problems_of(project) == [
        "content/guides/better-sleep/keep-a-rhythm.md:11: link to step 'wind-up' goes nowhere: did you mean 'wind-down'?"
    ]


def test_empty_guide(project: Path) -> None:
    edit(project / "content/guides/better-sleep/index.md", "steps:\n  - wind-down\n  - keep-a-rhythm\n", "steps: []\n")
    problems = problems_of(project)
    assert problems[0] == (
        "content/guides/better-sleep/index.md:5: this guide has no steps: list its step ids in reading order under "
        "'steps:' (one '- step-id' per line, each with a matching .md file in this folder)"
    )


def test_scale_with_min_above_max(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "min: 0\n            max: 12", "min: 12\n            max: 0")
    assert problems_of(project) == [
        "content/worksheets/sleep-diary.yml:25: scale min (12) must be below max (0): swap them or change one"
    ]


def test_front_matter_that_is_not_a_mapping(project: Path) -> None:
    path = project / "content/pages/about-sleep.md"
    path.write_text("---\n- title\n- summary\n---\nBody.\n", encoding="utf-8")
    assert problems_of(project) == [
        "content/pages/about-sleep.md:2: front matter must be 'key: value' lines (like 'title: ...'), not a list"
    ]


def test_markdown_without_front_matter(project: Path) -> None:
    (project / "content/situations/racing-mind.md").write_text("Just text.\n", encoding="utf-8")
    problems = problems_of(project)
    assert (
        "content/situations/racing-mind.md:1: a situation must start with front matter: "
        "a '---' line, 'title: ...', then '---'"
    ) in problems


def test_bare_no_stays_text_not_false(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "options: [Worse, The same, Better]", "options: [No, Yes]")
    pack = load_content(project / "content", project)
    mood = next(f for f in pack.worksheet("sleep-diary").all_fields() if f.id == "mood")
    assert [o.label for o in mood.options] == ["No", "Yes"]


def test_every_problem_is_reported_in_one_pass(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "kind: text", "kind: txt")
    edit(project / "content/guides/better-sleep/wind-down.md", "key_actions:", "key_action:")
    edit(project / "content/situations/racing-mind.md", "steps: [wind-down]", "steps: [wind-dow]")
    problems = problems_of(project)
    assert len(problems) == 4, problems
    assert [p.split(":")[0] for p in problems] == [
        "content/guides/better-sleep/wind-down.md",
        "content/guides/better-sleep/wind-down.md",
        "content/situations/racing-mind.md",
        "content/worksheets/wake-plan.yml",
    ]


def test_stray_markdown_file_is_refused(project: Path) -> None:
    (project / "content/notes.md").write_text("---\ntitle: Notes\n---\n", encoding="utf-8")
    assert problems_of(project) == [
        "content/notes.md:1: Markdown files belong in content/pages/, content/situations/ or "
        "content/guides/<guide>/: move this file"
    ]


def test_check_command_exits_non_zero_with_one_line_per_problem(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "kind: text", "kind: txt")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "1 problem in the content:",
        "content/worksheets/wake-plan.yml:10: field kind 'txt' is not one of text, textarea, choice, checklist, "
        "scale, date, checkbox, group: did you mean 'text'?",
    ]


def test_check_command_passes_good_content(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Content OK: 1 guide(s), 2 step(s)")


def test_failed_build_leaves_previous_site_untouched(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = build_site(project / "mkdocs.yml", project / "site")
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit(project / "content/worksheets/wake-plan.yml", "kind: text", "kind: txt")
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml", project / "site")
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert (
        "content/worksheets/wake-plan.yml:10: field kind 'txt' is not one of text, textarea, choice, checklist, "
        "scale, date, checkbox, group: did you mean 'text'?"
    ) in caplog.text


def test_mkdocs_build_command_exits_non_zero_on_bad_content(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "kind: text", "kind: txt")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "content/worksheets/wake-plan.yml:10: field kind 'txt' is not one of" in result.stderr
    assert not (project / "site").exists()


# -- bounded parsing ------------------------------------------------------------------------------------------------

ALIAS_BOMB = 'l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + "".join(
    f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]\n" for level in range(1, 9)
)
"""450 bytes that expand to 9**9 (387 million) values if aliases are followed."""


def test_alias_bomb_is_refused_at_its_first_anchor(project: Path) -> None:
    path = project / "content/worksheets/wake-plan.yml"
    path.write_text(path.read_text(encoding="utf-8") + ALIAS_BOMB, encoding="utf-8")
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:12: a value cannot start with '&' (YAML reads '&name' as a label for "
        "copying): put the value in quotes"
    ]


def test_alias_bomb_in_front_matter_is_refused(project: Path) -> None:
    edit(project / "content/pages/about-sleep.md", "order: 1\n", "order: 1\n" + ALIAS_BOMB)
    [problem] = problems_of(project)
    assert problem.startswith("content/pages/about-sleep.md:5: front matter: a value cannot start with '&'")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("*Important* read this", "a value cannot start with '*': put the value in quotes"),
        ("!Important", "a value cannot start with '!' (YAML reads '!name' as a type): put the value in quotes"),
        ("@home", "a value cannot start with '@': put the value in quotes"),
    ],
)
def test_yaml_special_characters_ask_for_quotes(project: Path, value: str, message: str) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "title: Wake-up plan", f"title: {value}")
    [problem] = problems_of(project)
    assert problem.startswith("content/worksheets/wake-plan.yml:2: ")
    assert problem.endswith(message)


def test_yaml_nested_too_deep_is_one_line_not_a_recursion_error(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "title: Wake-up plan", "title: " + "[" * 300 + "]" * 300)
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:2: lists are nested more than 20 levels deep here: content never needs "
        "that many; check the indentation and the brackets"
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("> " * 40 + "deep\n", "this line is nested more than 20 levels deep"),
        ("".join("    " * level + "- item\n" for level in range(40)), "this line is nested more than 20 levels deep"),
        ("- " * 1000 + "x\n", "this line is nested more than 20 levels deep"),
        ("<div markdown>\n" * 40 + "x\n" + "</div>\n" * 40, "more than 20 HTML blocks with 'markdown' are open"),
        ("[" * 5000 + "\n", "more than 20 '[' are open at once here"),
        ("<a " * 5000 + "\n", "more than 10 '<' here and below start an HTML tag that is never closed"),
        ("# Same\n\n" * 400, "this page has more than 300 headings: split it into several pages"),
    ],
)
def test_markdown_too_deep_or_tangled_to_render_quickly(project: Path, body: str, message: str) -> None:
    path = project / "content/pages/about-sleep.md"
    path.write_text(path.read_text(encoding="utf-8") + body, encoding="utf-8")
    [problem] = problems_of(project)
    assert problem.startswith("content/pages/about-sleep.md:")
    assert message in problem


def test_ordinary_markdown_passes_the_depth_checks(project: Path) -> None:
    body = "\n".join(
        [
            "> A quote with a [link](page:index) and \\[brackets\\].",
            "",
            "- one",
            "    - two",
            "        - three",
            "",
            '!!! note "A note"',
            "    Text with a < sign, <3 and a <b>tag</b>.",
            "",
            '<div markdown="1">',
            "Inside *a* block.",
            "</div>",
        ]
    )
    path = project / "content/pages/about-sleep.md"
    path.write_text(path.read_text(encoding="utf-8") + body + "\n", encoding="utf-8")
    load_content(project / "content", project)


def test_file_larger_than_the_limit_is_refused_before_parsing(project: Path) -> None:
    path = project / "content/pages/about-sleep.md"
    path.write_text(path.read_text(encoding="utf-8") + "Long line. " * 7000, encoding="utf-8")
    assert problems_of(project) == [
        "content/pages/about-sleep.md:1: this file is 75 KB, more than the 64 KB a page or worksheet may have: "
        "split it into several"
    ]


def test_nul_byte_is_reported_on_its_line(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "purpose: Choose", "purpose: Cho\x00ose")
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:3: this line holds an invisible control character (U+0000, a control "
        "character), often pasted from another program: delete it (retype the line if you cannot see it)"
    ]


def test_byte_order_mark_and_windows_line_ends_are_fine(project: Path) -> None:
    for path in (project / "content/worksheets/wake-plan.yml", project / "content/pages/about-sleep.md"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    edit(project / "content/worksheets/wake-plan.yml", "kind: text", "kind: txt")
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:10: field kind 'txt' is not one of text, textarea, choice, checklist, "
        "scale, date, checkbox, group: did you mean 'text'?"
    ]


def test_text_that_is_not_utf8_names_its_line(project: Path) -> None:
    path = project / "content/pages/about-sleep.md"
    path.write_bytes(path.read_bytes().replace(b"ninety", b"n\xe9nety"))
    assert problems_of(project) == [
        "content/pages/about-sleep.md:6: this file is not UTF-8 text (invalid continuation byte on this line): "
        "save it as UTF-8"
    ]


def test_unclosed_quote_is_reported_where_it_starts(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "purpose: Choose", 'purpose: "Choose')
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:3: this is not valid YAML: the quote that starts the value on this line "
        "is never closed: add the closing quote"
    ]


def test_unexpected_internal_error_is_one_line_naming_the_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.content import loader

    def broken(self: object, path: Path) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(loader._ContentReader, "read_worksheet", broken)
    problems = problems_of(project)
    assert (
        "content/worksheets/wake-plan.yml:1: selfhelp failed while reading this file (KeyError: 'oops'): this is a "
        "bug in selfhelp, not in your file; please report it with this file attached"
    ) in problems


# -- ids ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "reads_as"),
    [("010", "a number"), ("1.5", "a number"), ("2024-01-01", "a date"), ("true", "true or false"),
     ("no", "true or false"), ("null", "no value"), ("12:30", "a number")],
)
def test_ids_yaml_would_not_read_as_text_must_be_quoted(project: Path, written: str, reads_as: str) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "id: wake-time", f"id: {written}")
    assert problems_of(project) == [
        f"content/worksheets/wake-plan.yml:9: field id {written} is read by YAML as {reads_as}, not as text: "
        f'put it in quotes: id: "{written}"'
    ]


def test_quoted_number_is_a_good_id_and_text_stays_as_written(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "id: wake-time", 'id: "010"')
    edit(project / "content/worksheets/wake-plan.yml", "time_needed: 5 minutes", "time_needed: 12:30")
    diary = project / "content/worksheets/sleep-diary.yml"
    edit(diary, "options: [Worse, The same, Better]", "options: [No, 010, 1.50]")
    pack = load_content(project / "content", project)
    assert pack.worksheet("wake-plan").all_fields()[0].id == "010"
    assert pack.worksheet("wake-plan").time_needed == "12:30"
    mood = next(f for f in pack.worksheet("sleep-diary").all_fields() if f.id == "mood")
    assert [o.label for o in mood.options] == ["No", "010", "1.50"]


def test_id_in_a_list_that_yaml_reads_as_a_number(project: Path) -> None:
    edit(project / "content/situations/racing-mind.md", "worksheets: [sleep-diary]", "worksheets: [sleep-diary, 2024]")
    assert problems_of(project) == [
        "content/situations/racing-mind.md:6: in 'worksheets': worksheet id 2024 is read by YAML as a number, "
        'not as text: put it in quotes: - "2024"'
    ]


def test_field_id_that_javascript_uses_is_refused(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "id: wake-time", "id: constructor")
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:9: field id 'constructor' is a name the browser's JavaScript already uses "
        "for itself, so answers to it would be lost: choose another id, like 'constructor-answer'"
    ]


def test_section_id_that_is_not_an_id_suggests_one(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "id: plan", "id: Your Plan")
    assert problems_of(project) == [
        "content/worksheets/wake-plan.yml:6: section id 'Your Plan' is not an id (ids use only lowercase letters, "
        "digits and single dashes, like 'action-plan'): use 'your-plan'"
    ]


def test_situation_file_name_must_be_an_id(project: Path) -> None:
    source = project / "content/situations/racing-mind.md"
    source.rename(source.with_name("Lost My Job.md"))
    problems = problems_of(project)
    assert problems == [
        "content/situations/Lost My Job.md:1: the name 'Lost My Job.md' cannot be used: a situation's file name is "
        "its id and its web address, and ids use only lowercase letters, digits and single dashes, like "
        "'action-plan': rename the file to lost-my-job.md",
        "content/index.md:5: link to situation 'racing-mind' goes nowhere: create it in content/situations/ or fix "
        "the id",
    ][::-1]


def test_guide_folder_and_page_names_must_be_ids(project: Path) -> None:
    (project / "content/guides/better-sleep").rename(project / "content/guides/Better_Sleep")
    (project / "content/pages/about-sleep.md").rename(project / "content/pages/Über Schlaf.md")
    problems = problems_of(project)
    assert (
        "content/guides/Better_Sleep/index.md:1: the name 'Better_Sleep' cannot be used: a guide's folder name is its "
        "id and its web address, and ids use only lowercase letters, digits and single dashes, like 'action-plan': "
        "rename the folder to better-sleep"
    ) in problems
    assert (
        "content/pages/Über Schlaf.md:1: the name 'Über Schlaf.md' cannot be used: a page's file name is its id and "
        "its web address, and ids use only lowercase letters, digits and single dashes, like 'action-plan': rename "
        "the file to uber-schlaf.md"
    ) in problems


def test_one_typo_in_steps_is_one_problem(project: Path) -> None:
    edit(project / "content/guides/better-sleep/index.md", "  - wind-down\n", "  - wind-dwon\n")
    assert problems_of(project) == [
        "content/guides/better-sleep/index.md:6: step 'wind-dwon' has no file: did you mean 'wind-down'?"
    ]


def test_path_in_steps_is_not_an_id_and_never_suggested_as_a_file(project: Path) -> None:
    guide = project / "content/guides/better-sleep/index.md"
    edit(guide, "  - keep-a-rhythm\n", "  - keep-a-rhythm\n  - ../../etc/passwd\n")
    problems = problems_of(project)
    assert problems == [
        "content/guides/better-sleep/index.md:8: in 'steps': step id '../../etc/passwd' is not an id (ids use only "
        "lowercase letters, digits and single dashes, like 'action-plan')"
    ]


def test_content_link_by_path_is_not_an_id(project: Path) -> None:
    edit(project / "content/index.md", "(guide:better-sleep)", "(guide:../../etc/passwd)")
    assert problems_of(project) == [
        "content/index.md:5: link to guide '../../etc/passwd' goes nowhere: ids use only lowercase letters, digits "
        "and single dashes, like 'action-plan'; link by id, never by file path"
    ]


# -- what content/ may hold -----------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def test_images_and_pdfs_in_the_files_folder_are_accepted(project: Path) -> None:
    files = project / "content/files"
    (files / "charts").mkdir(parents=True)
    (files / "charts/sleep-cycle.png").write_bytes(PNG)
    (files / "icon.svg").write_bytes(SVG)
    (files / "Handout_2.PDF").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    (files / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    pack = load_content(project / "content", project)
    assert pack.files == ("files/Handout_2.PDF", "files/charts/sleep-cycle.png", "files/icon.svg")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "notes.txt",
            b"remember",
            "content/notes.txt:1: '.txt' files are not published: the content folder holds pages (.md), worksheets "
            "(.yml) and, in content/files/, images and PDFs (.png, .jpg, .jpeg, .gif, .webp, .svg, .pdf); move this "
            "file out of content/",
        ),
        (
            "pages/draft.docx",
            b"PK\x03\x04",
            "content/pages/draft.docx:1: '.docx' files are not published: the content folder holds pages (.md), "
            "worksheets (.yml) and, in content/files/, images and PDFs (.png, .jpg, .jpeg, .gif, .webp, .svg, .pdf); "
            "move this file out of content/",
        ),
        (
            "pages/diagram.png",
            PNG,
            "content/pages/diagram.png:1: images and PDFs belong in content/files/: move this file there and link to "
            "it as (file:diagram.png)",
        ),
        (
            "files/chart.png",
            b"<html><script>alert(1)</script></html>",
            "content/files/chart.png:1: this file is named .png but is not a PNG image (it may be damaged, or another "
            "kind of file renamed): save it again as a PNG image",
        ),
        (
            "files/photo.png",
            b"\xff\xd8\xff\xe0\x00\x10JFIF",
            "content/files/photo.png:1: this file is named .png but holds a JPEG image: rename it to photo.jpg",
        ),
        (
            "files/logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "content/files/logo.svg:1: this SVG cannot be published: an event handler (onload=), on line 1; save it "
            "again without it (as a plain SVG), or as a PNG",
        ),
        (
            "files/my chart.png",
            PNG,
            "content/files/my chart.png:1: the name 'my chart.png' cannot be part of a web address: rename it using "
            "only letters, digits, dashes, dots and underscores (no spaces)",
        ),
        ("files/notes.txt", b"x", "content/files/notes.txt:1: '.txt' files are not published"),
    ],
)
def test_files_that_are_not_content_are_refused(project: Path, name: str, data: bytes, message: str) -> None:
    path = project / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    [problem] = problems_of(project)
    assert problem.startswith(message)


def test_links_that_leave_content_loop_or_lead_to_folders_are_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    pages = project / "content/pages"
    (pages / "secret.md").symlink_to(outside / "secret.md")
    (pages / "loop.md").symlink_to(pages / "loop.md")
    (pages / "gone.md").symlink_to(pages / "nothing-here.md")
    (project / "content/files").mkdir()
    (project / "content/files/shared").symlink_to(outside)
    (project / "content/files/pages-again").symlink_to(pages)
    (pages / "also-about-sleep.md").symlink_to(pages / "about-sleep.md")  # Inside content/: read like a file.
    assert problems_of(project) == [
        f"content/files/pages-again:1: this is a link to a folder ({pages}): links to folders are not followed; "
        "move the folder here",
        f"content/files/shared:1: this link ({outside}) leads outside the content folder, which is never "
        "published: put the file itself here instead of a link",
        f"content/pages/gone.md:1: this link ({pages}/nothing-here.md) leads to nothing: delete it, or put the "
        "file itself here",
        f"content/pages/loop.md:1: this link ({pages}/loop.md) goes round in a loop: delete it",
        f"content/pages/secret.md:1: this link ({outside}/secret.md) leads outside the content folder, which is "
        "never published: put the file itself here instead of a link",
    ]


# -- plugin options in mkdocs.yml -----------------------------------------------------------------------------------


def option_errors(project: Path, options: str) -> list[str]:
    """The errors the selfhelp plugin gives for `options` (lines under `- selfhelp:`), as MkDocs prints them."""
    from mkdocs.utils.yaml import yaml_load

    from generator.engines.plugin import SelfhelpPlugin

    config_file = project / "mkdocs.yml"
    config_file.write_text(f"site_name: Test\nplugins:\n  - search\n  - selfhelp:\n{options}", encoding="utf-8")
    with config_file.open(encoding="utf-8") as handle:
        loaded = yaml_load(handle)
    plugin_options = loaded["plugins"][1]["selfhelp"]
    errors, warnings = SelfhelpPlugin().load_config(plugin_options, str(config_file))
    assert warnings == []
    return [str(error) for _, error in errors]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            "      primary_colour: #5b2a86\n",
            "mkdocs.yml:5: primary_colour has no value, because YAML reads everything after '#' as a comment: "
            'put the colour in quotes: primary_colour: "#5b2a86"',
        ),
        (
            "      primary_colour: purple\n",
            "mkdocs.yml:5: primary_colour 'purple' is not a colour: write a hex colour in quotes, like "
            'primary_colour: "#1f5f66"',
        ),
        (
            "      urgent_help:\n        name: Crisis line\n        phone: 116123\n",
            "mkdocs.yml:7: urgent_help: phone 116123 is read by YAML as a number: write the phone number in quotes: "
            'phone: "116123"',
        ),
        (
            "      eap: {name: EAP, phone: '0800 111 111', note: free, open 24 hours}\n",
            "mkdocs.yml:5: eap is written on one line in { }, where a comma ends a value, so 'open 24 hours' became "
            "a key of its own: write eap in block style, one key per line under 'eap:', with each value in quotes",
        ),
        (
            "      hr_contact:\n        url: javascript:alert(1)\n",
            "mkdocs.yml:6: hr_contact: url 'javascript:alert(1)' is not a web address: write the whole address, "
            "starting with https:// (like https://intranet.example/hr)",
        ),
        (
            "      hr_contact:\n        emial: hr@example.com\n",
            "mkdocs.yml:6: unknown key 'emial' in hr_contact: did you mean 'email'?",
        ),
        (
            "      eap: {name: EAP, phnoe: '0800 111 111'}\n",
            "mkdocs.yml:5: unknown key 'phnoe' in eap: did you mean 'phone'?",
        ),
        (
            "      primary_color: '#123456'\n",
            "mkdocs.yml:5: unknown option 'primary_color' for the selfhelp plugin: did you mean 'primary_colour'?",
        ),
        ("      pdf_pack: sometimes\n", "mkdocs.yml:5: pdf_pack must be true or false, not 'sometimes'"),
        (
            "      logo: ../../../../etc/passwd\n",
            "mkdocs.yml:5: logo '../../../../etc/passwd' is outside the project folder, and nothing from outside it "
            "is ever published: copy the logo image into the project (next to mkdocs.yml, say) and write its path "
            "from there",
        ),
        (
            "      logo: pyproject.toml\n",
            "mkdocs.yml:5: logo 'pyproject.toml' is not a PNG, SVG, JPEG or WebP image (it is not an image): export "
            "the logo in one of those formats",
        ),
        (
            "      logo: logo.svg\n",
            "mkdocs.yml:5: logo 'logo.svg' cannot be published: a script (<script>), on line 1; export it again as a "
            "plain SVG without it, or use a PNG",
        ),
        (
            "      content_dir: ..\n",
            "mkdocs.yml:5: content_dir '..' is outside the project folder, and nothing from outside it is ever "
            "published: copy the content folder into the project (next to mkdocs.yml, say) and write its path from "
            "there",
        ),
    ],
)
def test_wrong_option_names_its_line_and_the_fix(project: Path, options: str, message: str) -> None:
    (project / "pyproject.toml").write_text("[tool]\nname = 'x'\n", encoding="utf-8")
    (project / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8"
    )
    assert option_errors(project, options) == [message]


def test_every_wrong_option_is_reported_not_just_the_first(project: Path) -> None:
    errors = option_errors(project, "      pdf_pack: 3\n      accent_colour: red\n      organisation: 2024\n")
    assert errors == [
        "mkdocs.yml:5: pdf_pack must be true or false, not '3'",
        "mkdocs.yml:6: accent_colour 'red' is not a colour: write a hex colour in quotes, like accent_colour: "
        '"#a33b20"',
        'mkdocs.yml:7: organisation 2024 is read by YAML as a number: write the name in quotes: organisation: "2024"',
    ]


def test_logo_is_judged_by_content_and_published_with_its_kind(project: Path) -> None:
    from generator.products.branding import logo_uri

    (project / "brand").mkdir()
    (project / "brand/logo.img").write_bytes(PNG)
    assert option_errors(project, "      logo: brand/logo.img\n") == []
    assert logo_uri(str(project / "brand/logo.img")) == "assets/selfhelp/logo.png"


def test_readme_examples_of_options_are_valid(project: Path) -> None:
    (project / "brand").mkdir()
    (project / "brand/logo.svg").write_bytes(SVG)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("  - selfhelp:\n", 1)[1].split("```", 1)[0]
    assert option_errors(project, block) == []


def test_only_pages_and_accepted_files_are_published(project: Path) -> None:
    files = project / "content/files"
    (files / "charts").mkdir(parents=True)
    (files / "charts/cycle.png").write_bytes(PNG)
    (files / "handout.pdf").write_bytes(b"%PDF-1.7\n")
    (project / "content/.notes.txt").write_text("hidden", encoding="utf-8")
    (project / "content/pages/also-about-sleep.md").symlink_to("about-sleep.md")
    step = project / "content/guides/better-sleep/wind-down.md"
    edit(step, "## Why", "![A sleep cycle](file:charts/cycle.png)\n\n## Why")
    edit(project / "content/pages/about-sleep.md", "ninety minutes.", "ninety minutes. [Handout](file:handout.pdf)")
    edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n      pdf_pack: false\n      offline_zip: false\n")
    site = build_site(project / "mkdocs.yml", project / "site")
    built_step = parse(site / "guides/better-sleep/wind-down/index.html")
    assert built_step.select_one("img[alt='A sleep cycle']")["src"] == "../../../files/charts/cycle.png"
    page = parse(site / "about-sleep/index.html")
    assert page.find("a", string="Handout")["href"] == "../files/handout.pdf"
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"files/charts/cycle.png", "files/handout.pdf", "also-about-sleep/index.html"} <= published
    from_content = {p for p in published if p.endswith((".md", ".yml", ".txt")) and not p.startswith("_server/")}
    assert from_content == set(), "raw content files are never published"
