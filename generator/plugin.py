"""The MkDocs plugin glue: load content, render pages, hand them and the navigation to MkDocs.

Hooks, in the order MkDocs calls them:

- `on_config`: resolve the content folder and make sure the Markdown
  extensions the rendered pages rely on are enabled.
- `on_pre_build`: load and validate all content. It runs before MkDocs cleans
  `site/`, so bad content stops the build with the previous site untouched.
- `on_files`: swap the raw content files for the rendered pages (files in a
  temporary folder that lives for one build), our theme scripts and styles for
  minified copies, and leave out the theme's source maps.
- `on_env`: give the theme templates the plugin's options (contacts, names).
- `on_post_build`: the products made from the built site: the external-asset
  check, the service worker, the server snippets with the CSP, the offline zip.
- `on_serve`: watch the content folder when it lives outside `docs_dir`.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from .branding import BRAND_CSS_URI, brand_stylesheet, logo_uri
from .config import OptionLines, SelfhelpConfig, option_problems
from .csp import inline_script_hashes
from .egress import find_external_assets
from .loader import ContentError, load_content
from .model import ContentPack
from .offline_zip import write_offline_zip
from .pdf_pack import PdfBranding, PdfContact, write_pdf_pack
from .render import RenderSettings, SiteRenderer
from .search_worker import MaterialWorkerNotFound, write_search_worker
from .security_headers import write_server_snippets
from .service_worker import write_service_worker
from .theme_assets import publish_theme_assets

log = get_plugin_logger("selfhelp")

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "toc", "admonition")
"""Rendered pages put classes on blocks (`{: .shs-lede }`, `<div markdown>`) and authors use admonitions."""


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
        self.building_offline_copy = False
        """True while this instance builds the file:// copy for the offline zip (no products of its own)."""
        self.serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Also keeps this instance across `mkdocs serve` rebuilds (MkDocs' rule for plugins with on_startup).
        self.serving = command == "serve"

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
        self.content_dir = Path(self.config.content_dir or config.docs_dir).resolve()
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

    # Runs before MkDocs empties site/, so a content error leaves the last good site in place.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        try:
            self.pack = load_content(self.content_dir, Path(config.config_file_path or ".").resolve().parent)
        except ContentError as error:
            raise PluginError(str(error)) from None
        loader = self.template_loader = jinja2.FileSystemLoader(config.theme.dirs)
        try:
            loader.get_source(jinja2.Environment(), "selfhelp/step.md.j2")
        except jinja2.TemplateNotFound:
            raise PluginError(
                "the selfhelp page templates were not found: set 'theme: custom_dir:' in mkdocs.yml "
                "to the folder that holds selfhelp/step.md.j2 (the project's overrides/)"
            ) from None
        settings = RenderSettings(
            situations_title=self.config.situations_title,
            worksheets_title=self.config.worksheets_title,
            privacy_title=self.config.privacy_title,
            use_directory_urls=config.use_directory_urls,
            pdf_links=self.config.pdf_pack,
        )
        renderer = SiteRenderer(loader, self.pack, settings)
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
        if self.config.logo:
            files.append(File.generated(config, config.theme["logo"], abs_src_path=str(Path(self.config.logo))))
        return files

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

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        if self.config.enabled:
            env.globals["selfhelp"] = self.config
        return env

    # Runs after every other plugin (search writes its index in on_post_build) so the site is complete.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self._discard_rendered_pages()  # Every page is built by now.
        site_dir = Path(config.site_dir)
        if self.building_offline_copy:
            assert self.template_loader is not None
            write_search_worker(site_dir, self.template_loader)
            return
        external = find_external_assets(site_dir)
        if external:
            listing = "\n".join(f"  {asset}" for asset in external)
            raise PluginError(
                "the site would load files from other hosts, which intranet readers may not reach and which "
                f"would tell those hosts who reads it; serve them from the site instead:\n{listing}"
            )
        assert self.template_loader is not None
        loader = self.template_loader
        try:
            write_search_worker(site_dir, loader)
        except MaterialWorkerNotFound as error:
            raise PluginError(str(error)) from None
        # Order matters: the PDFs are precached by the service worker and copied into the zip.
        if self.config.pdf_pack:
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
                lambda: write_server_snippets(site_dir, base_path, inline_script_hashes(site_dir)),
            )
        # `mkdocs serve` previews: no zip, and no offline cache that would hide an author's next edit.
        if self.config.offline_zip and not self.serving:
            try:
                self._timed("offline zip", lambda: write_offline_zip(config, self._mark_offline_copy))
            finally:
                # MkDocs reuses one instance per process (we have on_startup), so the copy may have been us.
                self.building_offline_copy = False

    def _write_pdfs(self, config: MkDocsConfig, site_dir: Path, loader: jinja2.BaseLoader) -> None:
        assert self.pack is not None
        contacts = tuple(
            PdfContact(
                name=contact.name, phone=contact.phone, email=contact.email, url=contact.url, note=contact.note, role=role
            )
            for role, contact in (
                ("Urgent help", self.config.urgent_help),
                ("Employee Assistance Programme", self.config.eap),
                ("HR", self.config.hr_contact),
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
        )
        project_dir = Path(config.config_file_path or ".").resolve().parent
        result = write_pdf_pack(
            self.pack,
            site_dir=site_dir,
            cache_dir=project_dir / ".cache" / "selfhelp" / "pdf",
            loader=loader,
            branding=branding,
        )
        log.info(result.summary())

    @staticmethod
    def _mark_offline_copy(copy_config: MkDocsConfig) -> None:
        plugin = copy_config.plugins.get("selfhelp")
        if isinstance(plugin, SelfhelpPlugin):
            plugin.building_offline_copy = True

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

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if self.config.enabled and not self.content_dir.is_relative_to(Path(config.docs_dir).resolve()):
            server.watch(str(self.content_dir))
        return server
