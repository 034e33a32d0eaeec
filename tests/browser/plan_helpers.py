"""Helpers for the My plan and calendar tests: fill the shipped worksheets that feed the plan as a reader
would (through the page), with answers a reader just laid off might give."""

from __future__ import annotations

from typing import Any

from worksheet_helpers import open_sheet

GOAL = "Find a project management role at a company I respect by the end of March."
WHY = "I want to feel useful again, and my family needs a steady income."
STEPS = [
    ("Update my CV with the last two projects", "2026-12-05", "Priya, who managed me in 2023", True),
    ("Ask three former colleagues for a recommendation", "2026-12-10", "My old team", False),
    ("Apply for five roles that fit, one a day", "2026-12-18", "The careers coach at the EAP", False),
    ("Practise interview answers out loud", "2027-01-08", "My partner", False),
    ("Finish the online scheduling course", "2027-01-29", "", False),
]
OBSTACLES = [
    ("Losing heart after a rejection", "Read my small wins log, then call Sam before I apply again."),
    ("Money worries taking over", "Book a session with the EAP's money adviser."),
    ("Running out of energy by the afternoon", "Keep mornings for the search and stop at three."),
]
FIRST_STEP = "Email Priya and ask her to look at my CV"
FIRST_DATE = "2026-12-02"
REVIEW_DATE = "2026-12-30"
PEOPLE = [
    ("Priya", 2, "2026-12-02", True),
    ("Sam, my brother", 1, "2026-12-04", False),
    ("The EAP careers coach", 5, "2026-12-09", False),
    ("Former manager, Ola", 3, "2026-12-11", False),
]
HABITS = [1, 3, 7]
WELLBEING = {
    "skill": "Planning tools, so my next role starts well",
    "learning-time": "Tuesday and Thursday mornings, 30 minutes",
    "enjoy-plan": "Swim on Saturday morning with my daughter",
    "my-warning-signs": "Staying in bed late and skipping meals",
    "help-contact": "My GP, or the EAP line",
}
WINS = [
    ("2026-11-20", "Told my family what happened", "Lighter"),
    ("2026-11-22", "Went for a long walk every day", "Calmer"),
    ("2026-11-24", "Cleared out my old work email", "Relieved"),
    ("2026-11-25", "Wrote down what went well in my last job", "Proud"),
    ("2026-11-27", "Called the EAP", "Nervous, then glad"),
    ("2026-11-28", "Fixed the first page of my CV", "Capable"),
    ("2026-11-29", "Slept eight hours", "Rested"),
]


def add_row(page: Any, group: str) -> int:
    """Add a row to a group through its button; return the new row's number."""
    page.click(f'[data-shs-field="{group}"] .shs-group__add')
    return page.locator(f'[data-shs-field="{group}"] [data-shs-row]').count()


def wait_saved(page: Any) -> None:
    """Leave the last field, so it is saved, and wait for the quiet status to say so."""
    page.locator("h1").first.click()
    page.wait_for_function("() => /Saved on this device/.test(document.querySelector('.shs-worksheet__status').textContent)")


def fill_action_plan(page: Any, site_url: str) -> None:
    open_sheet(page, site_url, "action-plan")
    page.fill("#shs-f-smart-goal", GOAL)
    page.check("#shs-f-goal-type-1")
    page.fill("#shs-f-why-it-matters", WHY)
    for action, date, who, done in STEPS:
        n = add_row(page, "action-steps")
        page.fill(f"#shs-f-action-steps-{n}-action", action)
        page.fill(f"#shs-f-action-steps-{n}-deadline", date)
        if who:
            page.fill(f"#shs-f-action-steps-{n}-who-can-help", who)
        if done:
            page.check(f"#shs-f-action-steps-{n}-done")
    for obstacle, plan in OBSTACLES:
        n = add_row(page, "obstacle-list")
        page.fill(f"#shs-f-obstacle-list-{n}-obstacle", obstacle)
        page.fill(f"#shs-f-obstacle-list-{n}-obstacle-plan", plan)
    page.fill("#shs-f-first-small-step", FIRST_STEP)
    page.fill("#shs-f-first-step-date", FIRST_DATE)
    page.fill("#shs-f-review-date", REVIEW_DATE)
    page.check("#shs-f-confidence-6")
    wait_saved(page)


def fill_plan_worksheets(page: Any, site_url: str) -> None:
    """Fill the action plan, support network map, wellbeing plan and small wins log."""
    fill_action_plan(page, site_url)
    open_sheet(page, site_url, "support-network-map")
    for name, kind, date, done in PEOPLE:
        n = add_row(page, "supporters")
        page.fill(f"#shs-f-supporters-{n}-supporter-name", name)
        page.check(f"#shs-f-supporters-{n}-support-kind-{kind}")
        page.fill(f"#shs-f-supporters-{n}-contact-by", date)
        if done:
            page.check(f"#shs-f-supporters-{n}-contacted")
    wait_saved(page)
    open_sheet(page, site_url, "wellbeing-plan")
    page.check("#shs-f-mood-4")
    for habit in HABITS:
        page.check(f"#shs-f-habits-{habit}")
    for field, answer in WELLBEING.items():
        page.fill(f"#shs-f-{field}", answer)
    wait_saved(page)
    open_sheet(page, site_url, "small-wins-log")
    for date, win, feeling in WINS:
        n = add_row(page, "wins-list")
        page.fill(f"#shs-f-wins-list-{n}-win-date", date)
        page.fill(f"#shs-f-wins-list-{n}-win", win)
        page.fill(f"#shs-f-wins-list-{n}-win-feeling", feeling)
    wait_saved(page)
