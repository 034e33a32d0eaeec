"""Our scripts are minified by a JavaScript parser: names shortened, nothing newer than ES2017 written, and a
script it cannot parse named with its line rather than a traceback. The minifier (a Go library) runs in a
process of its own, once per script text: its results are kept in the cache folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.engines import theme_assets
from generator.engines.theme_assets import NotMinified, ScriptMinifier


@pytest.fixture(autouse=True)
def _fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ScriptMinifier, "_memo", {})


def minified(path: Path, cache: Path) -> str:
    result = ScriptMinifier(cache).minified([path])[path]
    if isinstance(result, NotMinified):
        raise result
    return result


def test_local_names_are_shortened_and_property_names_kept(tmp_path: Path) -> None:
    script = tmp_path / "a.js"
    script.write_text(
        "/* a comment */\n(() => {\n  const helper = (value) => value + 1, long = 2;\n"
        "  window.api = { helper, long };\n  try { helper(long); } catch (error) { /* none */ }\n})();\n",
        encoding="utf-8",
    )
    out = minified(script, tmp_path / "cache")
    assert "comment" not in out and "value" not in out
    assert "helper:" in out and "long:" in out  # shorthand properties keep their names
    assert "catch{" not in out  # ES2019's optional catch binding is not written


def test_a_script_that_does_not_parse_is_named_with_its_line(tmp_path: Path) -> None:
    script = tmp_path / "broken.js"
    script.write_text("var ok = 1;\nvar a = ;\n", encoding="utf-8")
    with pytest.raises(NotMinified) as caught:
        minified(script, tmp_path / "cache")
    assert str(script) in str(caught.value) and "line 2" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not list((tmp_path / "cache").glob("*")), "nothing is cached for a script that did not parse"


def test_styles_are_minified(tmp_path: Path) -> None:
    style = tmp_path / "a.css"
    style.write_text("/* c */\n.a {\n  color: red;\n}\n", encoding="utf-8")
    assert minified(style, tmp_path / "cache") == ".a{color:red}"


def test_a_script_seen_before_is_taken_from_the_cache_without_the_minifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    script = tmp_path / "a.js"
    script.write_text("(function () { var longName = 1; window.x = longName; })();\n", encoding="utf-8")
    first = minified(script, cache)
    assert len(list(cache.glob("*.js"))) == 1
    monkeypatch.setattr(ScriptMinifier, "_memo", {})  # A new build: only the cache folder is left.
    runs: list[list[str]] = []
    monkeypatch.setattr(ScriptMinifier, "_run", staticmethod(lambda texts: runs.append(texts) or []))
    assert minified(script, cache) == first and runs == []
    script.write_text("(function () { var otherName = 2; window.x = otherName; })();\n", encoding="utf-8")
    with pytest.raises(ValueError):  # The stub answers nothing: a changed script does go to the minifier.
        minified(script, cache)
    assert len(runs) == 1


def test_the_minifier_never_loads_in_the_build_process() -> None:
    code = (
        "import sys, generator.engines.plugin, generator.engines.theme_assets\n"
        "assert 'minify' not in sys.modules, 'the Go minifier was imported by the build'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert theme_assets.script_minifier.__name__ == "generator.engines.script_minifier"


def test_the_cache_keeps_only_the_scripts_of_the_last_build(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    script = tmp_path / "a.js"
    script.write_text("(function () { var longName = 1; window.x = longName; })();\n", encoding="utf-8")
    minifier = ScriptMinifier(cache)
    minifier.prune()  # No folder yet: nothing to do, no error.
    minified(script, cache)
    (old,) = cache.glob("*.js")
    left_over = cache / f"{'0' * 64}.123.part"  # A build stopped while writing.
    left_over.write_text("half", encoding="utf-8")
    not_ours = cache / "notes.txt"
    not_ours.write_text("kept", encoding="utf-8")
    script.write_text("(function () { var otherName = 2; window.x = otherName; })();\n", encoding="utf-8")
    minifier.minified([script])
    minifier.prune()
    (new,) = cache.glob("*.js")
    assert new != old and not left_over.exists() and not_ours.exists()
    minifier.minified([script])
    minifier.prune()
    assert list(cache.glob("*.js")) == [new], "the script in use stays cached"
