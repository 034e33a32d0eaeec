"""Hostile and mistaken content and options, one row each: every one is refused by `selfhelp check` and by
`mkdocs build` with the exact `file:line: what is wrong: how to fix it` line, no traceback, and the previous
`site/` byte-for-byte as it was. Times are measured and listed at the end of the run, never asserted."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import edit
from .hostile import break_and_build, good_project, run_as_new_process, run_preloaded, snapshot


@dataclass(frozen=True)
class Case:
    """One broken input and the line both commands must print for it."""

    name: str
    breaking: Callable[[Path], None]
    message: str


def replacing(path: str, old: str, new: str) -> Callable[[Path], None]:
    """A change that replaces the first `old` in the project file `path` with `new`."""
    return lambda project: edit(project / path, old, new)


def writing(path: str, data: str | bytes) -> Callable[[Path], None]:
    """A change that writes `data` to the project file `path` (made with its folders if new)."""

    def write(project: Path) -> None:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return write


def appending(path: str, text: str) -> Callable[[Path], None]:
    """A change that adds `text` at the end of the project file `path`."""
    return lambda project: writing(path, (project / path).read_text(encoding="utf-8") + text)(project)


def linking(path: str, target: str) -> Callable[[Path], None]:
    """A change that makes `path` a symlink to `target` (as written: absolute, or relative to the link's folder)."""

    def link(project: Path) -> None:
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).symlink_to(target)

    return link


def option(line: str) -> Callable[[Path], None]:
    """A change that adds `line` under `- selfhelp:` in mkdocs.yml, as its line 13."""
    return replacing("mkdocs.yml", "      offline_zip: false\n", f"      offline_zip: false\n{line}")


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    """Several changes, in order."""

    def apply(project: Path) -> None:
        for change in changes:
            change(project)

    return apply


WAKE_PLAN = "content/worksheets/wake-plan.yml"
WIND_DOWN = "content/guides/better-sleep/wind-down.md"
ABOUT_SLEEP = "content/pages/about-sleep.md"
RACING_MIND = "content/situations/racing-mind.md"
HOME = "content/index.md"
GUIDE = "content/guides/better-sleep/index.md"
RUNS_SCRIPT = "in the page body would run script in readers' browsers"
LINK_FIX = (
    "link to content by id (step:ID, worksheet:ID, situation:ID, page:ID, guide:ID) or to a file in content/files/ "
    "(file:NAME)"
)
AWAY = (
    "which readers on an intranet may not reach and which would learn who reads the page: save a copy of the file "
    "in the content folder and link to it with a relative path"
)

SLEEP_DIARY = "content/worksheets/sleep-diary.yml"
ALIAS_BOMB = 'l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + "".join(
    f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]\n" for level in range(1, 9)
)
"""Under 500 bytes that expand to 9**9 values when aliases are followed (minutes of work before)."""
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
SVG_START = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="8" height="8">'
ID_RULE = "ids use only lowercase letters, digits and single dashes, like 'action-plan'"
NOT_PUBLISHED = (
    "are not published: the content folder holds pages (.md), worksheets (.yml) and, in content/files/, "
    "images and PDFs (.png, .jpg, .jpeg, .gif, .webp, .svg, .pdf); move this file out of content/"
)
INVISIBLE = "often pasted from another program: delete it (retype the line if you cannot see it)"


def with_link_validation(change: Callable[[Path], None]) -> Callable[[Path], None]:
    """`change`, in a project whose mkdocs.yml warns on anchors and unchecked links (as the shipped one does)."""

    def both(project: Path) -> None:
        appending("mkdocs.yml", "validation:\n  links:\n    anchors: warn\n    unrecognized_links: warn\n"
                  "    absolute_links: warn\n")(project)
        change(project)

    return both


