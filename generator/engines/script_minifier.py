"""Minify scripts in a process of its own: `python -m generator.engines.script_minifier`.

tdewolff/minify (the `minify-go` package) is a Go library: importing it adds the Go
runtime, about 6 MB, to a process for the rest of its life. Our scripts change only
with the package or a site's `custom_dir`, so `theme_assets.ScriptMinifier` keeps each
result in the cache folder and runs this module only for scripts it has not seen: a
build whose scripts are all cached never loads the minifier, and one that needs it
does not carry the Go runtime into its peak of memory.

Reads a JSON list of script texts on standard input; writes a JSON list with, for
each, `{"text": minified}` or `{"error": the minifier's first line}`.
"""

from __future__ import annotations

import json
import sys

JS_VERSION = 2017
"""Our scripts are written to ES2017 at most; the minifier is told so, so it writes nothing newer either."""


def minify_scripts(texts: list[str]) -> list[dict[str, str]]:
    import minify

    minify.config({"js-version": JS_VERSION})
    results: list[dict[str, str]] = []
    for text in texts:
        try:
            results.append({"text": minify.string("application/javascript", text)})
        except minify.MinifyError as error:
            results.append({"error": str(error).splitlines()[0] if str(error) else "cannot be read"})
    return results


def main() -> None:
    texts = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    sys.stdout.buffer.write(json.dumps(minify_scripts(texts)).encode("utf-8"))


if __name__ == "__main__":
    main()
