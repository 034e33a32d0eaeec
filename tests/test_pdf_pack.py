"""The printable PDF pack (generator/products/pdf_pack.py): blank worksheets rendered by WeasyPrint, merged by pypdf.

The shipped pack is rendered once for the module; the sleep fixture pack and
the small edited copies render in a second or two each. PDFs are read back with
pypdf and checked as a printer would: a cover, each worksheet from a new page,
every label there, nothing split, nothing fetched, nothing rendered twice.
"""

from __future__ import annotations

import functools
import multiprocessing
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from pypdf import PdfReader

from generator.content.loader import load_content
from generator.content.model import ContentPack, Field, Worksheet
from generator.products.pdf_pack import (
    PACK_URI,
    PdfBranding,
    PdfContact,
    PdfPackJob,
    PdfPackResult,
    PdfRenderError,
    pdf_uri,
    prestart_workers,
    write_pdf_pack,
)

from .conftest import PROJECT, edit

SLEEP = PROJECT / "tests" / "fixtures" / "sleep-pack"

ORGANISATION = "Northwind Test Org"
BRANDING = PdfBranding(
    site_name="Getting through a career setback",
    organisation=ORGANISATION,
    contacts=(
        PdfContact("Test Crisis Line", phone="0800 000 111", note="any time", role="Urgent help"),
        PdfContact("Employee Assistance Programme", phone="0800 222 333", email="eap@example.org"),
    ),
    urgent_note="If you feel unsafe, call your local emergency number now.",
)


def loader() -> jinja2.BaseLoader:
    return jinja2.FileSystemLoader([str(PROJECT / "generator" / "theme")])


def text(value: str) -> str:
    """Extracted text with every run of whitespace (line wraps included) as one space."""
    return " ".join(value.split())


