"""Files the export skips before writing anything, known from their content alone.

One rule for everyone who must know it in advance: :func:`veil.core.export.engine.prepare`
skips a file with this reason, and a caller planning an export (the window's "Before
export" line) counts the same files as skipped instead of promising them a copy. Only the
content decides (never the name), like the export itself. A failure known only when the
pixels are decoded is not predicted by :func:`refusal`; a planner is told of a HEIF whose
coded data is visibly broken (:func:`damaged_heif`), which the export will fail to decode.

A picture too large to clean (:func:`too_large_reason`) is known from its size and format,
which the export learns from its own audit: a planner asks :func:`planned_skip` with the
audit it already has (same size, same format), the export asks ``too_large_reason`` itself.

A planner gets a :class:`Refusal`: the reason in the export's own words and its
:class:`SkipKind`, so it counts raw files by kind rather than by matching the words (which
may change). The export reports only the words (``ExportResult.error``), as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from veil.core import formats
from veil.core.damage_words import COULD_NOT_COPY, could_not_copy
from veil.core.errors import Unsupported
from veil.core.formats.base import ImageFormat
from veil.core.formats.tiff import Tiff, raw_refusal
from veil.core.model import ExportOptions, FileReport
from veil.core.pixels.guard import refuse_over_cap

__all__ = [
    "DAMAGED_PIXELS",
    "Refusal",
    "animation_refusal",
    "SkipKind",
    "damaged_heif",
    "planned_skip",
    "refusal",
    "skip_reason",
    "too_large_reason",
]


class SkipKind(Enum):
    """Why, in kind, the export skips a file without writing a copy."""

    #: A camera raw (CR3, RAF, ... or a raw in a TIFF structure: DNG, CR2, NEF): Veil
    #: does not re-encode sensor data.
    RAW = "raw"
    #: More pixels than the memory cap lets the export decode to verify its copy.
    TOO_LARGE = "too_large"
    #: A HEIF/AVIF whose coded picture data is structurally broken (a NAL unit running
    #: past its item, ...): the export decodes it to verify the copy, the decode fails, and
    #: no copy is written ("the picture data is damaged, so Veil could not make a clean
    #: copy (...)"). Known to a planner only; the export itself still tries, and reports a
    #: failure.
    DAMAGED = "damaged"
    #: An animated GIF, WebP or PNG asked to have areas covered: the export covers one
    #: picture, never every frame, so it writes nothing rather than a copy whose later
    #: frames still show the face. Depends on the options (no covers: it is cleaned).
    ANIMATED = "animated"
    #: An animated GIF, WebP or PNG with a rotation tag, asked to have its pixels turned
    #: upright (``bake_orientation``): the export turns one picture, never every frame.
    #: Depends on the options: keeping the tag, its copy is cleaned (every frame as it is).
    ANIMATED_TURN = "animated_turn"


@dataclass(frozen=True, slots=True)
class Refusal:
    """A file the export will skip: its kind, and the one-line reason the export gives
    (``ExportResult.error`` of the skipped file, word for word)."""

    kind: SkipKind
    reason: str


#: The start of the export's reason when an original's pixels do not decode
#: (``engine._blame_source``); a planner's :attr:`SkipKind.DAMAGED` reason says the same,
#: as the scan does (:mod:`veil.core.damage_words`: the technical reason follows).
DAMAGED_PIXELS = COULD_NOT_COPY

#: Bytes of a file's head that identify its container (what ``formats.detect`` reads).
HEAD_BYTES = 64


def read_head(source: Path) -> bytes:
    """The first :data:`HEAD_BYTES` of ``source`` (read-only; no buffered reader: this is
    all that is read). The export's intake and the skip rule both sniff from it.

    Raises:
        OSError: the file cannot be read.
    """
    fd = os.open(source, os.O_RDONLY)
    try:
        return os.pread(fd, HEAD_BYTES, 0)
    finally:
        os.close(fd)


def _sniff(source: Path) -> type[ImageFormat] | None:
    return formats.detect(read_head(source))


def refusal(source: Path, handler: type[ImageFormat] | None = None) -> Refusal | None:
    """Why the export will skip ``source`` from its content alone (a camera raw, DNG and raw
    TIFFs included: Veil does not re-encode sensor data), or None when it will try to clean
    it. Every refusal known from the content is :attr:`SkipKind.RAW`.

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
    reason = handler.refusal  # camera raw containers (CR3, RAF, ...): refused by kind
    if not reason and handler is Tiff:  # DNG, CR2, NEF, ...: raw by its directories
        with open(source, "rb") as f:
            reason = raw_refusal(f, f.seek(0, 2))
    return Refusal(SkipKind.RAW, reason) if reason else None


def skip_reason(source: Path, handler: type[ImageFormat] | None = None) -> str | None:
    """The one-line reason of :func:`refusal` (what the export reports), or None.

    Raises:
        OSError: the file cannot be read.
    """
    found = refusal(source, handler)
    return found.reason if found else None


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


