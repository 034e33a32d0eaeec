"""Helpers shared by the worksheet browser tests (imported by the test modules)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from tests.conftest import collect_errors, search_site

SLEEP = "sleep-diary"
WAKE = "wake-plan"


# The site id each test site's pages carry (organisation and site name, as generator/engines/config.py makes
# it); "/" is the shipped site.
SITE_IDS = {"/one/": "sleep-better", "/two/": "second-org/sleep-better", "/": "getting-through-a-career-setback"}


def key(site_url: str, worksheet: str) -> str:
    """The localStorage key of a worksheet's answers on the site at `site_url`."""
    return f"selfhelp:{SITE_IDS[urlparse(site_url).path]}:worksheet:{worksheet}"


def legacy_key(site_url: str, worksheet: str) -> str:
    """The key older versions used: the site's path (on file://, its folder)."""
    return f"selfhelp:{urlparse(site_url).path}:worksheet:{worksheet}"


def track_errors(page: Any) -> list[str]:
    """Collect page errors, console errors and failed responses of `page`."""
    return collect_errors(page, failed_responses=True)


search_for = search_site


def open_sheet(page: Any, site_url: str, worksheet: str = SLEEP) -> None:
    """Go to a worksheet and wait until the script has bound it (its toolbar is there)."""
    page.goto(f"{site_url}worksheets/{worksheet}/")
    page.locator("form.shs-worksheet .shs-toolbar").wait_for()


def goto_for_instant_navigation(page: Any, url: str) -> None:
    """Open `url` and wait for Material's sitemap: it navigates instantly only to the pages the sitemap lists,
    fetched after the page loads, so a click made sooner (on a busy machine) is an ordinary page load."""
    with page.expect_response(lambda response: response.url.endswith("/sitemap.xml")):
        page.goto(url)


def stored(page: Any, site_url: str, worksheet: str = SLEEP) -> dict[str, Any] | None:
    raw = page.evaluate("k => localStorage.getItem(k)", key(site_url, worksheet))
    return json.loads(raw) if raw else None


def wait_stored(page: Any, site_url: str, worksheet: str, check: str) -> dict[str, Any]:
    """Wait until the stored record's answers satisfy the JS expression `check` (over `a`)."""
    page.wait_for_function(
        "k => { const r = JSON.parse(localStorage.getItem(k) || 'null'); const a = r && r.answers;"
        f" return !!a && ({check}); }}",
        arg=key(site_url, worksheet),
    )
    record = stored(page, site_url, worksheet)
    assert record is not None
    return record


def put(page: Any, site_url: str, worksheet: str, record: dict[str, Any] | None) -> None:
    """Write (or remove) a raw record, as an earlier visit would have left it."""
    page.evaluate(
        "([k, v]) => v === null ? localStorage.removeItem(k) : localStorage.setItem(k, v)",
        [key(site_url, worksheet), None if record is None else json.dumps(record)],
    )


def record(worksheet: str, answers: dict[str, Any], version: int = 2, rev: int = 1, fmt: int = 1) -> dict[str, Any]:
    return {
        "format": fmt,
        "worksheet": worksheet,
        "templateVersion": version,
        "savedAt": "2025-01-02T10:00:00.000Z",
        "rev": rev,
        "answers": answers,
    }


def answers_file(worksheets: dict[str, dict[str, Any]], fmt: int = 1) -> bytes:
    data = {
        "format": fmt,
        "kind": "selfhelp-answers",
        "worksheets": [{"worksheet": w, "templateVersion": 1, "answers": a} for w, a in worksheets.items()],
    }
    return json.dumps(data, indent=2).encode("utf-8")


def choose_file(page: Any, content: bytes, name: str = "answers.json", scope: str = "") -> None:
    """Hand a file to the toolbar's Import input (as the file chooser would)."""
    page.set_input_files(
        f"{scope} .shs-toolbar input[type=file]".strip(),
        files=[{"name": name, "mimeType": "application/json", "buffer": content}],
    )


