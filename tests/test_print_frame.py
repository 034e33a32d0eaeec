"""The print frame: the urgent-help line and the organisation's name go into CSS strings that show exactly
their characters, whatever an option holds."""

from __future__ import annotations

import re

from generator.options import ContactOptions
from generator.products.print_frame import css_string, print_frame_stylesheet, urgent_line


def test_a_css_string_cannot_be_left_and_shows_what_was_written() -> None:
    assert css_string('Say "hi" \\ now') == '"Say \\"hi\\" \\\\ now"'
    assert css_string("one\ntwo\rthree\x00four\u2028five") == '"one two three four five"'
    assert css_string("café ☕ */ </style> } @page {") == '"café ☕ */ </style> } @page {"'
    # However hostile, the value stays one string: one opening and one closing quote, nothing escaped out.
    hostile = '"; } body { display: none } @top-left { content: "x'
    text = css_string(hostile)
    assert re.fullmatch(r'"(?:[^"\\]|\\.)*"', text)


def test_the_urgent_line_says_what_the_banner_says() -> None:
    note = "If you feel unsafe, get help now."
    assert urgent_line(note, ContactOptions()) == note
    contact = ContactOptions(name="Crisis line", phone="0800 000 000", email="help@example.org", note="open 24 hours")
    assert urgent_line(note, contact) == f"{note} Crisis line: 0800 000 000 · help@example.org (open 24 hours)"
    assert urgent_line("  Two\n lines ", ContactOptions(name="Samaritans")) == "Two lines Samaritans"


def test_the_stylesheet_has_the_margins_the_line_the_name_and_page_numbers() -> None:
    css = print_frame_stylesheet("Get help: 999", 'Acme "Care" Ltd')
    assert '@top-left { content: "Get help: 999";' in css
    assert '@bottom-left { content: "Acme \\"Care\\" Ltd";' in css
    assert '"Page " counter(page) " of " counter(pages)' in css
    assert css.count("{") == css.count("}")