def planned_skip(source: Path, report: FileReport) -> Refusal | None:
    """Why an export of ``source``, audited as ``report``, will skip it without writing a
    copy (:func:`refusal`, then :func:`too_large_reason` from the audit's size and format,
    which are the export's own audit's, then :func:`damaged_heif`: it will try and fail), or
    None when it will try to clean it.

    An audit that found no size predicts no size refusal (the export would then ask
    Pillow's header; such a file is rare and its export says why it stops).

    Raises:
        OSError: the file cannot be read.
    """
    handler = _sniff(source)
    if handler is None:
        return None
    found = refusal(source, handler)
    if found is None and report.width and report.height:
        reason = too_large_reason((report.width, report.height), report.format, handler)
        found = Refusal(SkipKind.TOO_LARGE, reason) if reason else None
    if found is None and handler.name == "heif":
        found = damaged_heif(source)
    return found


def damaged_heif(source: Path) -> Refusal | None:
    """A :attr:`SkipKind.DAMAGED` refusal when the structure of the HEIF/AVIF ``source``'s
    coded picture already shows that it cannot decode (~1 ms: no pixel is decoded; see
    :func:`veil.core.formats.heif_coded.coded_damage`), else None. exiftool's
    QuickTime.heic was planned "ready" and then not written."""
    from veil.core.formats.heif_coded import coded_damage  # only for HEIF files

    why = coded_damage(source)
    return Refusal(SkipKind.DAMAGED, could_not_copy(why)) if why else None


#: Container names (``ImageFormat.name``) that can hold an animation, in the user's words.
_ANIMATIONS = {"gif": "GIF", "webp": "WebP", "png": "PNG"}


def animation_refusal(
    source: Path, options: ExportOptions, handler: type[ImageFormat] | None = None
) -> Refusal | None:
    """Why the export will skip the animated GIF, WebP or PNG ``source`` with ``options``,
    or None (a still, or options that change no pixel of it).

    Its cleaners cover or turn a single picture and refuse an animation (their
    ``Unsupported``); this says so before any pixel is decoded, and what the user can do
    instead. Covering areas (``redactions``) gives an :attr:`SkipKind.ANIMATED` refusal;
    turning the pixels upright (``bake_orientation``) of one whose rotation tag is not 1
    gives :attr:`SkipKind.ANIMATED_TURN`. What the export does support for an animation is
    a copy of every frame as it is, its metadata removed and its rotation tag kept (so it
    shows as before), or the frame the user wants saved as a still picture.

    Raises:
        OSError: the file cannot be read.
    """
    if not options.redactions and not options.bake_orientation:
        return None
    if handler is None:
        handler = _sniff(source)
    kind = _ANIMATIONS.get(handler.name) if handler is not None else None
    if kind is None or handler is None:
        return None
    frames = _frames(source, handler.name)
    if frames < 2:
        return None
    from veil.core.export.pixels import source_orientation  # Pillow: only for animations

    turn = options.bake_orientation and source_orientation(source) != 1
    if options.redactions:
        # Asked to rotate it too: "without covering" alone would still give no copy.
        how = "without covering and keeping its orientation tag" if turn else "without covering"
        return Refusal(
            SkipKind.ANIMATED,
            f"Veil can't cover areas in an animated {kind} ({frames} frames), only in a "
            f"still picture. For a copy without its metadata, export it {how} "
            "(every frame stays as it is, faces included); to hide a face, save the frame "
            "you want as a still picture (PNG or JPEG) and clean that",
        )
    if not turn:
        return None  # nothing to turn: cleaned as it is
    return Refusal(
        SkipKind.ANIMATED_TURN,
        f"Veil can't rotate the frames of an animated {kind} ({frames} frames), only a "
        "still picture. Keep its orientation tag instead for a copy without its metadata "
        "(every frame as it is, shown the same way up), or save one frame as a still "
        "picture (PNG or JPEG) and clean that",
    )


def _frames(source: Path, name: str) -> int:
    """Frames of an animated GIF, WebP or PNG as its cleaner's own walk counts them (what
    makes that cleaner refuse to cover it); 1 for a still or a walk that fails."""
    from veil.core.errors import VeilError
    from veil.core.formats import png_chunks
    from veil.core.formats.gif import walk_gif
    from veil.core.formats.webp import walk_riff

    with open(source, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        try:
            if name == "gif":
                return walk_gif(f, size).frames
            if name == "webp":
                return sum(c.fourcc == "ANMF" for c in walk_riff(f, size).chunks)
            chunks = png_chunks.walk_chunks(f, size).chunks
        except (VeilError, ValueError):  # damaged: the export says why when it tries
            return 1
    if not any(c.type == "acTL" for c in chunks):
        return 1
    return max(2, sum(c.type == "fcTL" for c in chunks))
