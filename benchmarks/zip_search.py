"""Search in the offline zip, timed in Chromium from file://: from typing to results, and the page's longest task.

    python benchmarks/zip_search.py                    # builds the 1,000-step pack as shipped, then times it
    python benchmarks/zip_search.py --steps 300
    python benchmarks/zip_search.py --zip path/to/site-offline.zip

The zip is unzipped into a temp folder and its home page opened from disk in
headless Chromium (Playwright, /usr/bin/chromium). A PerformanceObserver for
`longtask` entries is installed before any of the page's scripts run. The
reader types a query as soon as the page has loaded, while the search index
is still being loaded and built (the worst case), and then a second query
once it is ready. For each: milliseconds from the query being typed (its
last key) to the first result on screen. The longest task (ms) and every task over 50 ms are
reported for the whole visit: a task over 200 ms is a page that stops
answering the reader. Prints JSON; `--output FILE` writes it too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
CHROMIUM = "/usr/bin/chromium"
QUERIES = ("redundent feeling", "sleep routine")

OBSERVE = """
window.__longtasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) {
    window.__longtasks.push({ start: Math.round(entry.startTime), ms: Math.round(entry.duration) });
  });
}).observe({ type: "longtask", buffered: true });
"""


def build_zip(steps: int, root: Path) -> Path:
    """The `steps`-step synthetic pack built as shipped (every product on); returns its offline zip."""
    import run  # benchmarks/run.py: the same packs and configurations

    work = run.Workspace(root)
    info = work.pack(steps)
    done = subprocess.run(  # noqa: S603 - our own build
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(info["ours_full"])],
        cwd=info["ours_full"].parent, env=run.ENV, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{done.stderr[-3000:]}")
    [archive] = (info["base"] / "ours" / "site-full" / "offline").glob("*.zip")
    return archive


def time_search(archive: Path, folder: Path, queries: tuple[str, ...]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    [root] = [p for p in folder.iterdir() if p.is_dir()]
    index_bytes = (root / "search" / "search_index.js").stat().st_size
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            context.set_offline(True)
            context.add_init_script(OBSERVE)
            page = context.new_page()
            page.goto((root / "index.html").as_uri(), wait_until="load")
            results = []
            for query in queries:
                box = page.locator(".md-search__input")
                box.click()
                box.fill("")
                page.evaluate("() => { window.__typed = performance.now(); }")
                box.fill(query)
                box.press("End")  # the reader's last key: Material searches on keyup
                page.wait_for_selector(".md-search-result__item", state="attached", timeout=0)
                elapsed = page.evaluate("() => performance.now() - window.__typed")
                hits = page.locator(".md-search-result__item").count()
                results.append({"query": query, "typing_to_results_ms": round(elapsed), "results": hits})
                page.keyboard.press("Escape")
            tasks = page.evaluate("() => window.__longtasks")
            worker = page.evaluate("() => typeof self.__selfhelpWorkerSource === 'string'")
            frames = page.locator("iframe[srcdoc]").count()
        finally:
            browser.close()
    return {
        "zip": archive.name,
        "zip_bytes": archive.stat().st_size,
        "search_index_js_bytes": index_bytes,
        "queries": results,
        "longest_task_ms": max((t["ms"] for t in tasks), default=0),
        "tasks_over_50ms": tasks,
        "search_in_a_worker": worker and frames == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--zip", type=Path, help="time this zip instead of building one")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="selfhelp-zip-search-"))
    try:
        archive = args.zip or build_zip(args.steps, root / "build")
        result = {"steps": None if args.zip else args.steps, **time_search(archive, root / "unzipped", QUERIES)}
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        text = json.dumps(result, indent=2)
        print(text)
        if args.output:
            args.output.write_text(text + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
