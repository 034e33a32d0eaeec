"""selfhelp-site: an MkDocs plugin that turns structured self-help content into a static site.

Content, one module per stage:
  `yaml_source` (YAML and front matter, every value text with its line), `limits` (every bound),
  `file_kinds` (images and PDFs by content, unsafe SVGs), `links` (`kind:id` content links),
  `loader` (load and validate `content/` into `model`'s dataclasses, or every problem at once),
  `sanitize` (text and Markdown values made safe), `body_scripts` (scripts in page bodies),
  `render` (Jinja2 templates to page sources and navigation).
The engine-free core:
  `pipeline` (`prepare` before the engine builds, `finish` after; no MkDocs), `options` (the options
  as a frozen `SiteOptions`), `site_paths` (every path of the built site and every reserved id).
The MkDocs adapter and options:
  `plugin` (the hooks over `pipeline`), `config` (typed options and their mkdocs.yml lines), `engines` (MkDocs,
  ProperDocs, Zensical), `staging` (all-or-nothing builds), `content_origins` (build warnings told
  at content lines), `theme_assets` (the theme layer in theme.dirs, minified assets), `branding`
  (colours), `print_frame` (printed page margins), `csp` (the policy and its script hashes).
Products after the build:
  `egress` and `html_scan` (nothing fetched from other hosts), `search_worker` (forgiving search),
  `pdf_pack` (printable worksheets), `service_worker` (offline cache), `security_headers` and
  `microsoft_hosting` (server files), `precompress` (gzip copies), `deploy_script` (release
  script and file list), `offline_zip` (the copy that opens from disk).
Commands:
  `cli` (`selfhelp check`, `new site`, `new worksheet`, `check-deploy`), `deploy_check`
  (a deployed site against the local build), `__main__` (`python -m generator`).
Package data:
  `theme/` (templates, scripts, styles, PDF and generated-script templates, inserted into the
  theme's folders after a site's `custom_dir`), `scaffold/site/` (the starter site of
  `selfhelp new site`).
"""
