"""Post-build: the server configuration of this build, for nginx, Apache or any other server.

Writes into `site/_server/` (never served: both configurations refuse it):

- `nginx.conf`: one `location` for the site's path, to `include` in a `server { }`
  block whose `root` holds that path. Every location in it repeats every header,
  because nginx drops inherited `add_header` lines in a location with its own.
- `nginx-brotli.conf`: the same, and the `.br` copies sent by `brotli_static`, to
  include instead once the module is loaded (Debian: `libnginx-mod-http-brotli-static`).
  It is a file of its own because a stock nginx refuses to start on an unknown
  directive, even inside a location no request reaches.
- `apache.conf` (also written as `site/.htaccess`): the same for Apache 2.4. It
  stops Apache with a message when `mod_headers` or `mod_rewrite` is off, instead
  of serving the site without its headers as an `<IfModule>` wrapper would.
- `headers.txt`: the headers, one per line, for any other server (and for
  `selfhelp check-deploy`, which compares a deployed site against them).
- `site.json`: the URL path the site was built for.

and, at the site's root, where those servers read them, `.htaccess` (above) and the
IIS and Azure Static Web Apps files written by `generator.products.microsoft_hosting` from the
same header list (`SecurityHeaders.items()`), caching rule and refusals.

Both configurations: the security headers on every response (errors too), with
the strict CSP from `generator.products.csp`; the site's own 404 page; the `.br` copies
from `generator.products.precompress` sent to browsers that accept brotli (Apache always,
nginx with `nginx-brotli.conf`; only for the suffixes that get one in every build,
`BROTLI_TEXT_SUFFIXES`, so a `.br` left by another build is never sent for a page), else
the `.gz` copies to browsers that accept gzip; `no-cache` (check
again before each use) for everything but Material's content-hashed bundles,
which are kept a year; `_server/`, dotfiles and the IIS and Azure files answered
with 404 (`is_private`). The caching rule is `cache_control_for`, shared with the
deploy check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..site_paths import (
    APACHE_CONF,
    HEADERS_TXT,
    HTACCESS,
    IIS_CONFIG,
    NGINX_BROTLI_CONF,
    NGINX_CONF,
    ROOT_SERVER_FILES,
    SERVER_DIR,
    SITE_INFO,
    STATIC_WEB_APP_CONFIG,
)
from .csp import content_security_policy
from .precompress import BROTLI_SUFFIX, BROTLI_TEXT_SUFFIXES, COMPRESSED_SUFFIX, TEXT_SUFFIXES

NO_CACHE = "no-cache"
"""Pages, sw.js and unhashed assets: browsers may keep them but ask the server before each use (a 304 is cheap)."""
IMMUTABLE = "public, max-age=31536000, immutable"
"""Material's bundles, whose file names carry a hash of their content: a new build means a new name."""

_HASHED_NAME = r"[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)"
IMMUTABLE_ASSET = re.compile(rf"^assets/(?:javascripts|stylesheets)/(?:[\w-]+/)*{_HASHED_NAME}$")
"""Path (relative to the site) of a content-hashed bundle: `assets/javascripts/bundle.a5f9d56c.min.js`."""

RESERVED_HEADERS = frozenset(
    {"cache-control", "content-encoding", "content-length", "content-type", "etag", "last-modified", "vary"}
)
"""Headers the server configuration sets itself; `server_headers` may not replace them."""

_TEXT_EXTENSIONS = "|".join(suffix.lstrip(".") for suffix in TEXT_SUFFIXES)
_BROTLI_EXTENSIONS = "|".join(suffix.lstrip(".") for suffix in BROTLI_TEXT_SUFFIXES)
_COPY = f"(\\{COMPRESSED_SUFFIX}|\\{BROTLI_SUFFIX})?"
"""A regular expression for an optional `.gz` or `.br` after a file's name, in Apache's `FilesMatch`."""
_MICROSOFT_FILES = "|".join(re.escape(name) for name in (IIS_CONFIG, STATIC_WEB_APP_CONFIG))


def cache_control_for(uri: str) -> str:
    """The `Cache-Control` a file of the site (path relative to site/) is served with."""
    return IMMUTABLE if IMMUTABLE_ASSET.match(uri) else NO_CACHE


