"""Write the printable PDF pack: every blank worksheet, ready for a workshop printer.

Each build writes, inside the site folder:

- `pdf/<worksheet id>.pdf`: one blank worksheet, starting on its own page;
- `pdf/worksheets.pdf`: the pack, a cover page (organisation or site name,
  guide title, how to use the worksheets, help contacts, what is inside)
  followed by every worksheet, with one bookmark per worksheet and its
  sections beneath it.

Every worksheet page has the organisation (or site) name and "<title> ·
Page N of M" in its footer and, when contacts are set, where to get help in
its top margin, so a single sheet handed out on its own still says it.

Pages are laid out by WeasyPrint from the Jinja2 templates in
`generator/theme/selfhelp/pdf/` (`worksheet.html`, `cover.html`, `pdf.css`;
autoescape on, values from YAML never marked safe; the instructions are a
Markdown value, rendered to the same sanitised subset as on the site by
`generator.content.sanitize`). WeasyPrint may read only
the logo file: every other URL (http, https, ftp, other files) is refused, so a
build never touches the network.

Rendering is the slow part, so each worksheet PDF (and the cover) is cached in
`cache_dir` under a hash of everything that shapes it: the worksheet's data,
the templates and CSS, the branding (logo bytes included) and the WeasyPrint
version. An unchanged worksheet is copied from the cache; the pack is merged
from the cached PDFs with pypdf, so only changed worksheets are rendered. The
merge runs where the renders ran: on a worker when there are workers, so that
pypdf's objects (some 17 MB at 30 worksheets) never add to the memory of the
build's own process, and in this process otherwise.
Files in the site folder are only rewritten when their bytes change.

What must be rendered is rendered on `concurrency` processes at once (default:
every core): a pool of worker processes started with 'spawn' (see
`_pool_context`), never 'fork', which is unsafe in a process that may hold
threads (MkDocs' server and its file watcher). Each
worker builds its own renderer once, from the picklable Jinja loader and
branding (WeasyPrint imported, the CSS parsed, one font configuration), and
renders one worksheet per task; the results are taken in the
pack's order, so the PDFs are byte for byte those a serial run writes (tested).
A worker runs Python's cycle collector once after each render, with what it
loaded at start frozen out of its sight, rather than every few thousand new
objects over all of WeasyPrint's modules (a fifth of a render's CPU time).
With `concurrency` 1, or one thing to render, everything happens in this process;
otherwise WeasyPrint is never imported here, so the build's own memory stays
that of MkDocs, and one worker is started per four PDFs to render, up to
`concurrency` (a worker costs a Python start and a WeasyPrint import).

The PDFs depend on the content and the options alone, so a build need not wait
for its pages to render them: `PdfPackJob(..., early=True)`, started as soon as
the content is loaded (`pipeline.start_pdfs`), hands what the cache lacks to
the workers from a thread of this process, one worker fewer than `concurrency`
while the build's own process makes the pages (so one on two cores), and all of
them from `write`, which the build calls once the site is built; then even a
single PDF to render goes to a worker. On an empty cache (a first build, CI)
the first worker is started even earlier, before the content is loaded
(`prestart_workers`, from `pipeline.prepare`): it starts Python and imports
WeasyPrint meanwhile, and the job takes it over. `write` gives the same files as
`write_pdf_pack`, and `close` ends the workers of a build that failed. Workers
ignore Ctrl-C (it reaches every process of a terminal): the build ends them.
A warm build starts no worker and imports no WeasyPrint.

This module knows nothing of MkDocs: the caller hands it the content pack, a
Jinja loader and a `PdfBranding` of plain values.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import importlib.metadata
import io
import json
import multiprocessing
import os
import pickle
import re
import signal
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from .. import site_paths
from ..content.model import ContentPack, Worksheet
from ..content.paper_layout import TEMPLATE_GLOBALS as PAPER_LAYOUT
from ..content.paper_layout import is_tall
from ..content.sanitize import MarkdownValues
from ..messages import ENGLISH, Messages
from .print_frame import css_string

PDF_DIR = site_paths.PDF_DIR
"""Folder of the PDFs inside the site."""

PACK_URI = site_paths.PACK_PDF
"""Site-relative path of the pack of all blank worksheets."""

WORKSHEET_TEMPLATE = site_paths.template("pdf/worksheet.html")
COVER_TEMPLATE = site_paths.template("pdf/cover.html")
STYLESHEET = site_paths.template("pdf/pdf.css")

CACHE_FORMAT = 2
"""Bump when this module changes what it puts into a PDF, so old cache entries are not reused."""

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
"""Paper sizes `PdfBranding.page_size` accepts (case-insensitive), as CSS `@page size` values."""

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_CACHE_FILE = re.compile(r"^(?:worksheet|cover|pack)-[a-z0-9-]*-[0-9a-f]{20}\.(?:pdf|json)$")


def pdf_uri(worksheet_id: str) -> str:
    """Site-relative path of one blank worksheet's PDF."""
    return site_paths.worksheet_pdf(worksheet_id)


# -- plain data in and out ----------------------------------------------------


