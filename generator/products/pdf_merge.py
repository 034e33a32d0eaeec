"""PDF pack, last step: the cover and the worksheets' PDFs merged into `pdf/worksheets.pdf` by pypdf, in a
process of its own.

pypdf holds every page of every part while it merges, and its import is large: at 1,000 steps (100
worksheets) the merge took 37 MB and the import 24 MB, on top of a build process that already holds the
whole built site; that was the cold build's peak of memory. `merge_in_child` runs `merge` in a new Python
process that imports nothing but this module and pypdf (`generator/__init__.py` and
`generator/products/__init__.py` import nothing), handed its work as JSON on its standard input (the paths
of the build's own `sys.path` with it) and giving back the PDF's bytes on its standard output. Its bytes are
those `merge` gives in the build's process (`tests/unit/test_pdf_merge.py`). Only a build whose pack is not
in the cache merges: a warm build starts no process. Knows nothing of MkDocs.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class PdfMergeError(Exception):
    """The child process that merges the pack failed; the message says how."""


def merge(cover: Path, parts: Sequence[tuple[str, Path]], *, title: str, author: str, language: str) -> bytes:
    """The pack: the cover, then each worksheet (`(title, path)`), with a bookmark per worksheet and its
    sections beneath."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    writer.append(PdfReader(cover), import_outline=False)
    for worksheet_title, path in parts:
        reader = PdfReader(path)
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        parent = writer.add_outline_item(title=worksheet_title, page_number=start, is_open=False)
        _copy_outline(reader, reader.outline, writer, parent, start, skip_title=worksheet_title)
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "selfhelp-site"})
    writer.page_mode = "/UseOutlines"
    root = getattr(writer, "root_object", None) or writer._root_object  # noqa: SLF001 - pypdf < 5
    root[NameObject("/Lang")] = TextStringObject(language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _copy_outline(reader: Any, items: list[Any], writer: Any, parent: Any, offset: int, skip_title: str) -> None:
    """Copy a worksheet PDF's bookmarks under `parent`; its own title bookmark is folded into `parent`."""
    last = None
    for item in items:
        if isinstance(item, list):
            _copy_outline(reader, item, writer, last if last is not None else parent, offset, skip_title="")
            continue
        page = reader.get_destination_page_number(item)
        if item.title == skip_title and page == 0:
            last = None
            continue
        last = writer.add_outline_item(title=item.title, page_number=offset + page, parent=parent)


_CHILD = f"import json, sys; r = json.load(sys.stdin); sys.path[:] = r['path']; from {__name__} import _main; _main(r)"


def merge_in_child(cover: Path, parts: Sequence[tuple[str, Path]], *, title: str, author: str, language: str) -> bytes:
    """`merge`, run in a new Python process (see the module's text); in this one when none can be started."""
    request = {
        "path": sys.path,
        "cover": str(cover),
        "parts": [[worksheet_title, str(path)] for worksheet_title, path in parts],
        "title": title,
        "author": author,
        "language": language,
    }
    if not sys.executable:  # An embedded Python that cannot start itself.
        return merge(cover, parts, title=title, author=author, language=language)
    try:
        done = subprocess.run(  # noqa: S603 - this Python, running this module
            [sys.executable, "-c", _CHILD], input=json.dumps(request).encode("utf-8"), capture_output=True, check=False
        )
    except OSError:
        return merge(cover, parts, title=title, author=author, language=language)
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PdfMergeError(f"merging the PDF pack failed: {lines[-1] if lines else f'exit status {done.returncode}'}")
    return done.stdout


def _main(request: dict[str, Any]) -> None:
    """The child process: merge what `request` names and write the PDF to standard output."""
    data = merge(
        Path(request["cover"]),
        [(worksheet_title, Path(path)) for worksheet_title, path in request["parts"]],
        title=request["title"],
        author=request["author"],
        language=request["language"],
    )
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
