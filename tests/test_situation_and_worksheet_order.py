"""Each step once on a situation page, and worksheets in the order the guide brings them in.

A situation page lists under "Steps that help" only the steps its own text does not already link to (the
shipped "I've lost my job" links all seven in its text, and listed them twice). My worksheets and the
navigation follow the guide: step by step, each step's worksheets in the order it lists them, then the
worksheets no step lists."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from generator.content.loader import ContentError, load_content
from generator.content.render import WORKSHEETS_INDEX, SiteRenderer, page_uri

from .conftest import PROJECT, copy_pack, edit

THEME = jinja2.FileSystemLoader(str(PROJECT / "generator" / "theme"))


def rendered(project: Path) -> tuple[SiteRenderer, dict[str, str]]:
    pack = load_content(project / "content", project)
    renderer = SiteRenderer(THEME, pack)
    return renderer, renderer.render_all()


def step_links(markdown: str, heading: str) -> list[str]:
    """The Markdown link targets in the part of a page that follows `heading` (up to the next heading)."""
    part = markdown.split(heading, 1)[1].split("\n## ", 1)[0] if heading in markdown else ""
    return re.findall(r"\]\(([^)]+)\)", part)


def test_a_situation_lists_only_the_steps_its_text_does_not_link(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    situation = project / "content/situations/racing-mind.md"
    edit(situation, "steps: [wind-down]", "steps: [wind-down, keep-a-rhythm]")
    renderer, pages = rendered(project)
    page = pages[page_uri("situation", "racing-mind", renderer.pack)]
    assert step_links(page, "## Steps that help") == ["../guides/better-sleep/keep-a-rhythm.md"]
    assert page.count("guides/better-sleep/wind-down.md") == 1  # only in the text

    # Linked in the text too: no list, and no heading over nothing.
    edit(situation, "(step:wind-down).", "(step:wind-down), then [keep a rhythm](step:keep-a-rhythm).")
    renderer, pages = rendered(project)
    page = pages[page_uri("situation", "racing-mind", renderer.pack)]
    assert "Steps that help" not in page
    assert page.count("keep-a-rhythm.md") == 1 and page.count("wind-down.md") == 1

    # Linked nowhere in the text: all listed, in the situation's order.
    edit(situation, "Start with [winding down](step:wind-down), then [keep a rhythm](step:keep-a-rhythm).", "Start tonight.")
    renderer, pages = rendered(project)
    assert step_links(pages[page_uri("situation", "racing-mind", renderer.pack)], "## Steps that help") == [
        "../guides/better-sleep/wind-down.md",
        "../guides/better-sleep/keep-a-rhythm.md",
    ]


def test_the_shipped_situations_list_each_step_once() -> None:
    renderer, pages = rendered(PROJECT)
    for situation in renderer.pack.situations:
        page = pages[page_uri("situation", situation.id, renderer.pack)]
        for step_id in situation.step_ids:
            target = page_uri("step", step_id, renderer.pack).rsplit("/", 1)[1]
            assert page.count(f"/{target})") == 1, (situation.id, step_id)


def test_worksheets_follow_the_guide_then_the_rest(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    # The first step now brings in wake-plan, the second sleep-diary: the guide's order is not the ids' order.
    edit(project / "content/guides/better-sleep/wind-down.md", "worksheets: [sleep-diary]", "worksheets: [wake-plan]")
    edit(project / "content/guides/better-sleep/keep-a-rhythm.md", "worksheets: [sleep-diary, wake-plan]", "worksheets: [sleep-diary]")
    renderer, pages = rendered(project)
    assert [w.id for w in renderer.pack.worksheets] == ["sleep-diary", "wake-plan"]
    assert [w.id for w in renderer.pack.worksheets_in_guide_order()] == ["wake-plan", "sleep-diary"]
    index = pages[WORKSHEETS_INDEX]
    assert index.index('data-shs-worksheet-id="wake-plan"') < index.index('data-shs-worksheet-id="sleep-diary"')
    nav = renderer.navigation()
    worksheets = next(entry for entry in nav if WORKSHEETS_INDEX in str(entry))
    assert [list(item.values())[0] for item in list(worksheets.values())[0][1:]] == [
        "worksheets/wake-plan.md",
        "worksheets/sleep-diary.md",
    ]

    # A worksheet no step lists comes after the ones the guide brings in.
    edit(project / "content/guides/better-sleep/keep-a-rhythm.md", "worksheets: [sleep-diary]", "worksheets: []")
    renderer, _ = rendered(project)
    assert [w.id for w in renderer.pack.worksheets_in_guide_order()] == ["wake-plan", "sleep-diary"]
    edit(project / "content/guides/better-sleep/wind-down.md", "worksheets: [wake-plan]", "worksheets: []")
    renderer, _ = rendered(project)
    assert [w.id for w in renderer.pack.worksheets_in_guide_order()] == ["sleep-diary", "wake-plan"]


def test_the_shipped_worksheets_follow_the_guide() -> None:
    renderer, pages = rendered(PROJECT)
    pack = renderer.pack
    first_use = [w for g in pack.guides for s in g.steps for w in s.worksheet_ids]
    expected = sorted((w.id for w in pack.worksheets), key=lambda w: first_use.index(w) if w in first_use else len(first_use))
    index = pages[WORKSHEETS_INDEX]
    shown = sorted(expected, key=lambda w: index.index(f'data-shs-worksheet-id="{w}"'))
    assert shown == expected and shown != sorted(shown)


def test_situations_follow_their_order_in_the_list_the_navigation_and_the_home() -> None:
    renderer, pages = rendered(PROJECT)
    expected = ["job-loss", "not-getting-promoted", "failed-project", "negative-feedback", "missed-opportunity"]
    assert [s.id for s in renderer.pack.situations] == expected
    titles = [s.title for s in renderer.pack.situations]

    def positions(text: str) -> list[int]:
        """Where each title first appears (an apostrophe may be written as &#39; in the Markdown)."""
        return [min(i for i in (text.find(t), text.find(t.replace("'", "&#39;"))) if i >= 0) for t in titles]

    for where, text in (("list", pages["situations/index.md"]), ("home", pages["index.md"])):
        found = positions(text)
        assert found == sorted(found), f"the {where} does not follow the situations' order"
    situations_nav = next(
        v for entry in renderer.navigation() for v in entry.values() if isinstance(v, list) and "situations/index.md" in v
    )
    assert [page_uri("situation", s, renderer.pack) for s in expected] == [
        next(iter(item.values())) for item in situations_nav[1:]
    ]


def test_a_situation_without_order_comes_after_those_with_one_and_a_bad_order_names_its_line(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    situations = sorted((project / "content/situations").glob("*.md"))
    assert situations, "the sleep pack has a situation"
    first = situations[0]
    extra = first.with_name("woke-too-early.md")
    extra.write_text(first.read_text(encoding="utf-8").replace("title:", "order: 5\ntitle:", 1), encoding="utf-8")
    pack = load_content(project / "content", project)
    assert [s.id for s in pack.situations][0] == "woke-too-early"

    edit(extra, "order: 5", "order: soon")
    with pytest.raises(ContentError) as raised:
        load_content(project / "content", project)
    message = str(raised.value)
    assert "woke-too-early.md:2:" in message and "order" in message
