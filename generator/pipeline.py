"""The engine-free core of a build: `prepare` before the engine builds the pages, `finish` after.

An engine (MkDocs or ProperDocs, through `engines/plugin.py`) is only the part in
between: it turns the page sources `prepare` rendered into HTML with the theme.

- `prepare(options, settings, loader)`: load and validate `content/`
  (`loader.py`), render every page source (kept in memory, as the engine will
  read it) and build the navigation (`render.py`), and make the generated
  stylesheets (`branding.py`, `print_frame.py`). As soon as the content is loaded, the PDFs the cache lacks
  start rendering on worker processes (`start_pdfs`, `pdf_pack.py`), which run
  while the engine builds the pages (on an empty PDF cache, the first worker is
  started before the content is loaded: `prestart_pdfs`). Returns a `Prepared`, whose `page_bodies`
  say which pages hold an author's body: the engine checks the HTML it renders
  for those for scripts (`body_scripts.find_page_scripts`; warnings, which
  strict mode turns into a failed build), so no body is rendered twice.
- `finish(prepared, site_dir, ...)`: over the built site, in this order: the
  egress check (`egress.py`), the search wrapper (`search_worker.py`), the PDF
  pack (`pdf_pack.py`), the service worker (`service_worker.py`), the CSP and the
  server files (`security_headers.py`, `microsoft_hosting.py`), the offline zip
  (`offline_zip.py`, from this one build), the gzip and brotli copies (`precompress.py`)
  and the deploy script (`deploy_script.py`).

Options come as a `SiteOptions` (`options.py`) and the engine's own settings as
a `SiteSettings`, both plain values. A problem a reader of the build must fix is
a `BuildProblem`, whose text is the whole message; adapters turn it into their
engine's error. Imports nothing of MkDocs or Material (`tests/test_engine_free_core.py`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import jinja2

from . import site_paths
from .content.body_scripts import page_bodies
from .content.content_origins import ContentOrigin, content_origins
from .content.loader import ContentError, Problem, load_content
from .content.model import ContentPack, Markdown
from .content.rebuild_cache import RebuildCache, template_fingerprint
from .content.render import RenderSettings, SiteRenderer
from .messages import Messages
from .options import ContactOptions, SiteOptions
from .products.branding import brand_stylesheet, logo_uri
from .products.csp import TemplateScriptMarker, TemplateScripts, new_token
from .products.deploy_script import write_deploy_script
from .products.early_products import EarlyProducts, file_matches
from .products.egress import PageScan, find_external_assets
from .products.offline_zip import offline_zip_path, write_offline_zip
from .products.parallel import give_back_freed_memory, known_digests, share_one_heap, thread_count
from .products.pdf_pack import (
    PdfBranding,
    PdfContact,
    PdfPackJob,
    PdfPackResult,
    PdfRenderError,
    PdfWorkers,
    prestart_workers,
)
from .products.precompress import write_compressed_copies
from .products.print_frame import css_string, print_frame_stylesheet, urgent_line
from .products.search_worker import MaterialWorkerNotFound, write_search_worker
from .products.security_headers import write_server_snippets
from .products.service_worker import write_service_worker

_default_log = logging.getLogger("selfhelp")


class BuildProblem(Exception):
    """Something the site's author must fix; the message says what and how. Adapters make it their engine's error."""


class Log(Protocol):
    def info(self, msg: str) -> Any: ...
    def warning(self, msg: str) -> Any: ...


@dataclass(frozen=True)
class SiteSettings:
    """What the core needs to know of the engine's configuration, as plain values."""

    site_name: str
    """As written (text, not HTML)."""
    project_dir: Path
    """The folder of the configuration file: the PDF cache and the paths in messages are relative to it."""
    content_dir: Path
    site_url: str | None = None
    use_directory_urls: bool = True
    language: str = "en"
    search_languages: frozenset[str] = frozenset({"en"})
    markdown_extensions: tuple[Any, ...] = ()
    mdx_configs: Mapping[str, Any] = field(default_factory=dict)
    serving: bool = False
    """A preview (`mkdocs serve`): never deployed, so no server files, no zip and no offline cache."""
    checking_only: bool = False
    """`selfhelp check`: the build is thrown away, so the PDFs and the zip are skipped."""

    @property
    def base_path(self) -> str:
        """The URL path the site is served under (`/` unless `site_url` says otherwise)."""
        return urlsplit(self.site_url or "/").path or "/"


