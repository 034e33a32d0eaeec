"""Every path of the built site has one owner (`generator/site_paths.py`), and no content id can take one."""

from __future__ import annotations

import re
from pathlib import Path

from generator import site_paths
from generator.content.model import FILES_FOLDER

GENERATOR = Path(site_paths.__file__).parent


def site_folders() -> set[str]:
    """The first folder of every site path the module names."""
    paths = [value for name, value in vars(site_paths).items() if name.isupper() and isinstance(value, str)]
    paths += [site_paths.worksheet_pdf("x"), *(site_paths.page_uri(kind, "x", "g") for kind in ("guide", "situation"))]
    folders = {value for name, value in vars(site_paths).items() if name.endswith("_DIR") and isinstance(value, str)}
    return folders | {path.split("/")[0] for path in paths if "/" in path and not path.startswith(".")}


def test_no_page_id_can_take_a_folder_of_the_site() -> None:
    folders = site_folders() - {site_paths.SERVER_DIR, site_paths.TEMPLATE_FOLDER, site_paths.CACHE_DIR}
    assert {"assets", "search", "pdf", "offline", "guides", "situations", "worksheets"} <= folders
    assert folders <= set(site_paths.RESERVED_PAGE_IDS), folders - set(site_paths.RESERVED_PAGE_IDS)
    assert FILES_FOLDER in site_paths.RESERVED_PAGE_IDS
    assert not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", site_paths.SERVER_DIR), "no id can be _server"


def test_the_pack_pdf_cannot_be_a_worksheet_s_pdf() -> None:
    taken = {site_paths.worksheet_pdf(worksheet_id) for worksheet_id in site_paths.RESERVED_WORKSHEET_IDS}
    assert site_paths.PACK_PDF in taken


def test_no_other_module_spells_a_path_of_the_built_site() -> None:
    spelled = re.compile(
        r"""["'](?:sw\.js["']|pdf/worksheets|offline/|_server|assets/selfhelp/(?:brand|print-frame|logo)|assets/search/"""
        r"""(?:fuzzy-worker|search-file)|search/search_index|\.cache/selfhelp)"""
    )
    found = [
        f"{path.relative_to(GENERATOR)}:{number}"
        for path in sorted(GENERATOR.rglob("*.py"))
        if path.relative_to(GENERATOR) != Path("site_paths.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if spelled.search(line)
    ]
    assert found == []