def page_texts(path: Path) -> list[str]:
    """The text of each page (text extraction is slow: each file version is read once per session)."""
    stat = path.stat()
    return list(_page_texts(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=64)
def _page_texts(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    return tuple(text(page.extract_text()) for page in PdfReader(path).pages)


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


def labels(worksheet: Worksheet) -> list[str]:
    """Every section title, field label, sub-field label and option label of a worksheet."""

    def of(field: Field) -> list[str]:
        found = [field.label] + [o.label for o in field.options]
        for sub in field.fields:
            found += of(sub)
        return found

    found = [worksheet.title]
    for section in worksheet.sections:
        found.append(section.title)
        for field in section.fields:
            found += of(field)
    return found


@dataclass
class Built:
    pack: ContentPack
    result: PdfPackResult
    site: Path
    cache: Path


def build(pack: ContentPack, root: Path, branding: PdfBranding = BRANDING, cache: Path | None = None) -> Built:
    site, cache = root / "site", cache or root / "cache"
    result = write_pdf_pack(pack, site_dir=site, cache_dir=cache, loader=loader(), branding=branding)
    return Built(pack, result, site, cache)


def copy_content(source: Path, destination: Path) -> Path:
    shutil.copytree(source / "content", destination / "content")
    return destination / "content"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The shipped content pack rendered once (A4, with organisation and contacts)."""
    return build(load_content(PROJECT / "content", PROJECT), tmp_path_factory.mktemp("shipped"))


@pytest.fixture(scope="module")
def sleep(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sleep fixture pack on US Letter, with no organisation set."""
    branding = PdfBranding(site_name="Sleep better", primary_colour="#6a3d9a", page_size="letter")
    return build(load_content(SLEEP / "content", SLEEP), tmp_path_factory.mktemp("sleep"), branding)


def worksheet_ranges(built: Built) -> list[tuple[Worksheet, int, int]]:
    """(worksheet, first page, page count) in the pack, from the per-worksheet PDFs' page counts."""
    counts = [page_count(built.result.worksheet_paths[w.id]) for w in built.pack.worksheets]
    start = built.result.pack_pages - sum(counts)
    ranges = []
    for worksheet, count in zip(built.pack.worksheets, counts, strict=True):
        ranges.append((worksheet, start, count))
        start += count
    return ranges


# -- the pack's shape -------------------------------------------------------------


def test_paths_and_uris(shipped: Built) -> None:
    assert PACK_URI == "pdf/worksheets.pdf"
    assert pdf_uri("action-plan") == "pdf/action-plan.pdf"
    assert shipped.result.pack_path == shipped.site / "pdf" / "worksheets.pdf"
    assert list(shipped.result.worksheet_paths) == [w.id for w in shipped.pack.worksheets]
    for worksheet in shipped.pack.worksheets:
        path = shipped.site / pdf_uri(worksheet.id)
        assert shipped.result.worksheet_paths[worksheet.id] == path
        assert path.is_file() and path.read_bytes().startswith(b"%PDF-")
    assert set(shipped.result.written) == set(shipped.result.paths)
    assert all(path.stat().st_mode & 0o044 == 0o044 for path in shipped.result.paths), "readable by a web server"
    assert sorted(p.name for p in (shipped.site / "pdf").iterdir()) == sorted(
        ["worksheets.pdf", *(f"{w.id}.pdf" for w in shipped.pack.worksheets)]
    )


def test_cover_then_each_worksheet_from_a_new_page(shipped: Built) -> None:
    pages = page_texts(shipped.result.pack_path)
    assert len(pages) == shipped.result.pack_pages
    ranges = worksheet_ranges(shipped)
    cover_pages = ranges[0][1]
    assert cover_pages == 1, "the shipped pack's cover fits on one page"
    assert len(pages) >= cover_pages + len(shipped.pack.worksheets)
    for worksheet, start, count in ranges:
        first = pages[start]
        assert worksheet.title in first
        assert f"{worksheet.title} · Page 1 of {count}" in first
        assert worksheet.sections[0].title in first
        assert f"{worksheet.title} · Page {count} of {count}" in pages[start + count - 1]


def test_each_worksheet_pdf_matches_its_pages_in_the_pack(shipped: Built) -> None:
    pack_pages = page_texts(shipped.result.pack_path)
    for worksheet, start, count in worksheet_ranges(shipped):
        alone = page_texts(shipped.result.worksheet_paths[worksheet.id])
        assert alone == pack_pages[start : start + count]


def test_cover_names_organisation_guide_contacts_and_contents(shipped: Built) -> None:
    cover = page_texts(shipped.result.pack_path)[0]
    assert ORGANISATION in cover
    assert shipped.pack.guides[0].title in cover
    assert "How to use these worksheets" in cover
    assert "Test Crisis Line" in cover and "0800 000 111" in cover
    assert "Employee Assistance Programme" in cover and "eap@example.org" in cover
    assert "If you feel unsafe, call your local emergency number now." in cover
    for worksheet in shipped.pack.worksheets:
        assert worksheet.title in cover


def test_every_title_label_and_option_is_printed(shipped: Built) -> None:
    pages = page_texts(shipped.result.pack_path)
    for worksheet, start, count in worksheet_ranges(shipped):
        printed = " ".join(pages[start : start + count])
        missing = [label for label in labels(worksheet) if text(label) not in printed]
        assert not missing, f"{worksheet.id}: not in the PDF: {missing}"


def test_group_rows_are_printed_blank(shipped: Built) -> None:
    pages = page_texts(shipped.result.pack_path)
    for worksheet, start, count in worksheet_ranges(shipped):
        printed = " ".join(pages[start : start + count])
        for field in worksheet.all_fields():
            if field.kind == "group" and any(sub.kind not in ("text", "date", "checkbox") for sub in field.fields):
                # Stacked rows are numbered with the item label ("Person 1" … "Person 6"), upper-cased by CSS.
                for row in range(1, field.rows + 1):
                    assert f"{field.item_label.upper()} {row}" in printed, (worksheet.id, field.id, row)


def test_helpline_and_footer_on_every_worksheet_page(shipped: Built) -> None:
    pages = page_texts(shipped.result.pack_path)
    for _, start, count in worksheet_ranges(shipped):
        for page in pages[start : start + count]:
            assert "Test Crisis Line 0800 000 111" in page
            assert ORGANISATION in page


def test_no_field_is_split_across_pages(shipped: Built, sleep: Built) -> None:
    assert shipped.result.split_blocks == {}
    assert sleep.result.split_blocks == {}


def test_bookmarks_one_per_worksheet_with_sections(shipped: Built) -> None:
    reader = PdfReader(shipped.result.pack_path)
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [w.title for w in shipped.pack.worksheets]
    starts = [start for _, start, _ in worksheet_ranges(shipped)]
    assert [reader.get_destination_page_number(item) for item in top] == starts
    children = reader.outline[1]
    assert isinstance(children, list)
    assert [c.title for c in children] == [s.title for s in shipped.pack.worksheets[0].sections]


def test_no_url_was_fetched_for_the_shipped_pack(shipped: Built) -> None:
    assert shipped.result.refused_urls == ()


# -- the second content pack, US Letter, no organisation ---------------------------


def test_sleep_pack_on_letter_paper_uses_the_site_name(sleep: Built) -> None:
    reader = PdfReader(sleep.result.pack_path)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    pages = page_texts(sleep.result.pack_path)
    assert "Sleep better" in pages[0]
    assert sleep.pack.guides[0].title in pages[0]
    assert "If you need to talk to someone" not in pages[0]
    assert "Need to talk to someone" not in " ".join(pages)
    for worksheet, start, count in worksheet_ranges(sleep):
        printed = " ".join(pages[start : start + count])
        assert f"{worksheet.title} · Page 1 of {count}" in pages[start]
        assert all(text(label) in printed for label in labels(worksheet))
        assert "Sleep better" in pages[start]


# -- the cache ------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()}


def test_unchanged_content_renders_nothing_and_rewrites_nothing(shipped: Built) -> None:
    site_before = snapshot(shipped.site / "pdf")
    cache_before = snapshot(shipped.cache)
    again = write_pdf_pack(
        shipped.pack, site_dir=shipped.site, cache_dir=shipped.cache, loader=loader(), branding=BRANDING
    )
    assert again.rendered == ()
    assert again.reused == tuple(w.id for w in shipped.pack.worksheets)
    assert not again.cover_rendered
    assert again.written == ()
    assert again.pack_pages == shipped.result.pack_pages
    assert snapshot(shipped.site / "pdf") == site_before
    assert snapshot(shipped.cache) == cache_before


def test_editing_one_worksheet_renders_only_that_one(shipped: Built, tmp_path: Path) -> None:
    content = copy_content(PROJECT, tmp_path)
    edit(content / "worksheets" / "small-wins-log.yml", "label: What went well?", "label: What went well today?")
    cache = tmp_path / "cache"
    shutil.copytree(shipped.cache, cache)
    edited = build(load_content(content, tmp_path), tmp_path, cache=cache)

    assert edited.result.rendered == ("small-wins-log",)
    assert set(edited.result.reused) == {w.id for w in shipped.pack.worksheets} - {"small-wins-log"}
    assert "What went well today?" in " ".join(page_texts(edited.result.worksheet_paths["small-wins-log"]))
    assert "What went well today?" in " ".join(page_texts(edited.result.pack_path))
    # Unchanged worksheets are byte-for-byte the cached ones; the old entry of the edited one is gone.
    for worksheet_id, path in edited.result.worksheet_paths.items():
        same = path.read_bytes() == shipped.result.worksheet_paths[worksheet_id].read_bytes()
        assert same == (worksheet_id != "small-wins-log"), worksheet_id
    assert len(list(cache.glob("worksheet-small-wins-log-*.pdf"))) == 1


def test_changing_the_branding_renders_everything_again(sleep: Built, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(sleep.cache, cache)
    branding = PdfBranding(site_name="Sleep better", primary_colour="#225522", page_size="letter")
    rebuilt = build(sleep.pack, tmp_path, branding, cache=cache)
    assert rebuilt.result.rendered == tuple(w.id for w in sleep.pack.worksheets)
    assert rebuilt.result.cover_rendered


# -- untrusted text and URLs -------------------------------------------------------------

HOSTILE_LABEL = "<b>bold</b> & <script>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sleep pack with markup in a label and the organisation name, and remote images in the instructions."""
    root = tmp_path_factory.mktemp("hostile")
    content = copy_content(SLEEP, root)
    sheet = content / "worksheets" / "sleep-diary.yml"
    edit(sheet, "label: Which night was best?", 'label: "<b>bold</b> & <script>"')
    edit(
        sheet,
        "Fill in one row each morning.",
        'Fill in one row each morning. ![tracker](http://127.0.0.1:9/pixel.png) <img src="file:///etc/hostname">',
    )
    branding = PdfBranding(site_name="Sleep <em>better</em>", organisation="<i>Acme</i> & Sons")
    return build(load_content(content, root), root, branding)


def test_markup_in_content_and_branding_is_printed_as_text(hostile: Built) -> None:
    pages = page_texts(hostile.result.pack_path)
    assert HOSTILE_LABEL in " ".join(pages)
    assert "<i>Acme</i> & Sons" in pages[0]
    assert HOSTILE_LABEL in " ".join(page_texts(hostile.result.worksheet_paths["sleep-diary"]))


def test_images_in_the_instructions_print_as_text_and_nothing_is_fetched(hostile: Built) -> None:
    # Instructions are a Markdown value without images or raw HTML (generator/content/sanitize.py).
    assert hostile.result.refused_urls == ()
    printed = " ".join(" ".join(page_texts(hostile.result.worksheet_paths["sleep-diary"])).split())
    assert '<img src="file:///etc/hostname">' in printed
    assert "![tracker](http://127.0.0.1:9/pixel.png)" in printed.replace(" ", "")


def test_the_pdf_renderer_reads_the_logo_file_and_refuses_every_other_url(tmp_path: Path) -> None:
    from generator.products.pdf_pack import _make_url_fetcher

    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    refused: list[str] = []
    fetcher = _make_url_fetcher([logo], refused)
    fetch = getattr(fetcher, "fetch", fetcher)  # an object from WeasyPrint 68 on, a function before
    assert fetch(logo.as_uri()) is not None
    for url in ("http://127.0.0.1:9/pixel.png", "file:///etc/hostname", f"{logo.as_uri()}/../../etc/hostname"):
        with pytest.raises(ValueError, match="not allowed"):
            fetch(url)
    assert refused == ["http://127.0.0.1:9/pixel.png", "file:///etc/hostname", f"{logo.as_uri()}/../../etc/hostname"]


def test_logo_is_read_and_drawn(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#f0f"/>'
    svg += "</svg>"
    logo.write_text(svg, encoding="utf-8")
    pack = load_content(SLEEP / "content", SLEEP)
    pack.worksheets = pack.worksheets[:1]
    built = build(pack, tmp_path, PdfBranding(site_name="Sleep better", logo_path=logo))
    assert built.result.refused_urls == ()
    magenta = b"1 0 1 rg"
    for path in (built.result.pack_path, built.result.worksheet_paths[pack.worksheets[0].id]):
        assert magenta in PdfReader(path).pages[0].get_contents().get_data(), path


def test_branding_is_checked() -> None:
    with pytest.raises(ValueError, match="hex colour"):
        PdfBranding(site_name="x", primary_colour="red; } body { display: none")
    with pytest.raises(ValueError, match="page_size"):
        PdfBranding(site_name="x", page_size="A5")
    assert PdfBranding(site_name="Site").brand_name == "Site"
    assert PdfBranding(site_name="Site", organisation=" Org ").brand_name == "Org"
    assert PdfBranding(site_name="x", contacts=(PdfContact(""), PdfContact("EAP"))).contacts == (PdfContact("EAP"),)


# -- rendering on several processes --------------------------------------------------


def test_parallel_rendering_writes_the_same_bytes_as_serial(shipped: Built, tmp_path: Path) -> None:
    """The shipped fixture is rendered with the default concurrency (every core); this run is serial."""
    serial = tmp_path / "serial"
    result = write_pdf_pack(
        shipped.pack, site_dir=serial / "site", cache_dir=serial / "cache", loader=loader(), branding=BRANDING,
        concurrency=1,
    )
    assert result.processes == 1 and result.workers == 0
    assert result.render_count == len(shipped.pack.worksheets) + 1
    assert [p.relative_to(serial / "site") for p in result.paths] == [
        p.relative_to(shipped.site) for p in shipped.result.paths
    ]
    for ours, theirs in zip(result.paths, shipped.result.paths, strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name


def test_parallel_run_used_several_processes(tmp_path: Path) -> None:
    """Eight worksheets with two processes allowed: both workers render, and the result is the serial one."""
    pack = load_content(PROJECT / "content", PROJECT)
    assert len(pack.worksheets) >= 8
    parallel = write_pdf_pack(
        pack, site_dir=tmp_path / "p" / "site", cache_dir=tmp_path / "p" / "cache", loader=loader(),
        branding=BRANDING, concurrency=2,
    )
    assert parallel.workers == 2
    assert parallel.render_count == len(pack.worksheets) + 1
    assert "on 2 processes" in parallel.summary()


def test_on_an_empty_cache_a_worker_starts_before_the_content_is_known(shipped: Built, tmp_path: Path) -> None:
    """`prestart_workers` (what `pipeline.prepare` calls before loading the content) starts one worker on an empty
    cache; the job takes it over and writes the same bytes. Nothing starts on a cache with PDFs in it, nor with
    `concurrency` 1, and workers started for another branding are ended, never used."""
    cache = tmp_path / "cache"
    workers = prestart_workers(cache, loader=loader(), branding=BRANDING, concurrency=2)
    assert workers is not None
    try:
        assert len(multiprocessing.active_children()) == 1
        with PdfPackJob(
            shipped.pack, cache_dir=cache, loader=loader(), branding=BRANDING, concurrency=2, early=True,
            workers=workers,
        ) as job:
            assert job.renders is workers
            result = job.write(tmp_path / "site")
    finally:
        workers.close()
    assert result.render_count == len(shipped.pack.worksheets) + 1 and result.workers == 2
    for ours, theirs in zip(result.paths, shipped.result.paths, strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name
    assert prestart_workers(cache, loader=loader(), branding=BRANDING, concurrency=2) is None
    assert prestart_workers(tmp_path / "empty", loader=loader(), branding=BRANDING, concurrency=1) is None
    other = prestart_workers(tmp_path / "other", loader=loader(), branding=BRANDING, concurrency=2)
    assert other is not None
    sleepy = PdfBranding(site_name="Sleep better")
    with PdfPackJob(shipped.pack, cache_dir=cache, loader=loader(), branding=sleepy, concurrency=2, workers=other) as job:
        assert job.renders is not other and other.pool is None and other.stop.is_set()
    assert not multiprocessing.active_children()


def test_a_warm_rebuild_renders_nothing(shipped: Built) -> None:
    again = write_pdf_pack(
        shipped.pack, site_dir=shipped.site, cache_dir=shipped.cache, loader=loader(), branding=BRANDING
    )
    assert again.render_count == 0
    assert shipped.result.render_count == len(shipped.pack.worksheets) + 1


def test_an_error_in_a_worker_reaches_the_build(tmp_path: Path) -> None:
    """A template that fails in a worker process fails the build with the template's own error."""
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "generator" / "theme" / "selfhelp" / "pdf", theme / "selfhelp" / "pdf")
    worksheet_template = theme / "selfhelp" / "pdf" / "worksheet.html"
    worksheet_template.write_text(
        worksheet_template.read_text(encoding="utf-8") + "{{ no_such_value.at_all }}", encoding="utf-8"
    )
    pack = load_content(PROJECT / "content", PROJECT)
    with pytest.raises(PdfRenderError, match=r"worksheet\.html:\d+: the PDF template failed for worksheet '[a-z-]+' "
                       r"\(content/worksheets/[a-z-]+\.yml\): 'no_such_value' is undefined"):
        write_pdf_pack(
            pack, site_dir=tmp_path / "site", cache_dir=tmp_path / "cache",
            loader=jinja2.FileSystemLoader([str(theme)]), branding=BRANDING, concurrency=2,
        )