@dataclass
class Prepared:
    """What `prepare` made: the pages the engine builds, and what `finish` needs again."""

    options: SiteOptions
    settings: SiteSettings
    pack: ContentPack
    loader: jinja2.BaseLoader
    """The template loader (a site's own templates first, then ours)."""
    template_scripts: TemplateScripts
    """This build's allow-list of inline scripts (its token marks the templates' scripts)."""
    origins: dict[str, ContentOrigin]
    """Each rendered page's content file and line, by page source path."""
    page_uris: list[str]
    page_sources: dict[str, str]
    """Each page's Markdown source by `page_uris` entry, as the engine would read it from a file (`as_read`),
    until `discard_pages`."""
    navigation: list[Any]
    page_bodies: dict[str, Markdown]
    """The author's body of each page that has one, by page source path: the engine checks its HTML for scripts."""
    brand_css: str
    print_frame_css: str
    logo_uri: str | None
    messages: Messages
    """Every word the build writes, in the site's language, with the `messages` option's replacements."""
    pdfs: PdfPackJob | None = None
    """The PDF pack, rendering on worker processes while the pages are made (`start_pdfs`), until `finish`."""
    early: EarlyProducts | None = None
    """The zip entries and gzip copies made on a worker process as the pages are written (`page_started`)."""
    _early_decided: bool = False

    @property
    def pages_scanned_by_worker(self) -> bool:
        """True while the early-products worker runs: it scans each written page for assets on other hosts
        (`egress.file_external_addresses`), so the engine need not scan the page in memory as well; `finish`
        scans from disk any page it did not reach."""
        return self.early is not None and self.early.running

    def discard_pages(self) -> None:
        """Let go of the page sources (the engine's files keep what they were given)."""
        self.page_sources = {}

    def stop_pdfs(self) -> None:
        """End the PDF rendering of a build that failed or was interrupted before or in `finish` (the adapter
        calls it on a build error and on shutdown); `finish` ends it otherwise."""
        pdfs, self.pdfs = self.pdfs, None
        if pdfs is not None:
            pdfs.close()

    def stop_workers(self) -> None:
        """End every worker process of the build (the PDF pack's, `early`'s): a failed or interrupted build."""
        self.stop_pdfs()
        early, self.early = self.early, None
        if early is not None:
            early.close()


def pages_written(prepared: Prepared) -> None:
    """Every page is written (the engine's post-build step begins): the worker gets the last one."""
    if prepared.early is not None:
        prepared.early.all_written()


def page_started(prepared: Prepared, site_dir: Path, dest_uri: str, previous_site: Path | None = None) -> None:
    """The engine starts building the page it writes to `dest_uri` (so the one before it is written): hands the
    written files to the worker that makes their zip entries and gzip copies meanwhile (`early_products.py`),
    started at the first page when this build makes either and a core would otherwise idle."""
    if not prepared._early_decided:  # noqa: SLF001 - the pipeline's own field
        prepared._early_decided = True  # noqa: SLF001
        prepared.early = _start_early(prepared, site_dir, previous_site)
    if prepared.early is not None:
        prepared.early.page(dest_uri)


def _start_early(prepared: Prepared, site_dir: Path, previous_site: Path | None) -> EarlyProducts | None:
    options, settings = prepared.options, prepared.settings
    if settings.serving or settings.checking_only or thread_count(options.concurrency) < 2:
        return None
    if prepared.pdfs is not None and prepared.pdfs.renders.pool is not None:
        return None  # A cold build: the PDF workers have the other cores while the pages are built.
    zipped, gzipped = options.offline_zip, options.server_config
    if not (zipped or gzipped):
        return None
    target = offline_zip_path(site_dir, settings.site_name, options.organisation) if zipped else None
    previous_zip = previous_site / target.relative_to(site_dir) if target is not None and previous_site else None
    try:
        return EarlyProducts(
            site_dir,
            previous_site=previous_site,
            zip_target=target,
            zip_previous=previous_zip,
            gzip=gzipped,
            gzip_cache=_gzip_cache_dir(options, settings),
        )
    except OSError:  # No process could be started: `finish` does it all, as without the worker.
        return None


