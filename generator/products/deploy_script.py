"""Post-build, last of all: `_server/deploy.sh`, which puts the build in place on a web server in one step.

The script copies the build next to the served folder, checks the copy against
`_server/files.sha256` (the SHA-256 of every file of the build, written here
after everything else), and switches the served path to it with one rename of
a symbolic link, so no reader ever gets half of one build and half of another.
Knows nothing of MkDocs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote, unquote

import jinja2

from .. import site_paths
from ..site_paths import DEPLOY_SCRIPT, FILE_LIST, template
from .parallel import file_digest, ordered_map, site_files

KEPT_RELEASES = 3
"""Builds the script keeps on the server (the one in use among them), for a rollback."""


def _digests(site_dir: Path, leave_out: set[str], threads: int = 1) -> list[tuple[str, str]]:
    uris = [uri for uri in site_files(site_dir) if uri not in leave_out]
    return [(uri, digest) for uri, digest in ordered_map(lambda uri: file_digest(site_dir / uri), uris, threads, size=lambda uri: (site_dir / uri).stat().st_size)]


def write_deploy_script(site_dir: Path, loader: jinja2.BaseLoader, base_path: str, threads: int = 1) -> Path:
    """Write `_server/deploy.sh` and `_server/files.sha256` into the finished site; returns the script's path.

    `threads`: how many files are hashed at once (`parallel.ordered_map`)."""
    digests = _digests(site_dir, {DEPLOY_SCRIPT, FILE_LIST}, threads)
    build = hashlib.sha256("".join(f"{uri}{digest}" for uri, digest in digests).encode()).hexdigest()[:12]
    env = jinja2.Environment(loader=loader, autoescape=False, keep_trailing_newline=True)  # noqa: S701 - shell
    # Percent-encoded, the path holds nothing a shell would read as code.
    shown_path = quote(unquote(base_path.rstrip("/") + "/"), safe="/")
    script = env.get_template(template("deploy.sh.j2")).render(
        base_path=shown_path, build=build, keep=KEPT_RELEASES, site_paths=site_paths
    )
    script_path = site_dir / DEPLOY_SCRIPT
    script_path.parent.mkdir(exist_ok=True)
    script_path.write_text(script, encoding="utf-8")
    script_path.chmod(0o755)
    digests.append((DEPLOY_SCRIPT, hashlib.sha256(script.encode("utf-8")).hexdigest()))
    (site_dir / FILE_LIST).write_text(
        "".join(f"{digest}  {uri}\n" for uri, digest in sorted(digests)), encoding="utf-8"
    )
    return script_path
