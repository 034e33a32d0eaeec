"""What a build writes for deploying it: gzip copies, the service worker's manifest, the server files, deploy.sh.

The servers themselves are in test_servers.py; these need no server (one needs nginx).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.products.precompress import TEXT_SUFFIXES
from generator.products.security_headers import SecurityHeaders, cache_control_for, is_private, nginx_snippet

from .servers import NGINX, Nginx, readable_temp_dir, remove_tree, require


def test_every_text_file_has_a_reproducible_gzip_copy(shipped_site: Path) -> None:
    texts = [p for p in shipped_site.rglob("*") if p.is_file() and p.name.endswith(TEXT_SUFFIXES)]
    served = [p for p in texts if not is_private(p.relative_to(shipped_site).as_posix())]
    assert len(served) > 30
    for path in served:
        copy = path.with_name(path.name + ".gz")
        packed = copy.read_bytes()
        assert gzip.decompress(packed) == path.read_bytes(), path
        assert packed[4:8] == b"\0\0\0\0", f"{copy}: no time stamp, so a rebuild writes the same bytes"
    assert not list((shipped_site / "_server").glob("*.gz")), "server files are never served"
    assert not (shipped_site / "staticwebapp.config.json.gz").exists(), "nor the Azure file under another name"
    assert not list(shipped_site.rglob("*.pdf.gz")) and not list(shipped_site.rglob("*.png.gz"))


def test_our_scripts_and_styles_have_zopfli_copies_smaller_than_gzip_9(shipped_site: Path) -> None:
    """Browsers on plain http get gzip only: a worksheet page's own files go out smaller than gzip -9 makes them."""
    for name in ("worksheet-page.js", "worksheet-page.css", "site.js", "worksheet-more.js", "plan.css"):
        path = shipped_site / "assets/selfhelp" / name
        data, packed = path.read_bytes(), path.with_name(name + ".gz").read_bytes()
        assert gzip.decompress(packed) == data, name
        assert len(packed) < len(gzip.compress(data, compresslevel=9, mtime=0)), name


def test_the_service_worker_manifest_holds_each_files_hash(shipped_site: Path) -> None:
    script = (shipped_site / "sw.js").read_text(encoding="utf-8")
    manifest = json.loads(re.search(r"^var MANIFEST = (\[.*\]);$", script, re.MULTILINE).group(1))
    urls = [entry["url"] for entry in manifest]
    assert "index.html" in urls and "search/search_index.json" in urls
    assert not [url for url in urls if url.endswith((".gz", ".br")) or url.startswith(("_server/", "."))]
    for entry in manifest:
        digest = hashlib.sha256((shipped_site / entry["url"]).read_bytes()).hexdigest()
        assert entry["revision"] == digest[: len(entry["revision"])] and len(entry["revision"]) == 16, entry
    assert "crypto.subtle.digest" in script, "downloads are checked against the revision, not trusted"


def test_the_deploy_file_list_covers_the_whole_build(shipped_site: Path) -> None:
    listed = dict(
        reversed(line.split("  ", 1)) for line in (shipped_site / "_server/files.sha256").read_text().splitlines()
    )
    on_disk = {p.relative_to(shipped_site).as_posix() for p in shipped_site.rglob("*") if p.is_file()} - {
        "_server/files.sha256"
    }
    assert set(listed) == on_disk
    for uri in ("index.html", "sw.js", ".htaccess", "_server/deploy.sh", "index.html.gz"):
        assert listed[uri] == hashlib.sha256((shipped_site / uri).read_bytes()).hexdigest(), uri


def test_caching_rule() -> None:
    assert cache_control_for("assets/javascripts/bundle.a5f9d56c.min.js").endswith("immutable")
    assert cache_control_for("assets/javascripts/workers/search.a7633da7.min.js").endswith("immutable")
    assert cache_control_for("assets/stylesheets/main.57a0d79d.min.css").endswith("immutable")
    for uri in ("sw.js", "index.html", "assets/selfhelp/site.js", "assets/javascripts/lunr/min/lunr.de.min.js"):
        assert cache_control_for(uri) == "no-cache", uri


