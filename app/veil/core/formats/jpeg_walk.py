"""JPEG marker walking: every marker segment and entropy-coded scan, from SOI to EOI.

The bytes come through a window (:mod:`veil.core.formats.jpeg_window`): segments are sliced
from the first, header-sized read, and each scan is searched for the marker that ends it, so
progressive files with many scans and their interscan tables are walked segment by segment,
and a 0xFFD9 inside a segment is never mistaken for the end.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

from veil.core.errors import CorruptFile
from veil.core.formats import jpeg_scans
from veil.core.formats.builder import WarningLog
from veil.core.formats.jpeg_markers import (
    EOI,
    SOF_MARKERS,
    SOI,
    SOS,
    STANDALONE,
    marker_name,
    plain_name,
)
from veil.core.formats.jpeg_window import FileWindow, MemoryWindow
from veil.core.frozen import quick_init

#: The audit's note for scan data that runs to the end of the file. An export repeats it
#: on the copy's result (:mod:`veil.core.export.damage`): the copy is just as incomplete.
PICTURE_CUT_SHORT = "the picture data is cut short (its end mark is missing)"
MAX_SEGMENTS = 8192
MAX_GARBAGE = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024 * 1024  # segment payloads kept in memory for one file


@quick_init
@dataclass(frozen=True, slots=True)
class Segment:
    """A marker segment (payload excludes marker and length) or, for ``marker == 0``, scan data."""

    marker: int
    offset: int
    length: int
    payload: bytes = b""

    @property
    def name(self) -> str:
        """The marker's usual name ("APP1", "SOS", "DQT", "scan"...)."""
        return marker_name(self.marker)


@dataclass(slots=True)
class JpegLayout(WarningLog):
    """The walk of one JPEG: segments in file order, where the image ends, what went wrong."""

    segments: list[Segment] = field(default_factory=list)
    end: int = 0  # offset just past EOI (or where the walk stopped)
    has_eoi: bool = False
    sof: Segment | None = None
    #: Why the walk stopped before EOI although the file went on ("" when it did not):
    #: a copy of what was read would lose data. ``limit_hit``: it was one of Veil's limits.
    stopped: str = ""
    limit_hit: bool = False
    #: Each scan's bytes with the marker that ended it, as the walk read them (an export's
    #: source only, see :mod:`jpeg_scans`; None where not kept).
    kept: tuple[bytes | None, ...] = ()

    def stop(self, text: str, *, limit: bool = False) -> None:
        """Warn that the walk gives up here with the file not read to its end."""
        self.warn(text)
        self.stopped = self.stopped or text.split(";")[0]
        self.limit_hit = self.limit_hit or limit


def walk_jpeg(f: BinaryIO, size: int, start: int = 0) -> JpegLayout:
    """Walk the JPEG at ``f[start:size]`` from SOI to EOI.

    Raises:
        CorruptFile: no SOI, or the structure is broken before any image data.
    """
    if not isinstance(f, io.BytesIO):
        return _walk(FileWindow(f, size), size, start)
    whole = MemoryWindow(f, size)
    try:
        return _walk(whole, size, start)
    finally:
        whole.release()