@dataclass(frozen=True)
class PdfContact:
    """One way to get help: printed in full on the cover, and as name and phone (or email, or address)
    in the top margin of every worksheet page."""

    name: str
    phone: str = ""
    email: str = ""
    url: str = ""
    note: str = ""
    role: str = ""
    """What kind of help this is ("Urgent help", "HR"); printed before the name on the cover unless it is the name."""


@dataclass(frozen=True)
class PdfBranding:
    """Who the printed pack is from and how it looks: plain values, no MkDocs objects."""

    site_name: str
    organisation: str = ""
    primary_colour: str = "#1f5f66"
    logo_path: Path | None = None
    """An SVG, PNG or JPEG on disk; the only file WeasyPrint is allowed to read."""
    contacts: tuple[PdfContact, ...] = ()
    """Help contacts in the order they are printed (urgent help first). Contacts without a name are skipped."""
    urgent_note: str = ""
    """A sentence printed above the contacts on the cover (when there are contacts)."""
    page_size: str = "A4"
    """"A4" or "letter" (the layout suits both)."""
    language: str = "en"
    """The `lang` of the pages (hyphenation, screen readers, PDF metadata)."""
    messages: Messages = ENGLISH
    """The printed words (`t("pdf....")` in the templates), in the site's language."""

    def __post_init__(self) -> None:
        if not _HEX_COLOUR.match(self.primary_colour.strip()):
            raise ValueError(f"primary_colour {self.primary_colour!r} is not a hex colour like '#1f5f66'")
        if self.page_size.lower() not in PAGE_SIZES:
            raise ValueError(f"page_size {self.page_size!r} is not one of {', '.join(PAGE_SIZES.values())}")
        if self.logo_path is not None and not Path(self.logo_path).is_file():
            raise ValueError(f"logo {self.logo_path} is not a file")
        object.__setattr__(self, "contacts", tuple(c for c in self.contacts if c.name.strip()))

    @property
    def brand_name(self) -> str:
        """The name printed on every page: the organisation, or the site when none is set."""
        return self.organisation.strip() or self.site_name

    def fingerprint(self) -> dict[str, Any]:
        """Everything about the branding that changes a PDF, the logo's bytes included."""
        data = dataclasses.asdict(dataclasses.replace(self, messages=ENGLISH))
        data["messages"] = {k: v for k, v in self.messages.strings.items() if k.startswith("pdf.")}
        data["logo_path"] = None
        if self.logo_path is not None:
            logo = Path(self.logo_path)
            data["logo"] = [logo.suffix.lower(), hashlib.sha256(logo.read_bytes()).hexdigest()]
        return data


@dataclass(frozen=True)
class PdfPackResult:
    """What `write_pdf_pack` did: where the PDFs are and which worksheets were rendered or reused."""

    pack_path: Path
    worksheet_paths: dict[str, Path]
    """`{worksheet id: path of its PDF in the site}`, in pack order."""
    rendered: tuple[str, ...]
    """Ids of the worksheets rendered by WeasyPrint in this call."""
    reused: tuple[str, ...]
    """Ids of the worksheets taken unchanged from the cache."""
    cover_rendered: bool
    pack_pages: int
    written: tuple[Path, ...]
    """Files in the site whose bytes changed (others were already up to date and left alone)."""
    split_blocks: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """`{worksheet id: [field or row]}` for blocks taller than a page, which had to be split (log a warning)."""
    refused_urls: tuple[str, ...] = ()
    """URLs the templates or content asked for and WeasyPrint was not allowed to fetch (log a warning)."""
    seconds: float = 0.0
    """How long writing the PDFs took (with `PdfPackJob`: from `write`, the time the build waited for them)."""
    head_start: float = 0.0
    """How long the PDFs were rendering before `write` was called (0: nothing was started early)."""
    render_count: int = 0
    """How many PDFs WeasyPrint laid out in this call (worksheets and cover): 0 on a warm rebuild."""
    processes: int = 1
    """The most processes allowed to render at once (`concurrency`)."""
    workers: int = 0
    """Worker processes this call started (0: whatever was rendered was rendered in the calling process)."""

    @property
    def paths(self) -> list[Path]:
        """Every PDF of this build: the pack first, then one per worksheet."""
        return [self.pack_path, *self.worksheet_paths.values()]

    def summary(self) -> str:
        """One line for the build log."""
        return (
            f"PDF pack: {len(self.worksheet_paths)} worksheets, {self.pack_pages} pages "
            f"({len(self.rendered)} rendered, {len(self.reused)} from cache"
            + (f", on {self.workers} processes" if self.workers > 1 else "")
            + f") in {self.seconds:.1f} s"
            + (f", after {self.head_start:.1f} s of rendering while the pages were made" if self.head_start else "")
        )


# -- URL fetching: the logo file and nothing else -------------------------------


