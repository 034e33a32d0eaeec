"""The package's layout shows the stages (ARCHITECTURE.md, "Layout"), and the imports follow it.

content/ (before the engine) imports nothing of products/ (after it), neither imports the engine
adapter or the pipeline, and each package's docstring names every module it holds.
"""

from __future__ import annotations

import ast
from pathlib import Path

import generator

GENERATOR = Path(generator.__file__).parent
STAGES = ("content", "products", "engines")


def _imported(path: Path) -> set[str]:
    """The modules of `generator` that `path` imports, as dotted names under generator (`content.model`)."""
    package = path.relative_to(GENERATOR).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - (node.level - 1)])
            if node.module:
                found.add(".".join([*base, node.module]))
            else:
                found.update(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            found.add(node.module.removeprefix("generator."))
    return found


def _imports_of(stage: str) -> dict[str, set[str]]:
    return {
        path.relative_to(GENERATOR).as_posix(): _imported(path) for path in sorted((GENERATOR / stage).glob("*.py"))
    }


def test_content_and_products_import_neither_the_engine_adapter_nor_the_pipeline() -> None:
    wrong = {
        module: sorted(name for name in names if name.split(".")[0] in ("engines", "pipeline", "cli"))
        for stage in ("content", "products")
        for module, names in _imports_of(stage).items()
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_content_comes_before_products() -> None:
    wrong = {
        module: sorted(n for n in names if n.startswith("products")) for module, names in _imports_of("content").items()
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def _named(docstring: str | None, name: str) -> bool:
    return f"`{name}`" in (docstring or "") or f"`{name}/" in (docstring or "")


def test_every_package_docstring_names_its_modules() -> None:
    missing = []
    for folder in (GENERATOR, *(GENERATOR / stage for stage in STAGES)):
        docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        names = [p.stem for p in folder.glob("*.py") if p.stem != "__init__"]
        if folder == GENERATOR:
            names += [p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))]
        missing += [f"{folder.relative_to(GENERATOR.parent)}: {name}" for name in names if not _named(docstring, name)]
    assert missing == []
