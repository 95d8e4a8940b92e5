"""``export_clean``: one verified, allowlist-cleaned copy of a photo.

One file goes: sniff -> handler (whether the photo is taken at all and where its copy
goes: :mod:`veil.core.export.intake`) -> audit of the source -> (optional upright pixels +
redaction) -> handler's ``write_clean`` into a hidden, locked temp file in the destination
folder -> verify the temp file (audit again, structure, decode or proof) -> make it
durable -> move it to its final name. Any failure or cancel deletes the temp file, so
nothing half-written is ever left behind, and the original is only ever opened for
reading. A batch (:mod:`veil.core.export.batch`) makes a whole window of verified copies
durable at once.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from veil.core import formats
from veil.core.audit import audit_file
from veil.core.cancel import NEVER, CancelToken
from veil.core.damage_words import could_not_copy
from veil.core.errors import Cancelled, CorruptFile, Unsupported, VeilError
from veil.core.export.commit import Pending, finish, read_back, write_temp
from veil.core.export.damage import damage_notes, damaged_failure
from veil.core.export.intake import admit, result
from veil.core.export.naming import SourceGuard, output_stem, output_suffix
from veil.core.export.pixels import source_orientation, upright_pixels
from veil.core.export.place import Existing
from veil.core.export.refusal import animation_refusal, too_large_reason
from veil.core.export.sync import sync_files
from veil.core.export.verify import NOT_IN_FILE, upright_size, verify_output
from veil.core.formats import jpeg_scans
from veil.core.formats.base import ImageFormat
from veil.core.metadata import exif_lean, gazetteer
from veil.core.metadata.model import unshown
from veil.core.model import PIXEL_KINDS, ExportOptions, ExportResult, ExportStatus, FindingKind

__all__ = ["export_clean", "prepare"]


def _written_handler(fd: int) -> type[ImageFormat] | None:
    """The handler for what was written (read back through the temp file's own fd)."""
    return formats.detect(os.pread(fd, 64, 0))


def export_clean(
    source: Path,
    out_dir: Path,
    options: ExportOptions,
    *,
    cancel: CancelToken = NEVER,
    index: int = 1,
    relative_dir: Path = Path(),
    guard: SourceGuard | None = None,
) -> ExportResult:
    """Write a verified, cleaned copy of ``source`` under ``out_dir / relative_dir``.

    Never raises for a bad file or destination: the result says ``failed`` (corrupt,
    unwritable, verification failed) or ``skipped`` (not an image, unsupported such as DNG)
    with a one-line reason. The original is only opened for reading and never replaced.

    Args:
        source: the photo to clean.
        out_dir: destination root.
        options: naming, orientation, redactions (see :class:`ExportOptions`).
        cancel: checked between stages; a cancelled export leaves no file behind.
        index: 1-based position in the batch, used by ``rename="neutral"``.
        relative_dir: sub-folder under ``out_dir`` (folder inputs keep their layout).
        guard: the originals ``overwrite`` must never replace (a batch's inputs and source
            folders); default: ``source`` and its folder.

    Raises:
        Cancelled: ``cancel`` fired (any temp file is already deleted).
    """
    if guard is None:
        guard = SourceGuard.of([Path(source)])
    prepared = prepare(source, out_dir, options, cancel, index, Path(relative_dir), guard)
    if isinstance(prepared, ExportResult):
        return prepared
    try:
        cancel.raise_if_cancelled()
        sync_files([prepared.fd])
    except Cancelled:
        prepared.discard()
        raise
    except OSError as exc:
        return prepared.fail(exc)
    return finish(prepared)


def prepare(
    source: Path,
    out_dir: Path,
    options: ExportOptions,
    cancel: CancelToken,
    index: int,
    relative_dir: Path,
    guard: SourceGuard,
    existing: Existing | None = None,
) -> ExportResult | Pending:
    """Everything of :func:`export_clean` but making the copy durable and the final move:
    a failed/skipped result, or a verified copy in its locked temp file. ``existing`` is
    the destination folder's names before the batch (see :func:`veil.core.export.place`).

    Raises:
        Cancelled: ``cancel`` fired (any temp file is already deleted).
    """
    source = Path(source)
    admitted = admit(source, out_dir, options, cancel, relative_dir)
    if isinstance(admitted, ExportResult):
        return admitted
    handler, folder = admitted

    try:
        # Only the kinds of its findings are used (``removed``): EXIF is decoded lean,
        # with the same findings (see veil.core.metadata.exif_lean), a GPS position is
        # not put into words (the nearest town's name is in no result), and neither the
        # tag list nor the findings' details are built (metadata.model.unshown). A JPEG's
        # scans are kept for its copy's walk (formats.jpeg_scans).
        with exif_lean.lean(), gazetteer.unnamed(), unshown(), jpeg_scans.remembering():
            before = audit_file(source, metadata_only=True, cancel=cancel)
    except Cancelled:
        raise
    except Exception as exc:  # a reader bug must fail this file, not the whole batch
        return result(source, ExportStatus.FAILED, f"internal error while reading: {exc}")
    if not before.ok:
        return result(source, ExportStatus.FAILED, before.error or "cannot read the file")
    movie = handler.name == "video"  # verified by its samples, not by Pillow (export.video)
    try:
        # The source's upright size from the audit just made (the same answer as Pillow's
        # header on every corpus photo, without parsing its EXIF a second time); Pillow's
        # only when the container did not say.
        if movie:
            expected = (0, 0)
        elif before.width and before.height:
            expected = (before.width, before.height)
        else:
            expected = upright_size(source)
        # Before anything decodes: the copy's verification would decode it all.
        too_large = too_large_reason(expected, before.format, handler)
        if too_large:  # the same rule a planner asks (export.refusal.planned_skip)
            return result(source, ExportStatus.SKIPPED, too_large)
        animated = animation_refusal(source, options, handler)  # before decoding for nothing
        if animated:
            return result(source, ExportStatus.SKIPPED, animated.reason)
    except Unsupported as exc:  # over the decode memory cap: refused before any decode
        return result(source, ExportStatus.SKIPPED, str(exc))
    except Exception as exc:  # Pillow and its plugins raise many types for a bad header
        return result(source, ExportStatus.FAILED,
                      could_not_copy(f"cannot decode the pixels: {exc}"))

    tmp: Path | None = None
    fd: int | None = None
    try:
        pixels = None
        if not movie and (options.redactions
                          or (options.bake_orientation and source_orientation(source) != 1)):
            from veil.core.redact import cover

            cancel.raise_if_cancelled()
            pixels = cover(upright_pixels(source), options.redactions, options.redaction_padding)
        cancel.raise_if_cancelled()
        tmp, outcome, fd = write_temp(handler, source, folder, options, pixels)
        cancel.raise_if_cancelled()
        # Read back once, through the temp file's own fd: the re-audit, the structure
        # proof and Pillow's check all read this one buffer.
        data = None if movie else read_back(fd)
        written = _written_handler(fd) if data is None else formats.detect(data[:64])
        if movie:  # imported here: a batch of photos never loads the video readers
            from veil.core.export.video import verify_video
        report, problem = verify_video(tmp, source, outcome.kept) if movie else verify_output(
            tmp,
            expected_size=expected,
            kept=outcome.kept,
            boxes=options.redactions,
            padding=options.redaction_padding,
            lossy=not outcome.lossless,
            baked=options.bake_orientation,
            source=source,
            data=data,
        )
        if problem is not None and "does not decode" in problem:
            blamed = _blame_source(source)
            if blamed:  # what it means first: "not written: ..." told a user nothing
                return result(source, ExportStatus.FAILED, damaged_failure(before.notes, blamed))
        if problem is not None or written is None or report is None:
            return result(
                source,
                ExportStatus.FAILED,
                f"not written: {problem or 'the copy is not a readable image'}",
            )
        cancel.raise_if_cancelled()
        suffix = output_suffix(source, written.extensions, written is handler)
        stem = output_stem(source, options.rename, index)
        assert fd is not None
        pending = Pending(
            tmp,
            fd,
            folder,
            stem,
            suffix,
            options.overwrite,
            source,
            guard=guard,
            existing=existing,
            tail=options.name_suffix,
        )
        tmp = fd = None
    except Unsupported as exc:
        return result(source, ExportStatus.SKIPPED, str(exc))
    except Cancelled:
        raise
    except VeilError as exc:  # the source's reader or cleaner refused it
        why = str(exc)
        if isinstance(exc, CorruptFile) and not movie and _blame_source(source):
            # Its picture doesn't decode either (a HEIC cut inside its coded data, a TIFF
            # whose strip is garbled): said as the scan and the planner say it.
            why = could_not_copy(why)
        return result(source, ExportStatus.FAILED, damaged_failure(before.notes, why))
    except PermissionError:
        return result(source, ExportStatus.FAILED, f"cannot write to {folder}: permission denied")
    except OSError as exc:
        return result(
            source, ExportStatus.FAILED, f"cannot write to {folder}: {exc.strerror or exc}"
        )
    except Exception as exc:  # a handler bug must not sink the rest of the batch
        return result(source, ExportStatus.FAILED, f"internal error while cleaning: {exc}")
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    after_kinds = {f.kind for f in report.findings}
    removed_kinds = [
        f.kind.value
        for f in before.findings
        if f.kind not in PIXEL_KINDS
        and f.kind not in after_kinds
        and (f.kind not in NOT_IN_FILE or _name_removed(f.kind, options))
    ]
    # Said here, once, for every front end: the kept stem is the source's own
    # (naming.output_stem), so what the source audit found in its name is in the copy's.
    reveals = tuple(f.summary for f in before.findings
                    if f.kind is FindingKind.FILENAME and not _name_removed(f.kind, options))
    pending.result = ExportResult(
        source=source,
        output=None,
        status=ExportStatus.CLEANED,
        verified=True,
        lossless=outcome.lossless,
        removed=tuple(dict.fromkeys([*removed_kinds, *outcome.removed])),
        kept=(*outcome.kept, FindingKind.FILENAME.value) if reveals else tuple(outcome.kept),
        notes=damage_notes(before.notes),
        name_reveals=reveals,
    )
    return pending


def _blame_source(source: Path) -> str | None:
    """When the copy does not decode, say so plainly if the original doesn't either."""
    try:
        upright_pixels(source)
    except CorruptFile as exc:
        return could_not_copy(str(exc))
    except Exception:  # too large, out of memory...: not a damaged picture, nothing to add
        return None
    return None


def _name_removed(kind: FindingKind, options: ExportOptions) -> bool:
    """A revealing file name is gone only when renamed; sidecars are never copied."""
    return kind is FindingKind.SIDECAR or options.rename != "keep"
