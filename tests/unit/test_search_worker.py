"""search_worker: the forgiving wrapper points at the hashed Material worker of the build.

The typo tolerance itself is JavaScript (`fuzzy-worker.js.j2`); tests/test_search.py runs it in a browser."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.engines.theme_assets import PACKAGE_THEME_DIR
from generator.products.search_worker import MaterialWorkerNotFound, write_search_worker
from generator.site_paths import SEARCH_WRAPPER

LOADER = jinja2.FileSystemLoader(str(PACKAGE_THEME_DIR))


def test_wrapper_points_at_materials_worker(tmp_path: Path) -> None:
    worker = tmp_path / "assets" / "javascripts" / "workers" / "search.1e90e0fb.min.js"
    worker.parent.mkdir(parents=True)
    worker.write_text("// Material's worker")
    write_search_worker(tmp_path, LOADER)
    wrapper = (tmp_path / SEARCH_WRAPPER).read_text(encoding="utf-8")
    assert "../javascripts/workers/search.1e90e0fb.min.js" in wrapper
    assert "{{" not in wrapper and "{%" not in wrapper


def test_a_site_without_materials_worker_is_told(tmp_path: Path) -> None:
    with pytest.raises(MaterialWorkerNotFound, match="Material for MkDocs"):
        write_search_worker(tmp_path, LOADER)
