"""The plugin builds real sites: a second content pack (sleep) proves nothing is tied to one topic."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

import pytest
import rcssmin
from bs4 import BeautifulSoup
from mkdocs.utils.yaml import yaml_load

from generator import site_paths
from generator.engines.theme_assets import REGISTER_JS, REGISTER_WHERE_IT_CAN_RUN

from .conftest import PROJECT, build_site, copy_pack, edit, parse


@pytest.fixture(scope="module")
def sleep_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_pack("sleep-pack", tmp_path_factory.mktemp("sleep") / "project")
    return build_site(project / "mkdocs.yml", project / "site")


def nav_titles(soup: BeautifulSoup) -> list[str]:
    """Link texts of the primary navigation, in order (not the current page's headings, which Material
    lists under it)."""
    nav = soup.select_one("nav.md-nav--primary")
    assert nav is not None
    links = [a for a in nav.select("a.md-nav__link") if a.find_parent("nav", class_="md-nav--secondary") is None]
    return [" ".join(a.get_text(" ", strip=True).split()) for a in links]


def test_every_page_is_built(sleep_site: Path) -> None:
    built = sorted(p.relative_to(sleep_site).as_posix() for p in sleep_site.rglob("index.html"))
    assert built == [
        "about-sleep/index.html",
        "guides/better-sleep/index.html",
        "guides/better-sleep/keep-a-rhythm/index.html",
        "guides/better-sleep/wind-down/index.html",
        "index.html",
        "plan/index.html",
        "privacy/index.html",
        "situations/index.html",
        "situations/racing-mind/index.html",
        "worksheets/index.html",
        "worksheets/sleep-diary/index.html",
        "worksheets/wake-plan/index.html",
    ]
    assert not list(sleep_site.rglob("*.yml")), "worksheet sources must not be published"
    assert not list(sleep_site.rglob("*.j2")), "page templates must not be published"


def test_navigation_is_built_from_content(sleep_site: Path) -> None:
    titles = nav_titles(parse(sleep_site / "index.html"))
    assert titles == [
        "Sleep better",
        "A guide to better sleep",
        "Wind down before bed",
        "Keep a steady rhythm",
        "What happened?",
        "My mind races at night",
        "How sleep works",
        "My worksheets",
        "Sleep diary",
        "Wake-up plan",
        "My sleep plan",
        "Your privacy",
    ]


def test_guide_overview_lists_steps_in_order(sleep_site: Path) -> None:
    soup = parse(sleep_site / "guides/better-sleep/index.html")
    assert soup.h1.get_text(strip=True) == "A guide to better sleep"
    steps = soup.select(".shs-steplist li a")
    assert [a.get_text(strip=True) for a in steps] == ["Wind down before bed", "Keep a steady rhythm"]
    assert [a["href"] for a in steps] == ["wind-down/", "keep-a-rhythm/"]
    assert "Adults who sleep badly" in soup.select_one("article").get_text()


def test_step_page_shows_actions_prompts_and_worksheets(sleep_site: Path) -> None:
    soup = parse(sleep_site / "guides/better-sleep/keep-a-rhythm/index.html")
    article = soup.select_one("article")
    assert soup.h1.get_text(strip=True) == "Keep a steady rhythm"
    assert article.select_one(".shs-stepnumber").get_text(" ", strip=True) == "Step 2 of 2 in A guide to better sleep"
    assert article.select_one(".shs-lede").get_text(strip=True) == "Wake at the same time every day."
    assert [li.get_text(strip=True) for li in article.select(".shs-actions li")] == [
        "Set one wake-up time for every day of the week."
    ]
    assert [li.get_text(strip=True) for li in article.select(".shs-prompts li")] == ["When do you wake on a weekend?"]
    links = article.select(".shs-worksheetlist li a")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        ("Sleep diary", "../../../worksheets/sleep-diary/"),
        ("Wake-up plan", "../../../worksheets/wake-plan/"),
    ]
    body_link = article.find("a", string="winding down")
    assert body_link["href"] == "../wind-down/"
    assert article.select_one(".shs-keywords") is None, "keywords are for search, not shown on the page"


def test_keywords_are_searchable_as_tags(sleep_site: Path) -> None:
    index = json.loads((sleep_site / "search/search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"] == "guides/better-sleep/keep-a-rhythm/"]
    assert entries and entries[0]["tags"] == ["alarm", "weekend lie-in"]


def test_situation_routes_to_steps_and_worksheets(sleep_site: Path) -> None:
    article = parse(sleep_site / "situations/racing-mind/index.html").select_one("article")
    # Its one step is linked in its text, so it is not listed again (see tests/test_situation_and_worksheet_order.py).
    assert [a["href"] for a in article.select("a[href*='guides/']")] == ["../../guides/better-sleep/wind-down/"]
    assert article.select(".shs-steplist a") == [] and "Steps that help" not in article.get_text()
    assert [a["href"] for a in article.select(".shs-worksheetlist a")] == ["../../worksheets/sleep-diary/"]
    overview = parse(sleep_site / "situations/index.html").select_one("article")
    assert [a.get_text(strip=True) for a in overview.select(".shs-situationlist a")] == ["My mind races at night"]


def schema_script(soup: BeautifulSoup) -> BeautifulSoup:
    """The worksheet's schema <script>, kept inert inside a <template> of the form."""
    template = soup.select_one("form.shs-worksheet template.shs-worksheet__data")
    assert template is not None
    script = BeautifulSoup(template.decode_contents(), "html.parser").select_one("script.shs-worksheet__schema")
    assert script is not None and script["type"] == "application/json"
    return script


