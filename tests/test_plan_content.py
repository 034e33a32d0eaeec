"""My plan in the content model: `content/plan.yml` declares the plan's sections once, fields join one with
`plan: <section id>`, dates become calendar events with `calendar: <name>`. Every mistake is one line with
the file, the line and the fix; the shipped pack and the sleep pack each get their own plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.loader import ContentError, load_content
from generator.content.render import PLAN_PAGE, SiteRenderer, worksheet_schema

from .conftest import PROJECT, copy_pack, edit

SLEEP_PLAN = "content/plan.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_pack("sleep-pack", tmp_path / "project")


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(project / "content", project)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_plan_gathers_goal_steps_people_wellbeing_review_and_wins() -> None:
    pack = load_content(PROJECT / "content", PROJECT)
    assert pack.plan is not None and pack.plan.title == "My plan"
    sources = {s.id: [f"{w.id}/{f.id}" for w, f in pack.plan_sources(s.id)] for s in pack.plan.sections}
    assert list(sources) == ["goal", "first-step", "steps", "obstacles", "people", "wellbeing", "review", "wins"]
    assert sources["goal"] == ["action-plan/smart-goal", "action-plan/why-it-matters"]
    assert sources["steps"] == ["action-plan/action-steps"]
    assert sources["people"] == ["support-network-map/supporters"]
    assert sources["review"][0] == "action-plan/review-date"
    assert sources["wins"] == ["small-wins-log/wins-list"]
    assert all(sources.values())
    wins = next(s for s in pack.plan.sections if s.id == "wins")
    assert wins.latest == 5
    plan = pack.worksheet("action-plan")
    steps = next(f for f in plan.all_fields() if f.id == "action-steps")
    assert [s.calendar for s in steps.fields] == ["", "Action step", "", ""]
    assert {f.id: f.calendar for f in plan.all_fields() if f.calendar} == {
        "first-step-date": "My first small step",
        "review-date": "Review my action plan",
    }


def test_the_sleep_pack_gets_its_own_plan_from_the_same_code(project: Path) -> None:
    pack = load_content(project / "content", project)
    assert pack.plan is not None and pack.plan.title == "My sleep plan"
    assert [(s.id, s.latest) for s in pack.plan.sections] == [("nights", 3), ("next", 0)]
    assert [f.id for _, f in pack.plan_sources("next")] == ["helped", "next-check"]
    schema = worksheet_schema(pack.worksheet("sleep-diary"))
    assert [f.get("calendar") for f in schema["fields"] if f["kind"] == "date"] == ["Look at my sleep diary again"]


def test_a_pack_without_a_plan_has_no_plan_page(project: Path) -> None:
    (project / SLEEP_PLAN).unlink()
    for name in ("sleep-diary.yml",):
        path = project / "content/worksheets" / name
        path.write_text(
            "\n".join(line for line in path.read_text().splitlines() if "plan:" not in line) + "\n", encoding="utf-8"
        )
    pack = load_content(project / "content", project)
    assert pack.plan is None
    import jinja2

    renderer = SiteRenderer(jinja2.FileSystemLoader(str(PROJECT / "generator" / "theme")), pack)
    assert PLAN_PAGE not in renderer.render_all()
    assert "My plan" not in str(renderer.navigation())


def test_a_plan_section_that_does_not_exist_gets_a_suggestion(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "plan: next", "plan: nxet")
    assert problems_of(project) == [
        "content/worksheets/sleep-diary.yml:46: plan section 'nxet' is not in content/plan.yml: did you mean 'next'?"
    ]


def test_a_plan_key_without_a_plan_file_says_what_to_create(project: Path) -> None:
    (project / SLEEP_PLAN).unlink()
    problems = problems_of(project)
    assert problems[0] == (
        "content/worksheets/sleep-diary.yml:14: plan section 'nights' does not exist: content/plan.yml is missing "
        "or could not be read: create it with the plan's sections (see 'My plan' in README.md)"
    )
    assert len(problems) == 3


def test_a_plan_key_inside_a_group_belongs_on_the_group(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "            label: Date\n", "            label: Date\n            plan: next\n")
    assert problems_of(project) == [
        "content/worksheets/sleep-diary.yml:22: 'plan' cannot be set on a field inside a group: put 'plan: next' "
        "on the group itself, and its rows go to My plan"
    ]


def test_a_calendar_name_only_goes_on_a_date(project: Path) -> None:
    edit(project / "content/worksheets/sleep-diary.yml", "        label: Which night was best?\n",
         "        label: Which night was best?\n        calendar: Best night\n")
    [problem] = problems_of(project)
    assert problem.startswith("content/worksheets/sleep-diary.yml:40: unknown key 'calendar' in text field: remove it")


def test_plan_file_mistakes_are_all_reported_with_their_lines(project: Path) -> None:
    (project / SLEEP_PLAN).write_text(
        "title: My sleep plan\n"
        "sumary: Typo\n"
        "sections:\n"
        "  - id: nights\n"
        "    title: Nights\n"
        "    latest: 0\n"
        "  - id: next\n"
        "    title: Next\n"
        "  - id: next\n"
        "    title: Again\n"
        "  - id: Extra Section\n"
        "    title: Extra\n"
        "  - id: unused\n"
        "    title: Nothing feeds me\n"
        "  - title: No id\n",
        encoding="utf-8",
    )
    assert problems_of(project) == [
        "content/plan.yml:2: unknown key 'sumary' in plan: did you mean 'summary'? (allowed keys: title, summary, "
        "sections)",
        "content/plan.yml:6: 'latest' must be between 1 and 100, not 0",
        "content/plan.yml:9: plan section id 'next' is already used on line 7; make it unique",
        "content/plan.yml:11: plan section id 'Extra Section' is not an id (ids use only lowercase letters, digits "
        "and single dashes, like 'action-plan'): use 'extra-section'",
        "content/plan.yml:13: plan section 'unused' gets no answers: add 'plan: unused' to a field of a worksheet in "
        "content/worksheets/, or remove the section",
        "content/plan.yml:15: plan section is missing required key 'id': add 'id: ...'",
    ]


def test_plan_is_a_reserved_page_id(project: Path) -> None:
    (project / "content/pages/plan.md").write_text("---\ntitle: Plan\n---\nHello\n", encoding="utf-8")
    assert problems_of(project) == [
        "content/pages/plan.md:1: page id 'plan' is reserved for a part of the site; rename the file"
    ]


def test_content_can_link_to_my_plan(project: Path) -> None:
    edit(project / "content/index.md", "Start with", "See [your plan](page:plan). Start with")
    pack = load_content(project / "content", project)
    assert pack.plan is not None
    edit(project / "content/index.md", "(page:plan)", "(page:plans)")
    [problem] = problems_of(project)
    assert "link to page 'plans' goes nowhere: did you mean 'plan'?" in problem


def test_a_misnamed_plan_file_is_pointed_to_its_name(project: Path) -> None:
    (project / SLEEP_PLAN).rename(project / "content/my-plan.yml")
    problems = problems_of(project)
    assert (
        "content/my-plan.yml:1: YAML files belong in content/worksheets/ (or, if it is My plan, name it "
        "content/plan.yml): move this file there"
    ) in problems
