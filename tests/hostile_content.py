"""A copy of the sleep-pack whose every content value and option holds script payloads.

Titles, summaries, audience, keywords, labels, help, options, item/min/max
labels, section titles and intros, purposes, times, key actions, prompts,
instructions, the organisation, every contact field, the urgent note, the
navigation titles, the site's description and author (and, shorter, its name) carry `PAYLOAD` after their own words,
so each can be found in the built site. Page bodies stay clean unless
`body_scripts` is set: then one body holds a `<script>` and an `onerror=`, the
raw HTML an author may write and the build must name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .conftest import copy_pack, edit

PAYLOAD = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> *x*{: onmouseover=alert(3) } "
    "[x](javascript:alert(4)) </title><script>alert(5)</script> \"><svg onload=alert(6)> "
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) <a href='javascript:alert(8)'>a8</a> "
    "'><iframe srcdoc='<script>alert(9)</script>'> {{ 7*7 }} &lt;b&gt; `<b>code</b>` <!-- c --> "
    "<style>body{display:none}</style> ![i](x onerror=alert(10))"
)
"""Every vector at once: raw HTML, closing tags, attribute breaks, attr_list, javascript:/data: links, templates."""

SITE_NAME = "Sleep better </title><script>alert(5)</script> \"><svg onload=alert(6)> *x*{: onclick=alert(3) }"
"""Shorter than the payload: the offline zip is named after the site (its name would be too long for a file)."""

CONTACT_URL = "javascript:alert(11)"
DATA_URL = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4="
QUOTING_URL = 'https://crisis.example.test/?q="><script>alert(13)</script>'
"""A web address the options accept (https) that would break out of an unescaped href."""

BODY_SCRIPT = "<script>alert(20)</script>"
BODY_HANDLER = "<img src=x alt=moon onerror=alert(21)>"
BODY_PAGE = "content/pages/about-sleep.md"

FEATURES = ["navigation.instant", "navigation.sections", "navigation.prune", "navigation.indexes",
            "navigation.footer", "navigation.top", "search.highlight"]

TEXT_KEYS = ("title", "summary", "audience", "purpose", "time_needed", "label", "help", "item_label",
             "min_label", "max_label", "intro")
LIST_KEYS = ("keywords", "key_actions", "reflection_prompts", "options")


def hostile(text: str) -> str:
    """`text` followed by the payload."""
    return f"{text} {PAYLOAD}"


def _poison(data: Any) -> Any:
    if isinstance(data, dict):
        poisoned = {}
        for key, value in data.items():
            if key in TEXT_KEYS and isinstance(value, str):
                poisoned[key] = hostile(value)
            elif key in LIST_KEYS and isinstance(value, list):
                poisoned[key] = [hostile(str(item)) for item in value]
            elif key == "instructions":
                poisoned[key] = f"{value}\n{PAYLOAD}\n\n- A list item {PAYLOAD}\n"
            else:
                poisoned[key] = _poison(value)
        return poisoned
    if isinstance(data, list):
        return [_poison(item) for item in data]
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def hostile_project(destination: Path, *, body_scripts: bool = False, strict: bool = False) -> Path:
    """The sleep-pack with payloads everywhere (see the module docstring), ready to build."""
    project = copy_pack("sleep-pack", destination)
    for path in sorted((project / "content").rglob("*")):
        if path.suffix == ".yml":
            path.write_text(_dump(_poison(yaml.safe_load(path.read_text(encoding="utf-8")))), encoding="utf-8")
        elif path.suffix == ".md":
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            path.write_text(f"---\n{_dump(_poison(yaml.safe_load(front)))}---\n{body}", encoding="utf-8")
    if body_scripts:
        page = project / BODY_PAGE
        page.write_text(page.read_text(encoding="utf-8") + f"\n{BODY_SCRIPT}\n\n{BODY_HANDLER}\n", encoding="utf-8")
    wake_plan = project / "content/worksheets/wake-plan.yml"
    data = yaml.safe_load(wake_plan.read_text(encoding="utf-8"))
    data["instructions"] = f"Fill it in {PAYLOAD}\n\nSee [the diary](worksheet:sleep-diary) and [web]({DATA_URL}).\n"
    wake_plan.write_text(_dump(data), encoding="utf-8")
    # Options refuse a phone, email or url that is not one (javascript:, data:), so those carry valid values;
    # the url still tries to close its href.
    contact = {"name": hostile("Crisis line"), "phone": "0800 000 111", "email": "help@example.test",
               "url": QUOTING_URL, "note": hostile("open all night")}
    options = {
        "organisation": hostile("Example Care Ltd"),
        "urgent_note": hostile("If you are in danger, call now."),
        "urgent_help": contact,
        "hr_contact": {**contact, "name": hostile("People team"), "url": "https://people.example.test/"},
        "eap": {**contact, "name": hostile("Employee Assistance Programme"), "url": "https://eap.example.test/"},
        "situations_title": hostile("What happened?"),
        "worksheets_title": hostile("My worksheets"),
        "privacy_title": hostile("Your privacy"),
    }
    plugin = "  - selfhelp:\n" + "".join(
        f"      {line}\n" for line in _dump(options).splitlines()
    )
    config = project / "mkdocs.yml"
    edit(config, "  - selfhelp\n", plugin)
    site = {"site_name": SITE_NAME, "site_url": "https://intranet.example.test/",
            "site_description": hostile("Private help"), "site_author": hostile("The HR team")}
    edit(config, "site_name: Sleep better\n", _dump(site))
    # The shipped theme features, so the footer links, sections and search highlighting are covered.
    features = "".join(f"  {line}\n" for line in _dump({"features": FEATURES}).splitlines())
    edit(config, "  font: false\n", "  font: false\n" + features)
    if strict:
        config.write_text("strict: true\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    return project
