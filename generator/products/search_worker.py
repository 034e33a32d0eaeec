"""Post-build: `assets/search/fuzzy-worker.js`, the wrapper that makes Material's search forgiving.

The wrapper drops small words and tolerates typos (one letter off in words of
five to seven letters, two in longer words), and shows results without their
keywords and with summaries of about `SUMMARY_LENGTH` characters. It loads
Material's own search worker, whose file name carries a hash that changes
with each Material release: the build finds it in the site and writes its
path into the wrapper, so the wrapper needs no address at run time (which
also keeps it working from disk and behind the service worker).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2

from ..site_paths import MATERIAL_LUNR, MATERIAL_SEARCH_WORKERS, SEARCH_WRAPPER, template

SUMMARY_LENGTH = 160
"""Characters of a result's summary: about two lines on a laptop, three on a phone."""


class MaterialWorkerNotFound(Exception):
    """The site has no Material search worker where this Material version is expected to put it."""


def write_search_worker(site_dir: Path, loader: jinja2.BaseLoader, languages: Iterable[str] = ("en",)) -> None:
    """Write the wrapper next to the search setup script, pointing at Material's worker.

    `languages`: the search plugin's `lang` (Material's default: `theme.language`); the wrapper drops
    the small words of each, from the stop-word lists of lunr's language packs."""
    workers = sorted(site_dir.glob(MATERIAL_SEARCH_WORKERS))
    if not workers:
        raise MaterialWorkerNotFound(
            "Material's search worker was not found in assets/javascripts/workers/: "
            "check that the theme is Material for MkDocs 9.5 or newer"
        )
    wrapper = site_dir / SEARCH_WRAPPER
    relative = Path("..", workers[0].relative_to(site_dir / "assets")).as_posix()
    env = jinja2.Environment(loader=loader, autoescape=False, keep_trailing_newline=True)  # noqa: S701 - JavaScript
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    script = env.get_template(template("fuzzy-worker.js.j2")).render(
        material_worker=relative,
        material_lunr=Path("..", Path(MATERIAL_LUNR).relative_to("assets")).as_posix(),
        languages=sorted(set(languages)),
        summary_length=SUMMARY_LENGTH,
    )
    wrapper.write_text(script, encoding="utf-8")
