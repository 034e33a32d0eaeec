"""branding: the organisation's colours as Material variables that keep WCAG AA contrast."""

from __future__ import annotations

import re

import pytest

from generator.products.branding import AA_NORMAL_TEXT, brand_stylesheet, contrast, luminance, readable_on_white


def test_contrast_follows_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#fff", "#ffffff") == pytest.approx(1)
    assert luminance("#ffffff") == pytest.approx(1) and luminance("#000") == 0
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#ffff00", "#87ceeb", "#1f5f66", "#ff0000", "#fafafa"])
def test_readable_on_white_darkens_only_as_needed(colour: str) -> None:
    readable = readable_on_white(colour)
    assert contrast(readable, "#ffffff") >= AA_NORMAL_TEXT
    if contrast(colour, "#ffffff") >= AA_NORMAL_TEXT:
        assert readable == colour


@pytest.mark.parametrize("primary", ["#ffff00", "#1f5f66", "#000000", "#ffffff"])
def test_stylesheet_text_on_the_header_and_links_read(primary: str) -> None:
    css = brand_stylesheet(primary, "#ffcc00")
    variables = dict(re.findall(r"(--md-[\w-]+): ([^;]+);", css))
    assert variables["--md-primary-fg-color"] == primary
    on_primary = variables["--md-primary-bg-color"]
    assert contrast(primary, on_primary[:7]) >= AA_NORMAL_TEXT or on_primary == "#000000de"
    assert contrast(variables["--md-accent-fg-color"], "#ffffff") >= AA_NORMAL_TEXT
