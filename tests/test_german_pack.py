"""A site in German (tests/fixtures/german-pack, `theme.language: de`): every word the generator writes is
German. The check looks for the English catalogue's messages (generator/locales/en.json, placeholders as
wildcards) in the built pages' text and attributes, the search index, the PDFs (pdftotext), the offline copy
and the string literals of the published scripts; then Chromium goes through the worksheet's toolbar,
banners and dialogs (autosave, export, import, clear and undo, print, another tab, storage refused, a newer
version, the reminder), My worksheets, the privacy page and My plan, and reads the visible text and the
accessible names of each state."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Doctype

from generator import messages
from tests.conftest import SiteServer, build_site, copy_pack, search_site, unzip_offline_copy

SITE_ID = "beispiel-gmbh/ruhiger-durch-die-woche"
SHEET = "wochenrueckblick"
KEY = f"selfhelp:{SITE_ID}:worksheet:{SHEET}"
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def _patterns() -> list[tuple[str, int, re.Pattern[str]]]:
    """One pattern per English message form: its words, placeholders as short wildcards, whole words only, in any
    case (styles print some labels in capitals)."""
    found = []
    for key, value in messages.catalogue("en").items():
        for form in value.values() if isinstance(value, dict) else [value]:
            parts = re.split(r"\{\w+\}", " ".join(form.replace("*", "").replace("`", "").split()))
            if not re.search(r"[A-Za-z]{2}", "".join(parts)):
                continue  # only punctuation around a placeholder (js.quote)
            while parts and not parts[0].strip():
                parts.pop(0)  # a placeholder at either end matches anything: leave it out
            while parts and not parts[-1].strip():
                parts.pop()
            body = r".{0,300}?".join(re.escape(part) for part in parts)
            words = len(re.findall(r"[A-Za-z]+", " ".join(parts)))
            found.append((key, words, re.compile(r"(?<![\w])" + body + r"(?![\w])", re.DOTALL | re.IGNORECASE)))
    return found


PATTERNS = _patterns()


def _squeezed(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text.lower())


SQUEEZED = [
    (key, part)
    for key, value in messages.catalogue("en").items()
    for form in (value.values() if isinstance(value, dict) else [value])
    for part in map(_squeezed, re.split(r"\{\w+\}", form))
    if len(part) >= 8
]
"""Each English message's words run together: PDFs space out capitals ("P RINTABLE"), so words split."""


def english_on_paper(text: str, language: str = "de") -> list[str]:
    """English messages in a PDF's text, in any case and however its letters are spaced."""
    squeezed = _squeezed(text)
    return english_in(text, language=language) + [
        f"{key}: {part!r}" for key, part in SQUEEZED if part in squeezed and not _same_in(language, key, part)
    ]


def _same_in(language: str, key: str, found: str) -> bool:
    """True when the language says it with the same word (French "pages", Spanish "no", Dutch "HR")."""
    value = messages.catalogue(language).get(key, "")
    return any(found.strip().lower() in form.lower() for form in (value.values() if isinstance(value, dict) else [value]))


def english_in(text: str, *, phrases_only: bool = False, language: str = "de") -> list[str]:
    """The English messages found in `text` (whitespace made single spaces), as `key: match`.

    `phrases_only`: only messages of two words or more (in code, "Date" and "Print" are also names)."""
    text = " ".join(text.split())
    return [
        f"{key}: {m.group(0)[:80]!r}"
        for key, words, pattern in PATTERNS
        if not phrases_only or words >= 2
        for m in [pattern.search(text)]
        if m and not _same_in(language, key, m.group(0))
    ]


def page_text(html: str) -> str:
    """What a reader can see or hear of a page: its text (templates included) and its labelling attributes."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    values = [tag.get(name) for tag in soup.find_all(True) for name in ATTRIBUTES if tag.get(name)]
    # Every string, those inside <template> too (get_text leaves them out): a row template becomes visible.
    strings = [s for s in soup.find_all(string=True) if not isinstance(s, (Comment, Doctype))]
    return " ".join(strings) + " " + " ".join(str(v) for v in values)


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_pack("german-pack", tmp_path_factory.mktemp("german") / "project")
    return build_site(project / "mkdocs.yml", project / "site")


def test_the_scanner_finds_english(german_site: Path) -> None:
    """The check can fail: it finds the generator's English in an English page."""
    assert english_in("Step 2 of 3 in the guide") == ["step.position: 'Step 2 of 3 in'"]
    assert any(found.startswith("js.calendar.saved") for found in english_in(
        "Calendar file saved with 2 dates: open it to add them to your calendar, with a reminder the day before."
    ))
    assert english_in("Schritt 2 von 3 in") == []
    assert "pdf.cover.kicker: 'printableworksheets'" in english_on_paper("P RINTABLE WORKSHEETS")
    assert english_on_paper("A RBEITSBL ÄTTER ZUM AUSDRUC KEN") == []