CASES = [
    Case(
        "field kind typo",
        replacing(WAKE_PLAN, "kind: text", "kind: txt"),
        f"{WAKE_PLAN}:10: field kind 'txt' is not one of text, textarea, choice, checklist, scale, date, "
        "checkbox, group: did you mean 'text'?",
    ),
    # atomic builds: failures found while or after pages are written (strict-mode warnings, the external-asset
    # check), reported at the content file and line; the last good site/ stays as it was.
    Case(
        "link to a missing anchor on another page",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(step:keep-a-rhythm#no-such-heading)")),
        f"{WIND_DOWN}:14: the link 'step:keep-a-rhythm#no-such-heading' goes to '#no-such-heading', which is not a "
        "heading on 'step:keep-a-rhythm': use one of its headings (#key-actions, #questions-to-reflect-on, "
        "#worksheets-for-this-step) or remove '#no-such-heading'",
    ),
    Case(
        "link to a mistyped anchor on the same page",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(step:wind-down#why-an-hour)")),
        f"{WIND_DOWN}:14: the link 'step:wind-down#why-an-hour' goes to '#why-an-hour', which is not a heading on "
        "this page: did you mean '#why-an-hour-helps'?",
    ),
    Case(
        "relative link to a missing file",
        replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(notes/missing.md)"),
        f"{WIND_DOWN}:14: the link 'notes/missing.md' goes to a file that is not in the site: correct the path, "
        f"or {LINK_FIX}",
    ),
    Case(
        "relative image that is not there",
        appending(ABOUT_SLEEP, "\n![Moon](images/moon.png)\n"),
        f"{ABOUT_SLEEP}:8: the link 'images/moon.png' goes to a file that is not in the site: correct the path, "
        f"or {LINK_FIX}",
    ),
    Case(
        "link to a built page's address",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(../keep-a-rhythm/)")),
        f"{WIND_DOWN}:14: the link '../keep-a-rhythm/' is an address inside the site that cannot be checked: "
        "did you mean 'step:keep-a-rhythm'?",
    ),
    Case(
        "absolute link",
        with_link_validation(replacing(WIND_DOWN, "(worksheet:sleep-diary)", "(/about-sleep/)")),
        f"{WIND_DOWN}:14: the link '/about-sleep/' starts with '/', which leaves the site when it is hosted under "
        "a sub-path: did you mean 'page:about-sleep'?",
    ),
    Case(
        "external image in Markdown",
        appending(ABOUT_SLEEP, "\n![Moon](https://cdn.example.test/moon.png)\n"),
        f"{ABOUT_SLEEP}:8: 'https://cdn.example.test/moon.png' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "external image in raw HTML",
        appending(ABOUT_SLEEP, '\n<p>Night sky:</p>\n\n<img src="https://cdn.example.test/sky.jpg" alt="Sky">\n'),
        f"{ABOUT_SLEEP}:10: 'https://cdn.example.test/sky.jpg' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "external image by reference",
        appending(ABOUT_SLEEP, "\n![Moon][moon]\n\n[moon]: https://cdn.example.test/moon.png\n"),
        f"{ABOUT_SLEEP}:10: 'https://cdn.example.test/moon.png' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "protocol-relative frame",
        appending(ABOUT_SLEEP, '\n<iframe src="//video.example.test/embed/1" title="Video"></iframe>\n'),
        f"{ABOUT_SLEEP}:8: '//video.example.test/embed/1' would be loaded from video.example.test, {AWAY}",
    ),
    Case(
        "external background in a style attribute",
        appending(ABOUT_SLEEP, '\n<div style="background: url(https://cdn.example.test/bg.png)">Calm</div>\n'),
        f"{ABOUT_SLEEP}:8: 'https://cdn.example.test/bg.png' would be loaded from cdn.example.test, {AWAY}",
    ),
    Case(
        "external script added in mkdocs.yml (post-build check)",
        appending("mkdocs.yml", "extra_javascript:\n  - https://cdn.example.test/tracker.js\n"),
        "  guides/better-sleep/wind-down/index.html (made from content/guides/better-sleep/wind-down.md): loads "
        "https://cdn.example.test/tracker.js",
    ),
    # escaping: a page body keeps its HTML, but every script in it is named (strict mode stops the build)
    Case(
        "script in a step body",
        replacing(WIND_DOWN, "Your body needs time", "<script>alert(1)</script>\n\nYour body needs time"),
        f"{WIND_DOWN}:14: a <script> element in the page body would run in readers' browsers: remove it "
        "(the site's Content-Security-Policy blocks scripts written in content, and the offline copy would run them)",
    ),
    Case(
        "script split over lines after a code sample in a page body",
        replacing(ABOUT_SLEEP, "Sleep comes in cycles", "Write `<script>` to add one.\n\n<SCRIPT type=module>\n"
                  "alert(1)\n</SCRIPT>\n\nSleep comes in cycles"),
        f"{ABOUT_SLEEP}:8: a <script> element in the page body would run in readers' browsers: remove it "
        "(the site's Content-Security-Policy blocks scripts written in content, and the offline copy would run them)",
    ),
    Case(
        "onerror= on an image in a page body",
        replacing(ABOUT_SLEEP, "Sleep comes in cycles", '<img src="moon.png" alt="Moon" onerror="alert(1)">\n\nSleep'),
        f"{ABOUT_SLEEP}:6: the 'onerror' attribute on <img> {RUNS_SCRIPT}: remove the attribute",
    ),
    Case(
        "onclick= from attr_list in a situation body",
        replacing(RACING_MIND, "Many people lie awake", "Many people *lie awake*{: onclick=\"alert(1)\" }"),
        f"{RACING_MIND}:8: the 'onclick' attribute on <em> {RUNS_SCRIPT}: remove the attribute",
    ),
    Case(
        "javascript: link in the home page body",
        replacing(HOME, "Start with", "[Help](JavaScript:alert(1)) or start with"),
        f"{HOME}:5: a javascript: address in the 'href' of <a> {RUNS_SCRIPT}: link to an http(s), mailto: or "
        "tel: address, or to content such as step:ID",
    ),
    Case(
        "iframe srcdoc in a guide body",
        replacing(GUIDE, "Read the steps", "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>\n\nRead the steps"),
        f"{GUIDE}:10: the 'srcdoc' attribute on <iframe> in the page body holds a page that can run script: "
        "remove the attribute",
    ),
    # content and options: parsing is bounded (aliases, tags, depth, size, symlinks, pipes)
    Case(
        "YAML alias bomb in a worksheet",
        appending(WAKE_PLAN, ALIAS_BOMB),
        f"{WAKE_PLAN}:12: a value cannot start with '&' (YAML reads '&name' as a label for copying): "
        "put the value in quotes",
    ),
    Case(
        "YAML alias bomb in front matter",
        replacing(ABOUT_SLEEP, "order: 1\n", "order: 1\n" + ALIAS_BOMB),
        f"{ABOUT_SLEEP}:5: front matter: a value cannot start with '&' (YAML reads '&name' as a label for "
        "copying): put the value in quotes",
    ),
    Case(
        "YAML alias (Markdown emphasis at the start of a title)",
        replacing(WAKE_PLAN, "title: Wake-up plan", "title: *Wake-up plan"),
        f"{WAKE_PLAN}:2: a value cannot start with '*' (YAML reads '*name' as a copy of another value): "
        "put the value in quotes",
    ),
    Case(
        "YAML tag",
        replacing(WAKE_PLAN, "title: Wake-up plan", "title: !!python/object:os.system echo"),
        f"{WAKE_PLAN}:2: a value cannot start with '!' (YAML reads '!name' as a type): put the value in quotes",
    ),
    Case(
        "YAML nested 300 deep",
        replacing(WAKE_PLAN, "title: Wake-up plan", "title: " + "[" * 300 + "]" * 300),
        f"{WAKE_PLAN}:2: lists are nested more than 20 levels deep here: content never needs that many; "
        "check the indentation and the brackets",
    ),
    Case(
        "YAML keys nested 30 deep in front matter",
        replacing(
            ABOUT_SLEEP, "order: 1\n", "order: 1\n" + "".join("  " * level + f"k{level}:\n" for level in range(30))
        ),
        f"{ABOUT_SLEEP}:25: front matter: keys are nested more than 20 levels deep here: content never needs that "
        "many; check the indentation and the brackets",
    ),
    Case(
        "Markdown block quotes 1,000 deep",
        appending(WIND_DOWN, "\n" + "> " * 1000 + "deep\n"),
        f"{WIND_DOWN}:16: this line is nested more than 20 levels deep (quotes, lists or notes inside each other): "
        "no page needs that many; remove some '>' or '-' markers or some indentation",
    ),
    Case(
        "Markdown list markers 1,000 deep on one line",
        appending(ABOUT_SLEEP, "\n" + "- " * 1000 + "x\n"),
        f"{ABOUT_SLEEP}:8: this line is nested more than 20 levels deep (quotes, lists or notes inside each other): "
        "no page needs that many; remove some '>' or '-' markers or some indentation",
    ),
    Case(
        "Markdown notes (admonitions) 100 deep",
        appending(ABOUT_SLEEP, "\n" + "".join("    " * level + "!!! note\n" for level in range(100))),
        f"{ABOUT_SLEEP}:28: this line is nested more than 20 levels deep (quotes, lists or notes inside each "
        "other): no page needs that many; remove some '>' or '-' markers or some indentation",
    ),
    Case(
        "HTML blocks with markdown 1,000 deep",
        appending(RACING_MIND, "\n" + "<div markdown>\n" * 1000 + "x\n" + "</div>\n" * 1000),
        f"{RACING_MIND}:30: more than 20 HTML blocks with 'markdown' are open at once here: close each one "
        "before opening the next",
    ),
    Case(
        "10,000 unclosed HTML tags (minutes in the HTML parser)",
        appending(ABOUT_SLEEP, "\n" + "<a " * 10000 + "\n"),
        f"{ABOUT_SLEEP}:8: more than 10 '<' here and below start an HTML tag that is never closed with '>': "
        "write &lt; for a '<' sign, or finish each tag with '>'",
    ),
    Case(
        "10,000 open brackets (minutes in Markdown's link finder)",
        appending(ABOUT_SLEEP, "\n" + "[" * 10000 + "\n"),
        f"{ABOUT_SLEEP}:8: more than 20 '[' are open at once here: close each '[' with ']', or write \\[ for a "
        "bracket that is just text",
    ),
    Case(
        "unclosed brackets in a key action",
        replacing(WIND_DOWN, "  - Dim the lights.", "  - Dim the lights " + "[" * 500),
        f"{WIND_DOWN}:7: more than 20 '[' are open at once here: close each '[' with ']', or write \\[ for a "
        "bracket that is just text",
    ),
    Case(
        "4,000 identical headings",
        appending(ABOUT_SLEEP, "\n" + "# Same\n\n" * 4000),
        f"{ABOUT_SLEEP}:608: this page has more than 300 headings: split it into several pages",
    ),
    Case(
        "page of 200 KB",
        appending(ABOUT_SLEEP, "Sleep comes in cycles. " * 9000),
        f"{ABOUT_SLEEP}:1: this file is 202 KB, more than the 64 KB a page or worksheet may have: "
        "split it into several",
    ),
    Case(
        "worksheet of 1 MB",
        appending(WAKE_PLAN, "# " + "x" * 1_000_000 + "\n"),
        f"{WAKE_PLAN}:1: this file is 976 KB, more than the 64 KB a page or worksheet may have: split it into several",
    ),
    Case(
        "symlink loop",
        linking("content/pages/loop.md", "loop.md"),
        "content/pages/loop.md:1: this link (loop.md) goes round in a loop: delete it",
    ),
    Case(
        "symlink to a file outside the project",
        linking("content/pages/passwd.md", "/etc/passwd"),
        "content/pages/passwd.md:1: this link (/etc/passwd) leads outside the content folder, which is never "
        "published: put the file itself here instead of a link",
    ),
    Case(
        "symlink to a folder outside content",
        linking("content/files/system", "/etc"),
        "content/files/system:1: this link (/etc) leads outside the content folder, which is never published: "
        "put the file itself here instead of a link",
    ),
    Case(
        "symlink to a folder inside content",
        linking("content/files/again", "../pages"),
        "content/files/again:1: this is a link to a folder (../pages): links to folders are not followed; "
        "move the folder here",
    ),
    Case(
        "named pipe that would block a read",
        lambda project: os.mkfifo(project / "content/pages/pipe.md"),
        "content/pages/pipe.md:1: this is not a file (a pipe, socket or device): delete it from the content folder",
    ),
    # content and options: only what should be published is published
    Case(
        "notes.txt in content",
        writing("content/notes.txt", "to do\n"),
        f"content/notes.txt:1: '.txt' files {NOT_PUBLISHED}",
    ),
    Case(
        "Word document next to the pages",
        writing("content/pages/draft.docx", b"PK\x03\x04\x14\x00"),
        f"content/pages/draft.docx:1: '.docx' files {NOT_PUBLISHED}",
    ),
    Case(
        "file without an ending",
        writing("content/files/run", b"\x7fELF\x02\x01"),
        f"content/files/run:1: files without an ending like .md {NOT_PUBLISHED}",
    ),
    Case(
        "stray YAML next to the pages",
        writing("content/pages/data.yml", "a: 1\n"),
        "content/pages/data.yml:1: YAML files belong in content/worksheets/: move this file there",
    ),
    Case(
        "image outside content/files",
        writing("content/pages/diagram.png", PNG),
        "content/pages/diagram.png:1: images and PDFs belong in content/files/: move this file there and link to it "
        "as (file:diagram.png)",
    ),
    Case(
        "HTML renamed to .png",
        writing("content/files/chart.png", "<html><script>alert(1)</script></html>"),
        "content/files/chart.png:1: this file is named .png but is not a PNG image (it may be damaged, or another "
        "kind of file renamed): save it again as a PNG image",
    ),
    Case(
        "JPEG named .pdf",
        writing("content/files/handout.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        "content/files/handout.pdf:1: this file is named .pdf but holds a JPEG image: rename it to handout.jpg",
    ),
    Case(
        "SVG with an event handler in content/files",
        writing("content/files/icon.svg", SVG_START + '<rect width="8" height="8" onclick="alert(1)"/></svg>'),
        "content/files/icon.svg:1: this SVG cannot be published: an event handler (onclick=), on line 1; save it "
        "again without it (as a plain SVG), or as a PNG",
    ),
    Case(
        "SVG with an entity bomb in content/files",
        writing(
            "content/files/lol.svg",
            '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        ),
        "content/files/lol.svg:1: this SVG cannot be published: declarations in its DOCTYPE (<!ENTITY> or "
        "<!ATTLIST>), on line 2; save it again without it (as a plain SVG), or as a PNG",
    ),
    Case(
        "download of 11 MB",
        writing("content/files/big.pdf", b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024)),
        "content/files/big.pdf:1: this file is 11.0 MB, more than the 10 MB allowed (every reader's browser saves it "
        "for offline use): make it smaller",
    ),
    Case(
        "space in a file name",
        writing("content/files/my chart.png", PNG),
        "content/files/my chart.png:1: the name 'my chart.png' cannot be part of a web address: rename it using "
        "only letters, digits, dashes, dots and underscores (no spaces)",
    ),
    # content and options: text that is not clean UTF-8
    Case(
        "NUL byte in a worksheet",
        replacing(WAKE_PLAN, "purpose: Choose", "purpose: Cho\x00ose"),
        f"{WAKE_PLAN}:3: this line holds an invisible control character (U+0000, a control character), {INVISIBLE}",
    ),
    Case(
        "Windows-1252 control character pasted into a summary",
        replacing(WIND_DOWN, "Give your mind", "Give your mind\x92s"),
        f"{WIND_DOWN}:3: this line holds an invisible control character (U+0092, a control character), {INVISIBLE}",
    ),
    Case(
        "Unicode line separator in a title",
        replacing(ABOUT_SLEEP, "title: How sleep works", "title: How sleep\u2028works"),
        f"{ABOUT_SLEEP}:2: this line holds an invisible control character (U+2028, line separator), {INVISIBLE}",
    ),
    Case(
        "Latin-1 text",
        lambda project: (project / ABOUT_SLEEP).write_bytes(
            (project / ABOUT_SLEEP).read_bytes().replace(b"ninety", b"n\xe9nety")
        ),
        f"{ABOUT_SLEEP}:6: this file is not UTF-8 text (invalid continuation byte on this line): save it as UTF-8",
    ),
    Case(
        "UTF-16 worksheet",
        lambda project: (project / WAKE_PLAN).write_bytes((project / WAKE_PLAN).read_text().encode("utf-16")),
        f"{WAKE_PLAN}:1: this file is not UTF-8 text (invalid start byte on this line): save it as UTF-8",
    ),
    Case(
        "PNG saved as a worksheet",
        writing("content/worksheets/photo.yml", PNG),
        "content/worksheets/photo.yml:1: this file is not UTF-8 text (invalid start byte on this line): "
        "save it as UTF-8",
    ),
    Case(
        "empty worksheet",
        writing("content/worksheets/empty.yml", ""),
        "content/worksheets/empty.yml:1: this worksheet is empty: write it (see 'Writing a worksheet' in README.md) "
        "or delete it",
    ),
    Case(
        "empty page",
        writing("content/pages/empty.md", ""),
        "content/pages/empty.md:1: a page must start with front matter: a '---' line, 'title: ...', then '---'",
    ),
    Case(
        "Windows line ends and a byte-order mark, with a typo",
        lambda project: (project / WAKE_PLAN).write_bytes(
            b"\xef\xbb\xbf"
            + (project / WAKE_PLAN).read_text().replace("kind: text", "kind: txt").replace("\n", "\r\n").encode()
        ),
        f"{WAKE_PLAN}:10: field kind 'txt' is not one of text, textarea, choice, checklist, scale, date, "
        "checkbox, group: did you mean 'text'?",
    ),
    # content and options: YAML mistakes, at the line where they start
    Case(
        "unclosed quote",
        replacing(SLEEP_DIARY, "purpose: Notice", 'purpose: "Notice'),
        f"{SLEEP_DIARY}:4: this is not valid YAML: the quote that starts the value on this line is never closed: "
        "add the closing quote",
    ),
    Case(
        "unclosed bracket in front matter",
        replacing(RACING_MIND, "keywords: [worry, overthinking]", "keywords: [worry, overthinking"),
        f"{RACING_MIND}:4: front matter: this is not valid YAML: the '[' on this line is never closed: end the "
        "list with ']', or put the value in quotes if it is text that starts with '['",
    ),
    Case(
        "colon in a value",
        replacing(WAKE_PLAN, "label: My wake-up time", "label: Time: my wake-up time"),
        f"{WAKE_PLAN}:11: this is not valid YAML: a value contains ': ' (a colon and a space): put the whole "
        "value in quotes; if this line is a key of its own, start it in the same column as the keys above it",
    ),
    Case(
        "tab used for indentation",
        replacing(WAKE_PLAN, "        label: My", "\tlabel: My"),
        f"{WAKE_PLAN}:11: this is not valid YAML: there is a tab character here: indent with spaces, not tabs",
    ),
    Case(
        "a key indented one space too far",
        replacing(SLEEP_DIARY, "    title: After a week", "     title: After a week"),
        f"{SLEEP_DIARY}:35: this is not valid YAML: a value contains ': ' (a colon and a space): put the whole "
        "value in quotes; if this line is a key of its own, start it in the same column as the keys above it",
    ),
    Case(
        "second YAML document in a worksheet",
        appending(WAKE_PLAN, "---\nid: more\n"),
        f"{WAKE_PLAN}:12: this is not valid YAML: a '---' line here starts a second document: remove it "
        "(the file holds one)",
    ),
    Case(
        "Windows path in double quotes",
        replacing(WAKE_PLAN, "purpose: Choose one wake-up time and stick to it.", 'purpose: "See C:\\Users\\me"'),
        f"{WAKE_PLAN}:3: this is not valid YAML: a backslash (\\) inside double quotes starts a special character: "
        "write the value in single quotes instead, or double the backslash (\\\\)",
    ),
    Case(
        "value starting with @",
        replacing(WAKE_PLAN, "title: Wake-up plan", "title: @home wake-up plan"),
        f"{WAKE_PLAN}:2: this is not valid YAML: a value cannot start with '@': put the value in quotes",
    ),
    Case(
        "no space after the colons",
        writing("content/worksheets/squashed.yml", "id:squashed\ntitle:Squashed\n"),
        "content/worksheets/squashed.yml:1: a worksheet must be 'key: value' lines (id, title, sections...), not "
        "'id:squashed title:Squashed' (put a space after each ':')",
    ),
    # content and options: ids
    Case(
        "field id YAML reads as the number 8",
        replacing(WAKE_PLAN, "id: wake-time", "id: 010"),
        f'{WAKE_PLAN}:9: field id 010 is read by YAML as a number, not as text: put it in quotes: id: "010"',
    ),
    Case(
        "section id YAML reads as a date",
        replacing(WAKE_PLAN, "id: plan", "id: 2024-01-01"),
        f"{WAKE_PLAN}:6: section id 2024-01-01 is read by YAML as a date, not as text: put it in quotes: "
        'id: "2024-01-01"',
    ),
    Case(
        "worksheet id YAML reads as a boolean",
        replacing(WAKE_PLAN, "id: wake-plan", "id: on"),
        f'{WAKE_PLAN}:1: worksheet id on is read by YAML as true or false, not as text: put it in quotes: id: "on"',
    ),
    Case(
        "field id YAML reads as null",
        replacing(WAKE_PLAN, "id: wake-time", "id: ~"),
        f'{WAKE_PLAN}:9: field id ~ is read by YAML as no value, not as text: put it in quotes: id: "~"',
    ),
    Case(
        "worksheet id in a list YAML reads as a number",
        replacing(RACING_MIND, "worksheets: [sleep-diary]", "worksheets: [sleep-diary, 1.5]"),
        f"{RACING_MIND}:6: in 'worksheets': worksheet id 1.5 is read by YAML as a number, not as text: "
        'put it in quotes: - "1.5"',
    ),
    Case(
        "step id in a list YAML reads as a time",
        replacing(RACING_MIND, "steps: [wind-down]", "steps: [wind-down, 1:30]"),
        f"{RACING_MIND}:5: in 'steps': step id 1:30 is read by YAML as a number, not as text: "
        'put it in quotes: - "1:30"',
    ),
    Case(
        "field id constructor",
        replacing(WAKE_PLAN, "id: wake-time", "id: constructor"),
        f"{WAKE_PLAN}:9: field id 'constructor' is a name the browser's JavaScript already uses for itself, so "
        "answers to it would be lost: choose another id, like 'constructor-answer'",
    ),
    Case(
        "field id __proto__",
        replacing(WAKE_PLAN, "id: wake-time", "id: __proto__"),
        f"{WAKE_PLAN}:9: field id '__proto__' is not an id ({ID_RULE}): use 'proto'",
    ),
    Case(
        "situation file named with spaces and capitals",
        lambda project: (project / "content/situations/Lost My Job.md").write_text(
            (project / RACING_MIND).read_text(encoding="utf-8"), encoding="utf-8"
        ),
        "content/situations/Lost My Job.md:1: the name 'Lost My Job.md' cannot be used: a situation's file name is "
        f"its id and its web address, and {ID_RULE}: rename the file to lost-my-job.md",
    ),
    Case(
        "guide folder named with capitals",
        lambda project: (project / "content/guides/better-sleep").rename(project / "content/guides/Better Sleep"),
        "content/guides/Better Sleep/index.md:1: the name 'Better Sleep' cannot be used: a guide's folder name is "
        f"its id and its web address, and {ID_RULE}: rename the folder to better-sleep",
    ),
    Case(
        "page that takes the address of content/files",
        lambda project: (project / ABOUT_SLEEP).rename(project / "content/pages/files.md"),
        "content/pages/files.md:1: page id 'files' is reserved for a part of the site; rename the file",
    ),
    Case(
        "typo in a guide's steps",
        replacing(GUIDE, "  - wind-down\n", "  - wind-dwon\n"),
        f"{GUIDE}:6: step 'wind-dwon' has no file: did you mean 'wind-down'?",
    ),
    Case(
        "mistyped content link inside a key action",
        replacing(WIND_DOWN, "  - Dim the lights.\n", "  - Dim the lights, as in [the next step](step:keep-a-rythm).\n"),
        f"{WIND_DOWN}:7: link to step 'keep-a-rythm' goes nowhere: did you mean 'keep-a-rhythm'?",
    ),
    Case(
        "path in a guide's steps",
        replacing(GUIDE, "  - keep-a-rhythm\n", "  - keep-a-rhythm\n  - ../../../../etc/passwd\n"),
        f"{GUIDE}:8: in 'steps': step id '../../../../etc/passwd' is not an id ({ID_RULE})",
    ),
    Case(
        "link to a file that is not in content/files",
        appending(WIND_DOWN, "\n![Cycle](file:charts/cycle.png)\n"),
        f"{WIND_DOWN}:16: link to file 'charts/cycle.png' goes nowhere: put the file in content/files/ or fix its name",
    ),
    Case(
        "content link by file path",
        replacing("content/index.md", "(guide:better-sleep)", "(guide:../../etc/passwd)"),
        f"content/index.md:5: link to guide '../../etc/passwd' goes nowhere: {ID_RULE}; link by id, never by file path",
    ),
    # content and options: plugin options in mkdocs.yml
    Case(
        "unquoted colour (a YAML comment)",
        option("      primary_colour: #5b2a86\n"),
        "mkdocs.yml:13: primary_colour has no value, because YAML reads everything after '#' as a comment: "
        'put the colour in quotes: primary_colour: "#5b2a86"',
    ),
    Case(
        "colour that is not a colour",
        option('      accent_colour: "red; } body { display: none"\n'),
        "mkdocs.yml:13: accent_colour 'red; } body { display: none' is not a colour: write a hex colour in quotes, "
        'like accent_colour: "#a33b20"',
    ),
    Case(
        "phone number YAML reads as a number",
        option("      urgent_help:\n        name: Crisis line\n        phone: 116123\n"),
        "mkdocs.yml:15: urgent_help: phone 116123 is read by YAML as a number: write the phone number in quotes: "
        'phone: "116123"',
    ),
    Case(
        "comma inside a contact written in { }",
        option("      eap: {name: EAP, phone: '0800 111 111', note: free, open 24 hours}\n"),
        "mkdocs.yml:13: eap is written on one line in { }, where a comma ends a value, so 'open 24 hours' became a "
        "key of its own: write eap in block style, one key per line under 'eap:', with each value in quotes",
    ),
    Case(
        "javascript: contact link",
        option("      hr_contact:\n        name: HR\n        url: javascript:alert(document.cookie)\n"),
        "mkdocs.yml:15: hr_contact: url 'javascript:alert(document.cookie)' is not a web address: write the whole "
        "address, starting with https:// (like https://intranet.example/hr)",
    ),
    Case(
        "email that is not an email address",
        option("      hr_contact:\n        email: hr at example dot com\n"),
        "mkdocs.yml:14: hr_contact: email 'hr at example dot com' is not an email address: write it like "
        "hr@example.com",
    ),
    Case(
        "phone with words in it",
        option("      eap:\n        phone: 'call reception'\n"),
        "mkdocs.yml:14: eap: phone 'call reception' is not a phone number: write only the number (digits, spaces and "
        "+ - ( ) .), and put words such as opening hours in 'note'",
    ),
    Case(
        "contact written as a list",
        option("      urgent_help: [Crisis line, '0800 000 000']\n"),
        "mkdocs.yml:13: urgent_help must be 'key: value' lines under it (name, phone, email, url, note), not a list",
    ),
    Case(
        "logo outside the project",
        option("      logo: ../../../../etc/passwd\n"),
        "mkdocs.yml:13: logo '../../../../etc/passwd' is outside the project folder, and nothing from outside it is "
        "ever published: copy the logo image into the project (next to mkdocs.yml, say) and write its path from there",
    ),
    Case(
        "TOML file as the logo",
        both(
            writing("content/.brand/brand.toml", "[brand]\ncolour = 'x'\n"),
            option("      logo: content/.brand/brand.toml\n"),
        ),
        "mkdocs.yml:13: logo 'content/.brand/brand.toml' is not a PNG, SVG, JPEG or WebP image (it is not an image): "
        "export the "
        "logo in one of those formats",
    ),
    Case(
        "PDF as the logo",
        both(writing("content/.brand/logo.pdf", b"%PDF-1.4\n"), option("      logo: content/.brand/logo.pdf\n")),
        "mkdocs.yml:13: logo 'content/.brand/logo.pdf' is not a PNG, SVG, JPEG or WebP image (it is a PDF document): "
        "export the "
        "logo in one of those formats",
    ),
    Case(
        "SVG logo with a script",
        both(
            writing("content/.brand/logo.svg", SVG_START + "\n<script>alert(1)</script></svg>"),
            option("      logo: content/.brand/logo.svg\n"),
        ),
        "mkdocs.yml:13: logo 'content/.brand/logo.svg' cannot be published: a script (<script>), on line 2; "
        "export it again as a "
        "plain SVG without it, or use a PNG",
    ),
    Case(
        "SVG logo with foreignObject",
        both(
            writing(
                "content/.brand/logo.svg",
                SVG_START + '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
            ),
            option("      logo: content/.brand/logo.svg\n"),
        ),
        "mkdocs.yml:13: logo 'content/.brand/logo.svg' cannot be published: a <foreignObject> (a web page inside "
        "the image), on "
        "line 1; export it again as a plain SVG without it, or use a PNG",
    ),
    Case(
        "SVG logo that loads an image from another host",
        both(
            writing("content/.brand/logo.svg", SVG_START + '<image xlink:href="https://tracker.example/p.png"/></svg>'),
            option("      logo: content/.brand/logo.svg\n"),
        ),
        "mkdocs.yml:13: logo 'content/.brand/logo.svg' cannot be published: a link to another file "
        '(href="https://tracker.example/p.png"), on line 1; export it again as a plain SVG without it, or use a PNG',
    ),
    Case(
        "logo of 2 MB",
        both(
            writing("content/.brand/logo.png", PNG + b"\x00" * (2 * 1024 * 1024)),
            option("      logo: content/.brand/logo.png\n"),
        ),
        "mkdocs.yml:13: logo 'content/.brand/logo.png' is 2048 KB, more than the 1024 KB allowed (it is on every "
        "page): make the "
        "image smaller",
    ),
    Case(
        "misspelt option",
        option("      primary_color: '#5b2a86'\n"),
        "mkdocs.yml:13: unknown option 'primary_color' for the selfhelp plugin: did you mean 'primary_colour'?",
    ),
    Case(
        "switch that is not true or false",
        option("      service_worker: sometimes\n"),
        "mkdocs.yml:13: service_worker must be true or false, not 'sometimes'",
    ),
    Case(
        "content folder outside the project",
        option("      content_dir: /etc\n"),
        "mkdocs.yml:13: content_dir '/etc' is outside the project folder, and nothing from outside it is ever "
        "published: copy the content folder into the project (next to mkdocs.yml, say) and write its path from there",
    ),
    Case(
        "empty navigation title",
        option('      situations_title: ""\n'),
        "mkdocs.yml:13: situations_title is empty: write the title, or delete the line to use the default",
    ),
    Case(
        "organisation YAML reads as a number",
        option("      organisation: 1984\n"),
        'mkdocs.yml:13: organisation 1984 is read by YAML as a number: write the name in quotes: organisation: "1984"',
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_input_is_refused_cleanly(case: Case, tmp_path: Path, last_good_site: Path) -> None:
    project = good_project(tmp_path / "project", last_good_site)
    outcome = break_and_build(case.name, project, case.breaking)
    for run in (outcome.check, outcome.build):
        assert run.returncode != 0, run.output
        assert not run.traceback, run.output
        assert run.reports(case.message), run.output
    assert outcome.site_unchanged
    assert outcome.leftovers == []


@pytest.mark.parametrize("case", [CASES[0], CASES[-1]], ids=lambda case: case.name)
def test_a_new_python_prints_what_the_preloaded_one_prints(case: Case, tmp_path: Path, last_good_site: Path) -> None:
    """The cases above run their commands forked from one Python that has the modules imported
    (tests/hostile.py): a new interpreter, as the editor's shell starts, gives the same exit code and output."""
    project = good_project(tmp_path / "project", last_good_site)
    before = snapshot(project / "site")
    case.breaking(project)
    for module, arguments in (("generator", ["check"]), ("mkdocs", ["build"])):
        new = run_as_new_process(module, arguments, project)
        preloaded = run_preloaded(module, arguments, project)
        assert new.returncode != 0 and new.reports(case.message), new.output
        assert not new.traceback, new.output
        assert (preloaded.returncode, preloaded.output) == (new.returncode, new.output)
    assert snapshot(project / "site") == before
