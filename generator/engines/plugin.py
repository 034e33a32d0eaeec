"""The MkDocs adapter: a thin layer over the engine-free core (`pipeline.py`), in MkDocs' hooks.

The core's `prepare` runs in `on_pre_build` and its `finish` in `on_post_build`;
the options reach it as `SelfhelpConfig.to_options()` (`options.SiteOptions`)
and MkDocs' settings as a `pipeline.SiteSettings`; its `BuildProblem` becomes
MkDocs' `PluginError`. What stays here is what only an engine has: its files,
pages, templates, logger and build.

Hooks, in the order MkDocs calls them:

- `on_config`: point the build at a staging folder next to `site_dir`
  (`staging.py`); resolve the content folder and make sure the Markdown
  extensions the rendered pages rely on are enabled.
- `on_pre_build`: `pipeline.prepare` (load and validate all content, render
  the pages and the navigation, start rendering the PDFs the cache lacks on
  worker processes); have MkDocs' link warnings name the content file and line
  (`content_origins.py`). Under `mkdocs serve` it passes the session's
  `RebuildCache` (`rebuild_cache.py`): a rebuild renders again only the pages an
  edit changed.
- `on_files`: swap the raw content files for the rendered pages (their sources
  handed over in memory), our theme scripts and styles for
  minified copies, and leave out the theme's source maps.
- `on_page_markdown`: a rendered page's title, description and keywords are
  text: made HTML (escaped) for the theme, which prints them unescaped.
- `on_page_content`: name what would run as script in a page's body
  (`body_scripts.find_page_scripts`, in the HTML MkDocs just rendered, so no
  body is rendered twice; warnings, which strict mode turns into a failed
  build, logged before anything reaches `site_dir`), and note any asset a page
  body would load from another host, both at the content file and line.
- `on_env`: give the theme templates the plugin's options, and mark the
  scripts its templates write (the CSP allow-list, `csp.py`); under `mkdocs
  serve`, give it the session's compiled templates (`rebuild_cache.py`).
- `on_post_page`, `on_post_template`: collect the hashes of the templates'
  inline scripts, remove the marks, and report any other inline script; then,
  after every other plugin, scan the page as it is written for assets on other
  hosts (`egress.PageScan`), so the post-build check need not read it again
  (not while the early-products worker runs: it scans each page as written).
- `on_post_build`: `pipeline.finish` (stop on the assets noted above, after
  MkDocs' link checks, so one run reports both; then the products made from the
  built site, the offline zip among them, made from this one build); then, last
  of every plugin's post-build work and only if no strict-mode warning was
  logged, swap the staging folder in place of `site_dir`.
- `on_build_error`, `on_shutdown`: delete the staging folder and end the PDF workers; `site_dir` is untouched.
- `on_serve`: watch the content folder when it lives outside `docs_dir`; a
  rebuild that fails keeps the last good pages served. Under serve the previous
  site is deleted in the background once the new one is in place (`staging.py`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler
from mkdocs.utils.templates import TemplateContext

from .. import site_paths
from ..content.body_scripts import find_page_scripts
from ..content.content_origins import ContentLinkReports, external_asset_problems
from ..content.loader import Problem
from ..content.model import ContentPack
from ..content.rebuild_cache import RebuildCache
from ..content.sanitize import text_html
from ..messages import ENGLISH, Messages
from ..options import SiteOptions
from ..pipeline import BuildProblem, Prepared, SiteSettings, finish, page_started, pages_written, prepare
from ..products.branding import logo_uri
from ..products.csp import MARK_ATTRIBUTE, mark_template_scripts
from ..products.egress import PageScan, external_addresses
from . import engine_logger
from .config import OptionLines, SelfhelpConfig, option_problems
from .staging import StagedSite, StagingError, wait_for_removals
from .theme_assets import (
    WORKSHEET_PAGE_PARTS,
    WORKSHEET_PAGE_SCRIPTS,
    NotMinified,
    ScriptMinifier,
    theme_file_action,
    with_package_theme,
    worksheet_page_css,
    worksheet_page_js,
)

if TYPE_CHECKING:  # Only `mkdocs serve` loads the server (with watchdog and http.server): not every build.
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger("selfhelp")

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "toc", "admonition")
"""Rendered pages put classes on blocks (`{: .shs-lede }`, `<div markdown>`) and authors use admonitions."""

SITE_TEXT_OPTIONS = ("site_name", "site_description", "site_author")
"""MkDocs options that are text but that Material prints as HTML, unescaped."""


FIXED_PARTIALS = ("selfhelp/urgent-help.html", "selfhelp/contacts.html", "selfhelp/contact.html")
"""Our partials that read only the options and the messages: the same on every page of a build."""


def _partials_once(env: jinja2.Environment) -> Any:
    """`selfhelp_partial(name)` for main.html: a partial rendered once for the build while every one of
    `FIXED_PARTIALS` is ours; when a site's `custom_dir` overrides one (it may read the page), rendered for
    each page with the page's context, as an include would."""
    rendered: dict[str, Markup] = {}
    fixed: list[bool] = []

    @jinja2.pass_context
    def partial(context: jinja2.runtime.Context, name: str) -> Markup:
        if not fixed:
            fixed.append(all(_is_ours(env, partial_name) for partial_name in FIXED_PARTIALS))
        if not fixed[0] or name not in FIXED_PARTIALS:
            return Markup(env.get_template(name).render(context.get_all()))  # noqa: S704 - rendered as an include
        found = rendered.get(name)
        if found is None:
            found = rendered[name] = Markup(env.get_template(name).render())  # noqa: S704 - as above
        return found

    return partial


