"""Our scripts are minified by a JavaScript parser: names shortened, nothing newer than ES2017 written, and a
script it cannot parse named with its line rather than a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engines.theme_assets import NotMinified, minified


def test_local_names_are_shortened_and_property_names_kept(tmp_path: Path) -> None:
    script = tmp_path / "a.js"
    script.write_text(
        "/* a comment */\n(() => {\n  const helper = (value) => value + 1, long = 2;\n"
        "  window.api = { helper, long };\n  try { helper(long); } catch (error) { /* none */ }\n})();\n",
        encoding="utf-8",
    )
    out = minified(script)
    assert "comment" not in out and "value" not in out
    assert "helper:" in out and "long:" in out  # shorthand properties keep their names
    assert "catch{" not in out  # ES2019's optional catch binding is not written


def test_a_script_that_does_not_parse_is_named_with_its_line(tmp_path: Path) -> None:
    script = tmp_path / "broken.js"
    script.write_text("var ok = 1;\nvar a = ;\n", encoding="utf-8")
    with pytest.raises(NotMinified) as caught:
        minified(script)
    assert str(script) in str(caught.value) and "line 2" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_styles_are_minified(tmp_path: Path) -> None:
    style = tmp_path / "a.css"
    style.write_text("/* c */\n.a {\n  color: red;\n}\n", encoding="utf-8")
    assert minified(style) == ".a{color:red}"
