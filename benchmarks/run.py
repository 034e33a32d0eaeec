"""Benchmarks for selfhelp-site: build time, memory, post-build products, serve rebuilds, page weight.

    python benchmarks/run.py                      # 10, 100 and 1,000 steps (1,000 built once)
    python benchmarks/run.py --quick              # 10 and 100 steps only
    python benchmarks/run.py --sizes 10 100 --repeat 5
    python benchmarks/run.py --profile            # cProfile of the 1,000-step build, top 25 functions
    python benchmarks/run.py --weight-only        # page weight only: our scripts and styles on a worksheet page

Every build runs in its own process (`/usr/bin/time -v` when available, else a
small wrapper that reports `ru_maxrss` of itself), so wall time and peak memory
are per build. See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import importlib.metadata
import json
import os
import platform
import pstats
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
import yaml
from mkdocs.utils.yaml import yaml_load

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from content_gen import make_pack  # noqa: E402

from generator.content.loader import load_content  # noqa: E402
from generator.content.render import RenderSettings, SiteRenderer  # noqa: E402
from generator.engines.theme_assets import REGISTER_JS  # noqa: E402
from generator.products.csp import TemplateScripts, new_token  # noqa: E402
from generator.products.egress import find_external_assets  # noqa: E402
from generator.products.precompress import (  # noqa: E402
    BROTLI_SUFFIX,
    COMPRESSED_SUFFIX,
    TEXT_SUFFIXES,
    brotli_copy,
    compressed_copy,
    needs_brotli_copy,
)
from generator.site_paths import WORKSHEET_PAGE_JS  # noqa: E402

SHIPPED_CONFIG = REPO / "mkdocs.yml"
WORKSHEET_TOOLS = ("worksheets.js", "worksheets.css", "worksheet-page.js", "worksheet-page.css")
"""The worksheet tools a page loads at once. A worksheet page has them in worksheet-page.js (worksheets.js, after
a line that adds register.js where a service worker can run: not on plain http) and worksheet-page.css (brand,
selfhelp, print frame, worksheets and their print design), so on it this counts those shared parts too."""
ON_FIRST_NEED = (
    *(
        f"assets/selfhelp/{name}"
        for name in ("worksheet-more.js", "worksheet-more.css", "worksheet-files.js", "plan.js", "plan.css", "calendar.js")
    ),
    "assets/search/search-highlight.js",  # only on a page reached from a search result
)
"""What only pages with a worksheet load: the budget of issue 6 is 12 KB gzipped."""
README = REPO / "README.md"
README_START, README_END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"
OVERRIDES = REPO / "generator" / "theme"  # the plugin's own templates and assets
SITE_OVERRIDES = REPO / "overrides"  # the shipped site's custom_dir
PRODUCTS_OFF = {"pdf_pack": False, "offline_zip": False, "service_worker": False, "server_config": False}
TIME_BIN = "/usr/bin/time"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}

# Runs `mkdocs` in this process and reports this process's peak RSS like `/usr/bin/time -v` does.
RSS_WRAPPER = """
import resource, runpy, sys
sys.argv = ["mkdocs"] + sys.argv[1:]
code = 0
try:
    runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
usage = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the PDF workers, once they have ended
sys.stderr.write("\\n\\tUser time (seconds): %.2f\\n\\tSystem time (seconds): %.2f\\n" % (usage.ru_utime + children.ru_utime, usage.ru_stime + children.ru_stime))
sys.stderr.write("\\tMaximum resident set size (kbytes): %d\\n" % max(usage.ru_maxrss, children.ru_maxrss))
sys.exit(code)
"""

_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
_MAXRSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\): ([0-9.]+)")
_TIMED = re.compile(r"selfhelp: (.+?) written in ([0-9.]+) s")
_PDF = re.compile(r"selfhelp: PDF pack: .*\((\d+) rendered, (\d+) from cache[^)]*\) in ([0-9.]+) s")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- configurations -------------------------------------------------------------


def shipped_config() -> dict[str, Any]:
    # As MkDocs reads it: the shipped file holds a !!python tag (generator/engines/__init__.py).
    return yaml_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))


def ours_config(docs_dir: Path, site_dir: Path, *, products: bool) -> dict[str, Any]:
    """The shipped mkdocs.yml, pointed at `docs_dir`; products off unless `products`."""
    config = shipped_config()
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    config["theme"]["custom_dir"] = str(SITE_OVERRIDES)
    if not products:
        for index, plugin in enumerate(config["plugins"]):
            if plugin == "selfhelp" or (isinstance(plugin, dict) and "selfhelp" in plugin):
                options = dict(plugin["selfhelp"] or {}) if isinstance(plugin, dict) else {}
                config["plugins"][index] = {"selfhelp": {**options, **PRODUCTS_OFF}}
    return config


def plain_config(docs_dir: Path, site_dir: Path, nav: list[Any]) -> dict[str, Any]:
    """The shipped theme settings (features, palette, extensions, search) without our plugin or custom_dir."""
    config = shipped_config()
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    config["theme"].pop("custom_dir", None)
    config["plugins"] = [p for p in config["plugins"] if not (p == "selfhelp" or isinstance(p, dict) and "selfhelp" in p)]
    config["nav"] = nav
    return config


def default_material_config(docs_dir: Path, site_dir: Path, nav: list[Any]) -> dict[str, Any]:
    """Material's defaults: `theme: material` and nothing else (default plugins = search), same Markdown."""
    shipped = shipped_config()
    return {
        "site_name": shipped["site_name"],
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"name": "material"},
        "nav": nav,
        "markdown_extensions": shipped["markdown_extensions"],
    }


def write_config(path: Path, config: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def render_plain_docs(content_dir: Path, docs_dir: Path) -> list[Any]:
    """Write the pages our plugin renders (products off: no PDF links) as plain Markdown; return the nav."""
    pack = load_content(content_dir, content_dir.parent)
    loader = jinja2.FileSystemLoader([str(OVERRIDES), str(material_templates())])
    renderer = SiteRenderer(loader, pack, RenderSettings(pdf_links=False))
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    for uri, markdown in renderer.render_all().items():
        target = docs_dir / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    return json.loads(json.dumps(renderer.navigation()))  # Titles are Markup (escaped HTML); YAML wants plain str.


def material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


# -- running builds ---------------------------------------------------------------


def use_time_bin(force_wrapper: bool) -> bool:
    return not force_wrapper and os.access(TIME_BIN, os.X_OK)


def run_build(config_file: Path, *, time_bin: bool, label: str) -> dict[str, Any]:
    """One `mkdocs build` in its own process: wall time, MkDocs' own build time, peak RSS, our log lines."""
    if time_bin:
        command = [TIME_BIN, "-v", sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)]
    else:
        command = [sys.executable, "-c", RSS_WRAPPER, "build", "-f", str(config_file)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=config_file.parent, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{label}: mkdocs build failed ({done.returncode}):\n{done.stderr[-4000:]}")
    err = done.stderr
    built = _BUILT.search(err)
    rss = _MAXRSS.search(err)
    products = {what: float(seconds) for what, seconds in _TIMED.findall(err)}
    pdf = _PDF.search(err)
    if pdf:
        products["PDF pack"] = float(pdf.group(3))
        products["PDF pack rendered"] = int(pdf.group(1))
        products["PDF pack from cache"] = int(pdf.group(2))
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    cpu = [float(v) for v in _CPU.findall(err)]
    result = {
        "wall_s": round(wall, 3),
        "cpu_s": round(sum(cpu), 2) if cpu else None,
        "build_s": float(built.group(1)) if built else None,
        "mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "logged": products,
        "warnings": warnings,
    }
    log(f"  {label}: {wall:.2f} s wall, {result['cpu_s']} s CPU, {result['build_s']} s build, {result['mb']} MB")
    return result


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def site_size(site_dir: Path) -> int:
    return sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())


def template_script_scan(site_dir: Path) -> None:
    """The CSP allow-list's work, timed apart: one pass over each page's inline scripts (done per page in a build)."""
    scripts = TemplateScripts(new_token())
    for page in site_dir.rglob("*.html"):
        scripts.take(page.read_text(encoding="utf-8"))


