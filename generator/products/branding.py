"""The organisation's colours as a stylesheet for Material, kept readable (WCAG AA contrast), and where its logo goes.

HR teams pick their brand colours; this module turns them into Material's
CSS variables and adjusts what is needed so text stays readable: text on
the header is white or near-black, whichever contrasts more, and links are
darkened until they reach 4.5:1 on white.
"""

from __future__ import annotations

import colorsys
from pathlib import Path

from ..content.file_kinds import sniff
from ..site_paths import LOGO_STEM

AA_NORMAL_TEXT = 4.5


def logo_uri(logo_path: str) -> str:
    """Where the logo is published; its ending comes from its content (checked by the `logo` option), not its name."""
    with Path(logo_path).open("rb") as logo:
        kind = sniff(logo.read(4096))
    return LOGO_STEM + (kind or Path(logo_path).suffix.lower())


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(hex_colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _with_lightness(hex_colour: str, change: float) -> str:
    h, lightness, s = colorsys.rgb_to_hls(*_rgb(hex_colour))
    return _hex(colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness + change)), s))


def readable_on_white(hex_colour: str) -> str:
    """The colour, darkened in small steps until text in it reads on white (4.5:1)."""
    colour = hex_colour
    while contrast(colour, "#ffffff") < AA_NORMAL_TEXT:
        colour = _with_lightness(colour, -0.03)
    return colour


def brand_stylesheet(primary: str, accent: str) -> str:
    """Material CSS variables for the organisation's colours."""
    on_primary = "#fff" if contrast(primary, "#fff") >= contrast(primary, "#000000") else "#000000de"
    link = readable_on_white(primary)
    return (
        "/* Generated from the selfhelp plugin's primary_colour and accent_colour. */\n"
        ":root, [data-md-color-primary=custom], [data-md-color-accent=custom] {\n"
        f"  --md-primary-fg-color: {primary};\n"
        f"  --md-primary-fg-color--light: {_with_lightness(primary, 0.12)};\n"
        f"  --md-primary-fg-color--dark: {_with_lightness(primary, -0.1)};\n"
        f"  --md-primary-bg-color: {on_primary};\n"
        f"  --md-accent-fg-color: {readable_on_white(accent)};\n"
        f"  --md-accent-fg-color--transparent: {accent}1a;\n"
        f"  --md-typeset-a-color: {link};\n"
        "}\n"
    )
