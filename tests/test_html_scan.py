"""The fast post-build scanners find what a full HTML parse would, tricky markup included."""

from __future__ import annotations

from pathlib import Path

from generator.products.csp import MARK_ATTRIBUTE, TemplateScripts
from generator.products.egress import find_external_assets
from generator.products.html_scan import inline_scripts, start_tags


def test_a_greater_than_sign_inside_a_quoted_value_does_not_end_the_tag(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        """<p>1 > 0</p><img alt="a > b" src="https://cdn.example.test/x.png">
        <link rel="preload stylesheet" href='//fonts.example.test/f.css'>
        <a href="https://example.test/">a link is not a request</a>
        <div style="background: url(https://img.example.test/bg.png)"></div>
        <picture><source srcset="local.png 1x, https://cdn.example.test/2x.png 2x"></picture>""",
        encoding="utf-8",
    )
    assert [str(a) for a in find_external_assets(tmp_path)] == [
        "page.html: loads https://cdn.example.test/x.png",
        "page.html: loads //fonts.example.test/f.css",
        "page.html: loads https://cdn.example.test/2x.png",
        "page.html: loads https://img.example.test/bg.png",
    ]


def test_inline_scripts_are_read_exactly_and_data_blocks_are_skipped(tmp_path: Path) -> None:
    html = (
        '<script data-x="a>b">var a = "</p>";</script>'
        '<script src="app.js"></script>'
        '<SCRIPT type="application/json">{"x": 1}</SCRIPT>'
    )
    assert [(tag.attributes, text) for tag, text in inline_scripts(html)] == [
        ({"data-x": "a>b"}, 'var a = "</p>";'),
        ({"type": "application/json"}, '{"x": 1}'),
    ]
    # Marked as written by a template: sha256 of 'var a = "</p>";' only, the JSON block is data, not script.
    scripts = TemplateScripts("0123abcd")
    mark = f"{MARK_ATTRIBUTE}=0123abcd"
    scripts.take(html.replace("<script ", f"<script {mark} ").replace("<SCRIPT", f"<SCRIPT {mark}"))
    assert scripts.hashes == ["'sha256-cwvD9Ve0wZxtuUa2kHastsjeqQgCYQMWTtyrAM+HpQg='"]


def test_start_tags_unescape_attribute_values() -> None:
    [tag] = start_tags('<img src="a.png?x=1&amp;y=2" alt=\'it&#39;s\'>', ["img"])
    assert tag.attributes == {"src": "a.png?x=1&y=2", "alt": "it's"}


def test_addresses_a_browser_reads_as_another_host_are_found(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        """<img src="\\\\cdn.example.test/a.png"><img src="/\t/cdn.example.test/b.png">
        <script src="https&#58;//cdn.example.test/c.js"></script><img src=" //cdn.example.test/d.png">
        <script src="assets/app.js"></script><img src="data:image/png;base64,AAAA"><img src="../e.png">
        <div\tSTYLE = 'background:url(//cdn.example.test/e.png)'>x-style="url(//not.an.attribute/)"</div>""",
        encoding="utf-8",
    )
    assert [a.reference for a in find_external_assets(tmp_path)] == [
        "\\\\cdn.example.test/a.png",
        "/\t/cdn.example.test/b.png",
        "https://cdn.example.test/c.js",
        " //cdn.example.test/d.png",
        "//cdn.example.test/e.png",
    ]


def test_a_page_scanned_as_it_was_written_is_read_again_only_if_its_size_changed(tmp_path: Path) -> None:
    from generator.products.egress import PageScan

    written = '<p>x</p><img src="local.png">'
    (tmp_path / "kept.html").write_text(written, encoding="utf-8")
    (tmp_path / "changed.html").write_text(written, encoding="utf-8")
    scan = PageScan.of(written)
    assert scan == PageScan(len(written.encode()), ())
    # Changed after it was written (another plugin's post-build step): the file on disk is scanned.
    (tmp_path / "changed.html").write_text(written + '<script src="https://cdn.example.test/a.js"></script>')
    # The scan stands for a file of the same size: what it found is what is reported.
    stands_for = PageScan(scan.size, ("//cdn.example.test/b.png",))
    found = find_external_assets(tmp_path, scanned={"changed.html": scan, "kept.html": stands_for})
    assert [str(a) for a in found] == [
        "changed.html: loads https://cdn.example.test/a.js",
        "kept.html: loads //cdn.example.test/b.png",
    ]
    assert PageScan.of('<IMG SRC="//cdn.example.test/é.png">').external == ("//cdn.example.test/é.png",)


def test_a_lone_surrogate_in_a_page_is_scanned_and_sized_as_it_is_written() -> None:
    from generator.products.egress import PageScan

    html = '<p>\ud800</p><img src="//cdn.example.test/\udfff.png"><script>var a = "\ud83d";</script>'
    assert PageScan.of(html) == PageScan(
        len(html.encode("utf-8", "xmlcharrefreplace")), ("//cdn.example.test/\udfff.png",)
    )
    assert [text for _, text in inline_scripts(html)] == ['var a = "\ud83d";']
    assert PageScan.of("<p>é</p>").size == len("<p>é</p>".encode())
