"""How a worksheet is laid out on paper: one set of decisions for the browser's print and the PDF pack.

A worksheet page carries its paper copy (`paper.html`, filled by `render`) and the PDF pack prints
the same sheet (`products/pdf_pack.py`); both templates ask these functions, so what a reader prints
from the browser and what the pack holds agree by construction. Decisions only: no templates, no files.
"""

from __future__ import annotations

from typing import Any

from .model import Field

TALL_LINES = 22
"""More ruled lines than this (about 20 cm) and a field may not fit on one page, so it is allowed to split."""

COMPACT_KINDS = ("text", "date", "checkbox")
"""Group sub-fields that fit in a table cell (text only with one ruled line)."""


def is_compact(item: Field) -> bool:
    """True for a field that fits a table cell."""
    return item.kind in COMPACT_KINDS and not (item.kind == "text" and item.lines > 1)


def is_tall(item: Field) -> bool:
    """True for a field taller than a page can hold: it may break across pages rather than leave one empty."""
    return item.kind in ("text", "textarea") and item.lines > TALL_LINES


def group_layout(group: Field) -> str:
    """'table' when every sub-field fits a table cell, else 'stacked' (one block per row)."""
    return "table" if group.fields and all(is_compact(f) for f in group.fields) else "stacked"


def column_width(item: Field) -> str:
    """A table column's width on paper; text columns share what is left."""
    if item.kind == "date":
        return "34mm"
    if item.kind == "checkbox":
        return f"{min(40, max(16, round(len(item.label) * 1.8 + 9)))}mm"
    return "auto"


def option_columns(item: Field) -> int:
    """How many columns a list of tick boxes gets: short labels sit three or four to a line, evenly if they can."""
    count = len(item.options)
    longest = max((len(o.label) for o in item.options), default=0)
    if longest <= 12 and count % 4 == 0:
        return 4
    if longest <= 18 and (count % 3 == 0 or count > 4):
        return 3
    if longest <= 45 and count > 1:
        return 2
    return 1


TEMPLATE_GLOBALS: dict[str, Any] = {
    "group_layout": group_layout,
    "is_compact": is_compact,
    "is_tall": is_tall,
    "column_width": column_width,
    "option_columns": option_columns,
}
"""The decisions as the Jinja globals the paper templates call (and `is_tall` as the `tall` test)."""