def is_private(uri: str) -> bool:
    """True for paths relative to the site that no server may send: `_server/…`, dotfiles, and the
    configuration files IIS and Azure Static Web Apps read from the site's root."""
    parts = uri.split("/")
    return parts[0] == SERVER_DIR or uri in ROOT_SERVER_FILES or any(part.startswith(".") for part in parts)


@dataclass(frozen=True)
class SecurityHeaders:
    """The response headers every response of the site should carry."""

    content_security_policy: str
    extra: tuple[tuple[str, str], ...] = field(default=())
    """The site's own additions (`server_headers`), e.g. Strict-Transport-Security; same name replaces ours."""
    framed_by_others: bool = False
    """Other origins may frame the site (`embedding_origins`, in the policy's `frame-ancestors`)."""

    def items(self) -> list[tuple[str, str]]:
        # X-Frame-Options can name the site itself or nobody, never a list: with other origins allowed,
        # the policy's frame-ancestors (which browsers prefer when both are sent) is the only frame rule.
        frame_options = [] if self.framed_by_others else [("X-Frame-Options", "SAMEORIGIN")]
        ours = [
            ("Content-Security-Policy", self.content_security_policy),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            *frame_options,
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
        ]
        replaced = {name.lower() for name, _ in self.extra}
        return [(name, value) for name, value in ours if name.lower() not in replaced] + list(self.extra)


