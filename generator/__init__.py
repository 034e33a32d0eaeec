"""selfhelp-site: a generator that turns structured self-help guidance into a MkDocs site.

Stages, one module each: `yaml_source` (YAML with line numbers), `loader`
(load and validate content into `model`), `links` (content links), `render`
(Jinja2 templates to page sources), `plugin` (MkDocs glue), `cli` (the
`selfhelp` command).
"""