_ICON_ONLY_SECTION = re.compile(
    r'(<div class="md-nav__link md-nav__container">\s*<a [^>]*>)((?:[^<]|<(?!/a>))*)(</a>\s*<label )'
    r'(?=(?:(?!aria-label=)[^>])*>\s*<span class="md-nav__icon md-icon"></span>\s*</label>)'
)
"""A navigation section whose title is the index page's link (Material's `navigation.indexes`) and whose label,
beside it, is only an icon: the link's inner HTML, and the label's start."""


def named_nav_sections(html: str) -> Markup:
    """Material's navigation with each icon-only section label named after the link beside it (`aria-label`), so
    that the section's menu, which that label names (`aria-labelledby`), has a name of its own (axe:
    landmark-unique). For main.html's `site_nav` block, as `selfhelp_nav`."""

    def named(m: re.Match[str]) -> str:
        text = Markup(m[2]).striptags()  # noqa: S704 - the link's own HTML, read as text
        return f'{m[1]}{m[2]}{m[3]}aria-label="{escape(text)}" '

    return Markup(_ICON_ONLY_SECTION.sub(named, str(html)))  # noqa: S704 - Material's HTML, a name added, escaped


def _is_ours(env: jinja2.Environment, name: str) -> bool:
    assert env.loader is not None
    try:
        filename = env.loader.get_source(env, name)[1]
    except jinja2.TemplateNotFound:
        return False
    return filename is not None and Path(filename).resolve().is_relative_to(site_paths.PACKAGE_THEME_DIR)


class RenderedPageFile(File):
    """A page source `prepare` rendered, handed to MkDocs as text. MkDocs asks `is_modified` only under
    `--dirty`, to skip pages it built before: a page is unchanged when the site being served was built from
    the same text (`SelfhelpPlugin.published_sources`) and its HTML is still there."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged or not os.path.isfile(self.abs_dest_path)

    def release_source(self) -> None:
        """Drop the text once MkDocs has read it into the page (`Page.read_source`): the build would otherwise
        hold every page's source twice until its end (some 8 MB at 1,000 steps). Read again, it is empty."""
        self._content = ""


