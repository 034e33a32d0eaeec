"""The PDF cache key of a worksheet (`pdf_pack._worksheet_data`) is what `dataclasses.asdict` gives without sources."""

from __future__ import annotations

import dataclasses
from typing import Any

from generator.content.loader import load_content
from generator.products.pdf_pack import _digest, _worksheet_data

from ..conftest import PROJECT


def _reference(worksheet: Any) -> Any:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "source"}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value

    return strip(dataclasses.asdict(worksheet))


def test_every_shipped_worksheet_has_the_data_and_digest_of_asdict() -> None:
    pack = load_content(PROJECT / "content", PROJECT)
    assert pack.worksheets
    for worksheet in pack.worksheets:
        data = _worksheet_data(worksheet)
        assert data == _reference(worksheet)
        assert _digest("base", data) == _digest("base", _reference(worksheet))
        assert "source" not in str(data.keys())
