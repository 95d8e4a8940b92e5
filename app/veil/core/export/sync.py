"""Durability for a batch of finished copies: one disk flush for many files.

A copy is safe once its bytes are on disk *before* it gets its final name (a crash or power
loss then leaves either nothing or the whole copy under that name). Flushing each copy on
its own (``fsync`` per photo) makes every photo wait for a journal commit: on a shared disk
that was most of ``veil clean``'s wall time. Instead a batch writes and verifies a window of
copies into their hidden temp files, makes them all durable at once with one ``syncfs``
(Linux: the file system holding them; elsewhere ``fsync`` of each, back to back), and only
then moves them to their final names. One more flush at the end of the batch makes the
renames durable before the run says it is done.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

_syncfs: object = None  # the libc function, looked up on first use (None: not looked up yet)


def _libc_syncfs() -> object:
    global _syncfs
    if _syncfs is None:
        fn: object = False
        if sys.platform.startswith("linux"):
            import ctypes  # only when a batch flushes: not a start-up import

            try:
                fn = ctypes.CDLL(None, use_errno=True).syncfs
            except (OSError, AttributeError):
                fn = False
        _syncfs = fn
    return _syncfs


def syncfs_available() -> bool:
    """True where one ``syncfs`` call can flush a whole file system (Linux)."""
    return bool(_libc_syncfs())


def syncfs(fd: int) -> None:
    """Flush the whole file system that ``fd`` is on (one journal commit for every file
    written to it), falling back to ``fsync(fd)`` where ``syncfs`` does not exist.

    Raises:
        OSError: the kernel reported a write-back error (EIO, ENOSPC...).
    """
    fn = _libc_syncfs()
    if not fn:
        os.fsync(fd)
        return
    if fn(fd) != 0:  # type: ignore[operator]
        import ctypes

        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def sync_files(fds: Sequence[int]) -> None:
    """Make the files open as ``fds`` durable: ``fsync`` for one file, one ``syncfs`` for
    several on Linux (they are all in one output tree), ``fsync`` of each elsewhere.

    Raises:
        OSError: the flush failed; none of the files may then be called safe.
    """
    if not fds:
        return
    if len(fds) == 1 or not _libc_syncfs():
        for fd in fds:
            os.fsync(fd)
        return
    syncfs(fds[0])


def sync_folder(folder: os.PathLike[str] | str) -> None:
    """Make the renames into ``folder`` (and everything else written to its file system)
    durable: the last step of a batch, before it reports that it is done.

    Raises:
        OSError: the folder can't be opened or the flush failed.
    """
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if _libc_syncfs():
            syncfs(fd)
        else:
            os.fsync(fd)
    finally:
        os.close(fd)