def test_every_page_is_german(german_site: Path) -> None:
    pages = sorted(german_site.rglob("*.html"))
    assert len(pages) >= 9
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert '<html lang="de"' in html, path
        assert english_in(page_text(html)) == [], path.relative_to(german_site)


def test_the_fixed_words_and_titles_are_the_german_catalogue(german_site: Path) -> None:
    de = messages.Messages("de")
    step = page_text((german_site / "guides/ruhe-finden/pausen-planen/index.html").read_text(encoding="utf-8"))
    for key in ("step.key_actions", "step.prompts", "step.worksheets", "nav.worksheets", "nav.privacy", "urgent.note"):
        assert de.text(key) in " ".join(step.split()), key
    assert "Schritt 1 von 2 in" in " ".join(step.split())
    sheet = page_text((german_site / f"worksheets/{SHEET}/index.html").read_text(encoding="utf-8"))
    assert "Tag hinzufügen" in sheet and "Tag entfernen" in sheet  # the item label keeps its capital
    # A blank date on paper is written the German way: __.__.____
    blanks = BeautifulSoup((german_site / f"worksheets/{SHEET}/index.html").read_text(encoding="utf-8"), "html.parser")
    assert {tag.get_text() for tag in blanks.select(".shs-p-date")} == {".."}
    privacy = (german_site / "privacy/index.html").read_text(encoding="utf-8")
    assert "<h1" in privacy and "Ihre Privatsphäre" in privacy and "Wie lange Ihr Browser sie aufbewahrt" in privacy


@pytest.mark.parametrize("language", ["fr", "es", "nl"])
def test_the_other_languages_leave_no_english_in_the_pages_or_pdfs(language: str, tmp_path: Path) -> None:
    """The same pack with `theme.language` set to each other shipped language."""
    project = copy_pack("german-pack", tmp_path / "project")
    site = build_site(project / "mkdocs.yml", tmp_path / "site", theme={"name": "material", "language": language, "font": False})
    for path in sorted(site.rglob("*.html")):
        found = english_in(page_text(path.read_text(encoding="utf-8")), language=language)
        assert found == [], (language, path.relative_to(site))
    assert english_on_paper(pdf_text(site / "pdf/worksheets.pdf"), language) == [], language