class SelfhelpPlugin(BasePlugin[SelfhelpConfig]):
    """Builds a self-help site from structured content in `content/`."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.content_dir: Path = Path()
        self.options: SiteOptions = SiteOptions()
        """`self.config` as the core takes it (set in `on_config`)."""
        self.prepared: Prepared | None = None
        """This build's pages and what `finish` needs (from `pipeline.prepare`)."""
        self.messages: Messages = ENGLISH
        """Every word the build writes, in the site's language (`generator/messages.py`)."""
        self.serving = False
        self.dirty = False
        self.checking_only = False
        """True under `selfhelp check`: the build is thrown away, so products content cannot fail are skipped."""
        self.staged: StagedSite | None = None
        """This build's staging folder, until it is swapped in or discarded."""
        self.staged_config: MkDocsConfig | None = None
        self.files: Files | None = None
        self.link_reports: ContentLinkReports | None = None
        self.external_in_content: list[Problem] = []
        self.page_scans: dict[str, PageScan] = {}
        """Each page's egress scan, made from its HTML as it is written (`dest_uri`: `egress.PageScan`)."""
        self.body_script_texts: set[str] = set()
        """Texts of the `<script>` elements already reported in page bodies (not reported again per page)."""
        self.site_text: dict[str, str | None] = {}
        """`SITE_TEXT_OPTIONS` as written in mkdocs.yml (the theme gets them escaped)."""
        self.rebuild_cache = RebuildCache()
        """Under `mkdocs serve`: the last rebuild's checks and pages, so an edit re-renders what it changed."""
        self.published_sources: dict[str, str] = {}
        """Under `--dirty`: the page sources of the site now in place (by `src_uri`), so that a rebuild skips
        the pages whose text is the same (`RenderedPageFile`); kept only from a build that was swapped in."""
        self.building_sources: dict[str, str] = {}
        """Under `--dirty`: this build's page sources, which become `published_sources` once it is swapped in."""

    @property
    def pack(self) -> ContentPack | None:
        """This build's content (`selfhelp check` counts it)."""
        return self.prepared.pack if self.prepared is not None else None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Also keeps this instance across `mkdocs serve` rebuilds (MkDocs' rule for plugins with on_startup).
        self.serving = command == "serve"
        self.dirty = dirty
        self.rebuild_cache.clear()
        self.published_sources = {}

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
        # Options left unset (titles, the urgent sentence) take their words from the site's language first.
        self.messages = self.config.fill_defaults(config.theme.get("language"))
        self.options = self.config.to_options()
        self._stage(config)
        config.theme.dirs[:] = with_package_theme(config.theme.dirs, config.theme.custom_dir)
        self.content_dir = Path(self.options.content_dir or config.docs_dir).resolve()
        self._escape_site_text(config)
        self._switch_off_html_tooltips(config)
        # The organisation's colours come from brand.css, so Material's named palettes step aside.
        palette = config.theme.get("palette") or {}
        for scheme in palette if isinstance(palette, list) else [palette]:
            scheme["primary"] = scheme["accent"] = "custom"
        if not palette:
            config.theme["palette"] = {"primary": "custom", "accent": "custom"}
        if self.options.logo:
            config.theme["logo"] = logo_uri(self.options.logo)
        for extension in REQUIRED_MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if config.nav:
            log.warning("'nav' in mkdocs.yml is ignored: the selfhelp plugin builds the navigation from content/")
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a staging folder next to `site_dir`; `_publish` swaps it in when every check passed."""
        self._discard_rendered_pages()  # Its worker processes first: they may still write into its staging folder.
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
            staged.publish(remove_previous_later=self.serving)  # A preview reloads without waiting for the delete.
        except OSError as error:
            staged.discard()
            raise PluginError(
                f"the new site could not be moved into place at '{staged.site_dir}' ({error.strerror}); the last "
                "good site is unchanged: make sure nothing holds that folder open and that it is not a mount point"
            ) from None
        self.published_sources = self.building_sources
        log.info(f"every check passed: the new site is in place at {staged.site_dir}")

    def site_settings(self, config: MkDocsConfig) -> SiteSettings:
        """MkDocs' configuration as the plain values the core takes."""
        return SiteSettings(
            site_name=self.site_text.get("site_name") or "",
            project_dir=Path(config.config_file_path or ".").resolve().parent,
            content_dir=self.content_dir,
            site_url=config.site_url,
            use_directory_urls=config.use_directory_urls,
            language=config.theme.get("language") or "en",
            search_languages=frozenset(self._search_languages(config)),
            markdown_extensions=tuple(config.markdown_extensions),
            mdx_configs=dict(config.mdx_configs),
            serving=self.serving,
            checking_only=self.checking_only,
        )

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self._discard_rendered_pages()
        settings = self.site_settings(config)
        # Only a preview reuses pages: a build always renders every page.
        cache = self.rebuild_cache.for_project(settings.project_dir, settings.content_dir) if self.serving else None
        try:
            prepared = self.prepared = prepare(
                self.options,
                settings,
                jinja2.FileSystemLoader(config.theme.dirs),
                cache,
            )
        except BuildProblem as problem:
            raise PluginError(str(problem)) from None
        self.external_in_content = []
        self.page_scans = {}
        if self.link_reports is None:
            self.link_reports = ContentLinkReports(prepared.origins, self._headings)
            logging.getLogger(engine_logger("structure.pages")).addFilter(self.link_reports)
        self.link_reports.origins = prepared.origins
        self.body_script_texts = set()
        config.nav = prepared.navigation

    def _discard_rendered_pages(self) -> None:
        if self.prepared is not None:
            self.prepared.discard_pages()
            self.prepared.stop_workers()  # A build that failed or was interrupted: its worker processes end too.

    # Runs late so that files other plugins add from the content folder are replaced too.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        assert self.prepared is not None
        prepared = self.prepared
        rendered = set(prepared.page_uris)
        accepted = set(prepared.pack.files)
        in_content: dict[str, bool] = {}  # By folder: one realpath per folder, not per file.
        for file in list(files):
            unpublished_content = self._is_from_content_folder(file, in_content) and file.src_uri not in accepted
            if unpublished_content or file.src_uri in rendered or self._is_template_folder_file(file):
                files.remove(file)
        # Only what the loader accepted is published from content/ (and added when content_dir is not docs_dir).
        for src_uri in sorted(accepted - {file.src_uri for file in files}):
            files.append(File(src_uri, str(self.content_dir), config.site_dir, config.use_directory_urls))
        self.building_sources = dict(prepared.page_sources) if self.dirty else {}
        for src_uri in prepared.page_uris:
            source = prepared.page_sources[src_uri]
            page_file = RenderedPageFile.generated(config, src_uri, content=source)
            page_file.unchanged = self.published_sources.get(src_uri) == source
            files.append(page_file)
        prepared.discard_pages()  # The files hold the sources now, each until MkDocs has read it.
        self._publish_theme_assets(files, config)
        files.append(File.generated(config, site_paths.BRAND_CSS, content=prepared.brand_css))
        files.append(File.generated(config, site_paths.PRINT_FRAME_CSS, content=prepared.print_frame_css))
        texts = {src_uri: files.get_file_from_path(src_uri).content_string for src_uri, _ in WORKSHEET_PAGE_PARTS}
        files.append(File.generated(config, site_paths.WORKSHEET_PAGE_CSS, content=worksheet_page_css(texts)))
        if self.options.service_worker:
            scripts = {src_uri: files.get_file_from_path(src_uri).content_string for src_uri in WORKSHEET_PAGE_SCRIPTS}
            files.append(File.generated(config, site_paths.WORKSHEET_PAGE_JS, content=worksheet_page_js(scripts)))
        if self.options.logo and prepared.logo_uri:
            files.append(File.generated(config, prepared.logo_uri, abs_src_path=str(Path(self.options.logo))))
        self.files = files
        return files

    def _publish_theme_assets(self, files: Files, config: MkDocsConfig) -> None:
        """Minify the scripts and styles of our theme and of `custom_dir`; leave the theme's `.map` files out."""
        theme_dirs = [Path(folder).resolve() for folder in config.theme.dirs]
        custom_dir = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
        to_minify: dict[File, Path] = {}
        for file in list(files):
            if file.generated_by is not None or not file.abs_src_path:
                continue  # Made by a plugin: not a theme file.
            path = Path(file.abs_src_path).resolve()
            action = theme_file_action(path, file.src_uri, theme_dirs, custom_dir)
            if action == "drop":
                files.remove(file)
            elif action == "minify":
                to_minify[file] = path
        project_dir = Path(config.config_file_path or ".").resolve().parent
        cache_dir = Path(self.options.cache_dir or project_dir / site_paths.CACHE_DIR)
        minifier = ScriptMinifier(cache_dir / site_paths.SCRIPT_CACHE)
        minified = minifier.minified(to_minify.values())
        minifier.prune()
        for file, path in to_minify.items():
            text = minified[path]
            source = path.read_text(encoding="utf-8") if path.suffix == ".js" else ""
            # A script carries the messages it asks for, in the site's language (Messages.script_messages).
            words = self.messages.script_messages(source) if source else ""
            if isinstance(text, NotMinified):
                log.warning(str(text))  # The browser would stop at the same error.
                if not words:
                    continue
                text = source
            files.remove(file)
            files.append(File.generated(config, file.src_uri, content=words + text))

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
        return file.src_uri.startswith(site_paths.TEMPLATE_FOLDER + "/") and file.generated_by is None

    def _is_from_content_folder(self, file: File, folders: dict[str, bool]) -> bool:
        """True for files MkDocs found in the content folder: raw pages, worksheets and files.

        `folders`: the answers for the folders already looked at, in this `on_files`."""
        if not file.abs_src_path or file.generated_by is not None:
            return False
        parent = os.path.dirname(file.abs_src_path)
        inside = folders.get(parent)
        if inside is None:
            inside = folders[parent] = Path(os.path.realpath(parent)).is_relative_to(self.content_dir)
        return inside

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        prepared = self.prepared
        origin = prepared.origins.get(page.file.src_uri) if prepared is not None else None
        if self.config.enabled and origin is not None:
            assert prepared is not None
            self._report_body_scripts(html, page.file.src_uri, prepared)
            addresses = self._scanned("external", html, external_addresses)
            self.external_in_content.extend(external_asset_problems(origin, addresses))
        return html

    def _scanned(self, kind: Any, html: str, scan: Callable[[str], Any]) -> Any:
        """`scan(html)`; under `mkdocs serve`, reused for HTML the last rebuild scanned (`RebuildCache.scanned`)."""
        if self.serving:
            return self.rebuild_cache.scanned(kind, html, scan)
        return scan(html)

    def _report_body_scripts(self, html: str, src_uri: str, prepared: Prepared) -> None:
        """Warn about each script, handler or javascript: address the page's body put in its HTML."""
        body = prepared.page_bodies.get(src_uri)
        if body is None:
            return  # A page our templates make (worksheets, indexes, My plan, privacy): no author's body.
        mark = (MARK_ATTRIBUTE, prepared.template_scripts.token)
        found = self._scanned(("body scripts", body, mark), html, lambda html: find_page_scripts(html, body, mark))
        for item in found:
            if item.script_text:
                self.body_script_texts.add(item.script_text)
            log.warning(str(item))  # Strict mode fails the build on it; the staging folder keeps site/ safe.

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        env.globals["site_paths"] = site_paths
        if self.serving and self.config.enabled:  # A rebuild compiles only the theme templates that changed.
            env.bytecode_cache = self.rebuild_cache.template_code(env)
        if self.config.enabled:
            env.globals["selfhelp"] = self.options
            env.globals["t"] = self.messages
            env.globals["selfhelp_partial"] = _partials_once(env)
            env.globals["selfhelp_nav"] = named_nav_sections
            if self.prepared is not None:
                mark_template_scripts(env, self.prepared.template_scripts.token)
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
        """After the pages, the config's `site_name` is the text it is again (MkDocs and other plugins read it)."""
        for key, value in self.site_text.items():
            config[key] = value

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if isinstance(page.file, RenderedPageFile):
            page.file.release_source()
        if self.config.enabled and page.file.generated_by == "selfhelp":
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = text_html(page.meta[key])
            if isinstance(page.meta.get("tags"), list):  # Material's search index shows tags as HTML.
                page.meta["tags"] = [text_html(str(tag)) for tag in page.meta["tags"]]
        return markdown

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        # MkDocs writes each page right after its on_post_page and starts the next with this event: the page
        # before this one is written, and its zip entry and gzip copy are made meanwhile (`early_products`).
        if self.config.enabled and self.prepared is not None and page.file.dest_uri:
            previous_site = self.staged.site_dir if self.staged is not None else None
            page_started(self.prepared, Path(config.site_dir), page.file.dest_uri, previous_site)
        return context

    def _take_template_scripts(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.prepared is None:
            return output
        scripts = self.prepared.template_scripts
        output, stray = scripts.take(output, self._scanned(("scripts", scripts.token), output, scripts.found))
        for script in stray:
            if script.text not in self.body_script_texts:
                log.warning(
                    f"{page.file.src_uri}: an inline script that no template wrote is on this page "
                    f"({script.excerpt()!r}): the site's Content-Security-Policy blocks it; "
                    "find what put it there (a Markdown extension, another plugin) and remove it"
                )
        return output

    # After every other plugin's, so the scan is of the page as MkDocs writes it.
    # Not while the early-products worker runs: it scans the page as written, and `finish` takes its scan.
    @event_priority(-100)
    def _scan_for_other_hosts(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.prepared is not None and not self.prepared.pages_scanned_by_worker:
            self.page_scans[page.file.dest_uri] = self._scanned("page", output, PageScan.of)
        return output

    on_post_page = CombinedEvent(_take_template_scripts, _scan_for_other_hosts)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if self.prepared is None:
            return output_content
        output, stray = self.prepared.template_scripts.take(output_content)
        for script in stray:
            log.warning(f"{template_name}: an inline script that no template wrote ({script.excerpt()!r}): remove it")
        return output

    # First of all post-build steps: the last page is written; the worker has it while search writes its index.
    @event_priority(100)
    def _pages_written(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled and self.prepared is not None:
            pages_written(self.prepared)

    # Runs after every other plugin (search writes its index in on_post_build) so the site is complete.
    @event_priority(-100)
    def _write_products(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        assert self.prepared is not None
        self._restore_site_text(config)
        site_dir = Path(config.site_dir)
        made_from = {
            file.dest_uri: self.prepared.origins[file.src_uri].source.path
            for file in self.files or []
            if file.src_uri in self.prepared.origins
        }
        try:
            finish(
                self.prepared,
                site_dir,
                external_in_content=self.external_in_content,
                made_from=made_from,
                scanned_pages=self.page_scans,
                previous_site=self.staged.site_dir if self.staged is not None else None,
                log=log,
            )
        except BuildProblem as problem:
            raise PluginError(str(problem)) from None

    # The very last post-build step of any plugin: after it, MkDocs only counts strict-mode warnings.
    @event_priority(-1_000_000)
    def _publish(self, *, config: MkDocsConfig) -> None:
        if self.staged is None:
            return
        if self._strict_warnings_logged():
            return  # MkDocs aborts right after this hook; on_build_error deletes the staging folder.
        self._end_staging(publish=True)

    on_post_build = CombinedEvent(_pages_written, _write_products, _publish)

    @staticmethod
    def _strict_warnings_logged() -> bool:
        # In strict mode MkDocs counts warnings with a CountHandler on its logger and aborts *after*
        # on_post_build, so the swap must look at the same count.
        counters = logging.getLogger(engine_logger()).handlers
        return any(isinstance(h, CountHandler) and h.get_counts() for h in counters)

    @staticmethod
    def _search_languages(config: MkDocsConfig) -> set[str]:
        search = config.plugins.get("search") or config.plugins.get("material/search")
        languages = getattr(search, "config", {}).get("lang") if search else None
        return set(languages or ["en"])

    def on_build_error(self, *, error: Exception) -> None:
        self._discard_rendered_pages()
        self._end_staging(publish=False)

    def on_shutdown(self) -> None:
        # Ctrl-C is no Exception, so MkDocs calls no on_build_error for it; its commands call on_shutdown.
        self._discard_rendered_pages()
        self._end_staging(publish=False)
        self.rebuild_cache.clear()
        self.published_sources = {}
        wait_for_removals()
        self.serving = False  # MkDocs may hand this instance to the next build in this process.

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
