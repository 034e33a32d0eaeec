"""The frame of every page printed from the browser: where to get urgent help, whose site it is, page numbers.

On screen the urgent-help line sits in Material's announcement bar, which print
hides with the rest of the site's chrome. On paper it goes into the top margin of
every page (a single sheet handed on still says where to get help), with the
organisation (or site) name and "Page N of M" in the bottom margin, as on the PDF
pack. CSS page-margin boxes can only print text written in the stylesheet, so this
stylesheet is made for each build from the options (`assets/selfhelp/print-frame.css`,
a virtual file, linked with `media="print"` by `generator/theme/main.html`). Browsers that
print margin boxes (Chromium 131+, Safari 18.2+) leave out their own header and
footer (address, date) when a page has them. Knows nothing of MkDocs.
"""

from __future__ import annotations

from ..options import ContactOptions


def urgent_line(note: str, contact: ContactOptions) -> str:
    """The urgent-help sentence and contact as one line of text: what the banner says on screen."""
    line = " ".join(note.split())
    if contact.name.strip():
        ways = " · ".join(way.strip() for way in (contact.phone, contact.email, contact.url) if way.strip())
        line += f" {contact.name.strip()}" + (f": {ways}" if ways else "")
        if contact.note.strip():
            line += f" ({contact.note.strip()})"
    return line


def css_string(text: str) -> str:
    """`text` as a double-quoted CSS string that shows exactly these characters (no way out of the string)."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F or char in "\u2028\u2029":
            out.append(" ")  # options are one line; a control character would end or bend the string
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def print_frame_stylesheet(urgent: str, brand: str, page_numbers: str = '"Page " counter(page) " of " counter(pages)') -> str:
    """The @page rules: 15 mm margins like the PDF pack, `urgent` at the top, `brand` and page numbers at the bottom."""
    return (
        "/* Generated from the selfhelp plugin's urgent_note, urgent_help, organisation and site_name. The margin\n"
        "   boxes take their font and colour from the page. */\n"
        "@page {\n"
        '  margin: 17mm 15mm; font: 7.5pt "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #4a5357;\n'
        f"  @top-left {{ content: {css_string(urgent)}; width: 100%; vertical-align: bottom; padding-bottom: 4mm; }}\n"
        f"  @bottom-left {{ content: {css_string(brand)}; vertical-align: top; padding-top: 3mm; }}\n"
        f"  @bottom-right {{ content: {page_numbers}; vertical-align: top; padding-top: 3mm; }}\n"
        "}\n"
    )
