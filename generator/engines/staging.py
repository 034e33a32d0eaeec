"""All-or-nothing builds: make the site in a staging folder next to `site/`, swap it in only when it passed.

`StagedSite(site_dir)` creates `<site>.staging-<random>` beside the site
folder (same parent, so same file system, so a rename can move it). The build
writes there. `publish()` puts it in place of the site folder in one step where
the OS has one (Linux: `renameat2(RENAME_EXCHANGE)`, which swaps the two folders
atomically), else with two renames in a row; then the old site is deleted.
Under `mkdocs serve`, `publish(remove_previous_later=True)` deletes the previous
site in a background thread once the new one is in place (the preview reloads
without waiting for it); `wait_for_removals()` joins those threads.
`discard()` deletes the staging folder and leaves the site folder as it was,
byte for byte. If neither is called (the process is interrupted), the staging
folder is deleted when the process exits. A build holds an advisory lock on its
staging folder (POSIX `flock`), so the next build can tell a folder left by a
build that was killed outright (no lock, untouched for a minute) from one still
in use, and removes only the first.

Like MkDocs' own clean, a publish keeps the hidden top-level entries of the
old site the new build did not write (a `.git` folder of a deploy checkout,
say). Knows nothing of MkDocs.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
import sys
import threading
import time
import weakref
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock, so a killed build's staging folder is left for a person to delete.
    fcntl = None  # type: ignore[assignment]

STAGING_MARK = ".staging-"
"""Staging folders are named `<site folder name>.staging-<random>`."""

ABANDONED_AFTER = 60.0
"""Seconds an unlocked staging folder must be untouched before another build removes it (its build may be starting)."""


class StagingError(Exception):
    """The site folder cannot be staged or replaced; the message says why and what to do."""


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux `renameat2` with `RENAME_EXCHANGE`); False where the OS cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # No libc of that name, or a glibc older than 2.28.
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # A file system or kernel without exchange.
        return False
    raise OSError(code, os.strerror(code), str(second))


def _lock(folder: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `folder`; None when another process holds it (or no flock)."""
    if fcntl is None:
        return None
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _remove_abandoned(parent: Path, site_name: str) -> None:
    """Delete staging folders of `site_name` that builds killed outright left behind."""
    pattern = re.compile(re.escape(site_name + STAGING_MARK) + r"[0-9a-f]{8}")
    for entry in parent.iterdir():
        if not pattern.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        try:
            if time.time() - entry.stat().st_mtime < ABANDONED_AFTER:
                continue
            descriptor = _lock(entry)
        except OSError:  # Gone already, or not ours to open: leave it.
            continue
        if descriptor is None:
            continue  # A build in another process is still using it.
        try:
            shutil.rmtree(entry, ignore_errors=True)
        finally:
            os.close(descriptor)


def _delete(folder: Path, lock: int | None) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if lock is not None:
        os.close(lock)


_removals: list[threading.Thread] = []
"""Background deletions of previous sites (`publish(remove_previous_later=True)`) not yet joined."""


def _remove_later(folder: Path) -> None:
    """Delete `folder` (already out of the site's place) in a background thread."""
    _removals[:] = [thread for thread in _removals if thread.is_alive()]
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, daemon=True)
    thread.start()
    _removals.append(thread)


def wait_for_removals() -> None:
    """Wait until every previous site deleted in the background is gone (a serve that stops calls it)."""
    while _removals:
        _removals.pop().join()


def _default_folder_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


class StagedSite:
    """A staging folder for one build of the site at `site_dir`."""

    def __init__(self, site_dir: Path, *, start_from_current: bool = False) -> None:
        """`start_from_current` copies the current site in first (for `--dirty` builds, which add to it)."""
        # A site folder that is a symlink (to a web server's folder, say) is replaced where it points.
        self.site_dir = Path(os.path.realpath(site_dir))
        if self.site_dir.exists() and not self.site_dir.is_dir():
            raise StagingError(f"site_dir '{site_dir}' is a file, not a folder: remove it or choose another site_dir")
        parent = self.site_dir.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.path = self._make_folder(parent)
            self._lock_descriptor = _lock(self.path)
        except OSError as error:
            raise StagingError(
                f"cannot create a staging folder in '{parent}' ({error.strerror}): the site is built next to "
                "site_dir and moved into place, so its parent folder must be writable"
            ) from None
        self._cleanup = weakref.finalize(self, _delete, self.path, self._lock_descriptor)
        _remove_abandoned(parent, self.site_dir.name)
        if start_from_current and self.site_dir.is_dir():
            # copy2 keeps modification times, which a dirty build compares to decide what to rebuild.
            shutil.copytree(self.site_dir, self.path, symlinks=True, dirs_exist_ok=True)

    def _make_folder(self, parent: Path) -> Path:
        mode = stat.S_IMODE(self.site_dir.stat().st_mode) if self.site_dir.is_dir() else _default_folder_mode()
        while True:
            path = parent / f"{self.site_dir.name}{STAGING_MARK}{secrets.token_hex(4)}"
            try:
                path.mkdir()
            except FileExistsError:
                continue
            path.chmod(mode)  # The folder readers get must be as readable as the one it replaces.
            return path

    def publish(self, *, remove_previous_later: bool = False) -> None:
        """Put the staged build in place of the site folder; the previous site is deleted.

        `remove_previous_later`: delete it in a background thread (`wait_for_removals`), not before returning.

        On an error the site folder is as it was and the staging folder is still there (call `discard`).
        """
        if not self.site_dir.exists():
            os.rename(self.path, self.site_dir)
            self._published()
            return
        self._copy_hidden_files()
        if _exchange(self.path, self.site_dir):
            old = self.path  # The staging name now holds the previous site.
        else:
            old = self.path.with_name(self.path.name + "-previous")
            os.rename(self.site_dir, old)
            try:
                os.rename(self.path, self.site_dir)
            except BaseException:
                os.rename(old, self.site_dir)  # Put the last good site back before reporting.
                raise
        self._published()
        self._move_hidden_folders(old)
        if remove_previous_later:
            _remove_later(old)
        else:
            shutil.rmtree(old, ignore_errors=True)

    def _published(self) -> None:
        self._cleanup.detach()
        if self._lock_descriptor is not None:
            os.close(self._lock_descriptor)

    # MkDocs' clean never deletes hidden entries at the top of site_dir, so neither does a publish.
    def _copy_hidden_files(self) -> None:
        """Before the swap: copy the old site's hidden top-level files the build did not write (.htaccess)."""
        for entry in self.site_dir.iterdir():
            target = self.path / entry.name
            if entry.name.startswith(".") and not (entry.is_dir() and not entry.is_symlink()):
                if not (target.exists() or target.is_symlink()):
                    shutil.copy2(entry, target, follow_symlinks=False)

    def _move_hidden_folders(self, old: Path) -> None:
        """After the swap: move the old site's hidden top-level folders (.git) into the new one; they may be large."""
        for entry in old.iterdir():
            target = self.site_dir / entry.name
            if entry.name.startswith(".") and entry.is_dir() and not entry.is_symlink():
                if not (target.exists() or target.is_symlink()):
                    os.rename(entry, target)

    def discard(self) -> None:
        """Delete the staging folder; the site folder stays exactly as it was."""
        self._cleanup()
