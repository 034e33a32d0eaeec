"""Every path of the built site the plugin writes or relies on, and every id content may not take: one owner.

Paths are relative to the site's root folder (`site/`), with `/` separators, as
MkDocs' `src_uri`/`dest_uri` and the servers see them. Page sources (`.md`) are
relative to the rendered docs folder. Every other module imports these names
instead of spelling a path; the theme templates get this module as the Jinja
global `site_paths` (`{{ site_paths.BRAND_CSS | url }}`). Knows nothing of MkDocs.
"""

from __future__ import annotations

from pathlib import Path

from .content.model import FILES_FOLDER

# -- the theme's template folder ----------------------------------------------------------------------------

TEMPLATE_FOLDER = "selfhelp"
"""Folder of our templates inside the theme's folders (`generator/theme/selfhelp/`); never published."""


def template(name: str) -> str:
    """The loader name of one of our templates: `template("step.md.j2")` -> `selfhelp/step.md.j2`."""
    return f"{TEMPLATE_FOLDER}/{name}"


# -- pages ---------------------------------------------------------------------------------------------------

HOME_PAGE = "index.md"
SITUATIONS_INDEX = "situations/index.md"
WORKSHEETS_INDEX = "worksheets/index.md"
PRIVACY_PAGE = "privacy.md"
PLAN_PAGE = "plan.md"
"""My plan (when the content declares one in `content/plan.yml`)."""

RESERVED_PAGE_IDS = (
    "index", "situations", "worksheets", "guides", "privacy", "plan", "search", "assets", FILES_FOLDER, "pdf", "offline"
)
"""Page ids that would take the address of a section of the site (a page `offline` would also be left out of
the service worker's precache and of the zip, as `offline/` is)."""
RESERVED_WORKSHEET_IDS = ("index", "worksheets")
"""Worksheet ids that would take the worksheets' list page, or the PDF pack's name (`PACK_PDF`)."""
RESERVED_SITUATION_IDS = ("index",)
"""Situation ids that would take the list of situations."""
BUILT_IN_PAGE_IDS = ("index", "privacy")
"""Page ids a `page:` link may name although no file in `content/` makes them (the plan adds `plan`)."""
PLAN_PAGE_ID = "plan"


def page_uri(kind: str, item_id: str, step_guide: str | None = None) -> str:
    """The docs-relative `.md` path of a piece of content (`step_guide`: the guide a step belongs to)."""
    if kind == "page":
        return HOME_PAGE if item_id == "index" else f"{item_id}.md"
    if kind == "guide":
        return f"guides/{item_id}/index.md"
    if kind == "step":
        return f"guides/{step_guide}/{item_id}.md"
    if kind == "situation":
        return f"situations/{item_id}.md"
    if kind == "worksheet":
        return f"worksheets/{item_id}.md"
    if kind == "file":
        return f"{FILES_FOLDER}/{item_id}"
    raise ValueError(f"unknown content kind {kind!r}")


# -- files the build writes beside the pages --------------------------------------------------------------------

SELFHELP_ASSETS = "assets/selfhelp"
BRAND_CSS = f"{SELFHELP_ASSETS}/brand.css"
"""The organisation's colours (`branding.py`), a virtual file."""
SITE_JS = f"{SELFHELP_ASSETS}/site.js"
"""The script every page runs from `<head>` (`selfhelpT` among it), published with the site's language at its top."""
PRINT_FRAME_CSS = f"{SELFHELP_ASSETS}/print-frame.css"
"""The urgent-help line and page numbers of printed pages (`print_frame.py`), a virtual file."""
WORKSHEET_PAGE_CSS = f"{SELFHELP_ASSETS}/worksheet-page.css"
"""A worksheet page's one stylesheet (`theme_assets.worksheet_page_css`), a virtual file: the colours, the
site's and the worksheets' styles, and the print frame and paper copy under `@media print`."""
WORKSHEET_PAGE_JS = f"{SELFHELP_ASSETS}/worksheet-page.js"
"""A worksheet page's script after Material's (`theme_assets.worksheet_page_js`), a virtual file made when the
service worker is on: `worksheets.js`, after a line that adds `register.js` to the page where a service worker can
run."""
LOGO_STEM = f"{SELFHELP_ASSETS}/logo"
"""The logo, with the ending its content calls for (`branding.logo_uri`)."""

