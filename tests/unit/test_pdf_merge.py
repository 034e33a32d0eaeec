"""The PDF pack's merge in a process of its own (`pdf_merge.py`): the same bytes, its errors, pypdf not here."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from generator.products.pdf_merge import PdfMergeError, merge, merge_in_child


def _pdf(path: Path, pages: int, sections: list[str]) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=300)
    for number, title in enumerate(sections):
        writer.add_outline_item(title=title, page_number=min(number, pages - 1))
    with path.open("wb") as file:
        writer.write(file)
    return path


def _parts(tmp_path: Path) -> tuple[Path, list[tuple[str, Path]]]:
    cover = _pdf(tmp_path / "cover.pdf", 1, [])
    parts = [
        ("Values", _pdf(tmp_path / "values.pdf", 2, ["Values", "What matters"])),
        ("Money — a plan", _pdf(tmp_path / "money.pdf", 3, ["Money — a plan", "Income", "Costs"])),
    ]
    return cover, parts


def test_the_child_gives_the_bytes_of_a_merge_in_this_process(tmp_path: Path) -> None:
    cover, parts = _parts(tmp_path)
    here = merge(cover, parts, title="Worksheets — pack", author="Org", language="de")
    there = merge_in_child(cover, parts, title="Worksheets — pack", author="Org", language="de")
    assert there == here
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(there))
    assert len(reader.pages) == 6
    assert [item.title for item in reader.outline if not isinstance(item, list)] == ["Values", "Money — a plan"]


def test_a_part_that_cannot_be_read_is_named_in_the_error(tmp_path: Path) -> None:
    cover, parts = _parts(tmp_path)
    missing = tmp_path / "gone.pdf"
    with pytest.raises(PdfMergeError, match="merging the PDF pack failed: .*gone.pdf"):
        merge_in_child(cover, [*parts, ("Gone", missing)], title="t", author="a", language="en")


def test_the_build_process_never_imports_pypdf(tmp_path: Path) -> None:
    cover, parts = _parts(tmp_path)
    code = (
        "import sys; from pathlib import Path; from generator.products.pdf_merge import merge_in_child; "
        f"data = merge_in_child(Path({str(cover)!r}), [(t, Path(p)) for t, p in {[(t, str(p)) for t, p in parts]!r}], "
        "title='t', author='a', language='en'); "
        "print(data[:5].decode(), 'pypdf' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert done.stdout.split() == ["%PDF-", "False"]
