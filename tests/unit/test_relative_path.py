"""`render.relative_path` is `posixpath.relpath` for every pair of paths, without asking for the working folder."""

from __future__ import annotations

import posixpath
import random

from generator.content.render import relative_path

CASES = [
    ("guides/g/step.md", "guides/g"),
    ("guides/g/", "guides/g/step"),
    ("index.md", "."),
    (".", "."),
    ("assets/selfhelp/x.css", "guides/g/step"),
    ("guides/g", "guides/g"),
    ("guides/g/", "guides/g/"),
    ("a//b/./c", "./a/b/"),
    ("../outside", "guides"),
    ("a", "../up"),
    ("/root/x", "a"),
    ("a", "/root"),
    ("a..b/c", "a..b"),
    ("a", ""),
]


def test_known_pairs_are_what_relpath_gives() -> None:
    for target, start in CASES:
        assert relative_path(target, start) == posixpath.relpath(target, start), (target, start)


def test_random_pairs_are_what_relpath_gives() -> None:
    chance = random.Random(14)
    parts = ["a", "b", "guides", "step-1", ".", "", "index.md", "x.css", ".."]

    def path() -> str:
        return "/".join(chance.choice(parts) for _ in range(chance.randint(1, 5)))

    for _ in range(5_000):
        target, start = path(), path()
        if not target:
            continue  # relpath refuses an empty path; so does relative_path (it calls relpath).
        assert relative_path(target, start) == posixpath.relpath(target, start), (target, start)
