"""Content: the stage before the engine builds. Reads `content/`, checks it, and makes the page sources.

Everything here is engine-free (no MkDocs, no Material): it takes files and a Jinja loader and
gives back a `ContentPack`, every problem as `file:line: what is wrong: how to fix it`, and the
Markdown of every page with the navigation. `pipeline.prepare` runs it.

Modules:
  `yaml_source` (YAML and front matter, every value text with its file line), `limits` (every
  bound, with why), `file_kinds` (images and PDFs by content, unsafe SVGs), `links` (`kind:id`
  content links), `model` (the frozen dataclasses of a pack), `loader` (walk, load and validate
  `content/` into a `ContentPack`, or every problem at once), `sanitize` (text and Markdown values
  made safe for each place they land), `body_scripts` (scripts in page bodies, at their lines),
  `render` (Jinja2 templates to page sources and the navigation), `paper_layout` (a worksheet's
  layout on paper, shared by the page's print copy and the PDF pack), `content_origins` (each
  rendered page's content file, so what the build finds in a page is told at its content line),
  `rebuild_cache` (under `mkdocs serve`, the last good rebuild's checks and page sources, so an
  edit re-renders only the pages it changed).
"""
