"""Post-build: the configuration of this build for IIS and for Azure Static Web Apps.

Writes at the site's root, where each server reads it:

- `web.config` for IIS 10 (Windows Server, or Azure App Service on Windows): the
  headers as `customHeaders`, the site's 404 page (`httpErrors`), caching with
  `staticContent/clientCache`, compression (`urlCompression`), and `_server/`,
  this file's Azure twin and every path with a part starting with a dot refused by
  `requestFiltering` (IIS refuses `web.config` itself by default).
- `staticwebapp.config.json` for Azure Static Web Apps: the headers as
  `globalHeaders`, the 404 page as a `responseOverrides` rewrite, and `routes` that
  refuse the same files with 404 and keep the hashed bundles a year.

Both are made from what the nginx and Apache files are made from
(`generator.products.security_headers`): the same header list (`SecurityHeaders.items()`,
with the CSP and the frame rule), the same caching rule (`cache_control_for`) and
the same idea of what is private (`is_private`). Neither server can choose caching
by a regular expression without add-ons, so the content-hashed bundles are listed
file by file, from the build itself. Knows nothing of MkDocs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

from ..site_paths import IIS_CONFIG, SERVER_DIR, STATIC_WEB_APP_CONFIG
from .parallel import site_files
from .security_headers import IMMUTABLE, NO_CACHE, SecurityHeaders, cache_control_for, is_private

ONE_YEAR_IIS = "365.00:00:00"
"""`IMMUTABLE`'s max-age (31,536,000 s) as an IIS time span (days.hours:minutes:seconds)."""

IIS_MIME_TYPES = {".json": "application/json", ".webmanifest": "application/manifest+json", ".woff2": "font/woff2"}
"""Types IIS may not know (each is removed first, so a server that knows it keeps one entry)."""

SWA_CONFIG_LIMIT = 20 * 1024
"""Azure Static Web Apps refuses a staticwebapp.config.json larger than this."""


def _site_files(site_dir: Path) -> list[str]:
    return sorted(site_files(site_dir))


def _hashed_bundles(uris: Iterable[str]) -> list[str]:
    return [uri for uri in uris if cache_control_for(uri) == IMMUTABLE]


def _max_age(cache_control: str) -> str:
    found = re.search(r"max-age=(\d+)", cache_control)
    assert found, cache_control
    return found.group(1)


def _without_max_age(cache_control: str) -> str:
    """`public, immutable` of `IMMUTABLE`: IIS writes the max-age itself from cacheControlMaxAge."""
    return ", ".join(d.strip() for d in cache_control.split(",") if not d.strip().startswith("max-age"))


