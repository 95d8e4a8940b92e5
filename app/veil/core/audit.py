"""``audit_file``: one photo in, one frozen :class:`FileReport` out."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from veil.core import formats
from veil.core.cancel import NEVER, CancelToken
from veil.core.detectors import (
    PIXEL_DETECTOR_IDS,
    PixelContext,
    metadata_detectors,
    pixel_detectors,
)
from veil.core.errors import Cancelled, CorruptFile, NotAnImage, VeilError
from veil.core.formats.base import ContainerScan
from veil.core.formats.unknown import why_unsupported
from veil.core.metadata import Metadata, decode
from veil.core.model import CheckStatus, FileReport, Finding, Risk

#: The check that the container itself was fully parsed.
PARSE_CHECK = "metadata"
#: Why a video's faces and marks are "skipped".
VIDEO_PIXELS_NOTE = "faces and marks in videos are not checked: watch the video before sharing it"
#: An animated GIF, WebP or PNG: the pixel checks see its first frame only.
ANIMATION_NOTE = ("faces and marks were looked for in the first frame only (this is an "
                  "animation of {frames} frames): watch it before sharing it")


def frame_count(scan: ContainerScan) -> int:
    """The frames of an animated GIF, WebP or PNG as its walk listed them (1 for a still)."""
    name = {"gif": "image", "webp": "ANMF", "png": "fcTL"}.get(scan.format)
    return max(1, sum(1 for b in scan.blocks if b.name == name)) if name else 1


def compute_risk(
    findings: Iterable[Finding], checks: Mapping[str, CheckStatus], complete: bool
) -> Risk:
    """The file's risk: highest severity found, else NONE only if everything was checked.

    SKIPPED checks were explicitly not asked for (``--metadata-only``), so they do not block
    NONE; NOT_AVAILABLE and FAILED do: a check that could not run is never "clean".
    """
    top = max((f.severity.rank for f in findings), default=0)
    if top:
        return (Risk.LOW, Risk.MEDIUM, Risk.HIGH)[top - 1]
    blocked = any(s in (CheckStatus.NOT_AVAILABLE, CheckStatus.FAILED) for s in checks.values())
    return Risk.UNKNOWN if blocked or not complete else Risk.NONE


def _error(path: Path, reason: str, fmt: str | None = None) -> FileReport:
    return FileReport(
        path=path,
        status="error",
        error=reason,
        format=fmt,
        width=None,
        height=None,
        orientation=None,
        risk=Risk.UNKNOWN,
    )


def read_metadata(path: Path, *, sidecars: bool = True, data: bytes | None = None) -> Metadata:
    """Sniff, walk and decode ``path`` (and its sidecars unless ``sidecars`` is False)
    without touching pixels. ``data``: the file's whole content, already read by the caller
    through its own open file (an export's copy is read back once for all its checks); then
    ``path`` is only its name.

    Raises:
        NotAnImage: not a supported container.
        CorruptFile: structure broken beyond use.
        OSError: the file can't be opened.
    """
    if data is not None:
        return decode(path, _scan_bytes(data), sidecars=sidecars)
    if not stat.S_ISREG(os.stat(path).st_mode):
        # Opening a named pipe blocks until a writer appears: refuse before open().
        raise NotAnImage("not a regular file (a pipe, socket or device)")
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise CorruptFile("the file is empty (0 bytes)")
        head = f.read(64)
        handler = formats.detect(head)
        if handler is None:
            raise NotAnImage(why_unsupported(head))
        f.seek(0)
        scan: ContainerScan = handler.read(f, size)
    return decode(path, scan, sidecars=sidecars)


def _scan_bytes(data: bytes) -> ContainerScan:
    """:func:`read_metadata`'s container walk, on a file's content in memory."""
    if not data:
        raise CorruptFile("the file is empty (0 bytes)")
    handler = formats.detect(data[:64])
    if handler is None:
        raise NotAnImage(why_unsupported(data[:64]))
    return handler.read(io.BytesIO(data), len(data))


def audit_file(
    path: Path, *, metadata_only: bool = False, cancel: CancelToken = NEVER
) -> FileReport:
    """Audit one file. Never raises for a bad file: errors become ``status="error"``.

    This is the per-file boundary the CLI's batch and the window's workers share: an
    exception no reader anticipated (a parser bug on a hostile file) becomes this file's
    error report with Risk.UNKNOWN (:func:`internal_error`), never "clean", and the batch
    goes on with the next file.

    Raises:
        Cancelled: only when ``cancel`` fires (callers stop the batch).
    """
    path = Path(path)
    try:
        meta = load_metadata(path)
        if isinstance(meta, FileReport):
            return meta
        return audit_metadata(path, meta, metadata_only=metadata_only, cancel=cancel)
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001 - last resort: one file's bug never ends a batch
        return internal_error(path, exc)


#: Longest exception text kept in an internal-error reason (it is one line in a table).
_REASON_CHARS = 160


def internal_error(path: Path, exc: BaseException) -> FileReport:
    """The error report for a file whose check ended in an exception Veil did not expect."""
    return _error(path, f"Veil could not check this file (internal error: {_one_line(exc)})")


def _one_line(exc: BaseException) -> str:
    """``Type: text`` of ``exc`` as one line of a table: line breaks and runs of spaces
    folded, the text cut to a readable length; the type named so a bug report can say where
    it came from (``struct.error``, not just ``error``)."""
    cls = type(exc)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"
    text = " ".join(str(exc).split())
    if len(text) > _REASON_CHARS:
        text = text[: _REASON_CHARS - 1] + "…"
    return f"{name}: {text}" if text else name


def load_metadata(
    path: Path, *, sidecars: bool = True, data: bytes | None = None
) -> Metadata | FileReport:
    """:func:`read_metadata`, with every way a bad file fails turned into an error report
    (what :func:`audit_file` returns for it). Never raises for a bad file."""
    try:
        if data is None and path.is_dir():
            return _error(path, "this is a folder, not a photo")
        return read_metadata(path, sidecars=sidecars, data=data)
    except VeilError as exc:
        return _error(path, str(exc))
    except PermissionError:
        return _error(path, "permission denied")
    except OSError as exc:
        return _error(path, f"cannot read the file: {exc.strerror or exc}")
    except RecursionError:
        return _error(path, "the file's structure nests too deeply (corrupt)")
    except (ValueError, IndexError, KeyError, TypeError, OverflowError, MemoryError) as exc:
        # A handler tripped over a malformed structure it did not anticipate: this file fails
        # with a reason, the batch goes on.
        return _error(path, f"could not read the file's structure ({_one_line(exc)})")


def audit_metadata(
    path: Path, meta: Metadata, *, metadata_only: bool = False, cancel: CancelToken = NEVER
) -> FileReport:
    """The report for ``path`` from its already-read ``meta`` (callers that need the parsed
    container as well, such as the export's verification, read the file only once).

    Raises:
        Cancelled: only when ``cancel`` fires.
    """
    cancel.raise_if_cancelled()
    findings: list[Finding] = []
    checks: dict[str, CheckStatus] = {PARSE_CHECK: CheckStatus.DONE}
    notes: list[str] = []
    for det_id, detect in metadata_detectors():
        try:
            findings.extend(detect(meta))
        except Exception as exc:  # a detector bug must not sink the report: say "not checked"
            checks[det_id] = CheckStatus.FAILED
            notes.append(f"{det_id} check failed: {exc}")
            continue
        checks.setdefault(det_id, CheckStatus.DONE)

    scan = meta.scan
    width, height = scan.width, scan.height
    if width and height and meta.orientation in (5, 6, 7, 8):
        width, height = height, width
    notes = list(scan.warnings) + list(meta.warnings) + notes

    if metadata_only:
        for det_id in PIXEL_DETECTOR_IDS:
            checks[det_id] = CheckStatus.SKIPPED
    elif scan.video is not None:
        # Checking one frame would suggest the whole video was checked: say plainly it wasn't.
        for det_id in PIXEL_DETECTOR_IDS:
            checks[det_id] = CheckStatus.SKIPPED
        notes.append(VIDEO_PIXELS_NOTE)
    elif scan.format in formats.RAW_FORMATS:
        # Sensor data is not decoded (the container's own note says so): not checked.
        for det_id in PIXEL_DETECTOR_IDS:
            checks[det_id] = CheckStatus.NOT_AVAILABLE
    else:
        found, image = _pixel_findings(path, checks, notes, cancel)
        findings = _preview_content(meta, path, image, findings + found, notes)
        frames = frame_count(scan)
        if frames > 1 and image is not None:
            notes.append(ANIMATION_NOTE.format(frames=frames))
            if not found:  # only the first frame was looked at: not "checked, none found"
                for det_id in PIXEL_DETECTOR_IDS:
                    if checks.get(det_id) is CheckStatus.DONE:
                        checks[det_id] = CheckStatus.SKIPPED

    risk = compute_risk(findings, checks, scan.complete)
    if risk is Risk.NONE and not metadata_only and any(
            checks.get(d) is CheckStatus.SKIPPED for d in PIXEL_DETECTOR_IDS):
        # Frames nobody looked at (a video's, an animation's) may show a face: "nothing
        # found" would claim they were checked. Only --metadata-only asks to skip them.
        risk = Risk.UNKNOWN
    return FileReport(
        path=path,
        status="ok",
        error=None,
        format=scan.format,
        width=width,
        height=height,
        orientation=meta.orientation,
        risk=risk,
        findings=tuple(findings),
        checks=checks,
        tags=meta.tags,
        notes=tuple(notes),
    )


def _preview_content(meta: Metadata, path: Path, image: Any, findings: list[Finding],
                     notes: list[str]) -> list[Finding]:
    """Previews compared with the picture itself (``detectors.stale``): only with the pixel
    checks, since it needs the main picture decoded. ``image`` is the pixel checks' upright
    decode, or None (then a small one is made here when there is a preview to compare)."""
    has_preview = meta.thumbnail is not None or meta.scan.format in ("heic", "heif", "avif") \
        or any(e.kind in ("thumbnail", "mpf_image") for e in meta.scan.embedded)
    if not has_preview:
        return findings
    from veil.core.detectors import stale
    from veil.core.pixels import load_upright

    try:
        main = image if image is not None else load_upright(path, 512).image
        return stale.check(meta, path, main, findings)
    except Exception as exc:  # the shape check still stands; say the content wasn't compared
        notes.append(f"the preview's content was not compared with the photo: {exc}")
        return findings


def _pixel_findings(
    path: Path, checks: dict[str, CheckStatus], notes: list[str], cancel: CancelToken
) -> tuple[list[Finding], Any]:
    """Decode once at the largest working size and run every available pixel detector.

    Returns the findings and the upright decode (a PIL image, None when nothing was decoded).
    """
    detectors = pixel_detectors()
    usable = []
    for det in detectors:
        status = det.available()
        checks[det.id] = status
        if status is CheckStatus.DONE:
            usable.append(det)
    if not usable:
        return [], None
    from veil.core.pixels import load_upright  # Pillow decode only when pixels are checked

    try:
        image = load_upright(path, max(d.max_side for d in usable))
    except Exception as exc:  # load_upright raises VeilError; anything else is still this file's
        for det in usable:
            checks[det.id] = CheckStatus.FAILED
        notes.append(f"pixels not checked: {exc or type(exc).__name__}")
        return [], None
    notes.extend(f"while decoding the pixels: {note}" for note in image.notes)
    found: list[Finding] = []
    for det in usable:
        cancel.raise_if_cancelled()
        try:
            found.extend(det.detect(image, cancel, PixelContext(tuple(found))))
        except Cancelled:
            raise
        except Exception as exc:  # a detector bug must not sink the file's report
            checks[det.id] = CheckStatus.FAILED
            notes.append(f"{det.id} check failed: {exc}")
    return found, image.image