def template_loader(custom_dir: str | Path | None = None) -> jinja2.BaseLoader:
    """Our templates (`generator/theme/`), after a site's own `custom_dir` when it has one.

    Under an engine, the adapter passes a loader over the theme's folders instead (Material's too)."""
    folders = [str(custom_dir)] if custom_dir else []
    return jinja2.FileSystemLoader([*folders, str(site_paths.PACKAGE_THEME_DIR)])


def prepare(
    options: SiteOptions,
    settings: SiteSettings,
    loader: jinja2.BaseLoader,
    cache: RebuildCache | None = None,
) -> Prepared:
    """Load and check the content and render every page source (see the module's text).

    `cache`: under `mkdocs serve`, what the last rebuild checked and rendered (`rebuild_cache.py`).
    As soon as the content is loaded, the PDFs the cache lacks start rendering on worker processes
    (`start_pdfs`): they run while the rest of this and the engine's build of the pages run here."""
    share_one_heap()  # Before the build's threads start (the PDF pack's, the post-build ones).
    messages = site_messages(options, settings)
    workers = prestart_pdfs(options, settings, loader, messages)
    try:
        pack = load_content(settings.content_dir, settings.project_dir, cache.parsed if cache is not None else None)
    except BaseException as error:
        if workers is not None:
            workers.close()
        if isinstance(error, ContentError):
            raise BuildProblem(str(error)) from None
        raise
    pdfs = start_pdfs(options, settings, loader, pack, messages, workers)
    try:
        prepared = _render_pages(options, settings, loader, cache, pack, messages)
    except BaseException:
        if pdfs is not None:  # A failed or interrupted prepare ends the PDF workers it started.
            pdfs.close()
        raise
    prepared.pdfs = pdfs
    return prepared


def _render_pages(
    options: SiteOptions,
    settings: SiteSettings,
    loader: jinja2.BaseLoader,
    cache: RebuildCache | None,
    pack: ContentPack,
    messages: Messages,
) -> Prepared:
    try:
        loader.get_source(jinja2.Environment(), site_paths.template("step.md.j2"))  # noqa: S701 - no rendering
    except jinja2.TemplateNotFound:
        raise BuildProblem(
            "the selfhelp page templates were not found: is 'theme: name:' material in mkdocs.yml? "
            "(the plugin adds its templates, generator/theme/, to the theme's folders)"
        ) from None
    template_scripts = TemplateScripts(cache.script_token(new_token) if cache is not None else new_token())
    rendering: Callable[[SiteRenderer], Iterable[tuple[str, str]]] = SiteRenderer.rendered_pages
    if cache is not None:
        key = (options, settings, template_fingerprint(loader))
        rendering = lambda renderer: cache.rendered_pages(renderer, template_scripts.token, key)  # noqa: E731
    render_settings = RenderSettings(
        situations_title=options.situations_title,
        worksheets_title=options.worksheets_title,
        privacy_title=options.privacy_title,
        use_directory_urls=settings.use_directory_urls,
        pdf_links=options.pdf_pack,
        messages=messages,
    )
    renderer = SiteRenderer(TemplateScriptMarker(loader, template_scripts.token), pack, render_settings)
    origins = content_origins(pack, settings.project_dir)
    sources: dict[str, str] = {}
    try:
        for src_uri, markdown in rendering(renderer):
            sources[src_uri] = as_read(markdown, src_uri, origins)
    except jinja2.TemplateError as error:
        where = f"{error.filename}:{error.lineno}: " if isinstance(error, jinja2.TemplateSyntaxError) else ""
        raise BuildProblem(f"{where}a selfhelp template failed: {error}") from None
    return Prepared(
        options=options,
        settings=settings,
        pack=pack,
        loader=loader,
        template_scripts=template_scripts,
        origins=origins,
        page_uris=list(sources),
        page_sources=sources,
        navigation=renderer.navigation(),
        page_bodies=page_bodies(pack),
        brand_css=brand_stylesheet(options.primary_colour, options.accent_colour),
        print_frame_css=print_frame(options, settings.site_name, messages),
        logo_uri=logo_uri(options.logo) if options.logo else None,
        messages=messages,
    )