def count_pages(site_dir: Path) -> int:
    return sum(1 for _ in site_dir.rglob("index.html")) + (1 if (site_dir / "404.html").exists() else 0)


# -- per size ---------------------------------------------------------------------


class Workspace:
    """Temp folders for each size: the content pack, our configs, the plain docs and configs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[int, dict[str, Any]] = {}

    def pack(self, steps: int) -> dict[str, Any]:
        if steps in self.made:
            return self.made[steps]
        base = self.root / f"steps-{steps}"
        ours, plain = base / "ours", base / "plain"
        for folder in (ours, plain):
            folder.mkdir(parents=True, exist_ok=True)
        log(f"making a {steps}-step content pack in {base}")
        counts = make_pack(ours / "content", steps)
        nav = render_plain_docs(ours / "content", plain / "docs")
        info = {
            "base": base,
            "counts": counts,
            "ours_off": write_config(
                ours / "mkdocs.yml", ours_config(ours / "content", ours / "site-off", products=False)
            ),
            "ours_full": write_config(
                ours / "mkdocs-full.yml", ours_config(ours / "content", ours / "site-full", products=True)
            ),
            "plain": write_config(plain / "mkdocs.yml", plain_config(plain / "docs", plain / "site", nav)),
            "default": write_config(
                plain / "mkdocs-default.yml", default_material_config(plain / "docs", plain / "site-default", nav)
            ),
            "ours_content": ours / "content",
            "plain_docs": plain / "docs",
        }
        self.made[steps] = info
        return info


def bench_size(work: Workspace, steps: int, repeat: int, *, time_bin: bool, default_material: bool) -> dict[str, Any]:
    info = work.pack(steps)
    ours_runs, plain_runs, cold_runs, warm_runs = [], [], [], []
    cache = info["base"] / "ours" / ".cache"
    for run in range(repeat):  # Interleaved, so drift on the machine affects all alike.
        plain_runs.append(run_build(info["plain"], time_bin=time_bin, label=f"{steps} plain #{run + 1}"))
        # The shipped configuration (every product on): PDF cache cold (emptied), then warm (a rebuild).
        shutil.rmtree(cache, ignore_errors=True)
        cold_runs.append(run_build(info["ours_full"], time_bin=time_bin, label=f"{steps} shipped, cold #{run + 1}"))
        warm_runs.append(run_build(info["ours_full"], time_bin=time_bin, label=f"{steps} shipped, warm #{run + 1}"))
        ours_runs.append(run_build(info["ours_off"], time_bin=time_bin, label=f"{steps} ours, products off #{run + 1}"))
    full_cold, full_warm = cold_runs[-1], warm_runs[-1]
    ours_site = info["base"] / "ours" / "site-off"
    plain_site = info["base"] / "plain" / "site"
    pages = count_pages(ours_site)

    # The scans that still run with the products off, timed here in-process on the built site.
    start = time.perf_counter()
    find_external_assets(ours_site)
    egress_s = time.perf_counter() - start
    start = time.perf_counter()
    template_script_scan(ours_site)
    csp_s = time.perf_counter() - start
    full_site = info["base"] / "ours" / "site-full"

    ours_s = median([r["wall_s"] for r in ours_runs])
    plain_s = median([r["wall_s"] for r in plain_runs])
    ours_mb = max(r["mb"] for r in ours_runs)
    plain_mb = max(r["mb"] for r in plain_runs)
    ours_build = median([r["build_s"] for r in ours_runs])
    result: dict[str, Any] = {
        "pages": steps,
        "site_pages": pages,
        "worksheets": info["counts"]["worksheets"],
        "step_words": info["counts"]["step_words"],
        "repeat": repeat,
        "ours_s": ours_s,
        "plain_s": plain_s,
        "time_ratio": round(ours_s / plain_s, 3),
        "ours_cpu_s": median([r["cpu_s"] for r in ours_runs]),
        "plain_cpu_s": median([r["cpu_s"] for r in plain_runs]),
        "ours_build_s": ours_build,
        "plain_build_s": median([r["build_s"] for r in plain_runs]),
        "ours_mb": ours_mb,
        "plain_mb": plain_mb,
        "memory_ratio": round(ours_mb / plain_mb, 3),
        "s_per_page": round(ours_s / pages, 4),
        "cpu_s_per_page": round(median([r["cpu_s"] for r in ours_runs]) / pages, 4),
        "build_s_per_page": round(ours_build / pages, 4),
        "shipped": _shipped_figures(plain_runs, cold_runs, warm_runs),
        "ours_runs_s": [r["wall_s"] for r in ours_runs],
        "plain_runs_s": [r["wall_s"] for r in plain_runs],
        "scans_s": {
            "egress_check": round(egress_s, 3),
            "csp_hashes": round(csp_s, 3),
            "csp_logged_in_build": ours_runs[0]["logged"].get("server snippets and CSP"),
        },
        "site_mb": {
            "ours": round(site_size(ours_site) / 2**20, 1),
            "plain": round(site_size(plain_site) / 2**20, 1),
            "full": round(site_size(full_site) / 2**20, 1),
        },
        "products_s": {
            "full_build_s": median([r["wall_s"] for r in cold_runs]),
            "full_minus_off_s": round(median([r["wall_s"] for r in cold_runs]) - ours_s, 3),
            "full_mb": full_cold["mb"],
            "full_cpu_s": full_cold["cpu_s"],
            "full_minus_off_cpu_s": round(full_cold["cpu_s"] - median([r["cpu_s"] for r in ours_runs]), 2),
            "pdf_pack_cold": full_cold["logged"].get("PDF pack"),
            "pdf_pack_warm": full_warm["logged"].get("PDF pack"),
            "pdf_rendered_cold": full_cold["logged"].get("PDF pack rendered"),
            "service_worker": full_cold["logged"].get("service worker"),
            "server_snippets_csp": full_cold["logged"].get("server snippets and CSP"),
            "offline_zip": full_cold["logged"].get("offline zip"),
            "full_warm_build_s": median([r["wall_s"] for r in warm_runs]),
            "full_warm_minus_off_s": round(median([r["wall_s"] for r in warm_runs]) - ours_s, 3),
            "pdf_rendered_warm": full_warm["logged"].get("PDF pack rendered"),
            "offline_zip_warm": full_warm["logged"].get("offline zip"),
            "server_snippets_csp_warm": full_warm["logged"].get("server snippets and CSP"),
        },
        "warnings": sorted({w for r in ours_runs + plain_runs for w in r["warnings"]})[:10],
    }
    if default_material:
        runs = [run_build(info["default"], time_bin=time_bin, label=f"{steps} Material default #{n + 1}") for n in range(repeat)]
        result["default_material_s"] = median([r["wall_s"] for r in runs])
        result["default_material_mb"] = max(r["mb"] for r in runs)
        result["default_material_cpu_s"] = median([r["cpu_s"] for r in runs])
    return result


def _shipped_figures(plain: list[dict[str, Any]], cold: list[dict[str, Any]], warm: list[dict[str, Any]]) -> dict[str, Any]:
    """The headline: the shipped configuration (every product on) against plain MkDocs, in the same run."""
    plain_s, cold_s, warm_s = (median([r["wall_s"] for r in runs]) for runs in (plain, cold, warm))
    plain_mb, cold_mb, warm_mb = (max(r["mb"] for r in runs) for runs in (plain, cold, warm))
    cpu = {name: median([r["cpu_s"] for r in runs]) if all(r["cpu_s"] for r in runs) else None
           for name, runs in (("plain", plain), ("cold", cold), ("warm", warm))}
    return {
        "plain_s": plain_s, "cold_s": cold_s, "warm_s": warm_s,
        "cold_ratio": round(cold_s / plain_s, 3), "warm_ratio": round(warm_s / plain_s, 3),
        "plain_mb": plain_mb, "cold_mb": cold_mb, "warm_mb": warm_mb,
        "cold_memory_ratio": round(cold_mb / plain_mb, 3), "warm_memory_ratio": round(warm_mb / plain_mb, 3),
        "plain_cpu_s": cpu["plain"], "cold_cpu_s": cpu["cold"], "warm_cpu_s": cpu["warm"],
        "plain_runs_s": [r["wall_s"] for r in plain], "cold_runs_s": [r["wall_s"] for r in cold],
        "warm_runs_s": [r["wall_s"] for r in warm],
        "pdf_rendered_cold": cold[-1]["logged"].get("PDF pack rendered"),
        "pdf_rendered_warm": warm[-1]["logged"].get("PDF pack rendered"),
    }


# -- mkdocs serve rebuilds ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`mkdocs serve` in a subprocess, with its log lines (time-stamped on arrival) in a queue."""

    def __init__(self, config_file: Path, label: str) -> None:
        self.label = label
        self.port = free_port()
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", f"127.0.0.1:{self.port}"],
            cwd=config_file.parent,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.tail: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put((time.perf_counter(), line.rstrip()))

    def wait_for(self, pattern: str, timeout: float) -> tuple[float, str]:
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{self.label}: no '{pattern}' within {timeout:.0f} s; last lines: {self.tail[-5:]}")
            try:
                stamp, line = self.lines.get(timeout=min(left, 1.0))
            except queue.Empty:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.label}: server exited; last lines: {self.tail[-10:]}") from None
                continue
            self.tail.append(line)
            if re.search(pattern, line):
                return stamp, line

    def drain(self) -> None:
        while True:
            try:
                self.tail.append(self.lines.get_nowait()[1])
            except queue.Empty:
                return

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def _spread(values: list[float]) -> dict[str, float]:
    """Median, quartiles and range of `values` (seconds)."""
    ordered = sorted(values)
    quartiles = statistics.quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1 else ordered * 3
    return {
        "median": round(median(ordered), 3),
        "q1": round(quartiles[0], 3),
        "q3": round(quartiles[2], 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
    }


def fetch_until(url: str, marker: str, timeout: float) -> float:
    """GET `url` until its HTML holds `marker`; the time (perf_counter) the answer with it arrived."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                body = answer.read().decode("utf-8", "replace")
        except OSError:
            body = ""
        if marker in body:
            return time.perf_counter()
        time.sleep(0.01)
    raise TimeoutError(f"{url} did not show {marker!r} within {timeout:.0f} s")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process `pid` and of its children it has waited for, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def one_edit(server: Server, target: Path, url: str, text: str, marker: str, scratch: Path) -> dict[str, Any]:
    """Save `text` into `target` (through a file in `scratch`, an unwatched folder on the same file system);
    the seconds from the save to each stage of the rebuild.

    - `detect`: to livereload's "Detected file changes". MkDocs watches with watchdog's *polling*
      observer (every 0.5 s), so this is the save's place in the polling cycle, uniform in 0-0.5 s plus the
      time one poll takes: nothing the build does (both projects watch one content folder and mkdocs.yml).
    - `build`: from "Detected file changes" to "Reloading browsers", logged right after the build returns
      (it includes livereload's 0.1 s wait for more changes, the same for both).
    - `page`: to the answer of a GET of the edited page that shows the edit (what a reader sees reloaded).
    - `detect_to_page`: `page` - `detect`: the save-to-page time without the polling phase, the figure
      the ratio is taken from.
    MkDocs' "Documentation built in X seconds" cannot be the end marker: MkDocs drops a log message it has
    logged before (`DuplicateFilter`), so a rebuild as long as an earlier one prints nothing.
    """
    # Saved whole, as editors save: written beside the watched folder, then renamed over the file. A file
    # rewritten in place can be caught by a poll half-written (empty), which rebuilds twice.
    staged = scratch / f".{target.name}.saving"
    staged.write_text(text, encoding="utf-8")
    cpu_before = process_cpu(server.process.pid)
    start = time.perf_counter()
    os.replace(staged, target)
    detected, _ = server.wait_for(r"Detected file changes", 60)
    first = len(server.tail)
    reloaded, line = server.wait_for(r"Reloading browsers|An error happened|Aborted|Still serving", 600)
    if "Reloading browsers" not in line:
        raise RuntimeError(f"{server.label}: the rebuild failed: {line}")
    shown = fetch_until(url, marker, 120)
    cpu = process_cpu(server.process.pid) - cpu_before
    built = [float(m.group(1)) for m in map(_BUILT.search, server.tail[first:]) if m]
    return {
        "detect": round(detected - start, 3),
        "build": round(reloaded - detected, 3),
        "page": round(shown - start, 3),
        "detect_to_page": round(shown - detected, 3),
        "cpu": round(cpu, 3),
        "reported_build": built[-1] if built else None,
    }


def bench_serve(work: Workspace, steps: int, edits: int) -> dict[str, Any]:
    """Both servers run at once and are edited in turn (ours, plain, plain, ours, ...), so a load that comes
    and goes on the machine falls on both alike; each edit appends one numbered sentence to the same step."""
    info = work.pack(steps)
    step_files = sorted((info["ours_content"] / "guides").rglob("*.md"))
    ours_target = next(p for p in step_files if p.name != "index.md")
    relative = ours_target.relative_to(info["ours_content"])
    plain_target = info["plain_docs"] / relative
    page_path = relative.with_suffix("").as_posix() + "/"
    results: dict[str, Any] = {"pages": steps, "edits": edits, "edited": relative.as_posix()}
    # Ours: the shipped options (in `serve` the plugin skips the zip and the offline cache; the PDF
    # pack comes from its cache, warmed by the full builds above).
    sides = {"ours": (info["ours_full"], ours_target), "plain": (info["plain"], plain_target)}
    servers: dict[str, Server] = {}
    originals = {label: target.read_text(encoding="utf-8") for label, (_, target) in sides.items()}
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in sides}
    log(f"serve (ours and plain, {steps} steps, {edits} edits each, interleaved)")
    try:
        for label, (config, _) in sides.items():
            servers[label] = Server(config, f"serve {label}")
        for server in servers.values():
            server.wait_for(r"Serving on", 900)
        time.sleep(2.0)
        for server in servers.values():
            server.drain()
        for number in range(1, edits + 1):
            order = ["ours", "plain"] if number % 4 in (1, 0) else ["plain", "ours"]
            for label in order:
                server, target = servers[label], sides[label][1]
                marker = f"Edit {number} (of {edits}): one more sentence"
                text = originals[label].rstrip("\n") + f"\n\n{marker} to check the preview updates.\n"
                scratch = sides[label][0].parent  # The project folder: only its content folder is watched.
                run = one_edit(server, target, f"http://127.0.0.1:{server.port}/{page_path}", text, marker, scratch)
                runs[label].append(run)
                log(f"  {label} edit {number}: {run['page']:.2f} s to the page ({run['detect']:.2f} detect + "
                    f"{run['build']:.2f} build + {run['page'] - run['detect'] - run['build']:.2f} fetch; "
                    f"{run['cpu']:.2f} s CPU; MkDocs: {run['reported_build']} s)")
                time.sleep(1.0)
                server.drain()
    except (TimeoutError, RuntimeError) as error:  # Recorded, so one stuck server does not lose the run.
        log(f"  {error}")
        for server in servers.values():
            server.drain()
            log(f"  {server.label}, last lines: {server.tail[-8:]}")
        results["error"] = str(error)
    finally:
        for label, (_, target) in sides.items():
            target.write_text(originals[label], encoding="utf-8")
        for server in servers.values():
            server.stop()
    for label in sides:
        done = runs[label]
        if not done:
            results[label] = {"median_s": None}
            continue
        results[label] = {
            "runs": done,
            "median_s": median([r["detect_to_page"] for r in done]),
            **{f"{stage}_s": _spread([r[stage] for r in done]) for stage in ("detect_to_page", "page", "detect", "build", "cpu")},
        }
    ours, plain = results["ours"]["median_s"], results["plain"]["median_s"]
    results["ratio"] = round(ours / plain, 3) if ours and plain else None
    pairs = [o["detect_to_page"] / p["detect_to_page"] for o, p in zip(runs["ours"], runs["plain"])]
    results["paired_ratio"] = _spread(pairs) if pairs else None
    if runs["ours"] and runs["plain"]:
        with_polling = median([r["page"] for r in runs["ours"]]) / median([r["page"] for r in runs["plain"]])
        results["ratio_with_polling"] = round(with_polling, 3)
        results["cpu_ratio"] = round(median([r["cpu"] for r in runs["ours"]]) / median([r["cpu"] for r in runs["plain"]]), 3)
    return results


# -- page weight ----------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.css: list[str] = []
        self.js: list[str] = []
        self.print_only: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").lower().split() and values.get("href"):
            self.css.append(values["href"])
            if values.get("media", "").strip().lower() == "print":
                self.print_only.add(values["href"])
        elif tag == "script" and values.get("src"):
            self.js.append(values["src"])


WEIGHTS = ("raw", "gzip", "wire", "wire_br")


def _sizes(data: bytes, path: Path, site_dir: Path) -> dict[str, int]:
    """Raw, gzip -9, and the bytes the generated server configuration sends:

    - `wire`, to a browser that accepts gzip: the build's `.gz` copy;
    - `wire_br`, to one that accepts brotli and gzip (every current browser): the build's `.br` copy where
      there is one (scripts, styles, data), else its `.gz` copy (pages).

    A site without copies (plain Material's twin) is weighed as if the build had written them, with the same
    functions and the same rule (`precompress`): served the same way. Images and PDFs go as they are."""
    uri = path.relative_to(site_dir).as_posix()
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if not path.name.endswith(TEXT_SUFFIXES):
        return {"raw": len(data), "gzip": len(packed), "wire": len(data), "wire_br": len(data)}
    gz = path.with_name(path.name + COMPRESSED_SUFFIX)
    wire = gz.stat().st_size if gz.is_file() else len(compressed_copy(data, uri))
    br = path.with_name(path.name + BROTLI_SUFFIX)
    if br.is_file():
        wire_br = br.stat().st_size
    elif needs_brotli_copy(uri) and not gz.is_file():
        wire_br = len(brotli_copy(uri, data))
    else:
        wire_br = wire
    return {"raw": len(data), "gzip": len(packed), "wire": wire, "wire_br": wire_br}


def precache_weight(site_dir: Path) -> dict[str, Any]:
    """What the service worker downloads on the first visit (its manifest), raw and on the wire."""
    from generator.products.service_worker import precache_manifest

    files = precache_manifest(site_dir)
    sizes = [_sizes((site_dir / entry["url"]).read_bytes(), site_dir / entry["url"], site_dir) for entry in files]
    return {
        "files": len(files),
        "raw": sum(s["raw"] for s in sizes),
        "wire": sum(s["wire"] for s in sizes),
        "wire_br": sum(s["wire_br"] for s in sizes),
        "largest": sorted(
            ((entry["url"], s["wire"]) for entry, s in zip(files, sizes, strict=True)), key=lambda item: -item[1]
        )[:8],
    }


def page_weight_of(site_dir: Path, page_url: str) -> dict[str, Any]:
    """Bytes (raw, gzip -9) of a page's HTML and of the CSS and JS its HTML loads."""
    html_path = site_dir / page_url.lstrip("/") / "index.html"
    html = html_path.read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    result: dict[str, Any] = {"html": _sizes(html, html_path, site_dir), "files": {}, "print_only": []}
    for kind, urls in (("css", parser.css), ("js", parser.js)):
        total = dict.fromkeys(WEIGHTS, 0)
        for url in urls:
            absolute = urljoin("http://site" + page_url, url)
            parts = urlsplit(absolute)
            if parts.netloc != "site":
                result["files"][url] = "external"
                continue
            data = (site_dir / parts.path.lstrip("/")).read_bytes()
            sizes = _sizes(data, site_dir / parts.path.lstrip("/"), site_dir)
            result["files"][parts.path.lstrip("/")] = sizes
            if url in parser.print_only:
                result["print_only"].append(parts.path.lstrip("/"))
            total = {key: total[key] + sizes[key] for key in total}
        result[kind] = total
    result["total"] = {key: result["html"][key] + result["css"][key] + result["js"][key] for key in WEIGHTS}
    return result


def bench_page_weight(root: Path, time_bin: bool) -> dict[str, Any]:
    """Build the shipped site (as shipped: every product on) and its plain-Material twin; weigh three pages."""
    base = root / "shipped"
    base.mkdir(parents=True, exist_ok=True)
    config = shipped_config()
    config["docs_dir"] = str(REPO / config.get("docs_dir", "docs"))
    config["site_dir"] = str(base / "site")
    config["theme"]["custom_dir"] = str(SITE_OVERRIDES)
    ours_cfg = write_config(base / "mkdocs.yml", config)  # Its PDF cache goes to base/.cache, not the repo.
    nav = render_plain_docs(Path(config["docs_dir"]), base / "plain-docs")
    plain_cfg = write_config(base / "mkdocs-plain.yml", plain_config(base / "plain-docs", base / "plain-site", nav))
    log("page weight: building the shipped site and its plain twin")
    run_build(ours_cfg, time_bin=time_bin, label="shipped site (all products)")
    run_build(plain_cfg, time_bin=time_bin, label="shipped content, plain Material")

    pack = load_content(Path(config["docs_dir"]), REPO)
    guide = pack.guides[0]
    pages = {
        "home": "/",
        "step": f"/guides/{guide.id}/{guide.steps[0].id}/",
        "worksheet": f"/worksheets/{pack.worksheets[0].id}/",
    }
    ours_site, plain_site = base / "site", base / "plain-site"
    weights: dict[str, Any] = {"pages": {}}
    for name, url in pages.items():
        ours = page_weight_of(ours_site, url)
        plain = page_weight_of(plain_site, url)
        weights["pages"][name] = {
            "url": url,
            "ours": ours,
            "plain": plain,
            "added": {k: ours["total"][k] - plain["total"][k] for k in WEIGHTS},
        }
    worksheet = weights["pages"]["worksheet"]
    own_assets = {
        path: sizes
        for path, sizes in worksheet["ours"]["files"].items()
        if path not in worksheet["plain"]["files"] and isinstance(sizes, dict)
    }
    tools = {path: sizes for path, sizes in own_assets.items() if Path(path).name in WORKSHEET_TOOLS}
    # worksheet-page.js adds register.js to the page where a service worker can run: over https, where browsers take
    # brotli, and never over plain http, where they take gzip alone. So it counts in the brotli total only.
    secure_only = {
        path: _sizes((ours_site / path).read_bytes(), ours_site / path, ours_site)
        for path in (REGISTER_JS,)
        if WORKSHEET_PAGE_JS in own_assets and (ours_site / path).is_file()
    }
    weights["worksheet_page_adds"] = {
        "worksheet_tools_gzip": sum(s["gzip"] for s in tools.values()),
        "worksheet_tools_raw": sum(s["raw"] for s in tools.values()),
        "our_css_js_files": own_assets,
        "our_css_js_gzip": sum(s["gzip"] for s in own_assets.values()),
        "our_css_js_raw": sum(s["raw"] for s in own_assets.values()),
        "our_css_js_wire": sum(s["wire"] for s in own_assets.values()),
        "our_css_js_wire_br": sum(s["wire_br"] for s in (*own_assets.values(), *secure_only.values())),
        "secure_only": secure_only,
        # Stylesheets with media="print" do not block the page: the browser fetches them at low priority.
        "our_css_js_wire_screen": sum(
            s["wire"] for path, s in own_assets.items() if path not in worksheet["ours"]["print_only"]
        ),
        "our_css_js_wire_br_screen": sum(
            s["wire_br"]
            for path, s in (*own_assets.items(), *secure_only.items())
            if path not in worksheet["ours"]["print_only"]
        ),
        "print_only": worksheet["ours"]["print_only"],
        # Loaded by worksheets.js on first need (never on a first visit that only types): not counted above.
        "on_first_need": {
            path: _sizes((ours_site / path).read_bytes(), ours_site / path, ours_site)
            for path in ON_FIRST_NEED
            if (ours_site / path).is_file()
        },
        "html_gzip": worksheet["ours"]["html"]["gzip"] - worksheet["plain"]["html"]["gzip"],
        "total_gzip": worksheet["added"]["gzip"],
    }
    weights["precache"] = precache_weight(ours_site)
    maps = [p for p in ours_site.rglob("*.map") if p.is_file()]
    weights["source_maps"] = {
        "files": len(maps),
        "bytes": sum(p.stat().st_size for p in maps),
        "site_bytes": site_size(ours_site),
    }
    zips = list((ours_site / "offline").glob("*.zip"))
    if zips:
        import zipfile

        with zipfile.ZipFile(zips[0]) as archive:
            infos = archive.infolist()
            weights["offline_zip"] = {
                "bytes": zips[0].stat().st_size,
                "source_map_bytes_compressed": sum(i.compress_size for i in infos if i.filename.endswith(".map")),
                "files": len(infos),
            }
    weights["note"] = (
        "Files a page loads at once via <link rel=stylesheet> and <script src>; Material's search worker "
        "(and lunr) load on first search and are not counted. gzip = python gzip level 9."
    )
    return weights


# -- navigation variants (Material alone, same pages) ------------------------------------


def flat_nav(nav: list[Any]) -> list[Any]:
    """The nav without its parts: each "Steps 1–25"-style part's pages listed straight in its section."""
    out: list[Any] = []
    for entry in nav:
        ((title, value),) = entry.items()
        if not isinstance(value, list):
            out.append(entry)
            continue
        items: list[Any] = []
        for item in value:
            if isinstance(item, dict) and isinstance(next(iter(item.values())), list):
                items.extend(next(iter(item.values())))
            else:
                items.append(item)
        out.append({title: items})
    return out


def bench_nav_variants(work: Workspace, steps: int, time_bin: bool) -> dict[str, Any]:
    """Plain builds of the same pages without each of the shipped navigation choices, and what the scans then cost."""
    info = work.pack(steps)
    plain = info["base"] / "plain"
    base = yaml.safe_load(info["plain"].read_text(encoding="utf-8"))

    def variant(remove: tuple[str, ...] = (), flat: bool = False) -> dict[str, Any]:
        config = json.loads(json.dumps(base))
        config["theme"]["features"] = [f for f in config["theme"]["features"] if f not in remove]
        if flat:
            config["nav"] = flat_nav(config["nav"])
        return config

    variants = {
        "shipped (navigation.prune, lists in parts of 25)": variant(),
        "without navigation.prune": variant(remove=("navigation.prune",)),
        "without parts (one flat list of steps)": variant(flat=True),
        "without either (the settings before issue 6)": variant(remove=("navigation.prune",), flat=True),
    }
    results: dict[str, Any] = {"steps": steps, "variants": {}}
    for index, (name, config) in enumerate(variants.items()):
        site = plain / f"site-variant-{index}"
        config["site_dir"] = str(site)
        config_file = write_config(plain / f"mkdocs-variant-{index}.yml", config)
        run = run_build(config_file, time_bin=time_bin, label=f"{steps} plain, {name}")
        pages = [p.stat().st_size for p in site.rglob("*.html")]
        step_pages = [p.stat().st_size for p in (site / "guides").rglob("index.html")]
        start = time.perf_counter()
        find_external_assets(site)
        template_script_scan(site)
        scans = time.perf_counter() - start
        results["variants"][name] = {
            "wall_s": run["wall_s"],
            "cpu_s": run["cpu_s"],
            "mb": run["mb"],
            "html_mb": round(sum(pages) / 2**20, 1),
            "step_page_kb_median": round(statistics.median(step_pages) / 1024, 1),
            "egress_and_csp_scans_s": round(scans, 2),
        }
        log(f"    html {results['variants'][name]['html_mb']} MB, scans {scans:.1f} s")
        shutil.rmtree(site, ignore_errors=True)
    return results


# -- profile ----------------------------------------------------------------------------


def _area(filename: str) -> str:
    path = filename.replace("\\", "/")
    if "/material/templates/" in path:
        return "Material templates: " + path.split("/material/templates/", 1)[1]
    if path.startswith(str(OVERRIDES)):
        return "our templates: " + path[len(str(OVERRIDES)) + 1 :]
    for marker in ("/site-packages/", "/lib/python3"):
        if marker in path:
            rest = path.split(marker, 1)[1]
            rest = rest.split("/", 1)[1] if marker == "/lib/python3" and "/" in rest else rest
            return rest.split("/", 1)[0].removesuffix(".py")
    if path.startswith(str(REPO / "generator")):
        return "generator/" + Path(path).name
    if path == "~":
        return "built-ins (C: regex matching, str methods)"
    return path if path.startswith("<") else Path(path).name


def run_profile(work: Workspace, steps: int, top: int) -> dict[str, Any]:
    info = work.pack(steps)
    out = info["base"] / "ours" / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "-f", str(info["ours_off"])]
    log(f"profiling the {steps}-step build (ours, products off) under cProfile")
    start = time.perf_counter()
    done = subprocess.run(command, cwd=info["ours_off"].parent, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"profiled build failed:\n{done.stderr[-4000:]}")
    stats = pstats.Stats(str(out))
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\ncProfile of `mkdocs build` at {steps} steps, products off: {wall:.1f} s wall under the profiler, "
          f"{total:.1f} s profiled\n")
    print(f"Top {top} functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)
    print("Top 15 functions by own time:")
    stats.sort_stats("tottime").print_stats(15)

    rows = []
    for (filename, line, name), (cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((filename, line, name, nc, tt, ct))
    by_area: dict[str, float] = {}
    for filename, _line, _name, _nc, tt, _ct in rows:
        area = _area(filename)
        by_area[area] = by_area.get(area, 0.0) + tt
    print("Own time (tottime) by package / template, top 20:")
    ranked = sorted(by_area.items(), key=lambda item: -item[1])[:20]
    for area, seconds in ranked:
        print(f"  {seconds:8.2f} s  {seconds / total:6.1%}  {area}")

    def cumulative(file_part: str, name: str) -> float:
        return max((ct for f, _l, n, _nc, _tt, ct in rows if file_part in f.replace("\\", "/") and n == name), default=0.0)

    stages = {
        "markdown -> HTML (Page.render)": cumulative("mkdocs/structure/pages.py", "render"),
        "theme templates (_build_page -> Template.render)": cumulative("mkdocs/commands/build.py", "_build_page"),
        "search: on_page_context (index entries)": cumulative("material/plugins/search/plugin.py", "on_page_context"),
        "search: on_post_build (write index)": cumulative("material/plugins/search/plugin.py", "on_post_build"),
        "our on_pre_build (load + render content)": cumulative("generator/engines/plugin.py", "on_pre_build"),
        "our on_post_build (all post-build work)": cumulative("generator/engines/plugin.py", "on_post_build"),
        "  egress check (find_external_assets)": cumulative("generator/products/egress.py", "find_external_assets"),
        "  CSP allow-list (TemplateScripts.take, per page)": cumulative("generator/products/csp.py", "take"),
        "anchor validation (validate_anchor_links)": cumulative("mkdocs/structure/pages.py", "validate_anchor_links"),
        "static files (Files.copy_static_files)": cumulative("mkdocs/structure/files.py", "copy_static_files"),
    }
    nav_templates = sum(s for a, s in by_area.items() if a.startswith("Material templates: partials/nav"))
    print("\nStages (cumulative time):")
    for stage, seconds in stages.items():
        print(f"  {seconds:8.2f} s  {seconds / total:6.1%}  {stage}")
    print(f"  {nav_templates:8.2f} s  {nav_templates / total:6.1%}  own time in Material's partials/nav*.html")
    return {
        "steps": steps,
        "wall_s_under_profiler": round(wall, 1),
        "profiled_s": round(total, 1),
        "by_area_s": {a: round(s, 2) for a, s in ranked},
        "stages_s": {k: round(v, 2) for k, v in stages.items()},
        "nav_templates_own_s": round(nav_templates, 2),
        "profile_file": str(out),
    }


# -- report -------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(
            (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
            "",
        )
    except OSError:
        pass
    memory_gb = None
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
        memory_gb = round(kb / 2**20, 1)
    except (OSError, StopIteration, ValueError):
        pass
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "Jinja2", "Markdown", "PyYAML", "weasyprint", "pypdf"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "generator", "mkdocs.yml"],
                                cwd=REPO, capture_output=True, text=True).stdout.strip())
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": memory_gb,
        "versions": versions,
        "git": commit + (" (uncommitted changes in generator/ or mkdocs.yml)" if dirty else ""),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def _fmt(value: Any, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def print_serve(serve: dict[str, Any]) -> None:
    print(f"\n`mkdocs serve` at {serve['pages']} steps, one-line edit -> the page showing it, from the "
          f"watcher's detection (median of {serve['edits']} interleaved edits): "
          f"ours {_fmt(serve['ours']['median_s'])} s, plain {_fmt(serve['plain']['median_s'])} s, "
          f"ratio {_fmt(serve['ratio'])} (paired ratios {_fmt((serve.get('paired_ratio') or {}).get('q1'))}-"
          f"{_fmt((serve.get('paired_ratio') or {}).get('q3'))}; from the save, with the watcher's 0.5 s "
          f"polling: {_fmt(serve.get('ratio_with_polling'))}; CPU seconds of the server: {_fmt(serve.get('cpu_ratio'))})")
    for who in ("ours", "plain"):
        for stage in ("detect_to_page", "page", "detect", "build", "cpu"):
            spread = serve[who].get(f"{stage}_s")
            if spread:
                print(f"  {who:5} {stage:15} median {spread['median']:.2f}  quartiles {spread['q1']:.2f}-"
                      f"{spread['q3']:.2f}  range {spread['min']:.2f}-{spread['max']:.2f}")
    if "error" in serve:
        print(f"  error: {serve['error']}")


def print_report(results: dict[str, Any]) -> None:
    sizes = results["sizes"]
    machine = results.get("machine", {})
    print(f"\nMachine: {machine.get('cpus')} cores ({machine.get('cpu')}), load average at start "
          f"{machine.get('load_average_at_start')}, at end {machine.get('load_average_at_end')}")
    print("\nThe shipped configuration (every product on: PDF pack, offline zip, service worker, server files) "
          "against plain MkDocs + Material, same pages and theme; wall time of the whole `mkdocs build`, "
          "median of runs; memory = peak RSS of the build and its child processes")
    header = (f"{'steps':>6} {'pages':>6} {'runs':>4} {'plain s':>8} {'warm s':>8} {'x plain':>7} {'cold s':>8} "
              f"{'x plain':>7} {'off s':>7} {'x plain':>7} {'plain MB':>8} {'shipped MB':>10} {'x plain':>7}")
    print(header)
    print("-" * len(header))
    for s in sizes:
        h = s["shipped"]
        print(f"{s['pages']:>6} {s['site_pages']:>6} {s['repeat']:>4} {h['plain_s']:>8.2f} {h['warm_s']:>8.2f} "
              f"{h['warm_ratio']:>7.2f} {h['cold_s']:>8.2f} {h['cold_ratio']:>7.2f} {s['ours_s']:>7.2f} "
              f"{s['ours_s'] / h['plain_s']:>7.2f} {h['plain_mb']:>8.1f} {max(h['cold_mb'], h['warm_mb']):>10.1f} "
              f"{max(h['cold_memory_ratio'], h['warm_memory_ratio']):>7.2f}")
    print("\nSecondary: ours with the products off (PDFs, zip, service worker, CSP), egress check on")
    header = (f"{'steps':>6} {'pages':>6} {'runs':>4} {'ours s':>8} {'plain s':>8} {'ratio':>6} "
              f"{'ours MB':>8} {'plain MB':>8} {'ratio':>6} {'s/page':>7} "
              f"{'ours CPU s':>10} {'plain CPU s':>11} {'ratio':>6} {'ours build s':>12} {'plain build s':>13}")
    print(header)
    print("-" * len(header))
    for s in sizes:
        print(f"{s['pages']:>6} {s['site_pages']:>6} {s['repeat']:>4} {s['ours_s']:>8.2f} {s['plain_s']:>8.2f} "
              f"{s['time_ratio']:>6.2f} {s['ours_mb']:>8.1f} {s['plain_mb']:>8.1f} {s['memory_ratio']:>6.2f} "
              f"{s['s_per_page']:>7.4f} {_fmt(s['ours_cpu_s']):>10} {_fmt(s['plain_cpu_s']):>11} "
              f"{_fmt(s['ours_cpu_s'] / s['plain_cpu_s'] if s['ours_cpu_s'] and s['plain_cpu_s'] else None):>6} "
              f"{s['ours_build_s']:>12.2f} {s['plain_build_s']:>13.2f}")
    print("\nPost-build work (seconds)")
    header = (f"{'steps':>6} {'egress scan':>11} {'CSP hashes':>10} {'full build':>10} {'full-off':>9} "
              f"{'PDF cold':>8} {'PDF warm':>8} {'sw.js':>6} {'CSP+snip':>8} {'offl. zip':>9} {'full MB':>8}")
    print(header)
    print("-" * len(header))
    for s in sizes:
        p, sc = s["products_s"], s["scans_s"]
        print(f"{s['pages']:>6} {sc['egress_check']:>11.2f} {sc['csp_hashes']:>10.2f} {p['full_build_s']:>10.2f} "
              f"{p['full_minus_off_s']:>9.2f} {_fmt(p['pdf_pack_cold']):>8} {_fmt(p['pdf_pack_warm']):>8} "
              f"{_fmt(p['service_worker']):>6} {_fmt(p['server_snippets_csp']):>8} {_fmt(p['offline_zip']):>9} "
              f"{_fmt(p['full_mb'], '.1f'):>8}")
    default = results.get("default_material_1000_s")
    if default is not None:
        big = next(s for s in sizes if s["pages"] == 1000)
        print(f"\nMaterial default configuration, 1,000 steps: {default:.2f} s "
              f"(ours {big['ours_s']:.2f} s = {big['ours_s'] / default:.2f}x; plain shipped settings "
              f"{big['plain_s']:.2f} s = {big['plain_s'] / default:.2f}x)")
        cpu = big.get("default_material_cpu_s")
        if cpu and big.get("ours_cpu_s") and big.get("plain_cpu_s"):
            print(f"  in CPU time: default {cpu:.2f} s, ours {big['ours_cpu_s']:.2f} s = {big['ours_cpu_s'] / cpu:.2f}x, "
                  f"plain {big['plain_cpu_s']:.2f} s = {big['plain_cpu_s'] / cpu:.2f}x")
    variants = results.get("nav_variants")
    if variants:
        print(f"\nNavigation variants, Material alone, {variants['steps']} steps (scans = our egress + CSP scans of the result)")
        header = f"{'variant':<68} {'wall s':>7} {'CPU s':>7} {'MB':>6} {'HTML MB':>8} {'step KB':>8} {'scans s':>8}"
        print(header)
        print("-" * len(header))
        for name, v in variants["variants"].items():
            print(f"{name:<68} {v['wall_s']:>7.2f} {_fmt(v['cpu_s']):>7} {v['mb']:>6.1f} {v['html_mb']:>8.1f} "
                  f"{v['step_page_kb_median']:>8.1f} {v['egress_and_csp_scans_s']:>8.2f}")
    if results.get("serve_rebuild"):
        print_serve(results["serve_rebuild"])
    weight = results.get("page_weight")
    if weight:
        print("\nPage weight of the shipped site (bytes raw / gzip -9; HTML + CSS + JS the page loads)")
        header = f"{'page':<10} {'':<6} {'HTML':>17} {'CSS':>17} {'JS':>17} {'total':>17}"
        print(header)
        print("-" * len(header))
        for name, page in weight["pages"].items():
            for who in ("ours", "plain"):
                w = page[who]
                cells = " ".join(f"{w[k]['raw']:>8}/{w[k]['gzip']:<8}" for k in ("html", "css", "js", "total"))
                print(f"{name if who == 'ours' else '':<10} {who:<6} {cells}")
        print_wire(weight)
        adds = weight["worksheet_page_adds"]
        print(f"Worksheet tools (worksheet-page.js + worksheet-page.css on a worksheet page, shared parts included): "
              f"{adds['worksheet_tools_gzip']} B gzipped, {adds['worksheet_tools_raw']} B raw (budget: 12 KB gzipped)")
        print(f"Worksheet page adds {adds['total_gzip']} B gzipped: our CSS+JS {adds['our_css_js_gzip']} B "
              f"({adds['our_css_js_raw']} B raw: {', '.join(adds['our_css_js_files'])}), HTML {adds['html_gzip']} B")
        maps = weight["source_maps"]
        print(f"Source maps: {maps['files']} files, {maps['bytes']} B of a {maps['site_bytes']} B site")
        if "offline_zip" in weight:
            z = weight["offline_zip"]
            print(f"Offline zip: {z['bytes']} B, of which source maps {z['source_map_bytes_compressed']} B compressed")


def print_wire(weight: dict[str, Any]) -> None:
    """Bytes on the wire as the generated server files send them: gzip (.gz copies) and brotli (.br copies)."""
    print("\nFirst visit, bytes on the wire as the server files send them, to a browser that accepts gzip (the "
          "build's .gz copies) and to one that accepts brotli (its .br copies; pages, which have none, gzip); plain "
          "Material weighed as if served the same way (the same copies made of its files)")
    print(f"  {'':<10} {'ours gzip':>10} {'plain gzip':>11} {'x plain':>8}   {'ours br':>8} {'plain br':>9} {'x plain':>8}")
    for name, page in weight["pages"].items():
        ours, plain = page["ours"]["total"], page["plain"]["total"]
        print(f"  {name:<10} {ours['wire']:>10} {plain['wire']:>11} {ours['wire'] / plain['wire']:>8.2f}   "
              f"{ours['wire_br']:>8} {plain['wire_br']:>9} {ours['wire_br'] / plain['wire_br']:>8.2f}")
    pre = weight.get("precache")
    if pre:
        print(f"  precache   {pre['files']} files, {pre['raw']} B raw, {pre['wire']} B gzip, {pre.get('wire_br', 0)} B "
              f"brotli (plain Material precaches nothing); largest (gzip): {pre['largest'][:4]}")
    adds = weight["worksheet_page_adds"]
    print(f"Our own scripts and styles on a worksheet page (plain Material has none): {adds['our_css_js_wire']} B "
          f"gzip, {adds.get('our_css_js_wire_br', 0)} B brotli (goal: 10 KB); without the print-only stylesheets "
          f"({', '.join(adds.get('print_only', []))}): {adds.get('our_css_js_wire_screen', 0)} B gzip, "
          f"{adds.get('our_css_js_wire_br_screen', 0)} B brotli")
    later = adds.get("on_first_need") or {}
    if later:
        print("  loaded on first need (gzip/brotli): "
              + ", ".join(f"{Path(p).name} {s['wire']}/{s['wire_br']} B" for p, s in later.items()))


def print_weight(weight: dict[str, Any]) -> None:
    """`--weight-only`: each of our files a worksheet page loads at once, and those it loads on first need,
    then the bytes on the wire (gzip and brotli) of the first visits and the precache."""
    adds = weight["worksheet_page_adds"]
    print("Our own scripts and styles on a worksheet page (gzip -9, the .gz copy, the .br copy, raw):")
    for path, sizes in sorted(adds["our_css_js_files"].items(), key=lambda item: -item[1]["gzip"]):
        print(f"  {path:<45} {sizes['gzip']:>6} B  {sizes['wire']:>6} B gz  {sizes['wire_br']:>6} B br  "
              f"{sizes['raw']:>6} B raw")
    for path, sizes in adds.get("secure_only", {}).items():
        print(f"  {path:<45} {sizes['gzip']:>6} B  {'-':>6}   gz  {sizes['wire_br']:>6} B br  {sizes['raw']:>6} B raw"
              "  (added where a service worker can run: https, brotli; never on plain http)")
    print(f"  {'total':<45} {adds['our_css_js_gzip']:>6} B  {adds['our_css_js_wire']:>6} B gz  "
          f"{adds['our_css_js_wire_br']:>6} B br  {adds['our_css_js_raw']:>6} B raw")
    print("Loaded on first need (not counted above):")
    for path, sizes in adds["on_first_need"].items():
        print(f"  {path:<45} {sizes['gzip']:>6} B  {sizes['wire']:>6} B gz  {sizes['wire_br']:>6} B br  "
              f"{sizes['raw']:>6} B raw")
    for name, page in weight["pages"].items():
        print(f"{name} page: {page['added']['gzip']} B gzipped more than plain Material")
    print_wire(weight)


def readme_table(results: dict[str, Any]) -> str:
    """The summary README.md shows: build time and memory per size, then the other budgets of issue 6."""
    machine = results["machine"]
    lines = [
        f"Measured by `python benchmarks/run.py` on {machine['date'][:10]} ({machine['cpus']} cores, {machine['cpu']}, "
        f"Python {machine['python']}, MkDocs {machine['versions']['mkdocs']}, Material "
        f"{machine['versions']['mkdocs-material']}, commit {machine['git'].split()[0]}). Synthetic packs of 500-800-word "
        "steps, one worksheet per ten steps. *Shipped* is this plugin as shipped, every product on (PDF pack, "
        "offline zip, service worker, server files), built with its PDF cache warm (a rebuild after an edit) and "
        "cold (first build, CI); *plain* is the same rendered pages built by MkDocs and Material alone, same theme "
        "settings, in the same run; *products off* is this plugin without those products. Medians of "
        f"{results['sizes'][0]['repeat']} runs; memory is peak RSS of the build and its child processes; load "
        f"average {machine.get('load_average_at_start')} at start, {machine.get('load_average_at_end')} at end.",
        "",
        "| steps | pages | plain s | shipped, warm s | × plain | shipped, cold s | × plain | products off s | × plain "
        "| plain MB | shipped MB | × plain |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in results["sizes"]:
        h = size["shipped"]
        shipped_mb = max(h["cold_mb"], h["warm_mb"])
        lines.append(
            f"| {size['pages']:,} | {size['site_pages']:,} | {h['plain_s']:.2f} | {h['warm_s']:.2f} | "
            f"{h['warm_ratio']:.2f} | {h['cold_s']:.2f} | {h['cold_ratio']:.2f} | {size['ours_s']:.2f} | "
            f"{size['ours_s'] / h['plain_s']:.2f} | {h['plain_mb']:.1f} | {shipped_mb:.1f} | "
            f"{shipped_mb / h['plain_mb']:.2f} |"
        )
    lines.append("")
    for size in results["sizes"]:
        h = size["shipped"]
        if h.get("plain_cpu_s") and h.get("warm_cpu_s") and h.get("cold_cpu_s"):
            lines.append(
                f"- CPU time at {size['pages']:,} steps (the build and its child processes; what another load on the "
                f"machine stretches least): plain {h['plain_cpu_s']:.1f} s, shipped warm {h['warm_cpu_s']:.1f} s "
                f"({h['warm_cpu_s'] / h['plain_cpu_s']:.2f}×), cold {h['cold_cpu_s']:.1f} s "
                f"({h['cold_cpu_s'] / h['plain_cpu_s']:.2f}×; the PDF workers' CPU counted in full, though they run "
                "on the other cores)."
            )
    by_pages = {size["pages"]: size for size in results["sizes"]}
    if 100 in by_pages and 1000 in by_pages:
        growth = by_pages[1000]["s_per_page"] / by_pages[100]["s_per_page"]
        lines.append(f"- Seconds per page at 1,000 steps are {growth:.2f} times those at 100.")
    default = results.get("default_material_1000_s")
    if default and 1000 in by_pages:
        ours = by_pages[1000]["ours_s"]
        lines.append(
            f"- Material's default configuration (`theme: material` alone, same pages and navigation) builds the "
            f"1,000-step pages in {default:.1f} s; the shipped "
            f"configuration (ours) takes {ours:.1f} s, {ours / default:.2f} of that."
        )
    variants = results.get("nav_variants")
    if variants:
        timings = "; ".join(f"{name}: {v['wall_s']:.1f} s" for name, v in variants["variants"].items())
        lines.append(f"- What the navigation settings buy (Material alone, {variants['steps']:,} steps): {timings}.")
    if 1000 in by_pages:
        products = by_pages[1000]["products_s"]
        lines.append(
            f"- Post-build products at 1,000 steps, timed on their own: PDF pack {_fmt(products['pdf_pack_cold'], '.1f')} s "
            f"with an empty cache ({products['pdf_rendered_cold']} worksheets rendered) and "
            f"{_fmt(products['pdf_pack_warm'], '.1f')} s on a rebuild with no change (none rendered); offline zip "
            f"{_fmt(products['offline_zip'], '.1f')} s; service worker {_fmt(products['service_worker'], '.2f')} s; "
            f"server config and CSP hashes {_fmt(products['server_snippets_csp'], '.2f')} s."
        )
    serve = results.get("serve_rebuild")
    if serve and serve.get("ratio"):
        lines.append(
            f"- `mkdocs serve`, one-line edit of a step at {serve['pages']} steps (median of {serve['edits']} interleaved edits, from the watcher's detection to the page showing the edit): "
            f"ours {serve['ours']['median_s']:.2f} s, plain {serve['plain']['median_s']:.2f} s, ratio {serve['ratio']:.2f}"
            + (
                f" (from the save, with the watcher's 0.5 s polling, whose phase is chance: {serve['ratio_with_polling']:.2f}; "
                f"the server's CPU seconds: {serve['cpu_ratio']:.2f})."
                if serve.get("ratio_with_polling") and serve.get("cpu_ratio")
                else "."
            )
        )
    weight = results.get("page_weight")
    if weight and "wire" in weight["pages"]["home"]["ours"]["total"]:
        def visits(key: str) -> str:
            return ", ".join(
                f"{name} {page['ours']['total'][key] / 1000:.1f} KB ({page['plain']['total'][key] / 1000:.1f} KB plain)"
                for name, page in weight["pages"].items()
            )

        pre = weight.get("precache") or {}
        brotli_cells = ""
        if "wire_br" in weight["pages"]["home"]["ours"]["total"]:
            brotli_cells = (
                f"; to a browser that accepts brotli (the .br copies of scripts, styles and the search index, "
                f"pages gzipped): {visits('wire_br')}, precache {pre.get('wire_br', 0) / 1e6:.2f} MB"
            )
        lines.append(
            f"- First visit, bytes on the wire (the build's .gz copies; plain Material gzipped the same way): "
            f"{visits('wire')}; the service worker's precache {pre.get('wire', 0) / 1e6:.2f} MB ({pre.get('files', 0)} "
            f"files, {pre.get('raw', 0) / 1e6:.2f} MB uncompressed){brotli_cells}."
        )
    if weight:
        adds = weight["worksheet_page_adds"]
        step = weight["pages"]["step"]["added"]
        sent = (
            f", {adds['our_css_js_wire'] / 1000:.1f} KB as the server sends its .gz copies and "
            f"{adds['our_css_js_wire_br'] / 1000:.1f} KB as it sends the .br copies to a browser that accepts brotli"
            if "our_css_js_wire_br" in adds
            else ""
        )
        lines.append(
            f"- Page weight, gzipped: a worksheet page loads {adds['our_css_js_gzip'] / 1000:.1f} KB of our CSS and "
            f"JavaScript (gzip -9{sent}; {len(adds['our_css_js_files'])} files; goal: 10 KB), its print design included, which must be "
            "at hand when the reader presses Ctrl+P; the panels, exports, My plan and search highlighting load only "
            f"when first needed; a step page weighs {step['gzip'] / 1000:.1f} KB more than the same page "
            "from plain Material."
        )
    return "\n".join(lines)


def update_readme(results: dict[str, Any]) -> None:
    """Put `readme_table` between the benchmark markers of README.md."""
    text = README.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        log(f"{README} has no {README_START} ... {README_END} block: table not written")
        return
    table = readme_table(results)
    README.write_text(text[: start + len(README_START)] + "\n" + table + "\n" + text[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300, 1000], help="steps per content pack")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (default: 3; figures are medians)")
    parser.add_argument("--quick", action="store_true", help="skip sizes of 1,000 steps or more")
    parser.add_argument("--profile", action="store_true", help="only profile the --profile-steps build (ours) and exit")
    parser.add_argument("--profile-steps", type=int, default=1000)
    parser.add_argument("--serve-steps", type=int, default=100)
    parser.add_argument("--serve-edits", type=int, default=5)
    parser.add_argument("--nav-variants", type=int, metavar="STEPS", default=0,
                        help="also build the STEPS-step plain pages with other navigation settings (slow at 1000)")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--only-serve", action="store_true",
                        help="only the `mkdocs serve` measurement (warm the PDF cache of --workdir first), printed")
    parser.add_argument("--skip-weight", action="store_true")
    parser.add_argument("--weight-only", action="store_true",
                        help="only build the shipped site and its plain twin and print the page weights (writes no file)")
    parser.add_argument("--no-time", action="store_true", help="measure memory with the in-process wrapper, not /usr/bin/time")
    parser.add_argument("--workdir", type=Path, help="keep the packs and sites here (default: a temp dir, removed)")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    parser.add_argument("--no-readme", action="store_true", help="leave the table in README.md as it is")
    args = parser.parse_args()

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    if load_at_start[0] > (os.cpu_count() or 1) * 0.5:
        log(f"note: load average is {load_at_start[0]} on {os.cpu_count()} cores: other work will slow the builds")
    root = args.workdir or Path(tempfile.mkdtemp(prefix="selfhelp-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    work = Workspace(root.resolve())
    time_bin = use_time_bin(args.no_time)
    # Our package's bytecode, as `pip install` compiles it: MkDocs and Material load theirs from .pyc files, and
    # the builds run with PYTHONDONTWRITEBYTECODE, so without it each build (and each worker process) of ours
    # would compile every module of generator/ again (about 70 ms of CPU at each start).
    compileall.compile_dir(str(REPO / "generator"), quiet=1)
    try:
        if args.weight_only:
            print_weight(bench_page_weight(root, time_bin))
            return
        if args.profile:
            profile = run_profile(work, args.profile_steps, 25)
            profile.pop("profile_file")
            (HERE / "profile.json").write_text(json.dumps(profile, indent=2) + "\n", encoding="utf-8")
            return
        if args.only_serve:
            serve = bench_serve(work, args.serve_steps, args.serve_edits)
            print_serve(serve)
            print(json.dumps(serve, indent=2))
            return
        sizes = [n for n in args.sizes if not (args.quick and n >= 1000)]
        results: dict[str, Any] = {"sizes": [], "default_material_1000_s": None, "default_material_1000_cpu_s": None}
        for steps in sizes:
            repeat = args.repeat
            log(f"== {steps} steps, {repeat} run(s)")
            results["sizes"].append(bench_size(work, steps, repeat, time_bin=time_bin, default_material=steps == 1000))
            if steps == 1000:
                results["default_material_1000_s"] = results["sizes"][-1]["default_material_s"]
                results["default_material_1000_cpu_s"] = results["sizes"][-1]["default_material_cpu_s"]
        if args.nav_variants:
            results["nav_variants"] = bench_nav_variants(work, args.nav_variants, time_bin)
        results["page_weight"] = None if args.skip_weight else bench_page_weight(root, time_bin)
        results["serve_rebuild"] = None if args.skip_serve else bench_serve(work, args.serve_steps, args.serve_edits)
        results["machine"] = {
            **machine_info(),
            "load_average_at_start": load_at_start,
            "memory_measured_with": "/usr/bin/time -v" if time_bin else "ru_maxrss of an in-process wrapper",
        }
        print_report(results)
        args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        log(f"\nwrote {args.output}")
        if args.output.resolve() == (HERE / "results.json").resolve() and not args.no_readme:
            update_readme(results)
            log(f"updated the table in {README}")
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
