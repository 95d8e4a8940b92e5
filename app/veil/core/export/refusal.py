"""Files the export skips before writing anything, known from their content alone.

One rule for everyone who must know it in advance: :func:`veil.core.export.engine.prepare`
skips a file with this reason, and a caller planning an export (the window's "Before
export" line) counts the same files as skipped instead of promising them a copy. Only the
content decides (never the name), like the export itself. A failure known only when the
pixels are decoded (a damaged HEIC) is not predicted here.

A picture too large to clean (:func:`too_large_reason`) is known from its size and format,
which the export learns from its own audit: a planner asks :func:`planned_skip` with the
audit it already has (same size, same format), the export asks ``too_large_reason`` itself.
"""

from __future__ import annotations

from pathlib import Path

from veil.core import formats
from veil.core.errors import Unsupported
from veil.core.formats.base import ImageFormat
from veil.core.formats.tiff import Tiff, raw_refusal
from veil.core.model import FileReport
from veil.core.pixels.guard import refuse_over_cap

__all__ = ["planned_skip", "skip_reason", "too_large_reason"]


def _sniff(source: Path) -> type[ImageFormat] | None:
    with open(source, "rb") as f:
        return formats.detect(f.read(64))


def skip_reason(source: Path, handler: type[ImageFormat] | None = None) -> str | None:
    """The one-line reason the export will skip ``source`` (a camera raw, DNG and raw TIFFs
    included: Veil does not re-encode sensor data), or None when it will try to clean it.

    ``handler``: the container already sniffed from the file's first bytes (the export's
    own); without it the first bytes are read here. A file no handler takes gives None: the
    export reports it as "not a supported image", which an audit has already said.

    Raises:
        OSError: the file cannot be read.
    """
    if handler is None:
        handler = _sniff(source)
        if handler is None:
            return None
    if handler.refusal:  # camera raw containers (CR3, RAF, ...): refused by kind
        return handler.refusal
    if handler is Tiff:  # DNG, CR2, NEF, ...: TIFF structure, raw by its directories
        with open(source, "rb") as f:
            return raw_refusal(f, f.seek(0, 2))
    return None


def too_large_reason(
    size: tuple[int, int], fmt: str | None, handler: type[ImageFormat]
) -> str | None:
    """The reason the export skips a picture of upright ``size`` in format ``fmt`` (the
    audit's) as too large to clean, or None. Its copy could only be verified by decoding
    more pixels than the memory cap allows (:func:`veil.core.pixels.guard.refuse_over_cap`:
    any format but JPEG). A video is verified by its samples, never by decoding a picture,
    so it is never refused for its size.
    """
    if handler.name == "video":
        return None
    try:
        refuse_over_cap(size, fmt)
    except Unsupported as exc:
        return str(exc)
    return None


def planned_skip(source: Path, report: FileReport) -> str | None:
    """Why an export of ``source``, audited as ``report``, will skip it without writing a
    copy (:func:`skip_reason`, then :func:`too_large_reason` from the audit's size and
    format, which are the export's own audit's), or None when it will try to clean it.

    An audit that found no size predicts no size refusal (the export would then ask
    Pillow's header; such a file is rare and its export says why it stops).

    Raises:
        OSError: the file cannot be read.
    """
    handler = _sniff(source)
    if handler is None:
        return None
    reason = skip_reason(source, handler)
    if reason is None and report.width and report.height:
        reason = too_large_reason((report.width, report.height), report.format, handler)
    return reason