def run_deploy(site: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        ["sh", str(site / "_server/deploy.sh"), *arguments],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_script_refuses_what_it_cannot_do_safely(shipped_site: Path, tmp_path: Path) -> None:
    usage = run_deploy(shipped_site)
    assert usage.returncode == 1 and "usage: sh" in usage.stderr and "RELEASES" in usage.stderr
    no_parent = run_deploy(shipped_site, str(tmp_path / "www/site"), str(tmp_path / "releases"))
    assert no_parent.returncode == 1 and "www does not exist" in no_parent.stderr
    (tmp_path / "www").mkdir()
    inside = run_deploy(shipped_site, str(tmp_path / "www/site"), str(shipped_site / "releases"))
    assert inside.returncode == 1 and "is inside the build" in inside.stderr
    into_itself = run_deploy(shipped_site, str(shipped_site / "copy"), str(tmp_path / "releases"))
    assert into_itself.returncode == 1 and "is inside the build" in into_itself.stderr
    (tmp_path / "www/site").write_text("a file")
    not_a_folder = run_deploy(shipped_site, str(tmp_path / "www/site"), str(tmp_path / "releases"))
    assert not_a_folder.returncode == 1 and "is a file" in not_a_folder.stderr
    assert not (shipped_site / "releases").exists() and not (shipped_site / "copy").exists()
    assert not (tmp_path / "releases").exists(), "nothing is created before every argument is checked"


def test_deploy_script_turns_a_plain_folder_into_a_link(shipped_site: Path, tmp_path: Path) -> None:
    target = tmp_path / "www/site"
    target.mkdir(parents=True)
    (target / "index.html").write_text("the old site, copied by hand")
    first = run_deploy(shipped_site, str(target), str(tmp_path / "releases"), "true")
    assert first.returncode == 0, first.stderr
    assert target.is_symlink() and (target / "sw.js").read_bytes() == (shipped_site / "sw.js").read_bytes()
    kept = [p for p in (tmp_path / "releases").iterdir() if p.name.endswith("-before-deploy-sh")]
    assert [p.joinpath("index.html").read_text() for p in kept] == ["the old site, copied by hand"]
    failing_reload = run_deploy(shipped_site, str(target), str(tmp_path / "releases"), "false")
    assert failing_reload.returncode == 1 and "the reload command failed" in failing_reload.stderr


def check_deploy(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "generator", "check-deploy", *arguments], capture_output=True, text=True, check=False
    )


def test_check_deploy_explains_what_it_cannot_start_with(shipped_site: Path, tmp_path: Path) -> None:
    cases = [
        (["http://127.0.0.1:9/", "--site", str(tmp_path)], "index.html not found: build the site first"),
        (["intranet.example/wellbeing/", "--site", str(shipped_site)], "is not a web address"),
        (["http://127.0.0.1:9/", "--site", str(shipped_site)], "no answer ("),
    ]
    for arguments, message in cases:
        result = check_deploy(*arguments)
        assert result.returncode == 1, arguments
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "      server_headers: {Cache-Control: max-age=60}\n",
            "mkdocs.yml:10: Cache-Control is set by the generated configuration itself (caching and compression): leave it out",
        ),
        (
            "      server_headers: {X-Note: 'say \"hi\"'}\n",
            "mkdocs.yml:10: the value of X-Note must be one line of text without double quotes or backslashes",
        ),
        (
                "      server_headers: {'Bad Name': x}\n",
                "mkdocs.yml:10: 'Bad Name' is not a header name: use letters, digits and dashes",
            ),
    ],
)
def test_a_wrong_server_header_stops_the_build(tmp_path: Path, option: str, message: str) -> None:
    from .conftest import copy_pack, edit

    project = copy_pack("sleep-pack", tmp_path / "project")
    edit(project / "mkdocs.yml", "  - selfhelp\n", "  - selfhelp:\n" + option)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert not (project / "site").exists()


def test_nginx_takes_the_snippet_for_an_unusual_path() -> None:
    """A site path with a space, a dot and a tilde: quoted and escaped so nginx reads it as written."""
    require(NGINX, "nginx")
    root = readable_temp_dir("selfhelp-odd-path-")
    site = root / "team site" / "v1.0~hr"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "404.html").write_text("<p>our 404</p>")
    (site / "_server").mkdir()
    (site / "_server/nginx.conf").write_text(
        nginx_snippet(SecurityHeaders("default-src 'self'"), "/team%20site/v1.0~hr/")
    )
    folder = readable_temp_dir("selfhelp-nginx-odd-")
    try:
        block = f'server {{ listen 127.0.0.1:{{port}}; root {root}; include "{site}/_server/nginx.conf"; }}'
        with Nginx(folder, block) as server:
            base = server.url + "team%20site/v1.0~hr/"
            with urllib.request.urlopen(base) as page:  # noqa: S310 - a loopback test server
                assert page.read() == b"<p>home</p>"
                assert page.headers["Content-Security-Policy"] == "default-src 'self'"
            for missing in ("nope", "_server/nginx.conf"):
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(base + missing)  # noqa: S310
                assert refused.value.code == 404 and refused.value.read() == b"<p>our 404</p>"
    finally:
        remove_tree(folder)
        remove_tree(root)
