"""Bad content stops `selfhelp check` and `mkdocs build` with one clear line per problem: file, line, fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.loader import ContentError, load_content

from .conftest import build_site, copy_pack, edit


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
        "content/worksheets/wake-plan.yml:3: this is not valid YAML: expected ',' or ']', but got ':'"
    ]


def test_yaml_colon_in_value_gets_the_quote_hint(project: Path) -> None:
    edit(project / "content/worksheets/wake-plan.yml", "label: My wake-up time", "label: Time: my wake-up time")
    [problem] = problems_of(project)
    assert problem.startswith("content/worksheets/wake-plan.yml:11: this is not valid YAML")
    assert "must be put in quotes" in problem


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
        "content/worksheets/sleep-diary.yml:39: field id 'mood' is already used on line 36; "
        "every field in a worksheet needs its own id"
    ]


def test_duplicate_field_id_inside_group(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "id: nap", "id: thoughts")
    assert problems_of(project) == [
        "content/worksheets/sleep-diary.yml:55: field id 'thoughts' is already used on line 30; "
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
        "content/worksheets/sleep-diary.yml:24: scale min (12) must be below max (0): swap them or change one"
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