def header_problem(name: str, value: str) -> str | None:
    """Why a header from `server_headers` cannot be written into the configurations, or None when it can."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", name):
        return f"'{name}' is not a header name: use letters, digits and dashes, like Strict-Transport-Security"
    if name.lower() in RESERVED_HEADERS:
        return f"{name} is set by the generated configuration itself (caching and compression): leave it out"
    if not value.strip() or re.search(r'["\\\x00-\x1f\x7f]', value):
        return (
            f"the value of {name} must be one line of text without double quotes or backslashes "
            "(use single quotes inside it)"
        )
    return None


def _nginx_string(text: str) -> str:
    """`text` as an nginx argument, quoted when it holds anything beyond a plain path."""
    return text if re.fullmatch(r"[A-Za-z0-9._~/%-]+", text) else '"' + text.replace('"', '\\"') + '"'


def _regex_path(base_path: str) -> str:
    return re.sub(r"([^A-Za-z0-9/_~-])", r"\\\1", base_path)


def nginx_snippet(headers: SecurityHeaders, base_path: str, *, brotli: bool = False) -> str:
    """`nginx.conf`, or with `brotli` `nginx-brotli.conf` (the same plus `brotli_static` where a `.br` is written)."""
    base_path = unquote(base_path)  # nginx matches locations against the decoded path.

    def add_headers(indent: str, cache_control: str) -> list[str]:
        lines = [f'{indent}add_header Cache-Control "{cache_control}" always;']
        return lines + [f'{indent}add_header {name} "{value}" always;' for name, value in headers.items()]

    base = _regex_path(base_path)
    hashed = base + IMMUTABLE_ASSET.pattern.removeprefix("^").removesuffix("$")
    name = NGINX_BROTLI_CONF if brotli else NGINX_CONF
    brotli_static = [
        "        # The .br copy the build wrote beside it, to browsers that accept brotli.",
        "        brotli_static on;",
    ]
    if brotli:
        intro = [
            "# This file needs nginx's brotli module (Debian: apt-get install libnginx-mod-http-brotli-static, which",
            f"# loads it): without it nginx refuses to start. {NGINX_CONF} beside it is the same without brotli.",
            "#",
        ]
        hashed_brotli = brotli_static
        brotli_location = [
            "",
            "    # Scripts, styles and data, which the build gives a .br copy in every build: sent to browsers that",
            "    # accept brotli (pages, which have only a .gz, keep the gzip rule above).",
            f'    location ~ "^{base}.*\\.({_BROTLI_EXTENSIONS})$" {{',
            *brotli_static,
            *add_headers("        ", NO_CACHE),
            "    }",
        ]
    else:
        intro = [
            f"# With nginx's brotli module loaded, include {NGINX_BROTLI_CONF} beside it instead: the same, and the",
            "# .br copies of scripts and styles sent to browsers that accept brotli.",
            "#",
        ]
        hashed_brotli = brotli_location = []
    return "\n".join(
        [
            "# selfhelp-site: nginx configuration of this build (written by `mkdocs build`; each build replaces it).",
            "#",
            *intro,
            "# Include it inside your `server { }` block, whose `root` is the folder that holds the site's path:",
            "#     root /srv/www;",
            f"#     include /srv/www{base_path}{SERVER_DIR}/{name};",
            f"# serves the site copied to /srv/www{base_path} at https://<your host>{base_path}.",
            "#",
            "# Reload nginx after each deploy (`nginx -t && systemctl reload nginx`): the policy below",
            "# allows this build's inline scripts by hash and changes when the theme does.",
            "#",
            "# nginx ignores a server block's `add_header` lines inside a location that has its own, so",
            "# each location below repeats every header. Add your own (Strict-Transport-Security, say)",
            "# with the plugin's `server_headers` option: they are then written into every location here.",
            "",
            f"location ^~ {_nginx_string(base_path)} {{",
            "    index index.html;",
            f"    error_page 404 {_nginx_string(base_path + '404.html')};",
            "    # The .gz copy the build wrote beside each text file, to browsers that accept gzip.",
            "    gzip_static on;",
            "    gzip_vary on;",
            "    # Every file is checked again before use, so a new build shows at once (sw.js too)...",
            *add_headers("    ", NO_CACHE),
            "",
            "    # ...except Material's bundles, whose names change with their content.",
            f'    location ~ "^{hashed}$" {{',
            *hashed_brotli,
            *add_headers("        ", IMMUTABLE),
            "    }",
            "",
            "    # Not part of the site: the server configuration, dotfiles (.htaccess) and the IIS and",
            "    # Azure Static Web Apps files.",
            f'    location ~ "^{base}({SERVER_DIR}(/|$)|(.*/)?\\.|({_MICROSOFT_FILES})$)" {{',
            "        return 404;",
            "    }",
            *brotli_location,
            "}",
            "",
        ]
    )


def apache_snippet(headers: SecurityHeaders, base_path: str) -> str:
    lines = [
        "# selfhelp-site: Apache 2.4 configuration of this build (written by `mkdocs build`; each build replaces it).",
        "#",
        "# As site/.htaccess it applies by itself where the site's folder has",
        "#     AllowOverride FileInfo Indexes",
        "#     Options FollowSymLinks        (or SymLinksIfOwnerMatch: mod_rewrite needs one of them)",
        "# or paste this file into the site's <Directory> block (then reload Apache after each deploy).",
        "# It needs mod_headers and mod_rewrite, which a stock Debian Apache has off:",
        "#     a2enmod headers rewrite && systemctl restart apache2",
        "# Without them Apache refuses to start (or answers 500 and logs why) rather than serve the site",
        "# without its Content-Security-Policy.",
        "",
        "<IfModule !mod_headers.c>",
        '    Error "selfhelp-site needs mod_headers for its security headers: '
        'run a2enmod headers, then restart Apache"',
        "</IfModule>",
        "<IfModule !mod_rewrite.c>",
        '    Error "selfhelp-site needs mod_rewrite to refuse _server/ and send compressed files: run a2enmod rewrite, '
        'then restart Apache"',
        "</IfModule>",
        "",
        "DirectoryIndex index.html",
        f"ErrorDocument 404 {base_path}404.html",
        "",
        "# On every response, errors included.",
        *[f'Header always set {name} "{value}"' for name, value in headers.items()],
        "",
        "# Every file is checked again before use, so a new build shows at once (sw.js too)...",
        f'Header always set Cache-Control "{NO_CACHE}"',
        "# ...except Material's bundles, whose names change with their content.",
        f'<FilesMatch "^{_HASHED_NAME}{_COPY}$">',
        f'    Header always set Cache-Control "{IMMUTABLE}"',
        "</FilesMatch>",
        "",
        "RewriteEngine On",
        f"RewriteBase {base_path}",
        "# Not part of the site: the server configuration, dotfiles (.htaccess), the IIS and Azure Static Web Apps",
        "# files, and folder listings.",
        f'RewriteRule "(^|/)({SERVER_DIR}(/|$)|\\.)" - [R=404,L]',
        f'RewriteRule "^({_MICROSOFT_FILES})$" - [R=404,L]',
        "RewriteCond %{REQUEST_FILENAME} -d",
        "RewriteCond %{REQUEST_FILENAME}/index.html !-f",
        "RewriteRule ^ - [R=404,L]",
        "",
        "# The .br copy the build wrote beside each script, style and data file (in every build), to browsers",
        "# that accept brotli; else the .gz copy the build wrote beside each text file, to browsers that accept gzip.",
        "RemoveType .br .gz",
        "AddEncoding br .br",
        "AddEncoding gzip .gz",
        'RewriteCond "%{HTTP:Accept-Encoding}" "br"',
        'RewriteCond "%{REQUEST_FILENAME}.br" -f',
        f'RewriteRule "^(.*\\.({_BROTLI_EXTENSIONS}))$" "$1.br" [L]',
        'RewriteCond "%{HTTP:Accept-Encoding}" "gzip"',
        'RewriteCond "%{REQUEST_FILENAME}.gz" -f',
        f'RewriteRule "^(.*\\.({_TEXT_EXTENSIONS}))$" "$1.gz" [L]',
        f'<FilesMatch "\\.({_TEXT_EXTENSIONS}){_COPY}$">',
        '    Header always merge Vary "Accept-Encoding"',
        "</FilesMatch>",
        "",
    ]
    return "\n".join(lines)


def write_server_snippets(
    site_dir: Path,
    base_path: str,
    script_hashes: Sequence[str],
    *,
    extra_headers: Mapping[str, str] | None = None,
    embedding_origins: Sequence[str] = (),
) -> SecurityHeaders:
    """Write `_server/` (nginx.conf, nginx-brotli.conf, apache.conf, headers.txt, site.json), `.htaccess`, and
    the IIS and Azure Static Web Apps files (`generator.products.microsoft_hosting`) into the site.

    `script_hashes` are the CSP source expressions of the inline scripts the policy allows;
    `base_path` is the URL path the site is served at (`/` or `/wellbeing/setbacks/`);
    `extra_headers` are the site's own headers (already checked with `header_problem`);
    `embedding_origins` may frame the site (already checked with `csp.frame_ancestor_problem`).
    """
    from .microsoft_hosting import write_microsoft_configs  # here: it imports this module

    if not base_path.endswith("/"):
        base_path += "/"
    headers = SecurityHeaders(
        content_security_policy(list(script_hashes), embedding_origins),
        tuple((extra_headers or {}).items()),
        framed_by_others=bool(embedding_origins),
    )
    server_dir = site_dir / SERVER_DIR
    server_dir.mkdir(exist_ok=True)
    (server_dir / NGINX_CONF).write_text(nginx_snippet(headers, base_path), encoding="utf-8")
    (server_dir / NGINX_BROTLI_CONF).write_text(nginx_snippet(headers, base_path, brotli=True), encoding="utf-8")
    apache = apache_snippet(headers, base_path)
    (server_dir / APACHE_CONF).write_text(apache, encoding="utf-8")
    (site_dir / HTACCESS).write_text(apache, encoding="utf-8")
    (server_dir / HEADERS_TXT).write_text(
        "".join(f"{name}: {value}\n" for name, value in headers.items()), encoding="utf-8"
    )
    (server_dir / SITE_INFO).write_text(json.dumps({"base_path": base_path}, indent=2) + "\n", encoding="utf-8")
    write_microsoft_configs(site_dir, headers, base_path)
    return headers


def read_headers(site_dir: Path) -> dict[str, str]:
    """The headers of `_server/headers.txt` in a built site, by name."""
    lines = (site_dir / SERVER_DIR / HEADERS_TXT).read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def read_base_path(site_dir: Path) -> str:
    """The URL path a built site was made for (from `_server/site.json`)."""
    return str(json.loads((site_dir / SERVER_DIR / SITE_INFO).read_text(encoding="utf-8"))["base_path"])