SEARCH_WRAPPER = "assets/search/fuzzy-worker.js"
"""Our wrapper of Material's search worker (`search_worker.py`)."""
FILE_SEARCH = "assets/search/search-file.js"
"""The file:// stand-in for Web Workers: the offline zip's pages load it before Material's bundle; the served site
never does (`offline_zip.py`), so the service worker does not precache it."""
MATERIAL_SEARCH_WORKERS = "assets/javascripts/workers/search.*.js"
"""Where Material puts its search worker, the name hashed (a glob)."""
MATERIAL_LUNR = "assets/javascripts/lunr/"
"""Material's search language packs."""
SEARCH_INDEX = "search/search_index.json"
SEARCH_INDEX_SCRIPT = "search/search_index.js"
"""The search index as a script, for pages opened from disk (the offline zip)."""
SITEMAP = "sitemap.xml"

SERVICE_WORKER = "sw.js"
"""The service worker, at the root so its scope is the whole site (`service_worker.py`)."""

PDF_DIR = "pdf"
"""Folder of the PDFs inside the site (`pdf_pack.py`)."""
PACK_PDF = f"{PDF_DIR}/worksheets.pdf"
"""The pack of all blank worksheets."""


def worksheet_pdf(worksheet_id: str) -> str:
    """One blank worksheet's PDF."""
    return f"{PDF_DIR}/{worksheet_id}.pdf"


OFFLINE_DIR = "offline"
"""Folder of the offline zip (`offline_zip.py`)."""

SERVER_DIR = "_server"
"""Server configuration (`security_headers.py`, `deploy_script.py`): not precached, not zipped, never served."""
HEADERS_TXT = "headers.txt"
SITE_INFO = "site.json"
NGINX_CONF = "nginx.conf"
NGINX_BROTLI_CONF = "nginx-brotli.conf"
"""`nginx.conf` plus `brotli_static`, for an nginx with the brotli module loaded (a stock one refuses it)."""
APACHE_CONF = "apache.conf"
DEPLOY_SCRIPT = f"{SERVER_DIR}/deploy.sh"
FILE_LIST = f"{SERVER_DIR}/files.sha256"
HTACCESS = ".htaccess"
IIS_CONFIG = "web.config"
"""IIS reads it from the site's folder (written by `microsoft_hosting.py`)."""
STATIC_WEB_APP_CONFIG = "staticwebapp.config.json"
"""Azure Static Web Apps reads it from the app's root folder (written by `microsoft_hosting.py`)."""
ROOT_SERVER_FILES = (HTACCESS, IIS_CONFIG, STATIC_WEB_APP_CONFIG)
"""Configuration a server reads from the site's root: like `SERVER_DIR`, never served, precached or zipped."""

# -- outside the site -------------------------------------------------------------------------------------------

CACHE_DIR = ".cache/selfhelp"
"""What builds may reuse (the `cache_dir` option's default), relative to the project folder (that of mkdocs.yml)."""
PDF_CACHE = "pdf"
"""The PDFs' folder inside the cache folder."""
SCRIPT_CACHE = "scripts"
"""The minified scripts' folder inside the cache folder (`theme_assets.ScriptMinifier`)."""
GZIP_CACHE = "gzip"
"""The zopfli gzip copies' folder inside the cache folder (`precompress.gzip_copy`)."""

PACKAGE_THEME_DIR = Path(__file__).resolve().parent / "theme"
"""Our theme layer in the package (`generator/theme/`): templates, scripts and styles, after a site's `custom_dir`."""
