"""Text from content stays text in every place it reaches; Markdown values keep their safe subset; the CSP allows
only the scripts the templates wrote, and scripts in page bodies are named with file and line.

The built-site tests read one build of `tests/hostile_content.py`'s project (every value and option holds script
payloads, and one page body holds a script and an `onerror=`) the way a browser or a PDF reader would: parsed HTML
(BeautifulSoup), the search index as JSON, the PDFs' text (pypdf). The browser test serves it with exactly the
headers of its `_server/headers.txt` and listens for dialogs and CSP violations.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import jinja2
import markdown
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator.content.body_scripts import find_body_scripts, find_page_scripts
from generator.content.model import Markdown, Source
from generator.content.sanitize import MarkdownValues, is_link_address, markdown_text, text_html
from generator.products.csp import TemplateScriptMarker, TemplateScripts, is_executable, new_token, script_hash
from generator.products.html_scan import inline_scripts

from .conftest import SiteServer, build_site, parse, search_site
from .hostile_content import (
    DATA_URL,
    PAYLOAD,
    QUOTING_URL,
    SITE_NAME,
    hostile,
    hostile_project,
)

SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "toc"]


def words(text: str) -> str:
    return " ".join(text.split())


# -- the sanitizer, value by value ------------------------------------------------------------------------


def content_url(kind: str, item_id: str, anchor: str) -> str | None:
    """A stand-in resolver: content that exists is at ../<id>/."""
    return None if item_id == "missing" else f"../{item_id}/" + (f"#{anchor}" if anchor else "")


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("Put *screens* away", "Put <em>screens</em> away"),
        ("**Ask** for `help`", "<strong>Ask</strong> for <code>help</code>"),
        ("one  \ntwo", "one<br>\ntwo"),
        ("*x*{: onmouseover=alert(3) }", "<em>x</em>{: onmouseover=alert(3) }"),
        ("[x](javascript:alert(4))", "x"),
        ("[x](JavaScript:alert(4))", "x"),
        ("[x](java\tscript:alert(4))", "x"),
        ("[x](&#106;avascript:alert(4))", "x"),
        ("[x][ref]\n\n[ref]: javascript:alert(4)", "x"),
        ("[d](data:text/html,<script>alert(7)</script>)", "d"),
        ("![i](x.png) ![j](data:image/png;base64,AA==)", "![i](x.png) ![j](data:image/png;base64,AA==)"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("<script>alert(2)</script>", "&lt;script&gt;alert(2)&lt;/script&gt;"),
        ('"><svg onload=alert(6)>', '"&gt;&lt;svg onload=alert(6)&gt;'),
        ("[a](../secret.html) [b](/etc/passwd) [c](//evil.test/)", "a b c"),
        (
            "[web](https://example.test/) [mail](mailto:hr@example.test) [call](tel:+44800)",
            '<a href="https://example.test/" rel="noopener noreferrer">web</a> '
            '<a href="mailto:hr@example.test" rel="noopener noreferrer">mail</a> '
            '<a href="tel:+44800" rel="noopener noreferrer">call</a>',
        ),
        ("[step](step:wind-down#why)", '<a href="../wind-down/#why" rel="noopener noreferrer">step</a>'),
        ("[gone](step:missing)", "gone"),
        ("# Not a heading", "# Not a heading"),
        ("1. Not a list", "1. Not a list"),
        ("&lt;b&gt; &amp;", "&lt;b&gt; &amp;"),
    ],
)
def test_inline_markdown_values_keep_the_documented_subset(source: str, html: str) -> None:
    assert MarkdownValues().inline(source, content_url) == html


def test_block_markdown_values_add_paragraphs_and_lists_only() -> None:
    html = MarkdownValues().block(
        "First *para*.\n\n- one [s](step:x)\n- two\n\n# Title\n\n> quote\n\n    code\n\n---\n\n"
        "<div onclick=alert(1)>d</div>\n",
        content_url,
    )
    soup = BeautifulSoup(html, "html.parser")
    assert {tag.name for tag in soup.find_all(True)} == {"p", "em", "ul", "li", "a"}
    assert [a["href"] for a in soup.find_all("a")] == ["../x/"]
    assert "# Title" in soup.get_text() and "> quote" in soup.get_text()
    assert "<div onclick=alert(1)>d</div>" in soup.get_text()


@pytest.mark.parametrize("text", [PAYLOAD, "I've a \"quote\" & <b>", "1. # > - + | ! \\* ~~ == ^^ :smile: [TOC]"])
def test_text_in_generated_markdown_is_inert(text: str) -> None:
    html = markdown.markdown(f"{markdown_text(text)}\n{{: .lede }}", extensions=SITE_EXTENSIONS)
    soup = BeautifulSoup(html, "html.parser")
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert [str(tag) for tag in soup.find_all(True)] == [f'<p class="lede">{escaped}</p>']
    assert soup.p.get_text() == words(text)


@pytest.mark.parametrize("text", [PAYLOAD, "I've a \"quote\" & <b>"])
def test_text_made_html_reads_back_as_the_same_text(text: str) -> None:
    html = text_html(text)
    assert BeautifulSoup(f"<p>{html}</p>", "html.parser").p.get_text() == text
    assert BeautifulSoup(f'<a title="{html}">x</a>', "html.parser").a["title"] == text
    assert jinja2.Environment(autoescape=True).from_string("{{ t | e }}").render(t=html) == html, "never twice"
    assert "'" in text_html("I've"), "apostrophes stay as written (the search index matches them)"


@pytest.mark.parametrize(
    ("url", "linked"),
    [("https://x.test/", True), ("mailto:a@b", True), ("tel:1", True), ("javascript:alert(1)", False),
     (" JAVASCRIPT:alert(1)", False), (DATA_URL, False), ("/relative", False), ("//evil.test", False)],
)
def test_link_addresses(url: str, linked: bool) -> None:
    assert is_link_address(url) is linked


# -- the CSP allow-list -----------------------------------------------------------------------------------


def test_only_scripts_written_in_templates_are_hashed() -> None:
    token = new_token()
    loader = TemplateScriptMarker(
        jinja2.DictLoader(
            {"page.html": '<head><SCRIPT>theme("{{ base }}")</SCRIPT><script src="app.js"></script>'
                          '<script type="application/json">{"a": 1}</script></head>'
                          "<title>{{ title }}</title><main>{{ content }}</main>"}
        ),
        token,
    )
    env = jinja2.Environment(loader=loader)  # noqa: S701 - MkDocs' theme env has no autoescape either
    scripts = TemplateScripts(token)
    html = env.get_template("page.html").render(
        base="..",
        title="</title><script>evil(1)</script>",
        content='<script data-selfhelp-template-script="guess">evil(2)</script>',
    )
    output, stray = scripts.take(html)
    assert scripts.hashes == [script_hash('theme("..")')]
    assert [s.text for s in stray] == ["evil(1)", "evil(2)"]
    assert token not in output and "<SCRIPT>theme" in output


# -- scripts in page bodies -------------------------------------------------------------------------------


def test_body_scripts_are_named_at_the_line_they_are_written() -> None:
    text = (
        "Intro with `<script>shown()</script>` as code.\n"  # 1: code, not live
        "\n"
        "<script>\n"  # 3
        "  alert(20)\n"
        "</script>\n"
        "\n"
        "A *hover*{: onmouseover=alert(3) } and [a link](javascript:alert(4)).\n"  # 7
        "\n"
        "<img src=x alt=moon onerror=alert(21)>\n"  # 9
        "<iframe srcdoc='<b>x</b>'></iframe> <a href='data:text/html,x'>d</a> "  # 10
        "<img src='data:image/png;base64,AA=='>\n"
    )
    body = Markdown(text, Source("content/pages/about.md", 6))
    found = [str(item) for item in find_body_scripts([body], SITE_EXTENSIONS)]
    assert found == [
        "content/pages/about.md:8: a <script> element in the page body would run in readers' browsers: remove it "
        "(the site's Content-Security-Policy blocks scripts written in content, and the offline copy would run them)",
        "content/pages/about.md:12: the 'onmouseover' attribute on <em> in the page body would run script in "
        "readers' browsers: remove the attribute",
        "content/pages/about.md:12: a javascript: address in the 'href' of <a> in the page body would run script in "
        "readers' browsers: link to an http(s), mailto: or tel: address, or to content such as step:ID",
        "content/pages/about.md:14: the 'onerror' attribute on <img> in the page body would run script in "
        "readers' browsers: remove the attribute",
        "content/pages/about.md:15: the 'srcdoc' attribute on <iframe> in the page body holds a page that can run "
        "script: remove the attribute",
        "content/pages/about.md:15: a data: address in the 'href' of <a> in the page body can hold a page that runs "
        "script: put the file in the site's folder and link to it there",
    ]


def test_a_page_is_checked_in_the_html_the_engine_rendered_without_the_templates_scripts() -> None:
    """The build checks the HTML MkDocs already made for the page: the templates' marked scripts are not the author's."""
    body = Markdown("Words.\n\n<img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n", Source("content/a.md", 3))
    html = (
        '<h1>A step</h1><script type="application/json" data-selfhelp-template-script=abc>{"id": 1}</script>'
        "<p>Words.</p>\n<p><img src=x onerror=alert(1)></p>\n<script>alert(2)</script>"
    )
    mark = ("data-selfhelp-template-script", "abc")
    found = [str(item) for item in find_page_scripts(html, body, mark)]
    assert found == [
        "content/a.md:5: the 'onerror' attribute on <img> in the page body would run script in "
        "readers' browsers: remove the attribute",
        "content/a.md:7: a <script> element in the page body would run in readers' browsers: remove it "
        "(the site's Content-Security-Policy blocks scripts written in content, and the offline copy would run them)",
    ]
    assert [item.script_text for item in find_page_scripts(html, body, mark)] == ["", "alert(2)"]
    other_token = [item.what for item in find_page_scripts(html, body, ("data-selfhelp-template-script", "xyz"))]
    assert sum("<script>" in what for what in other_token) == 2
    # The same findings as rendering the body on its own.
    assert found == [str(item) for item in find_body_scripts([body], SITE_EXTENSIONS)]


def test_a_body_without_html_is_not_reported() -> None:
    body = Markdown("Plain words, a [link](https://example.test/) and `code`.\n", Source("content/index.md", 4))
    assert find_body_scripts([body], SITE_EXTENSIONS) == []
    described = Markdown("Keep the job description short.\n", Source("content/index.md", 4))
    assert find_page_scripts("<p>Keep the job description short.</p>", described) == []


def test_an_address_split_by_a_tab_is_reported() -> None:
    """A browser ignores tabs and newlines in an address: `javas<tab>cript:` runs."""
    body = Markdown("Words.\n\n[x](javas\tcript:alert(1)) and [y](da\nta:text/html,x)\n", Source("content/a.md", 3))
    found = [item.what for item in find_body_scripts([body], SITE_EXTENSIONS)]
    assert found == [
        "a javascript: address in the 'href' of <a> in the page body would run script in readers' browsers",
        "a data: address in the 'href' of <a> in the page body can hold a page that runs script",
    ]


# -- the hostile build, place by place ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = hostile_project(tmp_path_factory.mktemp("hostile") / "project", body_scripts=True)
    # Not strict: the body's script and handler are warnings here, so the site is built to be inspected.
    return build_site(project / "mkdocs.yml", project / "site", strict=False)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def live_html(soup: BeautifulSoup) -> list[str]:
    """Everything in a page that would run script or navigate to script, as short descriptions."""
    found = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            compact = "".join(text.split()).lower()
            if name.startswith("on"):
                found.append(f"<{element.name} {name}>")
            if compact.startswith(("javascript:", "vbscript:")) or (
                compact.startswith("data:") and not (element.name == "img" and compact.startswith("data:image/"))
            ):
                found.append(f"<{element.name} {name}={text[:20]}>")
            if name == "srcdoc":
                found.append(f"<{element.name} srcdoc>")
        if element.name in ("iframe", "object", "embed", "svg") and element.find_parent("article"):
            found.append(f"<{element.name}>")
    return found


def test_nothing_from_content_is_live_except_the_body_html_the_build_named(hostile_site: Path) -> None:
    for page in pages(hostile_site):
        soup = parse(page)
        html = page.read_text(encoding="utf-8")
        scripts = [text for tag, text in inline_scripts(html) if is_executable(tag.attributes)]
        relative = page.relative_to(hostile_site).as_posix()
        if relative == "about-sleep/index.html":
            assert live_html(soup) == ["<img onerror>"]
            assert [s for s in scripts if "alert" in s] == ["alert(20)"]
        else:
            assert live_html(soup) == [], relative
            assert [s for s in scripts if "alert" in s] == [], relative
        assert "<style>body" not in str(soup.find_all("style")), relative


def test_titles_are_text_in_the_title_header_navigation_h1_and_footer(hostile_site: Path) -> None:
    title = hostile("Wind down before bed")
    soup = parse(hostile_site / "guides/better-sleep/wind-down/index.html")
    assert soup.title.get_text() == f"{title} - {SITE_NAME}"
    assert [words(h.get_text()) for h in soup.find_all("h1")] == [words(title)]
    header = [words(t.get_text()) for t in soup.select(".md-header__topic .md-ellipsis")]
    assert header == [words(SITE_NAME), words(title)]
    nav = [words(a.get_text(" ")) for a in soup.select("nav.md-nav--primary .md-nav__link")]
    for expected in (
        hostile("A guide to better sleep"), title, hostile("Keep a steady rhythm"), hostile("What happened?"),
        hostile("My worksheets"), hostile("Your privacy"), hostile("How sleep works"),
    ):
        assert words(expected) in nav, expected
    # A section's label that is only an icon is named after the section's link beside it, as built (main.html).
    labels = soup.select(".md-nav__container > label.md-nav__link")
    assert labels
    for label in labels:
        assert label["aria-label"] == words(label.parent.select_one("a.md-nav__link").get_text(" ")), label
    assert [a["title"] for a in soup.select("a.md-logo")] == [SITE_NAME, SITE_NAME]
    footer = {a["aria-label"] for a in soup.select("a.md-footer__link")}
    assert footer == {f"Previous: {hostile('A guide to better sleep')}", f"Next: {hostile('Keep a steady rhythm')}"}
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description == hostile("Give your mind an hour to slow down.")
    assert soup.find("meta", attrs={"name": "author"})["content"] == hostile("The HR team")
    privacy = parse(hostile_site / "privacy/index.html")  # no summary: the site's description
    assert privacy.find("meta", attrs={"name": "description"})["content"] == hostile("Private help")


def test_summaries_labels_and_lists_are_text_on_the_pages(hostile_site: Path) -> None:
    step = parse(hostile_site / "guides/better-sleep/wind-down/index.html").select_one("article")
    assert words(step.select_one(".shs-lede").get_text()) == words(hostile("Give your mind an hour to slow down."))
    guide = parse(hostile_site / "guides/better-sleep/index.html").select_one("article")
    assert words(hostile("Adults who sleep badly for a few weeks at a time.")) in words(guide.get_text(" "))
    assert words(hostile("Keep a steady rhythm")) in [words(a.get_text()) for a in guide.select(".shs-steplist a")]
    diary = parse(hostile_site / "worksheets/sleep-diary/index.html").select_one("article")
    places = "label, legend, .shs-field__help, h2, .shs-scale__end, .shs-p-sublabel, .shs-p-label"
    texts = [words(t.get_text(" ")) for t in diary.select(places)]
    for expected in ("Your nights", "Nights", "What happened before bed?", "A sentence or two is plenty.",
                     "Worse", "Exhausted", "Fully rested", "After a week"):
        assert any(text.startswith(words(hostile(expected))) for text in texts), expected
    values = [i["value"] for i in diary.select('input[name="mood"]')]
    assert values == [hostile("Worse"), hostile("The same"), hostile("Better")]


def test_markdown_values_keep_only_their_subset(hostile_site: Path) -> None:
    step = parse(hostile_site / "guides/better-sleep/wind-down/index.html").select_one("article")
    for block in step.select(".shs-actions li, .shs-prompts li"):
        assert {tag.name for tag in block.find_all(True)} == {"em", "code"}
        assert all(not tag.attrs for tag in block.find_all(True))
        assert "<img src=x onerror=alert(1)>" in block.get_text()
    wake = parse(hostile_site / "worksheets/wake-plan/index.html").select_one(".shs-instructions")
    assert [(a.get_text(), a["href"]) for a in wake.find_all("a")] == [("the diary", "../sleep-diary/")]
    assert "See the diary and web." in words(wake.get_text(" "))


def test_contacts_and_options_are_text_and_only_safe_addresses_are_links(hostile_site: Path) -> None:
    soup = parse(hostile_site / "index.html")
    banner = soup.select_one(".shs-urgent")
    assert words(hostile("If you are in danger, call now.")) in words(banner.get_text(" "))
    assert words(hostile("Crisis line")) in words(banner.get_text(" "))
    contacts = soup.select_one(".shs-contacts")
    assert words(contacts.h2.get_text()) == words(f"Who you can talk to at {hostile('Example Care Ltd')}")
    hrefs = [a["href"] for a in soup.select(".shs-urgent a, .shs-contacts a")]
    assert "https://eap.example.test/" in hrefs
    assert all(href.startswith(("tel:", "mailto:", "https:")) for href in hrefs), hrefs
    assert QUOTING_URL in hrefs and banner.find("script") is None and contacts.find("script") is None


def test_search_index_holds_text_as_escaped_html(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    step = docs["guides/better-sleep/wind-down/"]
    # Material's search shows title, text and tags as HTML: each must read back as the text itself.
    shown = BeautifulSoup(step["title"], "html.parser")
    assert shown.find(True) is None and shown.get_text() == hostile("Wind down before bed")
    assert [BeautifulSoup(tag, "html.parser").get_text() for tag in step["tags"]] == [
        hostile("screens"), hostile("bedtime routine")
    ]
    for doc in index["docs"]:
        for part in [doc["title"], doc["text"], *doc.get("tags", [])]:
            assert BeautifulSoup(part, "html.parser").find(["script", "img", "svg", "iframe", "style"]) is None, doc


def test_json_data_blocks_hold_the_text_and_cannot_close_their_script(hostile_site: Path) -> None:
    html = (hostile_site / "worksheets/sleep-diary/index.html").read_text(encoding="utf-8")
    [(_, block)] = [(t, s) for t, s in inline_scripts(html) if "shs-worksheet__schema" in t.attributes.get("class", "")]
    assert "<" not in block and ">" not in block
    schema = json.loads(block)
    assert schema["title"] == hostile("Sleep diary")
    [mood] = [field for field in schema["fields"] if field["id"] == "mood"]
    assert mood["label"] == hostile("How do you feel about your sleep now?")
    assert mood["options"] == [hostile("Worse"), hostile("The same"), hostile("Better")]


def test_toc_and_sitemap_hold_no_markup_from_content(hostile_site: Path) -> None:
    soup = parse(hostile_site / "guides/better-sleep/wind-down/index.html")
    toc = soup.select_one("nav.md-nav--secondary")
    assert [words(a.get_text()) for a in toc.select("a")] == ["Why an hour helps", "Key actions",
                                                             "Questions to reflect on", "Worksheets for this step"]
    sitemap = ET.parse(hostile_site / "sitemap.xml").getroot()  # noqa: S314 - our own build's sitemap
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations and all("<" not in loc and "alert" not in loc for loc in locations)


def test_pdfs_print_the_text_as_text(hostile_site: Path) -> None:
    def compact(text: str) -> str:
        return "".join(text.split())

    pack = PdfReader(hostile_site / "pdf/worksheets.pdf")
    printed = compact(" ".join(page.extract_text() for page in pack.pages))
    for fragment in ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "*x*{: onmouseover=alert(3) }",
                     '"><svg onload=alert(6)>', "{{ 7*7 }}", "&lt;b&gt;"):
        assert compact(fragment) in printed, fragment
    for name in ("Example Care Ltd", "Crisis line", "Sleep diary", "Your nights", "What happened before bed?"):
        assert compact(hostile(name))[:60] in printed, name
    wake = compact(" ".join(page.extract_text() for page in PdfReader(hostile_site / "pdf/wake-plan.pdf").pages))
    assert compact("See the diary and web.") in wake, "links in the instructions print as their words"
    assert pack.metadata.author == hostile("Example Care Ltd")


def test_the_csp_allows_the_template_scripts_and_never_a_body_script(hostile_site: Path) -> None:
    headers = dict(
        line.split(": ", 1) for line in (hostile_site / "_server/headers.txt").read_text(encoding="utf-8").splitlines()
    )
    policy = dict((d.split(" ", 1) + [""])[:2] for d in headers["Content-Security-Policy"].split("; "))
    allowed = set(policy["script-src"].split()) - {"'self'"}
    served = {
        script_hash(text)
        for page in pages(hostile_site)
        for tag, text in inline_scripts(page.read_text(encoding="utf-8"))
        if is_executable(tag.attributes)
    }
    assert script_hash("alert(20)") in served
    assert allowed == served - {script_hash("alert(20)")}
    assert "data-selfhelp-template-script" not in "".join(p.read_text(encoding="utf-8") for p in pages(hostile_site))


def test_the_offline_copy_is_escaped_the_same_way(hostile_site: Path) -> None:
    [archive] = (hostile_site / "offline").glob("*.zip")
    with zipfile.ZipFile(archive) as opened:
        pages = {name: opened.read(name).decode("utf-8") for name in opened.namelist() if name.endswith(".html")}
    assert len(pages) > 10
    for name, html in pages.items():
        live = live_html(BeautifulSoup(html, "html.parser"))
        assert live == (["<img onerror>"] if name.endswith("about-sleep/index.html") else []), name
        assert "data-selfhelp-template-script" not in html, name
        scripts = [text for tag, text in inline_scripts(html) if is_executable(tag.attributes) and "alert" in text]
        assert scripts == (["alert(20)"] if name.endswith("about-sleep/index.html") else []), name


# -- in the browser -------------------------------------------------------------------------------------------

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.sample}`);
});
"""