def iis_web_config(headers: SecurityHeaders, base_path: str, site_uris: Iterable[str]) -> str:
    """`web.config` for a site served at `base_path` (percent-encoded as in site_url) whose files are `site_uris`."""
    assert int(_max_age(IMMUTABLE)) == 365 * 24 * 3600, "ONE_YEAR_IIS must follow IMMUTABLE"
    uris = list(site_uris)
    configuration = ElementTree.Element("configuration")
    server = ElementTree.SubElement(configuration, "system.webServer")

    default_document = ElementTree.SubElement(server, "defaultDocument", enabled="true")
    files = ElementTree.SubElement(default_document, "files")
    ElementTree.SubElement(files, "clear")
    ElementTree.SubElement(files, "add", value="index.html")
    ElementTree.SubElement(server, "directoryBrowse", enabled="false")

    # ExecuteURL keeps the 404 status; Replace also covers the refusals of requestFiltering below.
    errors = ElementTree.SubElement(server, "httpErrors", errorMode="Custom", existingResponse="Replace")
    ElementTree.SubElement(errors, "remove", statusCode="404")
    ElementTree.SubElement(errors, "error", statusCode="404", path=f"{base_path}404.html", responseMode="ExecuteURL")

    protocol = ElementTree.SubElement(server, "httpProtocol")
    custom = ElementTree.SubElement(protocol, "customHeaders")
    for name, value in headers.items():
        # Removed first: a header of the same name set higher up would make IIS refuse a duplicate.
        ElementTree.SubElement(custom, "remove", name=name)
        ElementTree.SubElement(custom, "add", name=name, value=value)

    static = ElementTree.SubElement(server, "staticContent")
    assert NO_CACHE == "no-cache", "DisableCache sends Cache-Control: no-cache"
    ElementTree.SubElement(static, "clientCache", cacheControlMode="DisableCache")
    suffixes = {Path(uri).suffix for uri in uris}
    for suffix, mime_type in IIS_MIME_TYPES.items():
        if suffix in suffixes:
            ElementTree.SubElement(static, "remove", fileExtension=suffix)
            ElementTree.SubElement(static, "mimeMap", fileExtension=suffix, mimeType=mime_type)

    ElementTree.SubElement(server, "urlCompression", doStaticCompression="true", doDynamicCompression="false")

    filtering = ElementTree.SubElement(ElementTree.SubElement(server, "security"), "requestFiltering")
    hidden = ElementTree.SubElement(filtering, "hiddenSegments")
    for segment in (SERVER_DIR, STATIC_WEB_APP_CONFIG):
        ElementTree.SubElement(hidden, "remove", segment=segment)
        ElementTree.SubElement(hidden, "add", segment=segment)
    denied = ElementTree.SubElement(filtering, "denyUrlSequences")
    ElementTree.SubElement(denied, "remove", sequence="/.")
    ElementTree.SubElement(denied, "add", sequence="/.")  # any part of the path starting with a dot

    for uri in _hashed_bundles(uris):
        location = ElementTree.SubElement(configuration, "location", path=uri)
        cache = ElementTree.SubElement(ElementTree.SubElement(location, "system.webServer"), "staticContent")
        ElementTree.SubElement(
            cache,
            "clientCache",
            cacheControlMode="UseMaxAge",
            cacheControlMaxAge=ONE_YEAR_IIS,
            cacheControlCustom=_without_max_age(IMMUTABLE),
        )

    configuration.insert(
        0,
        ElementTree.Comment(
            " selfhelp-site: IIS configuration of this build (written by the build; each build replaces it). "
            "IIS reads it from the site's folder. Headers of your own belong in the plugin's server_headers "
            "option, so that every server file carries them. "
        ),
    )
    ElementTree.indent(configuration, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(configuration, encoding="unicode") + "\n"


def static_web_app_config(headers: SecurityHeaders, base_path: str, site_uris: Iterable[str]) -> str:
    """`staticwebapp.config.json` for a site served at `base_path` whose files are `site_uris`."""
    uris = list(site_uris)
    path = unquote(base_path)  # routes are matched against the decoded path
    private_routes = [f"{path}{SERVER_DIR}/*"] + [
        f"{path}{uri}" for uri in uris if is_private(uri) and not uri.startswith(SERVER_DIR + "/")
    ]
    for name in (IIS_CONFIG, STATIC_WEB_APP_CONFIG):
        if f"{path}{name}" not in private_routes:
            private_routes.append(f"{path}{name}")
    config = {
        "globalHeaders": {**dict(headers.items()), "Cache-Control": NO_CACHE},
        "responseOverrides": {"404": {"rewrite": f"{path}404.html"}},
        "routes": [{"route": route, "statusCode": 404} for route in private_routes]
        + [{"route": f"{path}{uri}", "headers": {"Cache-Control": IMMUTABLE}} for uri in _hashed_bundles(uris)],
    }
    return json.dumps(config, indent=2) + "\n"


def write_microsoft_configs(site_dir: Path, headers: SecurityHeaders, base_path: str) -> None:
    """Write `web.config` and `staticwebapp.config.json` at the root of the built site."""
    uris = [uri for uri in _site_files(site_dir) if uri not in (IIS_CONFIG, STATIC_WEB_APP_CONFIG)]
    (site_dir / IIS_CONFIG).write_text(iis_web_config(headers, base_path, uris), encoding="utf-8")
    swa = static_web_app_config(headers, base_path, uris)
    if len(swa.encode("utf-8")) > SWA_CONFIG_LIMIT:
        raise ValueError(
            f"{STATIC_WEB_APP_CONFIG} would be {len(swa.encode('utf-8'))} bytes, over the {SWA_CONFIG_LIMIT} "
            "Azure Static Web Apps accepts: shorten the plugin's server_headers option"
        )
    (site_dir / STATIC_WEB_APP_CONFIG).write_text(swa, encoding="utf-8")
