"""Whether a photo is taken for a copy at all, and where its copy goes: the checks an
export makes before it reads more of the source than its first 64 bytes.

Split from :mod:`veil.core.export.engine` (the per-photo pipeline) because these answers
need nothing of the photo's metadata: options the caller got wrong, what is not a regular
file, content that is not a supported image, camera raws (:mod:`.refusal`), and an output
folder that would put the copy beside its original or outside ``out_dir`` (:mod:`.confine`).
Each becomes the file's one-line result; the batch goes on.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from veil.core import formats
from veil.core.cancel import CancelToken
from veil.core.errors import CorruptFile, NotAnImage, VeilError
from veil.core.export.confine import OutsideOutput, confined_folder
from veil.core.export.naming import RENAME_MODES, same_file, valid_name_suffix
from veil.core.export.refusal import read_head, skip_reason
from veil.core.formats.base import ImageFormat
from veil.core.formats.unknown import why_unsupported
from veil.core.model import ExportOptions, ExportResult, ExportStatus

__all__ = ["admit", "result", "sniff"]


def result(
    source: Path, status: ExportStatus, error: str, output: Path | None = None
) -> ExportResult:
    """A failed or skipped photo's result, with its one-line reason."""
    if "\n" in error or "\r" in error:  # a decoder's message may end in a line break
        error = " ".join(error.split())
    return ExportResult(source=source, output=output, status=status, error=error)


def admit(
    source: Path,
    out_dir: Path,
    options: ExportOptions,
    cancel: CancelToken,
    relative_dir: Path,
) -> tuple[type[ImageFormat], Path] | ExportResult:
    """(``source``'s handler, the existing folder its copy goes in), or the photo's failed
    or skipped result. Creates the output folder (one level at a time, see
    :func:`.confine.confined_folder`); opens ``source`` read-only for 64 bytes.

    Raises:
        Cancelled: ``cancel`` fired.
    """
    if options.rename not in RENAME_MODES:
        return result(source, ExportStatus.FAILED, f"unknown rename mode {options.rename!r}")
    if not valid_name_suffix(options.name_suffix):
        return result(source, ExportStatus.FAILED, f"invalid name suffix {options.name_suffix!r}")
    cancel.raise_if_cancelled()
    try:
        mode = os.stat(source).st_mode
        if stat.S_ISDIR(mode):
            return result(source, ExportStatus.SKIPPED, "this is a folder, not a photo")
        if not stat.S_ISREG(mode):  # opening a named pipe would wait for a writer forever
            return result(source, ExportStatus.SKIPPED,
                          "not a regular file (a pipe, socket or device)")
        handler = sniff(source)
        refusal = skip_reason(source, handler)
    except NotAnImage as exc:
        return result(source, ExportStatus.SKIPPED, str(exc))
    except VeilError as exc:
        return result(source, ExportStatus.FAILED, str(exc))
    except OSError as exc:
        return result(source, ExportStatus.FAILED, f"cannot read the file: {exc.strerror or exc}")
    except Exception as exc:  # a sniff bug must fail this file, not the whole batch
        return result(source, ExportStatus.FAILED, f"internal error while reading: {exc}")

    if refusal:  # camera raws: refused before Pillow is asked to decode them (export.refusal)
        return result(source, ExportStatus.SKIPPED, refusal)
    relative_dir = Path(relative_dir)
    if relative_dir.is_absolute() or ".." in relative_dir.parts:
        # A copy must land under out_dir, whatever a caller computed.
        return result(source, ExportStatus.FAILED, f"invalid sub-folder {relative_dir}")
    folder = Path(out_dir) / relative_dir
    # With a name suffix ("photo.clean.jpg") the photo's own folder is allowed: the copy never
    # takes the original's name, and the commit never replaces an existing file.
    if options.rename == "keep" and not options.name_suffix and same_file(folder, source.parent):
        return result(
            source,
            ExportStatus.FAILED,
            "the output folder is the photo's own folder: choose another folder "
            "(or rename neutral/random) so the original is never replaced",
        )
    try:  # made one folder at a time; a symbolic link below out_dir is refused
        folder = confined_folder(out_dir, relative_dir)
    except OutsideOutput as exc:
        return result(source, ExportStatus.FAILED, str(exc))
    except OSError as exc:
        return result(
            source,
            ExportStatus.FAILED,
            f"cannot create the output folder {folder}: {exc.strerror or exc}",
        )

    return handler, folder


def sniff(source: Path) -> type[ImageFormat]:
    """The handler for ``source``'s content (never its name). Opens read-only.

    Raises:
        NotAnImage, CorruptFile, OSError.
    """
    head = read_head(source)
    if not head:
        raise CorruptFile("the file is empty (0 bytes)")
    handler = formats.detect(head)
    if handler is None:
        raise NotAnImage(why_unsupported(head))
    return handler