def as_read(markdown: str, src_uri: str, origins: Mapping[str, ContentOrigin]) -> str:
    """A page source as an engine reads it from a UTF-8 file written in text mode: CRLF and CR line ends as LF
    (a YAML value may hold them, written as escapes); a lone surrogate (also only from an escape) cannot be
    written at all, so it is a problem of the page's content file."""
    try:
        markdown.encode("utf-8")
    except UnicodeEncodeError as error:
        origin = origins.get(src_uri)
        where = f"{origin.source.path}: " if origin is not None else ""
        raise BuildProblem(
            f"{where}the page {src_uri} would hold U+{ord(markdown[error.start]):04X}, half of a surrogate pair "
            "(a \\u escape in YAML): write the character itself, or as one \\U escape (\\U0001F600)"
        ) from None
    if "\r" in markdown:
        markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    return markdown


def site_messages(options: SiteOptions, settings: SiteSettings) -> Messages:
    """The catalogue of the site's language (`settings.language`) with the `messages` option's replacements."""
    return Messages(settings.language, dict(options.messages))


def print_frame(options: SiteOptions, site_name: str, messages: Messages) -> str:
    """The print frame stylesheet (`print_frame.py`) from the options."""
    brand = options.organisation.strip() or site_name
    return print_frame_stylesheet(
        urgent_line(options.urgent_note, options.urgent_help), brand, messages.css_page_numbers(css_string)
    )


def finish(
    prepared: Prepared,
    site_dir: Path,
    *,
    external_in_content: Iterable[Problem] = (),
    made_from: Mapping[str, str] | None = None,
    scanned_pages: Mapping[str, PageScan] | None = None,
    previous_site: Path | None = None,
    log: Log = _default_log,
) -> None:
    """Write every product made from the built site into `site_dir` (see the module's text), or raise BuildProblem.

    `external_in_content`: assets page bodies load from other hosts, as the engine saw each body (at its line);
    `made_from`: the content file each built page (`dest_uri`) was made from, for the backstop egress check;
    `scanned_pages`: the egress scans of the pages the engine wrote (`dest_uri`: `egress.PageScan`), made
    from each page's HTML in memory, so the check reads only the other files (and any whose size changed);
    `previous_site`: the previous build (the folder `site_dir` will replace), whose gzip copies and zip
    entries of unchanged files are reused (`precompress.py`, `offline_zip.py`: each checked, by unpacking
    it, against the new file's bytes)."""
    try:
        with known_digests() as digests:  # Those the worker made, for the service worker and deploy lists.
            _finish(
                prepared,
                site_dir,
                list(external_in_content),
                dict(made_from or {}),
                dict(scanned_pages or {}),
                previous_site,
                log,
                digests,
            )
    finally:
        early, prepared.early = prepared.early, None  # Its worker is done or no longer wanted.
        if early is not None:
            early.close()


