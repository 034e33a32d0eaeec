"""The MkDocs plugin glue: load content, render pages, hand them and the navigation to MkDocs.

Hooks, in the order MkDocs calls them:

- `on_config`: point the build at a staging folder next to `site_dir`
  (`staging.py`); resolve the content folder and make sure the Markdown
  extensions the rendered pages rely on are enabled.
- `on_pre_build`: load and validate all content; have MkDocs' link warnings
  name the content file and line (`content_origins.py`).
- `on_files`: swap the raw content files for the rendered pages (files in a
  temporary folder that lives for one build), our theme scripts and styles for
  minified copies, and leave out the theme's source maps.
- `on_page_markdown`: a rendered page's title, description and keywords are
  text: made HTML (escaped) for the theme, which prints them unescaped.
- `on_page_content`: note any asset a page body would load from another host,
  at its content file and line.
- `on_env`: give the theme templates the plugin's options, and mark the
  scripts its templates write (the CSP allow-list, `csp.py`).
- `on_post_page`, `on_post_template`: collect the hashes of the templates'
  inline scripts, remove the marks, and report any other inline script.
- `on_post_build`: stop on the assets noted above (after MkDocs' link checks,
  so one run reports both); the products made from the built site: the
  external-asset check, the service worker, the server snippets with the CSP,
  the offline zip; then, last of every plugin's post-build work and only if no
  strict-mode warning was logged, swap the staging folder in place of `site_dir`.
- `on_build_error`, `on_shutdown`: delete the staging folder; `site_dir` is untouched.
- `on_serve`: watch the content folder when it lives outside `docs_dir`; a
  rebuild that fails keeps the last good pages served.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from .body_scripts import find_body_scripts, pack_bodies
from .branding import BRAND_CSS_URI, brand_stylesheet, logo_uri
from .print_frame import PRINT_FRAME_URI, UrgentContact, css_string, print_frame_stylesheet, urgent_line
from .config import OptionLines, SelfhelpConfig, option_problems
from .content_origins import ContentLinkReports, ContentOrigin, content_origins, external_asset_problems
from .csp import TemplateScriptMarker, TemplateScripts, mark_template_scripts, new_token
from .deploy_script import write_deploy_script
from .egress import external_addresses, find_external_assets
from .engines import engine_logger
from .loader import ContentError, Problem, load_content
from .messages import ENGLISH, Messages
from .model import ContentPack
from .offline_zip import write_offline_zip
from .pdf_pack import PdfBranding, PdfContact, write_pdf_pack
from .precompress import write_compressed_copies
from .render import RenderSettings, SiteRenderer
from .sanitize import text_html
from .search_worker import MaterialWorkerNotFound, write_search_worker
from .security_headers import write_server_snippets
from .service_worker import write_service_worker
from .staging import StagedSite, StagingError
from .theme_assets import add_package_theme, publish_theme_assets

log = get_plugin_logger("selfhelp")

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "toc", "admonition")
"""Rendered pages put classes on blocks (`{: .shs-lede }`, `<div markdown>`) and authors use admonitions."""

SITE_TEXT_OPTIONS = ("site_name", "site_description", "site_author")
"""MkDocs options that are text but that Material prints as HTML, unescaped."""


class SelfhelpPlugin(BasePlugin[SelfhelpConfig]):
    """Builds a self-help site from structured content in `content/`."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.content_dir: Path = Path()
        self.pack: ContentPack | None = None
        self.rendered_dir: tempfile.TemporaryDirectory[str] | None = None
        """This build's rendered pages, one file each: MkDocs reads them from disk like hand-written
        pages, so a 1,000-page site is not held in memory twice (as strings here and in MkDocs)."""
        self.page_uris: list[str] = []
        self.template_loader: jinja2.BaseLoader | None = None
        self.messages: Messages = ENGLISH
        """Every word the build writes, in the site's language (`generator/messages.py`)."""
        self.building_offline_copy = False
        """True while this instance builds the file:// copy for the offline zip (no products of its own)."""
        self.serving = False
        self.dirty = False
        self.checking_only = False
        """True under `selfhelp check`: the build is thrown away, so products content cannot fail are skipped."""
        self.staged: StagedSite | None = None
        """This build's staging folder, until it is swapped in or discarded."""
        self.staged_config: MkDocsConfig | None = None
        self.origins: dict[str, ContentOrigin] = {}
        self.files: Files | None = None
        self.link_reports: ContentLinkReports | None = None
        self.external_in_content: list[Problem] = []
        self.template_scripts: TemplateScripts | None = None
        """This build's allow-list of inline scripts: those the templates wrote (see csp.py)."""
        self.body_script_texts: set[str] = set()
        """Texts of the `<script>` elements already reported in page bodies (not reported again per page)."""
        self.site_text: dict[str, str | None] = {}
        """`SITE_TEXT_OPTIONS` as written in mkdocs.yml (the theme gets them escaped)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Also keeps this instance across `mkdocs serve` rebuilds (MkDocs' rule for plugins with on_startup).
        self.serving = command == "serve"
        self.dirty = dirty

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        """Validate every option; each problem is an error naming its mkdocs.yml line (an unknown option is a typo)."""
        errors, warnings = super().load_config(options, config_file_path)
        problems = option_problems(options, errors, warnings, OptionLines(config_file_path))
        return [(key, PluginError(message)) for key, message in problems], []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self._stage(config)
        add_package_theme(config.theme)
        self.messages = self.config.fill_defaults(config.theme.get("language"))
        self.content_dir = Path(self.config.content_dir or config.docs_dir).resolve()
        self._escape_site_text(config)
        self._switch_off_html_tooltips(config)
        # The organisation's colours come from brand.css, so Material's named palettes step aside.
        palette = config.theme.get("palette") or {}
        for scheme in palette if isinstance(palette, list) else [palette]:
            scheme["primary"] = scheme["accent"] = "custom"
        if not palette:
            config.theme["palette"] = {"primary": "custom", "accent": "custom"}
        if self.config.logo:
            config.theme["logo"] = logo_uri(self.config.logo)
        for extension in REQUIRED_MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if config.nav:
            log.warning("'nav' in mkdocs.yml is ignored: the selfhelp plugin builds the navigation from content/")
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a staging folder next to `site_dir`; `_publish` swaps it in when every check passed."""
        if self.building_offline_copy:
            return  # The offline copy is built into a temporary folder of the main build's staging work.
        self._end_staging(publish=False)  # Left by an interrupted build in this process.
        try:
            self.staged = StagedSite(Path(config.site_dir), start_from_current=self.dirty)
        except StagingError as error:
            raise PluginError(str(error)) from None
        self.staged_config = config
        config.site_dir = str(self.staged.path)

    def _end_staging(self, *, publish: bool) -> None:
        """Swap the staging folder in (or delete it), and give the config its own `site_dir` back."""
        staged, config = self.staged, self.staged_config
        self.staged = self.staged_config = None
        if self.link_reports is not None:
            logging.getLogger(engine_logger("structure.pages")).removeFilter(self.link_reports)
            self.link_reports = None
        if staged is None:
            return
        if config is not None:
            config.site_dir = str(staged.site_dir)
        if not publish:
            staged.discard()
            return
        try:
            staged.publish()
        except OSError as error:
            staged.discard()
            raise PluginError(
                f"the new site could not be moved into place at '{staged.site_dir}' ({error.strerror}); the last "
                "good site is unchanged: make sure nothing holds that folder open and that it is not a mount point"
            ) from None
        log.info(f"every check passed: the new site is in place at {staged.site_dir}")

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        project_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            self.pack = load_content(self.content_dir, project_dir)
        except ContentError as error:
            raise PluginError(str(error)) from None
        self.origins = content_origins(self.pack, project_dir)
        self.external_in_content = []
        if self.link_reports is None:
            self.link_reports = ContentLinkReports(self.origins, self._headings)
            logging.getLogger(engine_logger("structure.pages")).addFilter(self.link_reports)
        self.link_reports.origins = self.origins
        self.template_scripts = TemplateScripts(new_token())
        if not self.building_offline_copy:
            self._report_body_scripts(config)
        loader = self.template_loader = jinja2.FileSystemLoader(config.theme.dirs)
        try:
            loader.get_source(jinja2.Environment(), "selfhelp/step.md.j2")
        except jinja2.TemplateNotFound:
            raise PluginError(
                "the selfhelp page templates were not found: is 'theme: name:' material in mkdocs.yml? "
                "(the plugin adds its templates, generator/theme/, to the theme's folders)"
            ) from None
        settings = RenderSettings(
            situations_title=self.config.situations_title,
            worksheets_title=self.config.worksheets_title,
            privacy_title=self.config.privacy_title,
            use_directory_urls=config.use_directory_urls,
            pdf_links=self.config.pdf_pack,
            messages=self.messages,
        )
        renderer = SiteRenderer(TemplateScriptMarker(loader, self.template_scripts.token), self.pack, settings)
        self._discard_rendered_pages()
        self.rendered_dir = tempfile.TemporaryDirectory(prefix="selfhelp-pages-")
        rendered = Path(self.rendered_dir.name)
        try:
            for src_uri, markdown in renderer.rendered_pages():
                target = rendered / src_uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(markdown, encoding="utf-8")
                self.page_uris.append(src_uri)
        except jinja2.TemplateError as error:
            self._discard_rendered_pages()
            where = f"{error.filename}:{error.lineno}: " if isinstance(error, jinja2.TemplateSyntaxError) else ""
            raise PluginError(f"{where}a selfhelp template failed: {error}") from None
        config.nav = renderer.navigation()

    def _discard_rendered_pages(self) -> None:
        if self.rendered_dir is not None:
            self.rendered_dir.cleanup()
        self.rendered_dir = None
        self.page_uris = []

    # Runs late so that files other plugins add from the content folder are replaced too.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        rendered = set(self.page_uris)
        accepted = set(self.pack.files) if self.pack else set()
        for file in list(files):
            unpublished_content = self._is_from_content_folder(file) and file.src_uri not in accepted
            if unpublished_content or file.src_uri in rendered or self._is_template_folder_file(file):
                files.remove(file)
        # Only what the loader accepted is published from content/ (and added when content_dir is not docs_dir).
        for src_uri in sorted(accepted - {file.src_uri for file in files}):
            files.append(File(src_uri, str(self.content_dir), config.site_dir, config.use_directory_urls))
        assert self.rendered_dir is not None
        for src_uri in self.page_uris:
            files.append(File.generated(config, src_uri, abs_src_path=str(Path(self.rendered_dir.name, src_uri))))
        publish_theme_assets(files, config)
        brand_css = brand_stylesheet(self.config.primary_colour, self.config.accent_colour)
        files.append(File.generated(config, BRAND_CSS_URI, content=brand_css))
        files.append(File.generated(config, PRINT_FRAME_URI, content=self._print_frame(config)))
        if self.config.logo:
            files.append(File.generated(config, config.theme["logo"], abs_src_path=str(Path(self.config.logo))))
        self.files = files
        return files

    def _print_frame(self, config: MkDocsConfig) -> str:
        urgent = self.config.urgent_help
        contact = UrgentContact(urgent.name, urgent.phone, urgent.email, urgent.url, urgent.note)
        brand = self.config.organisation.strip() or config.site_name
        return print_frame_stylesheet(
            urgent_line(self.config.urgent_note, contact), brand, self.messages.css_page_numbers(css_string)
        )

    def _headings(self, src_uri: str) -> list[str]:
        """The heading ids of a built page, for "did you mean" in link reports."""
        file = self.files.get_file_from_path(src_uri) if self.files is not None else None
        ids: list[str] = []
        entries = list(file.page.toc) if file is not None and file.page is not None else []
        while entries:
            entry = entries.pop(0)
            ids.append(entry.id)
            entries[:0] = entry.children
        return ids

    @staticmethod
    def _is_template_folder_file(file: File) -> bool:
        """True for files of our template folder, which MkDocs would otherwise publish as theme assets."""
        return file.src_uri.startswith("selfhelp/") and file.generated_by is None

    def _is_from_content_folder(self, file: File) -> bool:
        """True for files MkDocs found in the content folder: raw pages, worksheets and files."""
        if not file.abs_src_path or file.generated_by is not None:
            return False
        folder = Path(os.path.realpath(os.path.dirname(file.abs_src_path)))
        return folder.is_relative_to(self.content_dir)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        origin = self.origins.get(page.file.src_uri)
        if self.config.enabled and origin is not None and not self.building_offline_copy:
            self.external_in_content.extend(external_asset_problems(origin, external_addresses(html)))
        return html

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        if self.config.enabled:
            env.globals["selfhelp"] = self.config
            env.globals["selfhelp_messages"] = env.globals["t"] = self.messages
            if self.template_scripts is not None:
                mark_template_scripts(env, self.template_scripts.token)
        return env

    # -- escaping and scripts (issue 10): text stays text, and only the templates' scripts are allowed --------

    def _escape_site_text(self, config: MkDocsConfig) -> None:
        """`site_name`, `site_description` and `site_author` are text, which Material prints unescaped: give it HTML."""
        self.site_text = {key: config[key] for key in SITE_TEXT_OPTIONS}
        for key, value in self.site_text.items():
            if value:
                config[key] = text_html(value)

    @staticmethod
    def _switch_off_html_tooltips(config: MkDocsConfig) -> None:
        """Material's `content.tooltips` shows a truncated title's text as HTML: a title could run script."""
        features = config.theme.get("features") or []
        if "content.tooltips" in features:
            features.remove("content.tooltips")
            log.info(
                "the theme feature 'content.tooltips' is switched off: it shows page titles as HTML, "
                "so a title could run script in readers' browsers"
            )

    def _restore_site_text(self, config: MkDocsConfig) -> None:
        """The products made after the pages (PDFs, zip name) take `site_name` as the text it is."""
        for key, value in self.site_text.items():
            config[key] = value

    def _report_body_scripts(self, config: MkDocsConfig) -> None:
        """Warn about each script, handler or javascript: address in a page body (strict mode fails the build)."""
        assert self.pack is not None
        found = find_body_scripts(pack_bodies(self.pack), config.markdown_extensions, config.mdx_configs)
        self.body_script_texts = {item.script_text for item in found if item.script_text}
        for item in found:
            log.warning(str(item))  # Strict mode fails the build on it; the staging folder keeps site/ safe.

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.config.enabled and page.file.generated_by == "selfhelp":
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = text_html(page.meta[key])
            if isinstance(page.meta.get("tags"), list):  # Material's search index shows tags as HTML.
                page.meta["tags"] = [text_html(str(tag)) for tag in page.meta["tags"]]
        return markdown

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.template_scripts is None:
            return output
        output, stray = self.template_scripts.take(output)
        for script in stray:
            if script.text not in self.body_script_texts:
                log.warning(
                    f"{page.file.src_uri}: an inline script that no template wrote is on this page "
                    f"({script.excerpt()!r}): the site's Content-Security-Policy blocks it; "
                    "find what put it there (a Markdown extension, another plugin) and remove it"
                )
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if self.template_scripts is None:
            return output_content
        output, stray = self.template_scripts.take(output_content)
        for script in stray:
            log.warning(f"{template_name}: an inline script that no template wrote ({script.excerpt()!r}): remove it")
        return output

    # Runs after every other plugin (search writes its index in on_post_build) so the site is complete.
    @event_priority(-100)
    def _write_products(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self._discard_rendered_pages()  # Every page is built by now.
        self._restore_site_text(config)
        site_dir = Path(config.site_dir)
        if self.building_offline_copy:
            assert self.template_loader is not None
            write_search_worker(site_dir, self.template_loader, self._search_languages(config))
            return
        if self.external_in_content:  # Reported now, with MkDocs' link and anchor checks already done.
            raise PluginError(str(ContentError(self.external_in_content)))
        made_from = {
            file.dest_uri: self.origins[file.src_uri].source.path
            for file in self.files or []
            if file.src_uri in self.origins
        }
        external = find_external_assets(site_dir, made_from)
        if external:
            listing = "\n".join(f"  {asset}" for asset in external)
            raise PluginError(
                "the site would load files from other hosts, which intranet readers may not reach and which "
                f"would tell those hosts who reads it; serve them from the site instead:\n{listing}"
            )
        assert self.template_loader is not None
        loader = self.template_loader
        try:
            write_search_worker(site_dir, loader, self._search_languages(config))
        except MaterialWorkerNotFound as error:
            raise PluginError(str(error)) from None
        # Order matters: the PDFs are precached by the service worker and copied into the zip.
        if self.config.pdf_pack and not self.checking_only:
            if self.serving and not self.config.pdf_on_serve:
                log.info("the PDFs are not rendered under 'mkdocs serve' (set pdf_on_serve: true to have them)")
            else:
                self._write_pdfs(config, site_dir, loader)
        search_languages = self._search_languages(config)
        self._timed(
            "service worker",
            lambda: write_service_worker(
                site_dir,
                loader,
                enabled=self.config.service_worker and not self.serving,
                search_languages=search_languages,
            ),
        )
        if self.config.server_config and not self.serving:  # A preview is never deployed.
            base_path = urlsplit(config.site_url or "/").path or "/"
            self._timed(
                "server snippets and CSP",
                lambda: write_server_snippets(
                    site_dir,
                    base_path,
                    self._template_script_hashes(),
                    extra_headers=self.config.server_headers,
                    embedding_origins=self.config.embedding_origins,
                ),
            )
        # `mkdocs serve` previews: no zip, and no offline cache that would hide an author's next edit.
        if self.config.offline_zip and not self.serving and not self.checking_only:
            self._timed(
                "offline zip", lambda: write_offline_zip(site_dir, config.site_name, self.config.organisation)
            )
        if self.config.server_config and not self.serving and not self.checking_only:
            # Last: the deploy script lists every file.
            self._timed("gzip copies", lambda: write_compressed_copies(site_dir))
            write_deploy_script(site_dir, loader, urlsplit(config.site_url or "/").path or "/")

    # The very last post-build step of any plugin: after it, MkDocs only counts strict-mode warnings.
    @event_priority(-1_000_000)
    def _publish(self, *, config: MkDocsConfig) -> None:
        if self.building_offline_copy or self.staged is None:
            return
        if self._strict_warnings_logged():
            return  # MkDocs aborts right after this hook; on_build_error deletes the staging folder.
        self._end_staging(publish=True)

    on_post_build = CombinedEvent(_write_products, _publish)

    @staticmethod
    def _strict_warnings_logged() -> bool:
        # In strict mode MkDocs counts warnings with a CountHandler on its logger and aborts *after*
        # on_post_build, so the swap must look at the same count (the offline copy's is gone by now).
        counters = logging.getLogger(engine_logger()).handlers
        return any(isinstance(h, CountHandler) and h.get_counts() for h in counters)

    def _template_script_hashes(self) -> list[str]:
        assert self.template_scripts is not None
        return self.template_scripts.hashes

    def _write_pdfs(self, config: MkDocsConfig, site_dir: Path, loader: jinja2.BaseLoader) -> None:
        assert self.pack is not None
        contacts = tuple(
            PdfContact(
                name=contact.name, phone=contact.phone, email=contact.email, url=contact.url, note=contact.note, role=role
            )
            for role, contact in (
                (self.messages.text("pdf.role.urgent"), self.config.urgent_help),
                (self.messages.text("pdf.role.eap"), self.config.eap),
                (self.messages.text("pdf.role.hr"), self.config.hr_contact),
            )
        )
        branding = PdfBranding(
            site_name=config.site_name,
            organisation=self.config.organisation,
            primary_colour=self.config.primary_colour,
            logo_path=Path(self.config.logo) if self.config.logo else None,
            contacts=contacts,
            urgent_note=self.config.urgent_note,
            language=config.theme.get("language") or "en",
            messages=self.messages,
        )
        result = write_pdf_pack(
            self.pack,
            site_dir=site_dir,
            cache_dir=Path(self.config.cache_dir) / "pdf",
            loader=loader,
            branding=branding,
            concurrency=self.config.concurrency,
        )
        log.info(result.summary())

    @staticmethod
    def _search_languages(config: MkDocsConfig) -> set[str]:
        search = config.plugins.get("search") or config.plugins.get("material/search")
        languages = getattr(search, "config", {}).get("lang") if search else None
        return set(languages or ["en"])

    @staticmethod
    def _timed(what: str, make: Callable[[], object]) -> None:
        start = time.perf_counter()
        make()
        log.info(f"{what} written in {time.perf_counter() - start:.2f} s")

    def on_build_error(self, *, error: Exception) -> None:
        self._discard_rendered_pages()
        if not self.building_offline_copy:  # The main build's own error handling follows and discards.
            self._end_staging(publish=False)

    def on_shutdown(self) -> None:
        # Ctrl-C is no Exception, so MkDocs calls no on_build_error for it; its commands call on_shutdown.
        self._discard_rendered_pages()
        self._end_staging(publish=False)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if not self.config.enabled:
            return server
        if not self.content_dir.is_relative_to(Path(config.docs_dir).resolve()):
            server.watch(str(self.content_dir))
        rebuild = server.builder

        # MkDocs' own loop answers a failed rebuild by holding every request until a build passes.
        def rebuild_or_keep_last_good_pages(*args: Any, **kwargs: Any) -> None:
            try:
                rebuild(*args, **kwargs)
            except Abort as failed:  # The problems are logged above it.
                log.error(f"{failed.message} Still serving the last good pages: fix the problem and save to rebuild.")
            except Exception as failed:
                log.debug("the rebuild failed", exc_info=True)
                log.error(
                    f"the rebuild failed unexpectedly ({type(failed).__name__}: {failed}): please report this as a "
                    "bug. Still serving the last good pages."
                )

        server.builder = rebuild_or_keep_last_good_pages
        return server
