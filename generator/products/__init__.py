"""Products: what the build writes besides the engine's pages, and the checks on what it wrote.

Engine-free: each takes options, the content pack or the built site folder and writes files.
Most run in `pipeline.finish`, after the engine has built the pages, in this order: `egress`,
`search_worker`, `pdf_pack`, `service_worker`, `security_headers` (with `microsoft_hosting`),
`offline_zip`, `precompress`, `deploy_script`. `branding` and `print_frame` make their
stylesheets in `pipeline.prepare`, and `csp` marks the template scripts while pages are built.

Modules:
  `egress` and `html_scan` (nothing fetched from other hosts; the fast tag scans the checks
  use), `search_worker` (the forgiving search worker), `pdf_pack` (printable worksheets),
  `service_worker` (the offline cache, each file checked by its hash), `csp` (the policy and the
  hashes of template scripts), `security_headers` (nginx, Apache and header files; what servers
  must refuse), `microsoft_hosting` (IIS `web.config`, Azure `staticwebapp.config.json`),
  `offline_zip` (the copy that opens from disk), `precompress` (gzip and brotli copies, with `zopfli_process`,
  zopfli's streams made in a process of their own), `deploy_script`
  (release script and file list), `parallel` (compressing and hashing the files on a few threads,
  in order), `early_products` (the zip's entries and the gzip copies of pages made on a worker
  process while the engine builds the next pages, when a core would otherwise idle), `branding` (brand colours as CSS variables; the logo),
  `print_frame` (the printed pages' margins).
"""
