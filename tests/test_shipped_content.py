"""The shipped career-setbacks pack: complete, plainly written, and the quick guide fits one A4 sheet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.content.loader import load_content

from .conftest import PROJECT, SiteServer, collect_errors, parse

STEPS = [
    "acknowledge-your-emotions",
    "take-responsibility",
    "analyse-what-went-wrong",
    "seek-feedback-and-support",
    "reframe-failure-as-learning",
    "create-an-action-plan",
    "practise-self-compassion",
    "focus-on-growth-and-wellbeing",
    "build-a-support-network",
    "stay-resilient",
    "celebrate-small-wins",
]
SITUATIONS = {"not-getting-promoted", "job-loss", "failed-project", "missed-opportunity", "negative-feedback"}
MIN_READING_EASE = 60.0


def test_guide_has_every_step_in_order_each_complete() -> None:
    pack = load_content(PROJECT / "content", PROJECT)
    [guide] = pack.guides
    assert [s.id for s in guide.steps] == STEPS
    for step in guide.steps:
        assert step.summary and step.keywords and step.key_actions and step.reflection_prompts, step.id
        assert step.worksheet_ids, f"{step.id} has no worksheet"
    assert {s.id for s in pack.situations} == SITUATIONS
    for situation in pack.situations:
        assert situation.step_ids and situation.worksheet_ids, situation.id


def test_worksheets_cover_the_steps_and_every_field_kind() -> None:
    pack = load_content(PROJECT / "content", PROJECT)
    assert len(pack.worksheets) >= 8
    used = {w for g in pack.guides for s in g.steps for w in s.worksheet_ids}
    assert used == {w.id for w in pack.worksheets}, "every worksheet belongs to a step"
    kinds = {f.kind for w in pack.worksheets for f in w.all_fields()}
    kinds |= {sub.kind for w in pack.worksheets for f in w.all_fields() for sub in f.fields}
    assert kinds == {"text", "textarea", "choice", "checklist", "scale", "date", "checkbox", "group"}
    plan = pack.worksheet("action-plan")
    group = next(f for f in plan.all_fields() if f.kind == "group")
    assert [sub.kind for sub in group.fields] == ["text", "date", "text", "checkbox"]
    assert any(f.kind == "date" and "review" in f.label.lower() for f in plan.all_fields())


def syllables(word: str) -> int:
    """Syllables in an English word, by the usual vowel-group rule (silent final e dropped)."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def reading_ease(blocks: list[str]) -> float:
    """Flesch reading ease of text blocks (each heading, paragraph or list item ends a sentence)."""
    sentences = [s for block in blocks for s in re.split(r"[.!?]+(?:\s|$)", block) if re.search(r"[A-Za-z]", s)]
    words = [w for s in sentences for w in re.findall(r"[A-Za-z']+", s)]
    syllable_count = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / len(sentences) - 84.6 * syllable_count / len(words)


def page_blocks(html_path: Path) -> list[str]:
    article = parse(html_path).select_one("article")
    for form in article.select("form"):
        form.decompose()
    return [el.get_text(" ", strip=True) for el in article.select("h1, h2, h3, p, li") if not el.select("p, li")]


def test_every_page_reads_plainly(shipped_site: Path) -> None:
    scores = {}
    for path in sorted(shipped_site.rglob("index.html")):
        if path.parent.name in ("search",) or path.parent == shipped_site / "404":
            continue
        name = path.parent.relative_to(shipped_site).as_posix()
        scores["home" if name == "." else name] = reading_ease(page_blocks(path))
    print("\nFlesch reading ease per page:")
    for name, score in sorted(scores.items(), key=lambda item: item[1]):
        print(f"  {score:5.1f}  {name}")
    hard = {name: round(score, 1) for name, score in scores.items() if score < MIN_READING_EASE}
    assert not hard, f"pages below reading ease {MIN_READING_EASE}: {hard}"


@pytest.mark.browser
def test_quick_guide_prints_on_one_a4_sheet(page: object, shipped_server: SiteServer) -> None:
    page.goto(shipped_server.url + "quick-guide/")  # type: ignore[attr-defined]
    pdf = page.pdf(format="A4", print_background=False)  # type: ignore[attr-defined]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Acknowledge" in text and "small wins" in text.lower()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 360])
def test_axe_finds_nothing_on_each_kind_of_shipped_page(page: object, shipped_server: SiteServer, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    kinds = ["", "guides/career-setbacks/", f"guides/career-setbacks/{STEPS[0]}/", "situations/", "situations/job-loss/",
             "what-is-a-setback/", "worksheets/", "worksheets/action-plan/", "privacy/"]
    # One tab per kind of page, all loading at once: their waits for the network to go quiet overlap.
    tabs = [page] + [page.context.new_page() for _ in kinds[1:]]  # type: ignore[attr-defined]
    errors = [page.console_errors] + [collect_errors(tab) for tab in tabs[1:]]  # type: ignore[attr-defined]
    for tab, path in zip(tabs, kinds):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(shipped_server.url + path, wait_until="commit")
    found = {}
    for tab, path in zip(tabs, kinds):
        tab.wait_for_load_state("load")
        tab.wait_for_load_state("networkidle")
        violations = Axe().run(tab).response["violations"]
        if violations:
            found[path or "/"] = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert found == {}
    assert errors == [[] for _ in tabs]
