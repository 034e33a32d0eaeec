"""Recognise images and PDFs by their content, and refuse SVG files that could run script or fetch other files.

The logo and the files in `content/files/` are published as they are. A file
is accepted by what it holds, not by its name: a PNG must start as PNGs do, an
SVG must parse as XML with an `<svg>` root. An SVG is also a web document:
opened on its own from the site, a script in it would run with the site's
address, where readers' answers are kept, and a link in it would make the
browser (or WeasyPrint, for the PDFs) fetch a file from elsewhere. So an SVG is
refused if it holds scripts, event handlers (`onload=`), `<foreignObject>`,
animations that could change a link, entity declarations, style sheets from
elsewhere, or any reference that is not to a part of itself (`#id`) or an
embedded raster image (`data:image/png;base64,...`).
"""

from __future__ import annotations

import re
from xml.parsers import expat

KIND_NAMES = {
    ".png": "a PNG image",
    ".jpg": "a JPEG image",
    ".gif": "a GIF image",
    ".webp": "a WebP image",
    ".svg": "an SVG image",
    ".pdf": "a PDF document",
}
"""Each kind recognised, by its usual file name ending (`.jpeg` is `.jpg`)."""


def same_kind(suffix: str) -> str:
    """The kind a file name ending stands for: `.JPEG` and `.jpg` are both `.jpg`."""
    suffix = suffix.lower()
    return ".jpg" if suffix == ".jpeg" else suffix


def sniff(data: bytes) -> str | None:
    """The kind of file `data` holds (a key of KIND_NAMES), judged by its content; None if none of them."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return ".gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if b"%PDF-" in data[:1024]:  # The PDF standard lets the header start anywhere in the first kilobyte.
        return ".pdf"
    if b"<svg" in data[:4096] or b":svg" in data[:4096]:
        return ".svg"
    return None


SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_ACTIVE_ELEMENTS = {
    "script": "a script (<script>)",
    "foreignobject": "a <foreignObject> (a web page inside the image)",
    "handler": "a script (<handler>)",
    "listener": "an event listener (<listener>)",
    "iframe": "an <iframe>",
    "embed": "an <embed>",
    "object": "an <object>",
    "animate": "an animation (<animate>)",
    "set": "an animation (<set>)",
    "animatemotion": "an animation (<animateMotion>)",
    "animatetransform": "an animation (<animateTransform>)",
    "animatecolor": "an animation (<animateColor>)",
    "discard": "a <discard> element",
}
_EMBEDDED_RASTER = re.compile(r"\s*data:image/(?:png|jpeg|jpg|gif|webp)\s*[;,]", re.IGNORECASE)
_CSS_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import|image-set\(|expression\(", re.IGNORECASE)


class _Refused(Exception):
    pass


def _css_problem(css: str) -> str | None:
    for match in _CSS_REFERENCE.finditer(css):
        target = match.group(1)
        if target is not None and (target.startswith("#") or _EMBEDDED_RASTER.match(target)):
            continue
        return f"a style that loads another file ({match.group(0).strip()[:60]})"
    return None


def svg_problem(data: bytes) -> str | None:
    """What makes this SVG unsafe to publish, with its line, or None when it is a plain, self-contained image."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    elements: list[str] = []
    style_text: list[str] = []

    def refuse(what: str) -> None:
        raise _Refused(f"{what}, on line {parser.CurrentLineNumber}")

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if not elements and local != "svg":
            refuse(f"its first element is <{local}>, not <svg>")
        if namespace == _XHTML_NAMESPACE:
            refuse(f"HTML inside the image (<{local}>)")
        if local.lower() in _ACTIVE_ELEMENTS:
            refuse(_ACTIVE_ELEMENTS[local.lower()])
        for attribute, value in attributes.items():
            attribute_name = attribute.rpartition(" ")[2]
            if attribute_name.lower().startswith("on"):
                refuse(f"an event handler ({attribute_name}=)")
            if attribute_name.lower() in ("href", "src") and not (
                value.strip().startswith("#") or _EMBEDDED_RASTER.match(value)
            ):
                refuse(f'a link to another file ({attribute_name}="{value.strip()[:60]}")')
            problem = _css_problem(value)
            if problem:
                refuse(problem)
        elements.append(local)

    def end(name: str) -> None:
        if elements.pop() == "style":
            problem = _css_problem("".join(style_text))
            style_text.clear()
            if problem:
                refuse(problem)

    def text(data: str) -> None:
        if elements and elements[-1] == "style":
            style_text.append(data)

    def doctype(name: str, system_id: str | None, public_id: str | None, has_internal_subset: int) -> None:
        if has_internal_subset:
            refuse("declarations in its DOCTYPE (<!ENTITY> or <!ATTLIST>)")

    def instruction(target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            refuse("a style sheet from another file (<?xml-stylesheet?>)")

    def entity(*_arguments: object) -> None:
        refuse("an entity declaration (<!ENTITY>)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = lambda *_arguments: refuse("a reference to another file (an external entity)")
    try:
        parser.Parse(data, True)
    except _Refused as refusal:
        return str(refusal)
    except expat.ExpatError as error:
        return f"it is not a well-formed SVG file ({expat.errors.messages[error.code]}, on line {error.lineno})"
    return None
