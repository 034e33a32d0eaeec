"""`parallel.ordered_map`: results in the input's order, a bounded number in hand, errors at their item."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.products.parallel import AHEAD_PER_THREAD, LARGE_ITEM, ordered_map, site_files, thread_count


@pytest.mark.parametrize("threads", [1, 3])
def test_results_come_in_the_inputs_order(threads: int) -> None:
    def slow_for_small(n: int) -> int:
        time.sleep(0.001 * (20 - n))  # The first items finish last.
        return n * n

    assert list(ordered_map(slow_for_small, range(20), threads)) == [(n, n * n) for n in range(20)]


def test_only_a_few_items_are_in_hand_at_once() -> None:
    taken = 0
    given_back = 0
    lock = threading.Lock()
    most = 0

    def items() -> Iterator[int]:
        nonlocal taken, most
        for n in range(100):
            with lock:
                taken += 1
                most = max(most, taken - given_back)
            yield n

    for _ in ordered_map(lambda n: n, items(), 2):
        given_back += 1
    assert most <= 2 * AHEAD_PER_THREAD + 1


def test_an_error_is_raised_at_its_item() -> None:
    def fails_at_five(n: int) -> int:
        if n == 5:
            raise ValueError("five")
        return n

    seen = []
    with pytest.raises(ValueError, match="five"):
        for n, _ in ordered_map(fails_at_five, range(10), 2):
            seen.append(n)
    assert seen == [0, 1, 2, 3, 4]


def test_thread_count_follows_the_concurrency_option() -> None:
    assert thread_count(1) == 1
    assert thread_count(2) == 2
    assert thread_count(64) == 4
    assert thread_count(0) == 1


def test_site_files_lists_files_as_sorted_rglob_does(tmp_path: Path) -> None:
    for uri in ("a/b.html", "a-c.css", "a/z/.hidden", ".htaccess", "b.js", "a/b/c.json", "A.txt"):
        (tmp_path / uri).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / uri).write_text("x")
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "linked-file.html").symlink_to(tmp_path / "b.js")
    (tmp_path / "broken.html").symlink_to(tmp_path / "nowhere")
    expected = [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert site_files(tmp_path) == expected
    assert "a/b.html" in expected and "linked/b.html" not in expected and "broken.html" not in expected


def test_large_items_are_done_alone_in_the_calling_thread() -> None:
    running = 0
    most = 0
    lock = threading.Lock()
    large_done_in: set[str] = set()

    def work(item: bytes) -> int:
        nonlocal running, most
        with lock:
            running += len(item)
            most = max(most, running)
            if len(item) >= LARGE_ITEM:
                large_done_in.add(threading.current_thread().name)
        time.sleep(0.002)
        with lock:
            running -= len(item)
        return len(item)

    items = [b"x" * (LARGE_ITEM if n % 3 == 0 else 10) for n in range(30)]
    assert [n for _, n in ordered_map(work, items, 3, size=len)] == [len(item) for item in items]
    assert most == LARGE_ITEM  # Never a small item beside a large one.
    assert large_done_in == {threading.current_thread().name}


ARENA_PROBE = """
import ctypes, sys, threading
from generator.products.parallel import share_one_heap
if sys.argv[1] == "shared":
    share_one_heap()
def work():
    blocks = [bytearray(200_000) for _ in range(20)]
    del blocks
threads = [threading.Thread(target=work) for _ in range(3)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heaps (arenas) are what is shared")
def test_threads_started_after_share_one_heap_allocate_from_the_main_heap() -> None:
    """glibc's `malloc_stats` lists one "Arena" per heap: threads get their own unless the heap is shared."""

    def arenas(mode: str) -> int:
        done = subprocess.run([sys.executable, "-c", ARENA_PROBE, mode], capture_output=True, text=True, check=True)
        return sum(line.startswith("Arena ") for line in done.stderr.splitlines())

    assert arenas("apart") > 1
    assert arenas("shared") == 1
