"""Fixtures for the browser tests of answers and search: the sleep-pack fixture built twice, with
instant navigation, under two sub-paths of one 127.0.0.1 server (two organisations' sites, one
host); and built with Material's `search.highlight`, with and without instant navigation."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

try:
    from tests.conftest import SiteServer, build_site, copy_pack, unzip_offline_copy
except ImportError:  # tests/ is not a package: load the shared conftest by path
    _spec = importlib.util.spec_from_file_location(
        "_selfhelp_tests_root", Path(__file__).resolve().parents[1] / "conftest.py"
    )
    assert _spec and _spec.loader
    _root = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_root)
    build_site, copy_pack, SiteServer = _root.build_site, _root.copy_pack, _root.SiteServer
    unzip_offline_copy = _root.unzip_offline_copy


@dataclass
class Sites:
    one: str  # http://127.0.0.1:PORT/one/
    two: str  # http://127.0.0.1:PORT/two/
    origin: str
    www: Path  # the served folder: one/ and two/ are the built sites


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    """The sleep-pack site with `navigation.instant`, served at /one/ and /two/ of one host.

    `site_url` carries the server's port: Material only navigates instantly to pages
    listed in sitemap.xml, which is written from `site_url`."""
    base = tmp_path_factory.mktemp("worksheet-sites")
    www = base / "www"
    www.mkdir()
    server = SiteServer(www)
    pack = copy_pack("sleep-pack", base / "pack")
    config_file = pack / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"]["features"] = ["navigation.instant"]
    config["markdown_extensions"] = ["attr_list", "md_in_html", "toc", "admonition"]
    for name, organisation in (("one", ""), ("two", "Second Org")):
        # Two organisations' copies of one pack: their answers must never meet (see SITE_IDS).
        config["site_url"] = f"{server.url}{name}/"
        config["plugins"] = ["search", {"selfhelp": {"organisation": organisation}}]
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        build_site(config_file, www / name)
    yield Sites(one=f"{server.url}one/", two=f"{server.url}two/", origin=server.url.rstrip("/"), www=www)
    server.close()


@dataclass
class HighlightSites:
    server: SiteServer  # /instant/ and /plain/; server.requests is its access log
    www: Path


@pytest.fixture(scope="module")
def highlight_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HighlightSites]:
    """The sleep pack with `search.highlight`, with instant navigation (/instant/) and without (/plain/)."""
    base = tmp_path_factory.mktemp("search-words")
    www = base / "www"
    www.mkdir()
    server = SiteServer(www)
    pack = copy_pack("sleep-pack", base / "pack")
    config_file = pack / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["markdown_extensions"] = ["attr_list", "md_in_html", "toc", "admonition"]
    config["plugins"] = ["search", {"selfhelp": {"pdf_pack": False, "offline_zip": False}}]
    for name, features in (("instant", ["navigation.instant", "search.highlight"]), ("plain", ["search.highlight"])):
        config["theme"]["features"] = features
        config["site_url"] = f"{server.url}{name}/"  # instant navigation needs the sitemap
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        build_site(config_file, www / name)
    yield HighlightSites(server=server, www=www)
    server.close()


@pytest.fixture(scope="module")
def strict_server(sites: Sites) -> Iterator[SiteServer]:
    """The same two sites, served with the headers the build wrote (its Content-Security-Policy)."""
    lines = (sites.www / "one" / "_server" / "headers.txt").read_text(encoding="utf-8").splitlines()
    server = SiteServer(sites.www, dict(line.split(": ", 1) for line in lines if ": " in line))
    yield server
    server.close()
