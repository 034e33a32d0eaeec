"""csp: the policy, script hashes, the template-script mark and frame-ancestors origins."""

from __future__ import annotations

import base64
import hashlib

import jinja2
import pytest

from generator.products.csp import (
    MARK_ATTRIBUTE,
    TemplateScriptMarker,
    TemplateScripts,
    content_security_policy,
    frame_ancestor,
    frame_ancestor_problem,
    is_executable,
    script_hash,
)


def test_policy_allows_only_the_hashes_and_listed_frame_ancestors() -> None:
    policy = content_security_policy(["'sha256-abc'"], ["https://teams.microsoft.com"])
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == "'self' 'sha256-abc'"
    assert directives["frame-ancestors"] == "'self' https://teams.microsoft.com"
    assert directives["object-src"] == "'none'" and directives["form-action"] == "'none'"
    assert "frame-ancestors 'self'" in content_security_policy([])
    assert "script-src 'self';" in content_security_policy([])


def test_script_hash_is_the_browsers() -> None:
    digest = base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode()
    assert script_hash("alert(1)") == f"'sha256-{digest}'"


def test_only_javascript_types_run() -> None:
    assert is_executable({}) and is_executable({"type": "module"}) and is_executable({"type": "text/javascript"})
    assert not is_executable({"type": "application/json"})


@pytest.mark.parametrize(
    ("origin", "fine"),
    [
        ("https://teams.microsoft.com", True),
        ("https://*.sharepoint.com", True),
        ("http://intranet:8080", True),
        ("*", False),
        ("teams.microsoft.com", False),
        ("ftp://example.org", False),
        ("https://example.org/page", False),
        ("https://*.com", False),
        ("https://exa mple.org", False),
    ],
)
def test_frame_ancestor_origins(origin: str, fine: bool) -> None:
    assert (frame_ancestor_problem(origin) is None) is fine
    if fine:
        assert frame_ancestor(origin.upper() + "/") == origin.lower()


def test_marked_template_scripts_are_hashed_and_others_reported() -> None:
    loader = TemplateScriptMarker(jinja2.DictLoader({"t.html": "<script>ok()</script>{{ body }}"}), "tok")
    html = jinja2.Environment(loader=loader).get_template("t.html").render(body="<script>bad()</script>")
    assert f'{MARK_ATTRIBUTE}="tok"' in html or f"{MARK_ATTRIBUTE}=tok" in html
    scripts = TemplateScripts("tok")
    cleaned, strays = scripts.take(html)
    assert MARK_ATTRIBUTE not in cleaned
    assert scripts.hashes == [script_hash("ok()")]
    assert len(strays) == 1 and "bad()" in strays[0].excerpt()