def _finish(
    prepared: Prepared,
    site_dir: Path,
    external_in_content: list[Problem],
    made_from: dict[str, str],
    scanned_pages: dict[str, PageScan],
    previous_site: Path | None,
    log: Log,
    digests: dict[str, tuple[int, int, str]],
) -> None:
    options, settings, loader = prepared.options, prepared.settings, prepared.loader
    prepared.discard_pages()  # Every page is built by now.
    # What the worker made while the pages were built (`early_products.py`), each checked against its file.
    early, spool = prepared.early.results() if prepared.early is not None else ({}, None)
    handed = prepared.early.sent if prepared.early is not None else set()
    for uri, result in early.items():
        digests.update(result.digests(site_dir, uri))
    if external_in_content:
        raise BuildProblem(str(ContentError(external_in_content)))
    known = {  # The pages were scanned as they were written; the worker's scans serve the other files.
        uri: r.external
        for uri, r in early.items()
        if uri not in scanned_pages and r.external is not None and file_matches(site_dir / uri, r)
    }
    external = find_external_assets(site_dir, made_from, known, scanned_pages)
    if external:
        listing = "\n".join(f"  {asset}" for asset in external)
        raise BuildProblem(
            "the site would load files from other hosts, which intranet readers may not reach and which "
            f"would tell those hosts who reads it; serve them from the site instead:\n{listing}"
        )
    try:
        write_search_worker(site_dir, loader, settings.search_languages)
    except MaterialWorkerNotFound as error:
        raise BuildProblem(str(error)) from None
    deployable = not settings.serving
    threads = thread_count(options.concurrency)  # Compressing and hashing the files (`parallel.py`).
    # Order matters: the PDFs are precached by the service worker and copied into the zip.
    if options.pdf_pack and not settings.checking_only:
        if settings.serving and not options.pdf_on_serve:
            log.info("the PDFs are not rendered under 'mkdocs serve' (set pdf_on_serve: true to have them)")
        else:
            log.info(write_pdfs(prepared, site_dir).summary())
    prepared.stop_pdfs()  # Not rendered (`selfhelp check`, a preview): end what `start_pdfs` started.
    give_back_freed_memory()  # What the engine's pages, the search index and the PDF workers' results left.
    # The service worker's and deploy script's lists hash the files in this thread: each is a few dozen KB,
    # which SHA-256 (or the CRC-32 that checks a digest the worker made) reads faster than a hand-off to a
    # thread costs (at 300 steps, 0.07 s on 2-4 threads against 0.04 s here for the deploy list).
    _timed(
        log,
        "service worker",
        lambda: write_service_worker(
            site_dir,
            loader,
            enabled=options.service_worker and deployable,
            search_languages=set(settings.search_languages),
            threads=1,
        ),
    )
    if options.server_config and deployable:  # A preview is never deployed.
        _timed(
            log,
            "server snippets and CSP",
            lambda: write_server_snippets(
                site_dir,
                settings.base_path,
                prepared.template_scripts.hashes,
                extra_headers=dict(options.server_headers),
                embedding_origins=list(options.embedding_origins),
            ),
        )
    # `mkdocs serve` previews: no zip, and no offline cache that would hide an author's next edit.
    if options.offline_zip and deployable and not settings.checking_only:
        # In this thread: the zip is where the build's memory peaks (the search index), and deflating on
        # threads raised that peak by 2.3 MB at 300 steps (3%); a rebuild reuses the previous zip's entries.
        _timed(
            log,
            "offline zip",
            lambda: write_offline_zip(
                site_dir,
                settings.site_name,
                options.organisation,
                threads=1,
                previous_site=previous_site,
                early=early,
                spool=spool,
            ),
        )
    if options.server_config and deployable and not settings.checking_only:
        # Last: the deploy script lists every file.
        _timed(
            log,
            "gzip and brotli copies",
            lambda: write_compressed_copies(
                site_dir, previous_site, threads, early, handed, cache_dir=_gzip_cache_dir(options, settings)
            ),
        )
        write_deploy_script(site_dir, loader, settings.base_path, threads=1)  # In this thread: see above.


def _pdf_contact(role: str, contact: ContactOptions) -> PdfContact:
    return PdfContact(
        name=contact.name, phone=contact.phone, email=contact.email, url=contact.url, note=contact.note, role=role
    )


def pdfs_wanted(options: SiteOptions, settings: SiteSettings) -> bool:
    """Whether this build makes the PDF pack: not for `selfhelp check`, nor under serve unless `pdf_on_serve`."""
    return options.pdf_pack and not settings.checking_only and (options.pdf_on_serve or not settings.serving)


