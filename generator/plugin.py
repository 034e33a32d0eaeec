"""The MkDocs plugin glue: load content, render pages, hand them and the navigation to MkDocs.

Hooks, in the order MkDocs calls them:

- `on_config`: resolve the content folder and make sure the Markdown
  extensions the rendered pages rely on are enabled.
- `on_pre_build`: load and validate all content. It runs before MkDocs cleans
  `site/`, so bad content stops the build with the previous site untouched.
- `on_files`: swap the raw content files for the rendered virtual pages.
- `on_env`: give the theme templates the plugin's options (contacts, names).
- `on_serve`: watch the content folder when it lives outside `docs_dir`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from .config import SelfhelpConfig
from .loader import ContentError, load_content
from .model import ContentPack
from .render import RenderSettings, SiteRenderer

log = get_plugin_logger(__name__)

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "toc", "admonition")
"""Rendered pages put classes on blocks (`{: .shs-lede }`, `<div markdown>`) and authors use admonitions."""

CONTENT_SECTIONS = ("pages", "guides", "situations", "worksheets")


class SelfhelpPlugin(BasePlugin[SelfhelpConfig]):
    """Builds a self-help site from structured content in `content/`."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.content_dir: Path = Path()
        self.pack: ContentPack | None = None
        self.pages: dict[str, str] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.content_dir = Path(self.config.content_dir or config.docs_dir).resolve()
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
        loader = jinja2.FileSystemLoader(config.theme.dirs)
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
        )
        renderer = SiteRenderer(loader, self.pack, settings)
        try:
            self.pages = renderer.render_all()
        except jinja2.TemplateError as error:
            where = f"{error.filename}:{error.lineno}: " if isinstance(error, jinja2.TemplateSyntaxError) else ""
            raise PluginError(f"{where}a selfhelp template failed: {error}") from None
        config.nav = renderer.navigation()

    # Runs late so that files other plugins add from the content folder are replaced too.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        for file in list(files):
            if self._is_content_source(file) or file.src_uri in self.pages or self._is_page_template(file):
                files.remove(file)
        for src_uri, markdown in self.pages.items():
            files.append(File.generated(config, src_uri, content=markdown))
        return files

    @staticmethod
    def _is_page_template(file: File) -> bool:
        """True for our `.md.j2` page templates, which MkDocs would otherwise publish as theme assets."""
        return file.src_uri.startswith("selfhelp/") and file.src_uri.endswith(".j2")

    def _is_content_source(self, file: File) -> bool:
        """True for the raw content files this plugin renders itself (they must not be published as-is)."""
        if not file.abs_src_path:
            return False
        path = Path(file.abs_src_path).resolve()
        try:
            relative = path.relative_to(self.content_dir)
        except ValueError:
            return False
        if relative.as_posix() == "index.md":
            return True
        return relative.parts[0] in CONTENT_SECTIONS and path.suffix in (".md", ".yml", ".yaml")

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        if self.config.enabled:
            env.globals["selfhelp"] = self.config
        return env

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if self.config.enabled and not self.content_dir.is_relative_to(Path(config.docs_dir).resolve()):
            server.watch(str(self.content_dir))
        return server