def controls_by_id(form: BeautifulSoup) -> dict[str, BeautifulSoup]:
    return {el["id"]: el for el in form.select("input, textarea, select") if el.has_attr("id")}


def label_text(form: BeautifulSoup, control: BeautifulSoup) -> str:
    """The accessible label of a control: a <label for>, or the <label> around it."""
    label = form.find("label", attrs={"for": control["id"]}) or control.find_parent("label")
    assert label is not None, f"{control['id']} has no label"
    return " ".join(label.get_text(" ", strip=True).split())


def test_worksheet_toolbar_is_in_its_page_inert_and_out_of_search(sleep_site: Path) -> None:
    """The toolbar is written in the page, in a <template> worksheets.js puts in place: nothing of it shows without
    JavaScript, and its words are not searched. A calendar file is offered only where a date names an event."""
    buttons = {}
    for sheet in ("sleep-diary", "wake-plan"):
        soup = parse(sleep_site / f"worksheets/{sheet}/index.html")
        assert not soup.select("form.shs-worksheet > [data-shs-tools] > :not(template)"), sheet  # no button without JavaScript
        template = soup.select_one("form.shs-worksheet > [data-shs-tools] > template[data-search-exclude]")
        assert template is not None, sheet
        tools = BeautifulSoup(template.decode_contents(), "html.parser")
        bar = tools.select_one(".shs-toolbar[role=group]")
        assert bar["aria-label"] == "Worksheet tools"
        buttons[sheet] = [(b.get_text(), b["data-shs-do"], b["type"]) for b in bar.select("button")]
        assert [b.get_text() for b in bar.select(".shs-toolbar__apart > .shs-button--danger")] == ["Clear answers"]
        file = bar.select_one("input[type=file][hidden]")
        assert file["aria-label"] == "Answers file to import" and file["accept"] == ".json,application/json"
        assert tools.select_one(".shs-notes") is not None and tools.select_one(".shs-panel").has_attr("hidden")
    plain = [("Export answers", "exportForm"), ("Export as text", "exportFormText"), ("Import answers", "import")]
    rest = [("Print", "print"), ("Clear answers", "clear")]
    calendar = [("Add dates to my calendar", "calendarForm")]
    assert buttons == {
        "sleep-diary": [(*b, "button") for b in plain + calendar + rest],
        "wake-plan": [(*b, "button") for b in plain + rest],
    }
    index = json.loads((sleep_site / "search/search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("worksheets/sleep-diary/"))
    assert texts  # the page is indexed, not its toolbar
    assert "Export as text" not in texts and "Add dates to my calendar" not in texts


def test_worksheet_form_has_a_labelled_control_for_every_field_kind(sleep_site: Path) -> None:
    soup = parse(sleep_site / "worksheets/sleep-diary/index.html")
    form = soup.select_one("form.shs-worksheet")
    assert form["data-shs-worksheet"] == "sleep-diary"
    assert form["data-shs-version"] == "2"
    controls = controls_by_id(form)
    assert controls["shs-f-best-night"]["type"] == "text"
    assert label_text(form, controls["shs-f-best-night"]) == "Which night was best?"
    assert controls["shs-f-thoughts"].name == "textarea"
    assert controls["shs-f-thoughts"]["aria-describedby"] == "shs-f-thoughts-help"
    assert soup.find(id="shs-f-thoughts-help").get_text(strip=True) == "A sentence or two is plenty."
    assert controls["shs-f-next-check"]["type"] == "date"
    assert [(c["type"], c["value"], label_text(form, c)) for c in form.select("input[name=mood]")] == [
        ("radio", "Worse", "Worse"),
        ("radio", "The same", "The same"),
        ("radio", "Better", "Better"),
    ]
    assert [c["type"] for c in form.select("input[name=helped]")] == ["checkbox"] * 3
    scale = form.select("input[name=rested]")
    assert [c["value"] for c in scale] == [str(n) for n in range(11)]
    assert label_text(form, scale[0]) == "0 (Exhausted)"
    assert label_text(form, scale[-1]) == "10 (Fully rested)"
    assert form.select_one("[data-shs-field=rested] legend").get_text(strip=True) == "How rested do you feel?"
    # The repeatable group: a row template with every sub-field and an add button (its blank rows for
    # paper are in the paper copy: test_worksheet_print.py).
    group = form.select_one("fieldset[data-shs-field=nights]")
    template = BeautifulSoup(group.select_one("template").decode_contents(), "html.parser")
    row_controls = controls_by_id(template)
    assert set(row_controls) == {
        "shs-f-nights-__ROW__-night-date",
        "shs-f-nights-__ROW__-notes",
        "shs-f-nights-__ROW__-nap",
        *{f"shs-f-nights-__ROW__-hours-{n}" for n in range(13)},
    }
    assert label_text(template, row_controls["shs-f-nights-__ROW__-nap"]) == "I napped that day"
    assert len(soup.select('.shs-paper [data-shs-slot="nights"] [data-shs-paper-row]')) == 7
    assert group.select_one("button.shs-group__add").get_text(strip=True) == "Add night"
    # Every control on the page is labelled.
    for control in controls.values():
        assert label_text(form, control)


def test_worksheet_schema_is_embedded_as_data(sleep_site: Path) -> None:
    soup = parse(sleep_site / "worksheets/sleep-diary/index.html")
    schema = json.loads(schema_script(soup).string)
    assert schema["id"] == "sleep-diary"
    assert schema["version"] == 2
    assert [f["id"] for f in schema["fields"]] == [
        "nights",
        "best-night",
        "mood",
        "helped",
        "rested",
        "next-check",
        "thoughts",
    ]
    assert [f["id"] for f in schema["fields"][0]["fields"]] == ["night-date", "hours", "notes", "nap"]


def test_worksheets_overview_lists_each_worksheet(sleep_site: Path) -> None:
    article = parse(sleep_site / "worksheets/index.html").select_one("article")
    items = article.select("li[data-shs-worksheet-id]")
    assert [li["data-shs-worksheet-id"] for li in items] == ["sleep-diary", "wake-plan"]
    assert [li.a["href"] for li in items] == ["sleep-diary/", "wake-plan/"]


def test_urgent_help_note_is_on_every_page(sleep_site: Path) -> None:
    for page in sleep_site.rglob("index.html"):
        note = parse(page).select_one(".md-banner .shs-urgent")
        assert note is not None, page
        assert "emergency number" in note.get_text()


def test_yaml_values_are_escaped_but_author_markdown_html_is_kept(tmp_path: Path) -> None:
    project = copy_pack("sleep-pack", tmp_path / "project")
    edit(project / "content/worksheets/wake-plan.yml", "label: My wake-up time", "label: \"<script>alert('x')</script> & <b>bold</b>\"")
    step = project / "content/guides/better-sleep/wind-down.md"
    step.write_text(
        step.read_text(encoding="utf-8").replace("Dim the lights.", "<em>Dim</em> the lights.")
        + '\n<p class="author-note">Written by the author.</p>\n',
        encoding="utf-8",
    )
    site = build_site(project / "mkdocs.yml", project / "site")
    soup = parse(site / "worksheets/wake-plan/index.html")
    form = soup.select_one("form.shs-worksheet")
    assert form.find("script", attrs={"type": None}) is None
    assert not [s for s in form.find_all("script") if s.get("type") != "application/json"]
    label = form.find("label", attrs={"for": "shs-f-wake-time"})
    assert label.get_text() == "<script>alert('x')</script> & <b>bold</b>"
    assert label.find("b") is None
    schema = schema_script(soup).string
    assert "</script>" not in schema
    assert json.loads(schema)["fields"][0]["label"].startswith("<script>")
    step_article = parse(site / "guides/better-sleep/wind-down/index.html").select_one("article")
    # A key action is YAML: escaped. The body is the author's Markdown: its HTML is kept.
    assert step_article.select_one(".shs-actions").find("em") is None
    assert "<em>Dim</em> the lights." in step_article.select_one(".shs-actions").get_text()
    assert step_article.select_one("p.author-note").get_text() == "Written by the author."


def test_shipped_site_builds_strict_with_its_navigation(shipped_site: Path) -> None:
    home = parse(shipped_site / "index.html")
    titles = nav_titles(home)
    assert titles[0] == home.h1.get_text(strip=True) == "Help after a career setback"
    assert "My worksheets" in titles and "Your privacy" in titles
    worksheet_pages = [p for p in (shipped_site / "worksheets").glob("*/index.html")]
    assert worksheet_pages
    for page in worksheet_pages:
        form = parse(page).select_one("form.shs-worksheet")
        assert form is not None, page
        for control in form.select("input, textarea"):
            assert control.get("id", "").startswith("shs-f-"), (page, control)


@pytest.fixture(scope="module")
def long_guide_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sleep pack with 60 more steps (62 in all), built with the shipped navigation features."""
    project = copy_pack("sleep-pack", tmp_path_factory.mktemp("long") / "project")
    guide = project / "content/guides/better-sleep"
    extra = [f"night-{n:02d}" for n in range(1, 61)]
    for number, step_id in enumerate(extra, start=1):
        (guide / f"{step_id}.md").write_text(
            f"---\ntitle: Night {number:02d}\nsummary: What to try on night {number}.\n"
            "key_actions: [Change one thing.]\nreflection_prompts: [What changed?]\n---\nTry one small change tonight.\n",
            encoding="utf-8",
        )
    edit(guide / "index.md", "  - keep-a-rhythm\n", "  - keep-a-rhythm\n" + "".join(f"  - {s}\n" for s in extra))
    # Read as MkDocs reads it: the shipped file holds a !!python tag (generator/engines/__init__.py).
    shipped_features = yaml_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["features"]
    edit(project / "mkdocs.yml", "  font: false\n", "  font: false\n  features: " + json.dumps(shipped_features) + "\n")
    return build_site(project / "mkdocs.yml", project / "site")


def test_a_long_guide_is_split_into_parts_and_each_page_carries_only_its_own(long_guide_site: Path) -> None:
    titles = nav_titles(parse(long_guide_site / "guides/better-sleep/night-30/index.html"))
    # Steps 1-25 and 51-62 are collapsed to one link each; the part being read is listed in full.
    assert "Steps 1–25" in titles and "Steps 51–62" in titles
    assert "Night 23" not in titles and "Night 50" not in titles
    assert [t for t in titles if t.startswith("Night ")] == [f"Night {n:02d}" for n in range(24, 49)]
    home = nav_titles(parse(long_guide_site / "index.html"))
    assert not [t for t in home if t.startswith("Night ")], "a page outside the guide lists no step"
    # A collapsed part links to its first step, so every step stays two clicks away.
    links = parse(long_guide_site / "index.html").select("nav.md-nav--primary a.md-nav__link")
    [part] = [a for a in links if "Steps 51–62" in a.get_text()]
    assert part["href"] == "guides/better-sleep/night-49/"


def test_materials_search_is_pointed_at_our_worker_in_its_settings_and_no_setup_script_runs(sleep_site: Path) -> None:
    for page, root in (("index.html", ""), ("worksheets/sleep-diary/index.html", "../../")):
        soup = parse(sleep_site / page)
        assert json.loads(soup.select_one("#__config").string)["search"] == f"{root}assets/search/fuzzy-worker.js"
        assert not [tag for tag in soup.select("script[src]") if "search-setup" in tag["src"]], page
    assert (sleep_site / "assets/search/fuzzy-worker.js").is_file()


def test_only_pages_with_a_worksheet_load_the_worksheet_script_and_styles(sleep_site: Path) -> None:
    def loaded(page: str) -> set[str]:
        soup = parse(sleep_site / page)
        urls = [tag["src"] for tag in soup.select("script[src]")] + [tag["href"] for tag in soup.select("link[rel=stylesheet]")]
        return {url.rsplit("/", 1)[-1] for url in urls if "/selfhelp/" in url}

    tools = {"worksheets.js", "worksheets.css"}
    for page in ("worksheets/index.html", "privacy/index.html", "plan/index.html"):
        assert tools <= loaded(page), page
    # A worksheet page loads one stylesheet of ours, which holds the worksheet styles and the print design of its
    # paper copy, each file as published, in the order the other pages link them, print under @media print.
    assert loaded("worksheets/sleep-diary/index.html") == {"site.js", "worksheet-page.js", "worksheet-page.css"}
    # Its script after Material's: worksheets.js as published, after a line that adds register.js to the page where
    # a service worker can run (https or localhost: never on plain http, which then fetches nothing of it).
    script = (sleep_site / "assets/selfhelp/worksheet-page.js").read_text(encoding="utf-8")
    worksheets = (sleep_site / "assets/selfhelp/worksheets.js").read_text(encoding="utf-8").strip().rstrip(";")
    assert script == f"{REGISTER_WHERE_IT_CAN_RUN};\n{worksheets};\n"
    assert "register" not in worksheets
    # The address it gives, from worksheet-page.js's, is register.js's, which finds sw.js two folders above itself.
    assert urljoin(site_paths.WORKSHEET_PAGE_JS, "../offline/register.js") == REGISTER_JS
    assert '"../offline/register.js"' in REGISTER_WHERE_IT_CAN_RUN and (sleep_site / REGISTER_JS).is_file()
    assert REGISTER_JS.count("/") == 2
    bundle = (sleep_site / "assets/selfhelp/worksheet-page.css").read_text(encoding="utf-8")
    parts = ["brand.css", "selfhelp.css", "print-frame.css", "worksheets.css", "worksheet-print.css"]
    texts = [rcssmin.cssmin((sleep_site / "assets/selfhelp" / name).read_text(encoding="utf-8")) for name in parts]
    for name, text in zip(parts, texts, strict=True):
        assert (f"@media print{{{text}}}" if "print" in name else text) in bundle, name
    assert [bundle.index(text) for text in texts] == sorted(bundle.index(text) for text in texts)
    assert "worksheet-print.css" not in loaded("worksheets/index.html") | loaded("plan/index.html")
    for page in ("index.html", "guides/better-sleep/wind-down/index.html", "situations/racing-mind/index.html"):
        home = {"home.css"} if page == "index.html" else set()  # the home page's cards, only there
        assert loaded(page) == {"site.js", "brand.css", "selfhelp.css", "print-frame.css"} | home, page
    # Those pages are marked for site.js, which loads the worksheet script when instant navigation brings one in:
    # hidden, in the part of the page instant navigation swaps, outside the article.
    marked = set()
    for page in sleep_site.rglob("*.html"):
        soup = parse(page)
        for mark in soup.select("[data-shs-worksheet-tools]"):
            assert mark.has_attr("hidden") and not mark.contents and not mark.find_parent("article"), page
            assert mark.find_parent(attrs={"data-md-component": "container"}), page
            marked.add(page.relative_to(sleep_site).as_posix())
        assert bool(soup.select("[data-shs-worksheet-tools]")) == bool(soup.select("script[data-shs-worksheets]")), page
    assert {"worksheets/index.html", "privacy/index.html", "plan/index.html", "worksheets/sleep-diary/index.html"} <= (
        marked
    )


def test_a_custom_dir_copy_is_the_one_bundled_and_a_script_that_does_not_parse_is_published_as_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = copy_pack("sleep-pack", tmp_path / "pack")
    overrides = project / "overrides" / "assets"
    (overrides / "selfhelp").mkdir(parents=True)
    (overrides / "selfhelp" / "worksheets.css").write_text("/* ours */\n.site-own-rule { color: red; }\n", encoding="utf-8")
    (overrides / "broken.js").write_text("var fine = 1;\nvar broken = ;\n", encoding="utf-8")
    edit(project / "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
    with caplog.at_level("WARNING"):
        site = build_site(project / "mkdocs.yml", project / "site", strict=False)
    assert ".site-own-rule{color:red}" in (site / "assets/selfhelp/worksheet-page.css").read_text(encoding="utf-8")
    assert (site / "assets/broken.js").read_text(encoding="utf-8") == "var fine = 1;\nvar broken = ;\n"
    [warning] = [r.getMessage() for r in caplog.records if "broken.js" in r.getMessage()]
    assert "line 2" in warning and "published as written" in warning


def test_our_scripts_and_styles_are_published_minified_and_source_maps_left_out(sleep_site: Path) -> None:
    assert not list(sleep_site.rglob("*.map")), "source maps are for developer tools, not readers"
    for name in ("selfhelp/worksheets.js", "selfhelp/site.js", "selfhelp/worksheets.css", "search/search-highlight.js"):
        source = (PROJECT / "generator/theme/assets" / name).read_text(encoding="utf-8")
        built = (sleep_site / "assets" / name).read_text(encoding="utf-8")
        assert "/*" in source and "/*" not in built, name
        assert len(built) < 0.85 * len(source), name