def test_each_script_carries_the_browser_messages_it_asks_for_not_every_page(german_site: Path) -> None:
    script = (german_site / "assets/selfhelp/site.js").read_text(encoding="utf-8")
    # selfhelpT and selfhelpLang, which reads the page's language: Material's <html lang="de">, checked below.
    assert "selfhelpT" in script and "selfhelpLang" in script and "documentElement.lang" in script
    carried: dict[str, dict] = {}
    words = re.compile(r"self\.selfhelpMessages=Object\.assign\(self\.selfhelpMessages\|\|\{\},(\{.*\})\);")
    for path in sorted((german_site / "assets").glob("*/*.js")):
        lines = path.read_text(encoding="utf-8").splitlines()[:2]
        found = next((words.match(line) for line in lines if words.match(line)), None)
        if found:
            carried[path.name] = json.loads(found.group(1))
    assert carried["worksheets.js"]["button.export"] == "Antworten exportieren"
    assert "site.js" not in carried  # The search dialog is named in the page (main.html), not by site.js.
    # The words typing and saving show come with worksheets.js; those of exports, imports and Clear on first need.
    assert "status.saved_at" in carried["worksheets.js"] and "import.question" not in carried["worksheets.js"]
    assert "import.question" in carried["worksheet-files.js"] and "clear.question" in carried["worksheet-more.js"]
    # A worksheet's toolbar is written in its page (worksheet-form.html's <template>): the words only it shows are there.
    in_page = {"button.export_text", "button.print", "toolbar.worksheet"}
    assert not in_page & {key for words in carried.values() for key in words}
    assert {key for words in carried.values() for key in words} | in_page == {
        k[3:] for k in messages.catalogue("en") if k.startswith("js.")
    }
    toolbar = BeautifulSoup((german_site / f"worksheets/{SHEET}/index.html").read_text(encoding="utf-8"), "html.parser")
    template = toolbar.select_one("[data-shs-tools] > template[data-search-exclude]")
    de = messages.Messages("de")
    assert template is not None and de.text("js.button.print") in template.decode_contents()
    assert de.text("js.toolbar.worksheet") in template.decode_contents()
    page_script = (german_site / "assets/selfhelp/worksheet-page.js").read_text(encoding="utf-8")
    assert json.dumps(carried["worksheets.js"], ensure_ascii=False, separators=(",", ":")) in page_script
    for page in sorted(german_site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("#shs-messages"), page.relative_to(german_site)
        scripts = [tag["src"].rsplit("/", 1)[-1] for tag in soup.select("head script[src]")]
        assert scripts == ["site.js"], page.relative_to(german_site)
        assert [d.get("aria-label") for d in soup.select(".md-search[role=dialog]")] == ["Suche"], page
        assert soup.html["lang"] == "de", page


def test_search_is_german(german_site: Path) -> None:
    index = json.loads((german_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["de"]
    assert english_in(" ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])) == []
    worker = (german_site / "assets/search/fuzzy-worker.js").read_text(encoding="utf-8")
    assert 'var LANGUAGES = ["de"];' in worker
    assert list(german_site.glob("assets/javascripts/lunr/min/lunr.de.min.js"))


def test_the_published_scripts_hold_no_english_message(german_site: Path) -> None:
    """Our scripts as published (minified: no comments); a single word is checked in Chromium, below."""
    for path in sorted((german_site / "assets").glob("*/*.js")):
        if "javascripts" in path.parts:
            continue  # Material's own bundle
        assert english_in(path.read_text(encoding="utf-8"), phrases_only=True) == [], path.name


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_pdfs_are_german(german_site: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found (apt-get install poppler-utils)")
    pack = pdf_text(german_site / "pdf/worksheets.pdf")
    for words in ("So nutzen Sie diese Arbeitsblätter", "In diesem Paket", "Seite 2 von", "zeitbedarf", "datum",
                  "Möchten Sie mit jemandem sprechen?", "3 Seiten", "Hilfe in einer Krise"):
        assert words in pack or words in _squeezed(pack), words
    for path in sorted((german_site / "pdf").glob("*.pdf")):
        assert english_on_paper(pdf_text(path)) == [], path.name
    assert re.search(r"^ +\. +\. ", pack, re.M), "a blank date is __.__.____ on the PDF too"
    assert "/" not in pack


def test_the_offline_copy_is_german(german_site: Path) -> None:
    (archive,) = (german_site / "offline").glob("*.zip")
    with zipfile.ZipFile(archive) as zipped:
        for name in zipped.namelist():
            if name.endswith(".html"):
                assert english_in(page_text(zipped.read(name).decode("utf-8"))) == [], name



@pytest.mark.browser
def test_the_offline_copy_searches_in_german_from_disk(german_site: Path, browser, tmp_path: Path) -> None:
    """From file:// the worker runs in a hidden frame, which loads lunr's German files before it builds the index."""
    root = unzip_offline_copy(german_site, tmp_path)
    context = browser.new_context()
    context.set_offline(True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((root / "index.html").as_uri())
        search_site(page, "Pause")
        assert "Suchergebnisse" in page.locator(".md-search-result__meta").inner_text()
        first = page.locator(".md-search-result__item > a").first.get_attribute("href")
        assert "guides/ruhe-finden/pausen-planen/index.html" in first
        assert page.evaluate("typeof document.querySelector('iframe[srcdoc]').contentWindow.lunr.de") == "function"
        assert errors == []
    finally:
        context.close()


# ---- in Chromium ---------------------------------------------------------------------------------------------

SEEN = """() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]"))
    for (const name of ["aria-label", "title", "alt", "placeholder"]) if (el.getAttribute(name)) out.push(el.getAttribute(name));
  return out.join(" \\n ");
}"""


@pytest.fixture(scope="module")
def server(german_site: Path) -> Iterator[SiteServer]:
    served = SiteServer(german_site)
    yield served
    served.close()


def seen(page, state: str, states: list[str], expect: str | None = None) -> str:
    """The visible text and accessible names now (once `expect` is among them: the scripts that write some
    states load on first need); fails naming `state` if any English message is among them."""
    if expect is not None:
        page.wait_for_function(f"(expected) => ({SEEN})().split(/\\s+/).join(' ').includes(expected)", arg=expect)
    text = page.evaluate(SEEN)
    assert english_in(text) == [], state
    states.append(state)
    return " ".join(text.split())


def status(page) -> str:
    return page.locator(".shs-worksheet__status").first.text_content()


def test_the_worksheet_in_german_through_every_state(server, browser, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    states: list[str] = []
    url = server.url + f"worksheets/{SHEET}/"
    page.goto(url)
    page.wait_for_selector(".shs-toolbar")
    text = seen(page, "toolbar", states)
    for button in ("Antworten exportieren", "Als Text exportieren", "Antworten importieren", "Drucken", "Antworten löschen",
                   "Termine in meinen Kalender"):
        assert page.get_by_role("button", name=button).is_visible(), button
    assert page.get_by_role("group", name="Werkzeuge für das Arbeitsblatt").is_visible()

    # Autosave: every field kind, typed as a reader would.
    page.click("text=Tag hinzufügen")
    page.fill("#shs-f-tage-1-datum", "2026-03-02")
    page.check("#shs-f-tage-1-energie-4")
    page.fill("#shs-f-tage-1-notiz", "Mittags spazieren gegangen")
    page.check("#shs-f-tage-1-pause")
    page.fill("#shs-f-bester-moment", "Das Gespräch am Donnerstag")
    page.check("#shs-f-stimmung-3")
    page.check("#shs-f-geholfen-1")
    page.check("#shs-f-erholt-4")
    page.fill("#shs-f-naechster-blick", "2026-03-13")
    page.fill("#shs-f-gedanken", "Früher Feierabend tut gut.")
    page.check("#shs-f-geteilt")
    page.locator("#shs-f-bester-moment").focus()
    page.wait_for_function("k => localStorage.getItem(k)", arg=KEY)
    page.wait_for_function("() => /auf diesem Gerät gespeichert/.test(document.querySelector('.shs-worksheet__status').textContent)")
    assert re.fullmatch(r"Um \d\d:\d\d auf diesem Gerät gespeichert\.", status(page)), status(page)
    seen(page, "autosaved", states)
    saved = json.loads(page.evaluate("k => localStorage.getItem(k)", KEY))["answers"]
    assert saved["stimmung"] == "Besser" and saved["tage"][0]["energie"] == 4 and saved["geteilt"] is True

    # Remove a row and undo it.
    page.click("text=Tag entfernen")
    assert "Zeile entfernt." in seen(page, "row removed", states, expect="Zeile entfernt.")
    page.get_by_role("button", name="Rückgängig").click()
    page.wait_for_selector("#shs-f-tage-1-notiz")

    # Export as JSON and as text.
    with page.expect_download() as info:
        page.get_by_role("button", name="Antworten exportieren").click()
    exported = Path(info.value.path()).read_bytes()
    assert json.loads(exported)["worksheets"][0]["answers"]["bester-moment"] == "Das Gespräch am Donnerstag"
    with page.expect_download() as info:
        page.get_by_role("button", name="Als Text exportieren").click()
    as_text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Zuletzt gespeichert:" in as_text and "Ja" in as_text and english_in(as_text) == []
    seen(page, "exported", states)

    # Calendar file.
    with page.expect_download():
        page.get_by_role("button", name="Termine in meinen Kalender").click()
    assert "Kalenderdatei mit 2 Terminen gespeichert" in status(page)
    seen(page, "calendar saved", states)

    # Clear: the question, Cancel, then yes; Undo.
    page.get_by_role("button", name="Antworten löschen").click()
    assert "in „Wochenrückblick“ löschen? Sie werden von diesem Gerät entfernt." in seen(page, "clear asked", states, expect="in „Wochenrückblick“ löschen? Sie werden von diesem Gerät entfernt.")
    page.get_by_role("button", name="Abbrechen").click()
    page.get_by_role("button", name="Antworten löschen").click()
    page.locator(".shs-panel").get_by_role("button", name="Antworten löschen").click()
    assert "Antworten gelöscht." in seen(page, "cleared", states, expect="Antworten gelöscht.")
    page.get_by_role("button", name="Rückgängig").click()
    assert "Ihre Antworten sind wieder da." in seen(page, "undone", states, expect="Ihre Antworten sind wieder da.")

    # Import: a wrong file, then the exported one (preview, replace).
    page.set_input_files(".shs-toolbar input[type=file]", files=[{"name": "x.json", "mimeType": "application/json", "buffer": b"{}"}])
    assert "Das ist keine Antwortdatei dieser Website." in seen(page, "import refused", states, expect="Das ist keine Antwortdatei dieser Website.")
    page.get_by_role("button", name="Antworten löschen").click()
    page.locator(".shs-panel").get_by_role("button", name="Antworten löschen").click()
    page.set_input_files(".shs-toolbar input[type=file]", files=[{"name": "antworten.json", "mimeType": "application/json", "buffer": exported}])
    text = seen(page, "import preview", states, expect="Die Antworten aus „antworten.json“ importieren?")
    assert "Die Antworten aus „antworten.json“ importieren?" in text and "Hier ist noch nichts beantwortet" in text
    page.get_by_role("button", name="Meine Antworten ersetzen").click()
    assert "Antworten importiert." in seen(page, "imported", states, expect="Antworten importiert.")
    assert page.input_value("#shs-f-bester-moment") == "Das Gespräch am Donnerstag"

    # Print: the paper copy, with the saved date in German.
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    paper = page.locator(".shs-paper").text_content()
    assert "Arbeitsblatt" in paper and "Gespeichert am" in paper and english_in(paper) == []
    printed = page.pdf(format="A4")
    (tmp_path / "sheet.pdf").write_bytes(printed)
    printed_text = pdf_text(tmp_path / "sheet.pdf")
    assert "Seite 1 von" in printed_text and "Das Gespräch am Donnerstag" in printed_text
    assert english_on_paper(printed_text) == []
    page.emulate_media(media="screen")
    states.append("printed")

    # Another tab changes an answer.
    other = context.new_page()
    other.goto(url)
    other.wait_for_selector(".shs-toolbar")
    other.fill("#shs-f-bester-moment", "Der Freitag")
    other.locator("#shs-f-gedanken").focus()
    page.wait_for_function("() => /in einem anderen Tab geändert/.test(document.querySelector('.shs-worksheet__status').textContent)")
    seen(page, "changed in another tab", states)
    other.close()

    # A newer version's answers: the locked banner.
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps({"format": 99, "answers": {}})])
    page.reload()
    page.wait_for_selector(".shs-banner--locked")
    assert "neueren Version dieser Website" in seen(page, "newer version banner", states, expect="neueren Version dieser Website")

    # The reminder to export, after a few days of use.
    care = f"selfhelp:{SITE_ID}:backup"
    page.evaluate("k => localStorage.clear()")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [care, json.dumps({"day": "2000-01-01", "days": 5, "asked": True, "kept": False})])
    page.reload()
    page.wait_for_selector(".shs-remind")
    assert "Exportieren Sie eine Kopie" in seen(page, "reminder", states, expect="Exportieren Sie eine Kopie")

    # My worksheets and the privacy page (delete all asked), My plan.
    page.goto(server.url + "worksheets/")
    page.wait_for_selector(".shs-toolbar")
    assert "Alle Antworten exportieren" in seen(page, "my worksheets", states, expect="Alle Antworten exportieren")
    page.goto(server.url + "privacy/")
    page.get_by_role("button", name="Alle meine Antworten löschen").click()
    assert "Ihre Antworten auf allen Arbeitsblättern" in seen(page, "delete all asked", states, expect="Ihre Antworten auf allen Arbeitsblättern")
    page.goto(server.url + "plan/")
    page.wait_for_selector(".shs-plan__empty")
    assert "Meinen Plan drucken" in seen(page, "my plan", states, expect="Meinen Plan drucken")
    page.get_by_role("button", name="Termine in meinen Kalender").click()
    assert "Es gibt noch keine Termine" in seen(page, "no dates", states, expect="Es gibt noch keine Termine")

    # Search, with lunr's German pack loaded by Material's worker through ours.
    page.goto(server.url)
    search_site(page, "Pausen und Grenzen")
    assert page.locator(".md-search-result__item").count() >= 1
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "Suche"
    seen(page, "search results", states)
    context.close()

    # Storage refused: the banner that says answers are not kept.
    blocked = browser.new_context()
    page = blocked.new_page()
    page.add_init_script("Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };")
    page.goto(url)
    page.fill("#shs-f-bester-moment", "x")
    page.locator("#shs-f-gedanken").focus()
    page.wait_for_selector(".shs-banner--storage")
    assert "werden auf diesem Gerät nicht gespeichert" in seen(page, "storage banner", states, expect="werden auf diesem Gerät nicht gespeichert")
    blocked.close()
    assert errors == []
    print("\nChecked in Chromium: " + ", ".join(states))
