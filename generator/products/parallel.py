"""Post-build helper: the site's files listed once, then compressed and hashed on a few threads, in order.

`site_files` lists the built site's files (a walk with `os.scandir` that takes
each entry's type from the directory, with no `stat` per file: a tenth of the
time `sorted(Path.rglob)` took, and in the same order).

zlib (deflate, inflate, CRC-32) and hashlib (SHA-256) let go of Python's
global lock while they work on a buffer, so the products that compress or
hash every file of the site (`offline_zip`, `precompress`, `deploy_script`,
`service_worker`) can hand that work to threads and go on reading the next file
meanwhile (`pipeline.finish` has the zip, the service worker and the deploy
list work in its own thread, where that was faster or smaller in memory).
`ordered_map` gives the results in the order of the input, so what is written is the same bytes whatever the number of threads, and holds
at most a few files at once (never the whole site). With one thread (the
`concurrency` option set to 1) everything happens in the calling thread.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import sys
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

MOST_THREADS = 4
"""Threads beyond this gain nothing: reading the files and Python's own work (in one thread) are the limit."""

AHEAD_PER_THREAD = 2
"""Files handed out per thread before the oldest result is waited for: what bounds the memory held."""

LARGE_ITEM = 256 * 1024
"""With `ordered_map(size=...)`: an item this large is done in the calling thread, alone (a search index)."""


def site_files(site_dir: Path) -> list[str]:
    """Every file of the site (path relative to `site_dir`, with `/`), sorted as `sorted(site_dir.rglob("*"))`
    sorts paths: part by part. Links to folders are not followed, as `rglob` does not follow them; a folder
    that cannot be read is left out, as `os.walk` leaves it out."""
    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = os.scandir(folder)
        except OSError:
            return
        with entries:
            for entry in entries:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if is_folder:
                    if not entry.is_symlink():
                        walk(entry.path, prefix + entry.name + "/")
                elif entry.is_file():  # The directory entry's type: no stat for a plain file (a link is followed).
                    found.append(prefix + entry.name)

    walk(os.fspath(site_dir), "")
    return sorted(found, key=lambda uri: uri.split("/"))


def thread_count(concurrency: int | None = None) -> int:
    """Threads for the post-build work: `concurrency` (the option), else every core, at most `MOST_THREADS`."""
    wanted = concurrency if concurrency is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, MOST_THREADS))


def ordered_map(
    function: Callable[[In], Out],
    items: Iterable[In],
    threads: int,
    size: Callable[[In], int] | None = None,
) -> Iterator[tuple[In, Out]]:
    """`(item, function(item))` for each item, in the items' order, `function` running on `threads` threads.

    At most `threads * AHEAD_PER_THREAD` items are in hand at once. With `size` (an item's bytes), an item
    of `LARGE_ITEM` bytes or more is done in the calling thread once those before it are done: a large file
    is then handled as it would be with one thread, and its buffers come from the main thread's memory
    (a thread's own allocator arena keeps what it freed, which cost the build megabytes at its peak).
    An exception in `function` is raised here, at its item; the items after it are not waited for."""
    if threads <= 1:
        for item in items:
            yield item, function(item)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="selfhelp-post-build") as pool:
        pending: deque[tuple[In, Future[Out]]] = deque()
        try:
            for item in items:
                if size is not None and size(item) >= LARGE_ITEM:
                    while pending:
                        done, future = pending.popleft()
                        yield done, future.result()
                    yield item, function(item)
                    continue
                pending.append((item, pool.submit(function, item)))
                if len(pending) >= threads * AHEAD_PER_THREAD:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        finally:
            for _, future in pending:  # Stopped early (an error, or the caller stopped reading).
                future.cancel()


_known_digests: dict[str, tuple[int, int, str]] = {}
"""Digests made while the pages were built (`early_products.py`): {path: (length, CRC-32, SHA-256)}."""


@contextmanager
def known_digests() -> Iterator[dict[str, tuple[int, int, str]]]:
    """A mapping to fill with {path: (length, CRC-32, SHA-256)}: while in it, `file_digest` takes the SHA-256
    given for a path when the file still has that length and CRC-32 (the bytes it was made of), instead of
    hashing again (a CRC-32 costs a third of a SHA-256). Emptied on leaving."""
    _known_digests.clear()
    try:
        yield _known_digests
    finally:
        _known_digests.clear()


DIGEST_CHUNK = 1024 * 1024
"""Bytes `file_digest` reads at a time: a page is read whole, the zip (19 MB at 1,000 steps) never is."""


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex. A file of up to `DIGEST_CHUNK` bytes (nearly every one) is read
    whole and its digest taken from `known_digests` when it still has the length and CRC-32 given there; a
    larger one is read `DIGEST_CHUNK` bytes at a time (hashing the offline zip whole was the build's peak of
    memory at 1,000 steps)."""
    with open(path, "rb", buffering=0) as file:
        size = os.fstat(file.fileno()).st_size
        if size <= DIGEST_CHUNK:
            data = file.read()
            known = _known_digests.get(os.fspath(path))
            if known is not None and known[0] == len(data) and known[1] == zlib.crc32(data):
                return known[2]
            return hashlib.sha256(data).hexdigest()
        digest = hashlib.sha256()
        buffer = bytearray(DIGEST_CHUNK)
        view = memoryview(buffer)
        while count := file.readinto(buffer):
            digest.update(view[:count])
    return digest.hexdigest()


def _glibc() -> ctypes.CDLL | None:
    """The C library's functions when it is glibc's (on Linux): None elsewhere, or for a C library without them."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim, libc.mallopt  # noqa: B018 - present only in glibc (not musl)
    except (OSError, AttributeError):
        return None
    return libc


def share_one_heap() -> None:
    """Have every thread this process starts from now on allocate from the main heap (glibc on Linux).

    glibc gives each new thread a heap of its own (an arena), up to eight per core, and keeps what a thread
    freed in its heap for it: the PDF pack's thread and the post-build threads (gzip copies, the zip,
    hashing) each kept megabytes, which added up to 7 MB of a 1,000-step cold build's peak. Those threads
    spend their time in zlib, hashlib and a worker's pipe with Python's lock let go, not in malloc, so
    sharing one heap costs them nothing measurable. Elsewhere, nothing happens."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, 1)


def give_back_freed_memory() -> None:
    """Hand the memory this process freed back to the system, where the C library keeps it (glibc on Linux).

    glibc keeps freed blocks for reuse, and raises the size it maps apart from its heap each time such a
    block is freed, so once the search index (7 MB at 1,000 steps) has been written, later blocks of that
    size come from the heap and stay counted in the process's memory when freed. The post-build products
    each hold a few large buffers in turn, and what one freed stacked under the next one's peak.
    `malloc_trim` returns every free page of every arena (a few milliseconds); elsewhere, nothing happens."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, _MAPPED_APART)
        libc.malloc_trim(0)


_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
_MAPPED_APART = 1024 * 1024
