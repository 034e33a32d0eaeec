"""The Content-Security-Policy of the built site: inline scripts allowed by hash, nothing from other hosts.

Scripts are allowed only from the site itself plus the exact inline scripts the
theme emits, each by its SHA-256 hash, so no `'unsafe-inline'` or
`'unsafe-eval'` is needed. `generator.security_headers` writes the policy into
the server snippets.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from .html_scan import inline_scripts

_JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def script_hash(script: str) -> str:
    """The CSP source expression (`'sha256-…'`) that allows exactly this inline script text."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def inline_script_hashes(site_dir: Path) -> list[str]:
    """CSP source expressions (`'sha256-…'`) for every distinct inline script in the built pages."""
    hashes: set[str] = set()
    for page in site_dir.rglob("*.html"):
        for tag, script in inline_scripts(page.read_text(encoding="utf-8")):
            if tag.attributes.get("type", "").lower() not in _JAVASCRIPT_TYPES:
                continue  # Data blocks (application/json) are not run, so CSP does not cover them.
            hashes.add(script_hash(script))
    return sorted(hashes)


def content_security_policy(script_hashes: list[str]) -> str:
    """The policy: everything from the site itself, inline scripts only by hash, no forms, no plugins."""
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(d.strip() for d in directives)
