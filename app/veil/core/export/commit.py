"""The last steps of one export: the hidden temp file in the destination folder, its fsync
(on a helper thread, see :mod:`veil.core.export.sync`) and the never-clobber final move."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veil.core.cancel import CancelToken
from veil.core.errors import Cancelled
from veil.core.export.naming import ProtectedName, SourceGuard, commit
from veil.core.export.sync import BackgroundSync
from veil.core.formats.base import CleanOutcome, ImageFormat
from veil.core.model import ExportOptions, ExportResult, ExportStatus

_TEMP_PREFIX = ".veil-"  # hidden: folder walks (ours included) never pick up a temp file
_TEMP_SUFFIX = ".part"


def _read_umask() -> int:
    # Read once at import (single-threaded then): os.umask can only be read by setting it.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: New files get the user's normal permissions, never the source's mode bits.
_FILE_MODE = 0o666 & ~_read_umask()


def write_temp(
    handler: type[ImageFormat],
    source: Path,
    folder: Path,
    options: ExportOptions,
    pixels: Any | None,
) -> tuple[Path, CleanOutcome, BackgroundSync]:
    """Write the cleaned copy into a new hidden temp file in ``folder`` (same file system,
    so the final move is atomic), flush it and start its fsync. The temp file is deleted if
    anything goes wrong; the returned sync must be waited for before the copy is moved.

    Raises:
        Whatever ``write_clean`` raises, and OSError.
    """
    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb", closefd=False) as dst:
            outcome = handler.write_clean(source, dst, options, pixels)
            dst.flush()
        os.fchmod(fd, _FILE_MODE)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp, outcome, BackgroundSync(fd)  # the sync owns (and closes) the fd now


def _failed(source: Path, error: str) -> ExportResult:
    return ExportResult(source=source, output=None, status=ExportStatus.FAILED, error=error)


@dataclass(slots=True)
class Pending:
    """A verified copy in its temp file, waiting for its fsync before its final move."""

    tmp: Path
    sync: BackgroundSync
    folder: Path
    stem: str  # wanted final name; " (1)" is added before the suffix if it is taken
    suffix: str
    overwrite: bool
    source: Path
    result: ExportResult | None = None  # the CLEANED result, without its output path yet
    guard: SourceGuard | None = None  # the batch's originals (None: only ``source``)

    def discard(self) -> None:
        """Delete the temp file (cancel, or the batch stopped early)."""
        self.sync.abandon()
        with contextlib.suppress(OSError):
            self.tmp.unlink()


def finish(pending: Pending, cancel: CancelToken) -> ExportResult:
    """Wait for the copy's fsync, then move it to a free final name.

    Raises:
        Cancelled: ``cancel`` fired first (the temp file is deleted).
    """
    source, folder = pending.source, pending.folder
    try:
        cancel.raise_if_cancelled()
        pending.sync.wait()
        final = commit(
            pending.tmp,
            folder,
            pending.stem,
            pending.suffix,
            overwrite=pending.overwrite,
            protect=source,
            guard=pending.guard,
        )
    except Cancelled:
        pending.discard()
        raise
    except ProtectedName as exc:
        pending.discard()
        return _failed(source, str(exc))
    except OSError as exc:
        pending.discard()
        if isinstance(exc, PermissionError):
            return _failed(source, f"cannot write to {folder}: permission denied")
        return _failed(source, f"cannot write to {folder}: {exc.strerror or exc}")
    assert pending.result is not None
    return dataclasses.replace(pending.result, output=final)