VISIBLE = """
elements => elements.map((element) => {
  const box = element.getBoundingClientRect();  // Playwright's is_visible: a box, and not visibility: hidden
  return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
})
"""

PROBE = """
() => {
  const targets = document.querySelectorAll(
    "article em, article span, article a, article code, article img, article label, article legend, " +
    ".md-banner a, .md-banner strong, .shs-contacts a, .md-nav a, .md-header__topic, .md-footer a, h1"
  );
  for (const element of targets) {
    for (const type of ["mouseover", "mouseenter", "focus", "click"]) {
      const link = element.closest("a[href]");
      if (type === "click" && link && !/^(javascript|data):/i.test(link.getAttribute("href"))) continue;
      element.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    }
  }
  return targets.length;
}
"""


def read_headers(site: Path) -> dict[str, str]:
    lines = (site / "_server/headers.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines)


@pytest.mark.browser
def test_no_payload_runs_in_the_browser_and_each_shows_as_text(browser: object, hostile_site: Path) -> None:
    from playwright.sync_api import expect

    locations = ["" if p.parent == hostile_site else p.parent.relative_to(hostile_site).as_posix() + "/"
                 for p in sorted(hostile_site.rglob("index.html"))]
    dialogs: list[str] = []
    for headers in (read_headers(hostile_site), {}):
        server = SiteServer(hostile_site, headers=headers)
        context = browser.new_context()  # type: ignore[attr-defined]
        context.add_init_script(WATCH)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        try:
            for location in locations:
                if not headers and location == "about-sleep/":
                    continue  # Without the CSP, its body's own <script> (named by the build) runs.
                page.goto(server.url + location)
                page.mouse.move(5, 5)
                hovered = page.locator("article em, .shs-lede, h1, .md-nav__link")
                for index, visible in enumerate(hovered.evaluate_all(VISIBLE)[:40]):
                    if visible:  # The real pointer over it (scrolled into view), as a reader's mouse goes.
                        hovered.nth(index).hover(timeout=2000, force=True)
                assert page.evaluate(PROBE) > 0
                violations = page.evaluate("window.__violations")
                if headers and location == "about-sleep/":
                    assert sorted(v.split(" ")[0] for v in violations) == ["script-src-attr", "script-src-elem"]
                else:
                    assert violations == [], location
            page.goto(server.url + "guides/better-sleep/wind-down/")
            assert words(page.locator("h1").inner_text()) == words(hostile("Wind down before bed"))
            assert page.title() == f"{hostile('Wind down before bed')} - {SITE_NAME}"
            summary = words(hostile("Give your mind an hour to slow down."))
            assert summary in words(page.locator(".shs-lede").inner_text())
            assert "<script>alert(2)</script>" in page.locator(".shs-actions").inner_text()
            assert words(hostile("If you are in danger, call now.")) in words(page.locator(".shs-urgent").inner_text())
            search_site(page, "screens")
            results = words(page.locator(".md-search-result").inner_text())
            assert "<img src=x onerror=alert(1)>" in results
            page.keyboard.press("Escape")
            page.goto(server.url + "guides/better-sleep/wind-down/?h=img+onerror+script")  # Material's highlighting
            page.evaluate(PROBE)
            assert page.evaluate("window.__violations") == []
            page.goto(server.url + "worksheets/sleep-diary/")
            page.locator("#shs-f-best-night").fill(PAYLOAD)
            # Pressed, not clicked: a click under load could land beside the button as the page shifts (the save
            # status appearing, Material's back-to-top button), and what is tested is the row's text.
            rows = page.locator(".shs-group__rowlabel").count()
            page.locator(".shs-group__add").press("Enter")
            expect(page.locator(".shs-group__rowlabel")).to_have_count(rows + 1)
            assert words(hostile("Night")) in words(page.locator(".shs-group__rowlabel").first.inner_text())
            page.evaluate(PROBE)
            page.goto(server.url + "worksheets/")
            page.evaluate(PROBE)
            assert page.evaluate("window.__violations") == []
        finally:
            context.close()
            server.close()
    assert dialogs == []