def prestart_pdfs(
    options: SiteOptions, settings: SiteSettings, loader: jinja2.BaseLoader, messages: Messages
) -> PdfWorkers | None:
    """On an empty PDF cache (a first build, CI), the first PDF worker process, started before the content is
    loaded so that it is ready to render when `start_pdfs` is (`pdf_pack.prestart_workers`); None otherwise."""
    if not pdfs_wanted(options, settings):
        return None
    try:
        return prestart_workers(
            _pdf_cache_dir(options, settings),
            loader=loader,
            branding=_pdf_branding(options, settings, messages),
            concurrency=options.concurrency,
        )
    except (ValueError, OSError):
        return None  # Reported where it always was (`write_pdfs`).


def start_pdfs(
    options: SiteOptions,
    settings: SiteSettings,
    loader: jinja2.BaseLoader,
    pack: ContentPack,
    messages: Messages,
    workers: PdfWorkers | None = None,
) -> PdfPackJob | None:
    """Start rendering the PDFs the cache lacks (they depend on the content and options alone) on worker
    processes (`workers`, when `prestart_pdfs` started them), to run while the pages are made; `finish` writes
    them (`write_pdfs`). Nothing starts when the build makes no PDFs, nor with `concurrency` 1; an error is left
    for `finish` to report, as it would be."""
    if not pdfs_wanted(options, settings):
        return None
    try:
        return _pdf_job(options, settings, loader, pack, messages, early=True, workers=workers)
    except (PdfRenderError, jinja2.TemplateError, ValueError, OSError):
        if workers is not None:
            workers.close()
        return None  # `write_pdfs` makes the job again, and reports the error where and as it always did.


def _pdf_job(
    options: SiteOptions,
    settings: SiteSettings,
    loader: jinja2.BaseLoader,
    pack: ContentPack,
    messages: Messages,
    *,
    early: bool,
    workers: PdfWorkers | None = None,
) -> PdfPackJob:
    """The PDF pack (`pdf_pack.py`), branded from the options, cached in `<cache_dir>/pdf`."""
    return PdfPackJob(
        pack,
        cache_dir=_pdf_cache_dir(options, settings),
        loader=loader,
        branding=_pdf_branding(options, settings, messages),
        concurrency=options.concurrency,
        early=early,
        workers=workers,
    )


def _pdf_cache_dir(options: SiteOptions, settings: SiteSettings) -> Path:
    return Path(options.cache_dir or settings.project_dir / site_paths.CACHE_DIR) / site_paths.PDF_CACHE


def _gzip_cache_dir(options: SiteOptions, settings: SiteSettings) -> Path:
    """The zopfli gzip copies kept between builds (`precompress.gzip_copy`), in `<cache_dir>/gzip`."""
    return Path(options.cache_dir or settings.project_dir / site_paths.CACHE_DIR) / site_paths.GZIP_CACHE


def _pdf_branding(options: SiteOptions, settings: SiteSettings, messages: Messages) -> PdfBranding:
    return PdfBranding(
        site_name=settings.site_name,
        organisation=options.organisation,
        primary_colour=options.primary_colour,
        logo_path=Path(options.logo) if options.logo else None,
        contacts=(
            _pdf_contact(messages.text("pdf.role.urgent"), options.urgent_help),
            _pdf_contact(messages.text("pdf.role.eap"), options.eap),
            _pdf_contact(messages.text("pdf.role.hr"), options.hr_contact),
        ),
        urgent_note=options.urgent_note,
        language=settings.language,
        messages=messages,
    )


def write_pdfs(prepared: Prepared, site_dir: Path) -> PdfPackResult:
    """Write the PDF pack into the built site: what `start_pdfs` started, or all of it now."""
    job, prepared.pdfs = prepared.pdfs, None
    try:
        if job is None:
            job = _pdf_job(
                prepared.options, prepared.settings, prepared.loader, prepared.pack, prepared.messages, early=False
            )
        return job.write(site_dir)
    except PdfRenderError as error:
        raise BuildProblem(str(error)) from None
    except jinja2.TemplateNotFound as error:
        raise BuildProblem(f"a PDF template was not found: {error}") from None
    finally:
        if job is not None:
            job.close()


def _timed(log: Log, what: str, make: Callable[[], object]) -> None:
    start = time.perf_counter()
    make()
    log.info(f"{what} written in {time.perf_counter() - start:.2f} s")