# What `fill_sleep_diary` types, and how it is stored.
SLEEP_ANSWERS: dict[str, Any] = {
    "nights": [
        {"night-date": "2025-03-04", "hours": 7, "notes": "Read a book.\nNo phone after ten.", "nap": True},
        {"hours": 5, "notes": "Worked late"},
    ],
    "best-night": "Tuesday, after the walk",
    "mood": "Better",
    "helped": ["No screens", "Same wake time"],
    "rested": 8,
    "next-check": "2025-04-01",
    "thoughts": "Waking at the same time helped most. " * 30,
}


def fill_sleep_diary(page: Any) -> None:
    """Fill every field of the sleep diary through the page, as a reader would."""
    page.click("text=Add night")
    page.fill("#shs-f-nights-1-night-date", "2025-03-04")
    page.check("#shs-f-nights-1-hours-7")
    page.fill("#shs-f-nights-1-notes", "Read a book.\nNo phone after ten.")
    page.check("#shs-f-nights-1-nap")
    page.click("text=Add night")
    page.check("#shs-f-nights-2-hours-5")
    page.type("#shs-f-nights-2-notes", "Worked late")
    page.type("#shs-f-best-night", "Tuesday, after the walk")
    page.check("#shs-f-mood-3")
    page.check("#shs-f-helped-1")
    page.check("#shs-f-helped-3")
    page.check("#shs-f-rested-8")
    page.fill("#shs-f-next-check", "2025-04-01")
    page.fill("#shs-f-thoughts", SLEEP_ANSWERS["thoughts"])


def form_answers(page: Any) -> dict[str, Any]:
    """What the form shows now, read straight from the controls (not from storage)."""
    return page.evaluate(
        """() => {
        const empty = (v) => v === '' || v === false || v === null || (Array.isArray(v) && !v.length);
        const val = (el) => {
          const kind = el.dataset.shsKind, all = [...el.querySelectorAll('input,textarea')];
          if (kind === 'group') return [...el.querySelectorAll('[data-shs-row]')].map((row) => {
            const r = {}; row.querySelectorAll('[data-shs-field]').forEach((f) => { const v = val(f);
              if (!empty(v)) r[f.dataset.shsField] = v; });
            return r; });
          if (kind === 'checkbox') return all[0].checked;
          if (kind === 'checklist') return all.filter((i) => i.checked).map((i) => i.value);
          if (kind === 'choice' || kind === 'scale') { const c = all.find((i) => i.checked);
            return c ? (kind === 'scale' ? Number(c.value) : c.value) : null; }
          return all[0].value;
        };
        const out = {};
        document.querySelectorAll('form.shs-worksheet [data-shs-field]').forEach((el) => {
          if (el.closest('[data-shs-row]')) return;
          const v = val(el);
          if (!empty(v)) out[el.dataset.shsField] = v;
        });
        return out;
    }"""
    )


def fill_every_field(page: Any, text: str) -> int:
    """Fill every field of the worksheet on `page` generically (any content pack); return how many."""
    fields = page.evaluate(
        """() => [...document.querySelectorAll('form.shs-worksheet [data-shs-field]')]
            .filter((el) => !el.closest('[data-shs-row]') && !el.closest('template'))
            .map((el) => ({ id: el.dataset.shsField, kind: el.dataset.shsKind }))"""
    )
    for field in fields:
        scope = f'form.shs-worksheet [data-shs-field="{field["id"]}"]'
        if field["kind"] == "group":
            page.click(f"{scope} .shs-group__add")
            scope = f"{scope} [data-shs-row]"
        _fill_scope(page, scope, text)
    return len(fields)


def _fill_scope(page: Any, scope: str, text: str) -> None:
    for control in page.locator(f"{scope} .shs-field__control").all():
        kind = control.get_attribute("type") or "textarea"
        if kind == "date":
            control.fill("2025-05-06")
        elif kind == "checkbox":
            control.check()
        else:
            control.fill(text)
    for fieldset in page.locator(f"{scope} fieldset[data-shs-kind]").all():
        if fieldset.get_attribute("data-shs-kind") == "group":
            continue
        fieldset.locator("input").last.check()
    if page.locator(scope).first.get_attribute("data-shs-kind") in ("choice", "checklist", "scale"):
        page.locator(f"{scope} input").last.check()