def _make_url_fetcher(allowed_files: Iterable[Path], refused: list[str]) -> Any:
    """A WeasyPrint URL fetcher that reads only the given files and refuses every other URL."""
    import weasyprint

    allowed = {Path(p).resolve() for p in allowed_files}

    def permitted(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        return Path(unquote(parts.path)).resolve() in allowed

    def refuse(url: str) -> None:
        refused.append(url)
        raise ValueError(f"selfhelp PDF: fetching {url} is not allowed (only the logo file may be read)")

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 68 and later

        class LocalOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                if not permitted(url):
                    refuse(url)
                return super().fetch(url, headers)

        return LocalOnlyFetcher(allowed_protocols=("file",), allow_redirects=False)

    def fetch(url: str) -> Any:  # WeasyPrint 62 to 67: a plain function
        if not permitted(url):
            refuse(url)
        return weasyprint.default_url_fetcher(url)

    return fetch


# -- helpers handed to the templates -------------------------------------------


def _mix(colour: str, amount: float) -> str:
    """`colour` mixed with white: `amount` 1.0 is the colour itself, 0.0 is white."""
    value = colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(255 - (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


_MARKDOWN_VALUES = MarkdownValues()


def _markdown(text: str) -> Markup:
    """Instructions as sanitised HTML, as on the site; a link to another page is plain text on paper."""
    return _MARKDOWN_VALUES.block(text, lambda kind, item_id, anchor: None)


def _template_env(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["tall"] = is_tall
    env.globals.update(PAPER_LAYOUT, markdown=_markdown)
    return env


# -- hashing and the cache -----------------------------------------------------


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _worksheet_data(worksheet: Worksheet) -> Any:
    """The worksheet as plain data, without where it was written (moving a line changes no PDF): what
    `dataclasses.asdict` makes of it with every `source` left out and tuples as lists, made in one walk."""
    names: dict[type, tuple[str, ...]] = {}

    def plain(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return value
        fields = names.get(kind)
        if fields is None and dataclasses.is_dataclass(kind):
            fields = names[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.name != "source")
        if fields is not None:
            return {name: plain(getattr(value, name)) for name in fields}
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != "source"}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return plain(worksheet)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (an interrupted build never leaves half a PDF), readable by a web server."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; the site is served to others
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _install(source: Path, target: Path) -> bool:
    """Copy a cached PDF into the site unless the target already has the same bytes; True when written."""
    data = source.read_bytes()
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    _write_atomic(target, data)
    return True


# -- the renderer ----------------------------------------------------------------


@dataclass(frozen=True)
class _Rendered:
    """One PDF as rendered, with what was learnt while laying it out (kept beside it in the cache)."""

    pdf: bytes
    pages: int
    split: tuple[str, ...]
    refused: tuple[str, ...]


def _split_blocks(document: Any) -> list[str]:
    """Blocks marked `data-shp-block` (fields, group rows) whose boxes land on more than one page."""
    pages_of: dict[str, set[int]] = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():  # noqa: SLF001 - WeasyPrint has no public box walk
            element = getattr(box, "element", None)
            name = element.get("data-shp-block") if element is not None else None
            if name:
                pages_of.setdefault(name, set()).add(number)
    return [name for name, pages in pages_of.items() if len(pages) > 1]


class _PdfRenderer:
    """Turns worksheets and the cover into PDFs. WeasyPrint is imported only when something must be rendered."""

    def __init__(self, loader: jinja2.BaseLoader, branding: PdfBranding) -> None:
        self.branding = branding
        self.env = _template_env(loader)
        self.env.globals["t"] = branding.messages
        # The page numbers in the site's language (pdf.css writes them in English).
        page_numbers = branding.messages.css_page_numbers(css_string)
        self.css_source = self._source(STYLESHEET) + (
            f'\n@page {{ @bottom-right {{ content: string(sheet) "  ·  " {page_numbers}; }} }}\n'
        )
        self._weasyprint: Any = None
        primary = branding.primary_colour.strip().lower()
        self.context = {
            "branding": branding,
            "brand_name": branding.brand_name,
            "logo_url": Path(branding.logo_path).resolve().as_uri() if branding.logo_path else "",
            "page_size": PAGE_SIZES[branding.page_size.lower()],
            "primary": primary,
            "primary_soft": _mix(primary, 0.55),
            "primary_tint": _mix(primary, 0.08),
        }

    def _source(self, name: str) -> str:
        try:
            return self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            raise jinja2.TemplateNotFound(
                f"{name} (the PDF templates live in generator/theme/selfhelp/pdf/; "
                "is the selfhelp package installed whole?)"
            ) from None

    def fingerprint(self, template: str) -> list[Any]:
        """What a PDF made from `template` depends on besides its content."""
        return [
            CACHE_FORMAT,
            _version("weasyprint"),
            self._source(template),
            self.css_source,
            self.branding.fingerprint(),
        ]

    def _setup(self) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self.refused: list[str] = []
        self.fetcher = _make_url_fetcher([self.branding.logo_path] if self.branding.logo_path else [], self.refused)
        self.font_config = FontConfiguration()
        self.stylesheet = weasyprint.CSS(string=self.css_source, url_fetcher=self.fetcher, font_config=self.font_config)
        self._weasyprint = weasyprint  # Last: set up whole, or again at the next render.

    def prepare(self) -> None:
        """Import WeasyPrint and parse the CSS now rather than at the first render (a worker does, as it starts)."""
        if self._weasyprint is None:
            self._setup()

    def _render(self, template: str, what: str, **context: Any) -> _Rendered:
        self.prepare()
        try:
            html = self.env.get_template(template).render(**self.context, **context)
        except jinja2.TemplateError as error:
            raise PdfRenderError(f"{_template_line(error)}: the PDF template failed for {what}: {error}") from None
        refused_before = len(self.refused)
        try:
            document = self._weasyprint.HTML(string=html, url_fetcher=self.fetcher).render(
                stylesheets=[self.stylesheet], font_config=self.font_config
            )
        except Exception as error:  # noqa: BLE001 - WeasyPrint's own errors have no common base
            raise PdfRenderError(
                f"{what}: WeasyPrint could not lay out its PDF ({type(error).__name__}: {error}); "
                f"look at the templates and styles in {Path(self.env.get_template(template).filename or template).parent}"
            ) from None
        return _Rendered(
            pdf=document.write_pdf(),
            pages=len(document.pages),
            split=tuple(_split_blocks(document)),
            refused=tuple(self.refused[refused_before:]),
        )

    def worksheet(self, worksheet: Worksheet) -> _Rendered:
        what = f"worksheet '{worksheet.id}' ({worksheet.source.path})"
        return self._render(WORKSHEET_TEMPLATE, what, worksheet=worksheet)

    def pack(self, cover: Path, parts: Sequence[tuple[str, Path]], pages: int, title: str, author: str) -> _Rendered:
        """The pack of `pages` pages merged from the cached PDFs (`_merge`): no render, but on a worker like
        them when there is one, where pypdf's objects do not add to the build's own memory."""
        merged = _merge(cover, parts, title=title, author=author, language=self.branding.language)
        return _Rendered(merged, pages, (), ())

    def cover(self, guide_titles: Sequence[str], entries: Sequence[dict[str, Any]]) -> _Rendered:
        doc_title = guide_titles[0] if guide_titles else self.branding.site_name
        return self._render(
            COVER_TEMPLATE, "the cover", doc_title=doc_title, guide_titles=guide_titles, entries=entries
        )


class PdfRenderError(Exception):
    """A PDF could not be made: the message names the template and its line, or the worksheet's file, and the fix."""


def _template_line(error: jinja2.TemplateError) -> str:
    """`file:line` of the template a Jinja error was raised in (its innermost frame in a template)."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}"
    if isinstance(error, jinja2.TemplateNotFound):
        return str(error.name)
    where = "a PDF template"
    frame = error.__traceback__
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            where = f"{filename}:{frame.tb_lineno}"  # Jinja gives a template's frames its file and line.
        frame = frame.tb_next
    return where


# -- rendering on several processes ---------------------------------------------------

_WORKER_RENDERER: _PdfRenderer | None = None
"""The renderer of a pool worker process, made once by `_start_worker`."""


def _start_worker(loader: jinja2.BaseLoader, branding: PdfBranding) -> None:
    global _WORKER_RENDERER
    # Ctrl-C reaches every process of the terminal: the build's process ends its workers (`_Renders.close`),
    # so a worker ignores it rather than print its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Python's cycle collector would otherwise walk every object of WeasyPrint's modules again and again while a
    # PDF is laid out (a fifth of a worker's time): it runs once per render instead (`_render_in_worker`), over
    # that render's objects only, what is loaded here being frozen out of its sight. Nothing a PDF holds changes.
    gc.disable()
    _WORKER_RENDERER = _PdfRenderer(loader, branding)
    with contextlib.suppress(Exception):  # An error here is raised again, where it always was, by the first render.
        _WORKER_RENDERER.prepare()
    gc.collect()
    gc.freeze()


def _picklable(error: BaseException) -> BaseException:
    """The error itself when it can travel back to the build's process, else a RuntimeError that says it."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object, pickled a line above
        return error
    except Exception:  # noqa: BLE001 - any error while pickling means it cannot travel
        return RuntimeError(f"{type(error).__name__}: {error}")


def _render_in_worker(kind: str, args: tuple[Any, ...]) -> _Rendered:
    assert _WORKER_RENDERER is not None
    try:
        return getattr(_WORKER_RENDERER, kind)(*args)
    except Exception as error:  # noqa: BLE001 - handed back to the build as it is
        raise _picklable(error) from None
    finally:
        gc.collect()  # The render's cycles (its boxes and styles), freed before the next (`_start_worker`).


def _worker_ready() -> None:
    """Nothing: a task that makes the pool start a worker (`_Renders.prestart`)."""


JOBS_PER_WORKER = 4
"""Start a worker process only for this many PDFs to render: each costs a Python start and a WeasyPrint import."""


def default_concurrency() -> int:
    """Every core the machine has (what `concurrency` means when it is not set)."""
    return os.cpu_count() or 1


def _pool_context() -> Any:
    """'spawn': each worker a fresh interpreter and a plain child of the build, on every system.

    Never 'fork': forking a process that holds threads (MkDocs' server, its file watcher) can deadlock the
    child. 'forkserver' would save each worker importing WeasyPrint, but its workers are the server's
    children, not the build's: their time and memory would not be counted as the build's (`time -v`,
    `ru_maxrss` of children) and a killed build would not take them with it."""
    return multiprocessing.get_context("spawn")


class _Renders:
    """Hands out renders: in this process, or on a pool of worker processes.

    On the pool, at most `limit` renders are in flight at once, and a worker is started only when none is idle
    (what `ProcessPoolExecutor` does under 'spawn'), so `limit` is also how many workers run: one fewer than
    `concurrency` while the engine builds the pages on a core of its own (`PdfPackJob`), all of them after."""

    def __init__(self, loader: jinja2.BaseLoader, branding: PdfBranding, processes: int) -> None:
        self.local = _PdfRenderer(loader, branding)
        self.loader, self.branding = loader, branding
        self.processes = processes
        self.pool: ProcessPoolExecutor | None = None
        self.most = 1
        """The most workers the pool may run."""
        self.limit = 1
        """How many renders may be in flight now (raised to `most` once the pages are built)."""
        self.stop = threading.Event()
        """Set to give up: no render is started after it."""
        self._lock = threading.Lock()
        self._queued: list[tuple[None, str, tuple[Any, ...]]] = []
        """Renders `queue` was given that `results` has not returned yet: (unused, kind, arguments)."""
        self._waiting: list[tuple[int, str, tuple[Any, ...]]] = []
        """Renders not started yet, the next last: (number, kind, arguments)."""
        self._flying: dict[Future[_Rendered], int] = {}
        self._numbered = 0
        """How many renders were queued for the pool (each is numbered)."""
        self._done = 0
        """How many renders `results` returned before (the first number of the next)."""
        self.count = 0
        """How many PDFs were rendered (worksheets and cover), wherever."""
        self.workers = 0
        """The most renders that were in flight at once: the worker processes started (0: none)."""
        self._ready: Future[None] | None = None
        """`prestart`'s task while its worker is starting (it counts as a render in flight)."""
        self._sized = False
        """Whether `most` and `limit` were set from the number of renders (`start_pool`)."""

    def close(self) -> None:
        """Start no more renders and end the workers (each finishes the PDF it is laying out, a fraction of a second)."""
        self.stop.set()
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def serves(self, loader: jinja2.BaseLoader, branding: PdfBranding, processes: int) -> bool:
        """Whether these workers render as a job with this loader, branding and `concurrency` would (what the
        workers were handed is what they were started with, pickled)."""
        if processes != self.processes:
            return False
        if (loader, branding) == (self.loader, self.branding):
            return True
        try:
            return pickle.dumps((loader, branding)) == pickle.dumps((self.loader, self.branding))
        except Exception:  # noqa: BLE001 - cannot travel to a worker: not what the workers were started with
            return False

    def _picklable(self) -> bool:
        try:
            pickle.dumps((self.loader, self.branding))
        except Exception:  # noqa: BLE001 - a loader that cannot travel to a worker: render here
            return False
        return True

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_pool_context(),
            initializer=_start_worker,
            initargs=(self.loader, self.branding),
        )

    def prestart(self) -> bool:
        """Start the pool and its first worker now, before the renders are known (the build's cache is empty, so
        there will be some): the worker starts Python and imports WeasyPrint while the content is loaded. Sized
        by `start_pool` once the renders are known; until then, one worker."""
        if self.pool is not None or self.processes <= 1 or not self._picklable():
            return False
        self.most = self.limit = 1
        self.pool = self._new_pool(self.processes)
        with _ctrl_c_ignored_by_new_workers():
            self._ready = self.pool.submit(_worker_ready)
        self.workers = 1
        return True

    def start_pool(self, todo: int, *, at_least: int = 2, during_build: bool = False) -> bool:
        """Start the pool for `todo` renders unless they are better done here; True when the pool is there."""
        if self.pool is not None and self._sized:
            return True
        if self.pool is None and (self.processes <= 1 or todo < at_least or not self._picklable()):
            return False
        self.most = min(self.processes, max(1, -(-todo // JOBS_PER_WORKER)))
        self.limit = min(self.most, self.processes - 1) if during_build else self.most
        self._sized = True
        if self.pool is None:
            self.pool = self._new_pool(self.most)
        return True

    def _busy(self) -> int:
        """Renders in flight, `prestart`'s worker while it starts counting as one."""
        if self._ready is not None and self._ready.done():
            self._ready = None
        return len(self._flying) + (self._ready is not None)

    def queue(self, kind: str, jobs: Sequence[tuple[Any, ...]], *, render: bool = True) -> None:
        """Queue renders (`kind` is a `_PdfRenderer` method) for `results`; on the pool, start the first at once."""
        self.count += len(jobs) if render else 0
        if (self.pool is None or not self._sized) and not self.start_pool(len(jobs)):
            self._queued.extend((None, kind, args) for args in jobs)
            return
        with self._lock:
            self._waiting[:0] = [(self._numbered + i, kind, args) for i, args in enumerate(jobs)][::-1]
            self._numbered += len(jobs)
            self._queued.extend((None, kind, args) for args in jobs)
        self.fill()

    def fill(self) -> None:
        """Start queued renders until `limit` are in flight; a worker process is started when none is idle."""
        with self._lock, _ctrl_c_ignored_by_new_workers():
            while self._waiting and self._busy() < self.limit and self.pool is not None:
                index, kind, args = self._waiting.pop()
                self._flying[self.pool.submit(_render_in_worker, kind, args)] = index
            self.workers = max(self.workers, self._busy())

    def results(self) -> list[_Rendered]:
        """The queued renders' results, in their order; the first error raised by a render is raised here,
        and no further render is started."""
        queued, self._queued = self._queued, []
        if self.pool is None:
            return [getattr(self.local, kind)(*args) for _, kind, args in queued]
        base = self._done
        results: list[_Rendered | None] = [None] * len(queued)
        while True:
            if self.stop.is_set():
                raise _Stopped
            self.fill()
            with self._lock:
                flying = list(self._flying)
                if not flying and not self._waiting:
                    break
                ready = self._ready
            # A timeout, so that a raised `limit` or a `stop` is seen while renders are in flight.
            done, _ = wait([*flying, *([ready] if ready else [])], timeout=0.1, return_when=FIRST_COMPLETED)
            for future in done:
                if future is ready:
                    future.result()  # The worker could not start (BrokenProcessPool): said here.
                    continue
                with self._lock:
                    index = self._flying.pop(future)
                results[index - base] = future.result()  # A render's error, or CancelledError after `close`.
        self._done = base + len(queued)
        return [result for result in results if result is not None]

    def many(self, kind: str, jobs: Sequence[tuple[Any, ...]]) -> list[_Rendered]:
        self.queue(kind, jobs)
        return self.results()

    def one(self, kind: str, *args: Any) -> _Rendered:
        return self.many(kind, [args])[0]


@contextlib.contextmanager
def _ctrl_c_ignored_by_new_workers() -> Iterator[None]:
    """Worker processes started in this block ignore Ctrl-C from their first instruction (an ignored signal
    stays ignored in a started program), not only once `_start_worker` runs: Ctrl-C reaches every process of
    the terminal, and a worker still starting would print a traceback. Only the main thread may change it;
    the build's own Ctrl-C is ignored for the instant it takes to start a process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


class _Stopped(Exception):
    """The job was given up (the build failed or was interrupted): nothing more is rendered."""


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "?"


class _Cache:
    """PDFs in `cache_dir`, each named by kind, id and hash, with a JSON note of pages, splits and refused URLs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[Path] = set()
        folder.mkdir(parents=True, exist_ok=True)

    def pdf_path(self, kind: str, item_id: str, digest: str) -> Path:
        path = self.folder / f"{kind}-{item_id}-{digest}.pdf"
        self.used.update((path, path.with_suffix(".json")))
        return path

    def load(self, path: Path) -> _Rendered | None:
        """Meta data of a cached PDF (the bytes stay on disk), or None when it is not there."""
        try:
            note = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            if not path.is_file():
                return None
            return _Rendered(b"", int(note["pages"]), tuple(note["split"]), tuple(note["refused"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, path: Path, rendered: _Rendered) -> _Rendered:
        _write_atomic(path, rendered.pdf)
        note = {"pages": rendered.pages, "split": list(rendered.split), "refused": list(rendered.refused)}
        _write_atomic(path.with_suffix(".json"), json.dumps(note, indent=1).encode("utf-8"))
        return dataclasses.replace(rendered, pdf=b"")  # The bytes are on disk now, as `load` leaves them.

    def prune(self) -> None:
        """Delete entries this build did not use (files named like ours only)."""
        _remove_stale(self.folder, self.used, pattern=_CACHE_FILE)


def _guide_titles(pack: ContentPack) -> list[str]:
    return [g.title for g in pack.guides] or [pack.home.title]


def _merge(cover: Path, parts: Sequence[tuple[str, Path]], *, title: str, author: str, language: str) -> bytes:
    """The pack: the cover, then each worksheet, with a bookmark per worksheet and its sections beneath."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    writer.append(PdfReader(cover), import_outline=False)
    for worksheet_title, path in parts:
        reader = PdfReader(path)
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        parent = writer.add_outline_item(title=worksheet_title, page_number=start, is_open=False)
        _copy_outline(reader, reader.outline, writer, parent, start, skip_title=worksheet_title)
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "selfhelp-site"})
    writer.page_mode = "/UseOutlines"
    root = getattr(writer, "root_object", None) or writer._root_object  # noqa: SLF001 - pypdf < 5
    root[NameObject("/Lang")] = TextStringObject(language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _copy_outline(reader: Any, items: list[Any], writer: Any, parent: Any, offset: int, skip_title: str) -> None:
    """Copy a worksheet PDF's bookmarks under `parent`; its own title bookmark is folded into `parent`."""
    last = None
    for item in items:
        if isinstance(item, list):
            _copy_outline(reader, item, writer, last if last is not None else parent, offset, skip_title="")
            continue
        page = reader.get_destination_page_number(item)
        if item.title == skip_title and page == 0:
            last = None
            continue
        last = writer.add_outline_item(title=item.title, page_number=offset + page, parent=parent)


# -- the public entry points --------------------------------------------------------


class PdfPackJob:
    """The PDF pack of one build, from a content pack: `start` it as soon as the content is loaded, `write` it
    into the site once the site is built, `close` it if the build fails.

    What the cache lacks is known from the content alone, so with `early` (the caller is about to build the
    pages), what must be rendered starts at once on worker processes, in a thread of this process that hands
    them the renders and stores what comes back in the cache: one worker fewer than `concurrency` while the
    build has a core busy, every one once `write` is called. Without `early`, or when nothing is worth a
    worker (`concurrency` 1; without `early` also a single PDF to render), everything is rendered in `write`,
    in this process. `write` gives the same files either way."""

    def __init__(
        self,
        pack: ContentPack,
        *,
        cache_dir: Path,
        loader: jinja2.BaseLoader,
        branding: PdfBranding,
        concurrency: int | None = None,
        early: bool = False,
        workers: PdfWorkers | None = None,
    ) -> None:
        self.started = time.perf_counter()
        clash = next((w for w in pack.worksheets if pdf_uri(w.id) == PACK_URI), None)
        if clash is not None:
            raise PdfRenderError(
                f"{clash.source}: worksheet id '{clash.id}' would overwrite the pack {PACK_URI}; "
                "give the worksheet another id"
            )
        self.pack, self.branding = pack, branding
        self.cache = _Cache(Path(cache_dir))
        self.processes = default_concurrency() if concurrency is None else max(1, int(concurrency))
        if workers is not None and not workers.serves(loader, branding, self.processes):
            workers.close()  # Not started for this job (the caller's mistake): never render with another branding.
            workers = None
        self.renders = workers or _Renders(loader, branding, self.processes)
        renderer = self.renders.local
        base = renderer.fingerprint(WORKSHEET_TEMPLATE)
        self.cover_base = renderer.fingerprint(COVER_TEMPLATE)
        self.found: list[tuple[Worksheet, Path, str, _Rendered | None]] = []
        for worksheet in pack.worksheets:
            digest = _digest(base, _worksheet_data(worksheet))
            path = self.cache.pdf_path("worksheet", worksheet.id, digest)
            self.found.append((worksheet, path, digest, self.cache.load(path)))
        self.rendered = tuple(worksheet.id for worksheet, _, _, info in self.found if info is None)
        self.reused = tuple(worksheet.id for worksheet, _, _, info in self.found if info is not None)
        self.guide_titles = _guide_titles(pack)
        self.parts: list[tuple[Worksheet, Path, str, _Rendered]] = []
        self.cover_digest = ""
        self.cover_path = Path()
        self.cover: _Rendered | None = None
        self.cover_rendered = False
        self.pack_title = ""
        self.pack_cached = Path()
        self.pack_info: _Rendered | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        # The cover's hash needs every worksheet's page count, so a missing worksheet counts as a render to come.
        todo = len(self.rendered) or (self._cover_info() is None)
        self._queued = False
        if early and self.renders.start_pool(todo, at_least=1, during_build=True):
            self._queue()
            self._thread = threading.Thread(target=self._render_in_thread, name="selfhelp-pdf", daemon=True)
            self._thread.start()

    def __enter__(self) -> PdfPackJob:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cover_info(self) -> _Rendered | None:
        """The cover from the cache, once every worksheet's page count is known (None: it must be rendered)."""
        if any(info is None for *_, info in self.found):
            return None
        self.cover_digest = _digest(
            self.cover_base,
            self.guide_titles,
            [[w.id, w.title, w.purpose, w.time_needed, info.pages] for w, _, _, info in self.found],  # type: ignore[union-attr]
        )
        self.cover_path = self.cache.pdf_path("cover", "", self.cover_digest)
        return self.cache.load(self.cover_path)

    def _queue(self) -> None:
        """Queue the worksheets the cache lacks (on the pool, the first start rendering now)."""
        self.renders.queue("worksheet", [(worksheet,) for worksheet, _, _, info in self.found if info is None])
        self._queued = True

    def _render(self) -> None:
        """Render what the cache lacks, worksheets then the cover, and store each in the cache."""
        missing = [i for i, (*_, info) in enumerate(self.found) if info is None]
        if not self._queued:
            self._queue()
        results = self.renders.results()
        for i, result in zip(missing, results, strict=True):
            worksheet, path, digest, _ = self.found[i]
            self.found[i] = (worksheet, path, digest, self.cache.store(path, result))
        self.parts = [(w, p, d, info) for w, p, d, info in self.found if info is not None]
        cover = self._cover_info()
        self.cover_rendered = cover is None
        if cover is None:
            entries = [{"worksheet": w, "pages": info.pages} for w, _, _, info in self.parts]
            cover = self.cache.store(self.cover_path, self.renders.one("cover", self.guide_titles, entries))
        self.cover = cover
        self._merge_pack(cover)

    def _merge_pack(self, cover: _Rendered) -> None:
        """The pack into the cache unless it is there: merged where the renders were made (a worker, if any)."""
        branding, parts = self.branding, self.parts
        self.pack_title = branding.messages.text("pdf.pack_title", title=self.guide_titles[0])
        pack_digest = _digest(
            CACHE_FORMAT,
            _version("pypdf"),
            self.cover_digest,
            [d for _, _, d, _ in parts],
            self.pack_title,
            branding.fingerprint(),
        )
        self.pack_cached = self.cache.pdf_path("pack", "", pack_digest)
        self.pack_info = self.cache.load(self.pack_cached)
        if self.pack_info is None:
            pages = cover.pages + sum(info.pages for *_, info in parts)
            titled = [(w.title, p) for w, p, _, _ in parts]
            self.renders.queue("pack", [(self.cover_path, titled, pages, self.pack_title, branding.brand_name)], render=False)
            self.pack_info = self.cache.store(self.pack_cached, self.renders.results()[0])

    def _render_in_thread(self) -> None:
        try:
            self._render()
        except BaseException as error:  # noqa: BLE001 - raised again by `write`, in the build's thread
            self._error = error

    def close(self) -> None:
        """Give up: start no more renders, end the workers and the thread (nothing is written to the site)."""
        self.renders.close()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def write(self, site_dir: Path) -> PdfPackResult:
        """Write `pdf/worksheets.pdf` and `pdf/<id>.pdf` into `site_dir` (see `write_pdf_pack`); ends the job."""
        begun = time.perf_counter()
        head_start = begun - self.started if self._thread is not None else 0.0
        try:
            self.renders.limit = self.renders.most  # The pages are built: every core may render now.
            self.renders.fill()
            if self._thread is not None:
                self._thread.join()
                if self._error is not None:
                    raise self._error
            else:
                self._render()
            render_count, workers = self.renders.count, self.renders.workers
        finally:
            self.close()
        result = self._install(Path(site_dir), render_count, workers)
        return dataclasses.replace(result, seconds=time.perf_counter() - begun, head_start=head_start)

    def _install(self, site_dir: Path, render_count: int, workers: int) -> PdfPackResult:
        cache, parts, cover = self.cache, self.parts, self.cover
        pack_cached, pack_info = self.pack_cached, self.pack_info
        assert cover is not None and pack_info is not None
        out_dir = site_dir / PDF_DIR

        written: list[Path] = []
        pack_path = site_dir / PACK_URI
        if _install(pack_cached, pack_path):
            written.append(pack_path)
        worksheet_paths: dict[str, Path] = {}
        for worksheet, path, _, _ in parts:
            target = site_dir / pdf_uri(worksheet.id)
            worksheet_paths[worksheet.id] = target
            if _install(path, target):
                written.append(target)

        cache.prune()
        _remove_stale(out_dir, {pack_path, *worksheet_paths.values()}, pattern=re.compile(r"^[a-z0-9-]+\.pdf$"))

        refused = [url for info in (cover, *(p[3] for p in parts)) for url in info.refused]
        return PdfPackResult(
            pack_path=pack_path,
            worksheet_paths=worksheet_paths,
            rendered=self.rendered,
            reused=self.reused,
            cover_rendered=self.cover_rendered,
            pack_pages=pack_info.pages,
            written=tuple(written),
            split_blocks={w.id: info.split for w, _, _, info in parts if info.split},
            refused_urls=tuple(dict.fromkeys(refused)),
            seconds=time.perf_counter() - self.started,
            render_count=render_count,
            processes=self.processes,
            workers=workers,
        )


PdfWorkers = _Renders
"""Worker processes started ahead of a `PdfPackJob` (`prestart_workers`); `close` ends them if it never comes."""


def prestart_workers(
    cache_dir: Path, *, loader: jinja2.BaseLoader, branding: PdfBranding, concurrency: int | None = None
) -> PdfWorkers | None:
    """On a cold cache (no PDF in `cache_dir`: a first build, CI, a new machine), start the first worker process
    now, before the content is loaded: it starts Python and imports WeasyPrint meanwhile, and renders as soon as
    `PdfPackJob(..., early=True, workers=...)` knows what to render (every worksheet and the cover, the cache being
    empty). None otherwise: with anything in the cache, what must be rendered is known only from the content, and
    a warm build starts no worker."""
    processes = default_concurrency() if concurrency is None else max(1, int(concurrency))
    folder = Path(cache_dir)
    if processes <= 1 or (folder.is_dir() and any(folder.glob("*.pdf"))):
        return None
    workers = _Renders(loader, branding, processes)
    return workers if workers.prestart() else None


def write_pdf_pack(
    pack: ContentPack,
    *,
    site_dir: Path,
    cache_dir: Path,
    loader: jinja2.BaseLoader,
    branding: PdfBranding,
    concurrency: int | None = None,
) -> PdfPackResult:
    """Write `pdf/worksheets.pdf` and `pdf/<id>.pdf` for every worksheet into `site_dir`.

    Worksheets whose hash (data, templates, CSS, branding, WeasyPrint
    version) is already in `cache_dir` are reused, not rendered again; the
    pack is merged from the cached PDFs. Stale cache entries and stale PDFs in
    `site_dir/pdf/` are removed. What must be rendered is rendered on
    `concurrency` processes (None: every core; 1: in this process). A template or layout error raises
    `PdfRenderError` naming the template (and its line) or the worksheet's file, as does a worksheet id that
    would overwrite the pack. (`PdfPackJob` does the same in two steps, rendering while the site is built.)
    """
    with PdfPackJob(pack, cache_dir=cache_dir, loader=loader, branding=branding, concurrency=concurrency) as job:
        return job.write(site_dir)


def _remove_stale(folder: Path, keep: set[Path], *, pattern: re.Pattern[str]) -> None:
    """Delete files this module made earlier (name matches `pattern`) that this build no longer uses."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and pattern.match(path.name) and path not in keep:
            path.unlink(missing_ok=True)


__all__ = [
    "PACK_URI",
    "PdfBranding",
    "PdfContact",
    "PdfPackJob",
    "PdfPackResult",
    "PdfWorkers",
    "PdfRenderError",
    "default_concurrency",
    "pdf_uri",
    "prestart_workers",
    "write_pdf_pack",
]