def _walk(buf: FileWindow, size: int, start: int) -> JpegLayout:
    out = JpegLayout()
    keep = jpeg_scans.keeper() if start == 0 and not isinstance(buf, MemoryWindow) else None
    if keep is not None:  # the scans are kept whole: one read of the file, not two
        buf.window_at(start)
    if buf.get(start, 2) != b"\xff\xd8":
        raise CorruptFile("not a JPEG: the start-of-image marker is missing")
    out.segments.append(Segment(SOI, start, 2))
    pos, in_scan, kept_bytes, scans = start + 2, False, 0, 0
    # Every turn advances ``pos``; the bound also stops files made of endless RST markers.
    for _ in range(4 * MAX_SEGMENTS):
        if len(out.segments) >= MAX_SEGMENTS:
            out.stop("the JPEG has too many blocks; the rest was not read", limit=True)
            break
        head = buf.get(pos, 4)
        if len(head) < 2:
            _warn_cut(out, in_scan)
            break
        if head[0] != 0xFF or head[1] in (0x00, 0xFF):
            # Fill bytes (FF FF ...) are legal before a marker; anything else is junk.
            nxt = buf.next_marker(pos)
            if nxt is None or nxt - pos > MAX_GARBAGE:
                out.stop("unexpected bytes between the JPEG's blocks; the rest was not read")
                break
            if buf.get(pos, nxt - pos).strip(b"\xff"):
                # Not fill: bytes no decoder reads can hold anything, so the scan is partial.
                out.warn("unexpected bytes between the JPEG's blocks")
            pos = nxt
            continue
        marker = head[1]
        if marker == EOI:
            out.segments.append(Segment(EOI, pos, 2))
            out.has_eoi, pos = True, pos + 2
            break
        if marker in STANDALONE:
            pos += 2
            continue
        if marker == SOI:
            out.stop("a second picture starts inside the picture data")
            break
        if len(head) < 4:
            _warn_cut(out, in_scan)
            break
        length = struct.unpack(">H", head[2:4])[0]
        if length < 2:
            if len(out.segments) <= 1:  # nothing after the start marker: nothing to report
                raise CorruptFile(f"the JPEG is damaged at its start ({plain_name(marker)} "
                                  "has an impossible length)")
            # Salvage: what came before the damage was read and is reported; the file can't
            # be called clean and the cleaner refuses it (``stopped``).
            out.stop(f"the file is damaged at byte {pos} ({plain_name(marker)} has an "
                     "impossible length); the rest of the file could not be read")
            break
        kept_bytes += length
        if kept_bytes > MAX_HEADER_BYTES:
            out.stop("the JPEG's metadata is too large to read", limit=True)
            break
        payload = buf.get(pos + 4, length - 2)
        if len(payload) < length - 2:
            out.warn(f"the file ends inside {plain_name(marker)}; the rest could not be read")
            if 0xE0 <= marker <= 0xEF and payload:
                # Salvage: the start of a cut metadata block (EXIF, XMP...) is still read.
                out.segments.append(Segment(marker, pos, 4 + len(payload), payload))
            pos += 4 + len(payload)
            break
        seg = Segment(marker, pos, length + 2, payload)
        out.segments.append(seg)
        if marker in SOF_MARKERS and out.sof is None:
            out.sof = seg
        pos += length + 2
        if marker == SOS:
            in_scan = True
            nxt = jpeg_scans.scan_end(buf, pos, scans, keep)
            scans += 1
            stop = nxt if nxt is not None else size
            out.segments.append(Segment(0, pos, stop - pos))
            pos = stop
            if nxt is None:
                out.warn(PICTURE_CUT_SHORT, incomplete=False)
                break
    else:
        out.stop("the JPEG's picture data has too many parts; the rest was not read", limit=True)
    if not in_scan and out.complete and out.has_eoi:
        out.warn("the JPEG has no image data", incomplete=False)
    out.end = pos
    if keep is not None:
        out.kept = keep.publish()
    return out


def _warn_cut(out: JpegLayout, in_scan: bool) -> None:
    """The file ends at (or one byte into) a marker. Once the picture data has started only
    the picture is short: every header was read. Before it, the headers that should follow
    (EXIF, XMP...) are missing, so the scan is not complete (a 3-byte ``FF D8 FF`` scanned
    ``risk: none`` otherwise)."""
    if in_scan:
        out.warn(PICTURE_CUT_SHORT, incomplete=False)
    else:
        out.warn("the file ends before its picture data; the rest could not be read")


def jpeg_end(f: BinaryIO, offset: int, limit: int) -> int | None:
    """Offset just past the EOI of a JPEG stored at ``offset`` (for appended images)."""
    try:
        layout = walk_jpeg(f, limit, offset)
    except CorruptFile:
        return None
    return layout.end if layout.has_eoi else None
