"""`parallel.ordered_map`: results in the input's order, a bounded number in hand, errors at their item."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from generator.products.parallel import AHEAD_PER_THREAD, ordered_map, thread_count


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
