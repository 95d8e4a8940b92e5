"""The last steps of one export: the hidden temp file in the destination folder, and the
never-clobber final move once the copy is durable (see :mod:`veil.core.export.sync`).

A temp file is ``.veil-XXXXXXXX.part`` in the destination folder (same file system, so the
final move is atomic; hidden, so folder walks never pick it up). Its writer holds an
exclusive ``flock`` on it from creation until it is moved or deleted. A ``.part`` file whose
lock is free therefore belongs to a process that died (kill -9, power cut): the next export
into that folder deletes it (:func:`remove_stale_parts`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veil.core.export.naming import SourceGuard
from veil.core.export.place import Existing, place
from veil.core.formats.base import CleanOutcome, ImageFormat
from veil.core.model import ExportOptions, ExportResult, ExportStatus

TEMP_PREFIX = ".veil-"
TEMP_SUFFIX = ".part"
#: An empty, unlocked temp file younger than this may be one whose writer has created it
#: but not locked it yet: left alone.
_FRESH_EMPTY_S = 60.0


def _read_umask() -> int:
    # Read once at import (single-threaded then): os.umask can only be read by setting it.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: New files get the user's normal permissions, never the source's mode bits.
_FILE_MODE = 0o666 & ~_read_umask()


def _lock(fd: int, *, wait: bool) -> bool:
    try:
        import fcntl
    except ImportError:  # not POSIX: no stale-file detection, nothing else changes
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def write_temp(
    handler: type[ImageFormat],
    source: Path,
    folder: Path,
    options: ExportOptions,
    pixels: Any | None,
) -> tuple[Path, CleanOutcome, int]:
    """Write the cleaned copy into a new hidden temp file in ``folder`` and flush it to the
    kernel. Returns the temp path, the handler's outcome and the open, locked fd (the caller
    closes it after the move, see :class:`Pending`). The temp file is deleted if anything
    goes wrong.

    Raises:
        Whatever ``write_clean`` raises, and OSError.
    """
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    tmp = Path(name)
    try:
        _lock(fd, wait=True)
        with os.fdopen(fd, "wb", closefd=False) as dst:
            outcome = handler.write_clean(source, dst, options, pixels)
            dst.flush()
        os.fchmod(fd, _FILE_MODE)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        os.close(fd)
        raise
    return tmp, outcome, fd


#: Largest copy read back into memory in one piece for its checks (larger ones are read by
#: each check from the file, as they were before).
READ_BACK_MAX = 64 << 20


def read_back(fd: int) -> bytes | None:
    """The whole written copy, read back through its own fd (from the start; the fd is not
    moved), or None when it is larger than ``READ_BACK_MAX``.

    Raises:
        OSError: the copy can't be read.
    """
    size = os.fstat(fd).st_size
    if size > READ_BACK_MAX:
        return None
    parts: list[bytes] = []
    offset = 0
    while True:  # to the end of the file, whatever fstat said
        chunk = os.pread(fd, max(size - offset, 1 << 16), offset)
        if not chunk:
            return b"".join(parts) if len(parts) != 1 else parts[0]
        parts.append(chunk)
        offset += len(chunk)


def remove_stale_parts(folder: Path) -> int:
    """Delete the ``.veil-*.part`` files in ``folder`` left by exports that died; returns
    how many. A temp file still being written (its lock is held) is never touched.
    """
    removed = 0
    try:
        entries = [e for e in os.scandir(folder) if _is_part(e.name)]
    except OSError:
        return 0
    for entry in entries:
        try:
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            fresh = time.time() - st.st_mtime < _FRESH_EMPTY_S
            if (st.st_size == 0 and fresh) or not _lock(fd, wait=False):
                continue
            # Still the file we locked (not replaced meanwhile): then it is stale.
            if os.lstat(entry.path).st_ino == st.st_ino:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def _is_part(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def _failed(source: Path, error: str) -> ExportResult:
    return ExportResult(source=source, output=None, status=ExportStatus.FAILED, error=error)


@dataclass(slots=True)
class Pending:
    """A verified copy in its locked temp file, waiting to be made durable and moved."""

    tmp: Path
    fd: int  # open and flock'ed until the copy is moved or deleted
    folder: Path
    stem: str  # wanted final name; " (1)" is added before the suffix if it is taken
    suffix: str
    overwrite: bool
    source: Path
    result: ExportResult | None = None  # the CLEANED result, without its output path yet
    guard: SourceGuard | None = None  # the batch's originals (None: only ``source``)
    existing: Existing | None = None  # names in the folder before the batch (None: unknown)
    tail: str = ""  # the name suffix after the stem (".clean"), never cut to fit
    closed: bool = False

    def close(self) -> None:
        """Close the fd (releases the lock); idempotent."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError):
                os.close(self.fd)

    def discard(self) -> None:
        """Delete the temp file (failure, cancel, or the batch stopped early)."""
        with contextlib.suppress(OSError):
            self.tmp.unlink()
        self.close()

    def fail(self, error: OSError) -> ExportResult:
        """The copy could not be made durable: delete it and say why."""
        self.discard()
        if isinstance(error, PermissionError):
            return _failed(self.source, f"cannot write to {self.folder}: permission denied")
        return _failed(self.source, f"cannot write to {self.folder}: {error.strerror or error}")


def finish(pending: Pending) -> ExportResult:
    """Move a copy that is already durable to its final name (see :func:`commit` for the
    never-clobber rules) and return its result. Never raises for a refused or failed move:
    the temp file is deleted and the result says why."""
    source = pending.source
    try:
        final, unchanged = place(
            pending.tmp,
            pending.folder,
            pending.stem,
            pending.suffix,
            overwrite=pending.overwrite,
            protect=source,
            guard=pending.guard,
            existing=pending.existing,
            tail=pending.tail,
        )
    except FileExistsError as exc:  # ProtectedName too: the reason is the message
        pending.discard()
        return _failed(source, str(exc))
    except OSError as exc:
        return pending.fail(exc)
    finally:
        pending.close()
    assert pending.result is not None
    return dataclasses.replace(pending.result, output=final, unchanged=unchanged)
