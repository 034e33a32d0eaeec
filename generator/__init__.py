"""selfhelp-site: an MkDocs plugin that turns structured self-help content into a static site.

The package is laid out by stage (ARCHITECTURE.md, "Layout of the package"):

`content/`, before the engine builds (engine-free):
  `yaml_source` (YAML and front matter, every value text with its line), `limits` (every bound),
  `file_kinds` (images and PDFs by content, unsafe SVGs), `links` (`kind:id` content links),
  `model` (the pack's dataclasses), `loader` (load and validate `content/` into a `ContentPack`,
  or every problem at once), `sanitize` (text and Markdown values made safe), `body_scripts`
  (scripts in page bodies), `render` (Jinja2 templates to page sources and navigation),
  `paper_layout` (a worksheet on paper, for the page's print copy and the PDF pack),
  `content_origins` (what the build finds in a page, told at its content file and line).
The engine-free core, here:
  `pipeline` (`prepare` before the engine builds, `finish` after), `options` (the options as a
  frozen `SiteOptions`), `site_paths` (every path of the built site and every reserved id),
  `messages` (every word the generator writes, in the site's language, from `locales/`).
`engines/`, the adapter to the engine that builds the pages (MkDocs or ProperDocs):
  the package itself says which engine runs and stops Zensical; `plugin` (the hooks over
  `pipeline`), `config` (typed options and their mkdocs.yml lines), `theme_assets` (the theme
  layer in theme.dirs, minified assets), `staging` (all-or-nothing builds).
`products/`, what the build writes besides the engine's pages (engine-free):
  `egress` and `html_scan` (nothing fetched from other hosts), `search_worker` (forgiving search),
  `pdf_pack` (printable worksheets), `service_worker` (offline cache), `csp` (the policy and its
  script hashes), `security_headers` and `microsoft_hosting` (server files), `offline_zip` (the
  copy that opens from disk), `precompress` (gzip and brotli copies; `zopfli_process`), `deploy_script`
  (release script and file list), `branding` (colours), `print_frame` (printed page margins).
Commands, here:
  `cli` (`selfhelp check`, `new site`, `new worksheet`, `check-deploy`), `deploy_check`
  (a deployed site against the local build), `__main__` (`python -m generator`).
Package data:
  `theme/` (templates, scripts, styles, PDF and generated-script templates, inserted into the
  theme's folders after a site's `custom_dir`), `scaffold/site/` (the starter site of
  `selfhelp new site`), `locales/` (the message catalogues, one JSON file per language).
"""
