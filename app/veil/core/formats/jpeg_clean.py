"""Allowlist cleaning of a JPEG: rebuild segment by segment around the untouched scans.

Kept: SOI, DQT, DHT, SOFn, DRI, DNL/DAC, SOS + entropy data (byte-identical), EOI, APP14
Adobe (CMYK/YCCK colours depend on it), the ICC profile (when asked; its texts neutralised,
written again as APP2 ICC_PROFILE chunks) and APP0 JFIF
(its optional thumbnail cut out). Everything else - EXIF, XMP, IPTC, MPF, FlashPix, C2PA,
maker blocks, comments, the EXIF thumbnail and every byte after EOI - is dropped. A display
orientation other than 1 is kept in a minimal EXIF block holding only that tag, so the copy
still shows upright without re-encoding.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any, BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats import memo
from veil.core.formats.base import CleanOutcome
from veil.core.formats.byteio import copy_range
from veil.core.formats.jpeg import scan_from_layout
from veil.core.formats.jpeg_app import ADOBE_LENGTH, EXIF_SIG, ICC_SIG, app_kind
from veil.core.formats.jpeg_markers import CODING_MARKERS, EOI, SOI
from veil.core.formats.jpeg_walk import JpegLayout, Segment, walk_jpeg
from veil.core.formats.webp_exif import pillow_orientation
from veil.core.metadata.icc import safe_icc
from veil.core.model import ExportOptions

_CHANGED = "the file changed while it was being cleaned"
#: What a dropped block is reported as in ``CleanOutcome.removed``.
_REMOVED_NAME = {"xmp_extended": "xmp", "unknown": "other"}
_KEPT_KINDS = frozenset({"structure", "image", "jfif", "icc", "adobe"})
#: Largest profile part in one APP2 segment: 65,535 - 2 (length) - 14 (signature, numbers).
ICC_CHUNK = 65519


def orientation_exif(orientation: int) -> bytes:
    """A complete APP1 segment whose EXIF holds only IFD0 Orientation (big-endian TIFF)."""
    tiff = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">HHHIHHI", 1, 0x0112, 3, 1, orientation,
                                                    0, 0)
    payload = EXIF_SIG + b"\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _segment_bytes(seg: Segment) -> bytes:
    return bytes([0xFF, seg.marker]) + struct.pack(">H", len(seg.payload) + 2) + seg.payload


def _jfif_without_thumbnail(seg: Segment) -> bytes:
    body = seg.payload[:14]
    if len(body) == 14:
        body = body[:12] + b"\x00\x00"  # thumbnail width/height 0: no pixels follow
    return b"\xff\xe0" + struct.pack(">H", len(body) + 2) + body


def _kind_of(seg: Segment) -> str | None:
    """The kept role of a header segment, or None when it is dropped."""
    m = seg.marker
    if m in (SOI, EOI, 0) or m in CODING_MARKERS:  # copied as they are
        return "structure"
    if 0xE0 <= m <= 0xEF:  # the reader's classification, so both agree on what is kept
        kind = app_kind(m, seg.payload)
        return kind if kind in ("jfif", "icc", "adobe") else None
    return None


def write_clean(
    src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
) -> CleanOutcome:
    """See :meth:`veil.core.formats.jpeg.Jpeg.write_clean`.

    Raises:
        CorruptFile: the source is not a readable JPEG.
    """
    with open(src, "rb") as f:
        size = f.seek(0, 2)
        f.seek(0)
        parsed = memo.take(f, "jpeg")  # the audit's parse of this very file, if just made
        if parsed is not None and parsed[0] == size:
            layout, scan = parsed[1], parsed[2]
        else:
            layout = walk_jpeg(f, size)
            scan = scan_from_layout(f, size, layout)
        if layout.sof is None or not any(s.marker == 0 for s in layout.segments):
            raise CorruptFile("the JPEG has no readable image data; it can't be cleaned")
        if layout.stopped:
            # The walk gave up after the image data began: copying what was read would
            # silently cut scans (and the verification can't tell a truncated progressive
            # JPEG from a whole one).
            error = Unsupported if layout.limit_hit else CorruptFile
            raise error(f"the JPEG could not be read to its end ({layout.stopped}); "
                        "a cleaned copy would lose image data")
        # Pillow's exact rule (first EXIF block, else the last standard XMP): what the audit
        # and the verification apply. The XMP is dropped, so its value moves into the EXIF.
        orientation = pillow_orientation(scan) or 1
        # A kept profile's texts may name someone: only a neutralised copy is written.
        icc = safe_icc(scan.icc) if options.keep_icc else None
        removed = _removed(scan, layout, size, orientation, icc is not None)
        if pixels is None and options.bake_orientation and orientation != 1:
            pixels = _upright(src)
        if pixels is not None:
            encoded = _encode(src, dst, pixels, icc)
            return CleanOutcome(removed=tuple(removed), kept=encoded, lossless=False)
        kept_kinds = _rebuild(f, dst, layout, orientation, icc)
    kept = (["orientation"] if orientation != 1 else []) + (["icc"] if "icc" in kept_kinds else [])
    return CleanOutcome(removed=tuple(removed), kept=tuple(kept), lossless=True)


def _removed(
    scan: Any, layout: JpegLayout, size: int, orientation: int, keep_icc: bool
) -> list[str]:
    """Kinds of block the copy drops (an orientation-only EXIF we'd rewrite is not one)."""
    minimal = orientation_exif(orientation) if orientation != 1 else None
    rewritten = {s.offset for s in layout.segments if minimal and _segment_bytes(s) == minimal}
    removed: list[str] = []
    for block in scan.blocks:
        if block.kind in _KEPT_KINDS or block.offset >= layout.end or block.offset in rewritten:
            continue
        name = _REMOVED_NAME.get(block.kind, block.kind)
        if name not in removed:
            removed.append(name)
    if any(e.kind == "thumbnail" for e in scan.embedded) and "thumbnail" not in removed:
        removed.append("thumbnail")
    if layout.end < size:
        removed.append("trailer")
    if not keep_icc and (scan.icc or any(b.kind == "icc" for b in scan.blocks)):
        removed.append("icc")
    return removed


def icc_segments(profile: bytes) -> bytes:
    """``profile`` as APP2 ICC_PROFILE segments (1-based sequence number, chunk count).

    Raises:
        CorruptFile: the profile needs more than 255 chunks (~16 MB), beyond the format.
    """
    parts = [profile[i : i + ICC_CHUNK] for i in range(0, len(profile), ICC_CHUNK)] or [b""]
    if len(parts) > 255:
        raise CorruptFile("the colour profile is too large to be stored in a JPEG")
    out = bytearray()
    for seq, part in enumerate(parts, 1):
        payload = ICC_SIG + bytes([seq, len(parts)]) + part
        out += b"\xff\xe2" + struct.pack(">H", len(payload) + 2) + payload
    return bytes(out)


def _rebuild(
    f: BinaryIO, dst: BinaryIO, layout: JpegLayout, orientation: int, icc: bytes | None
) -> set[str]:
    """Copy the allowlisted segments; ``icc`` (the neutralised profile, or None to drop it)
    replaces the source's ICC chunks at the first one's place. Returns the kinds kept."""
    kept: set[str] = set()
    dst.write(b"\xff\xd8")
    segments = layout.segments
    scans = iter(layout.kept)  # the audit's reads of the scans, in order, when it kept them
    jfif = next((s for s in segments if _kind_of(s) == "jfif"), None)
    if jfif is not None:
        dst.write(_jfif_without_thumbnail(jfif))
        kept.add("jfif")
    if orientation != 1:
        dst.write(orientation_exif(orientation))
    for seg in segments:
        kind = _kind_of(seg)
        if seg.marker in (SOI, EOI) or kind in (None, "jfif") or (kind == "icc" and icc is None):
            continue
        if kind == "icc":
            if "icc" not in kept:  # every chunk of the profile, re-split, at the first's place
                dst.write(icc_segments(icc or b""))
            kept.add(kind)
            continue
        kept.add(kind)
        if seg.marker == 0:
            # Entropy-coded data, byte for byte: as the audit's walk of this very file read
            # it moments ago (the layout's own soundness, see formats.memo), else read now.
            read = next(scans, None)
            if read is not None and len(read) == seg.length + 2:
                dst.write(memoryview(read)[:-2])
            else:
                copy_range(f, dst, seg.offset, seg.length, _CHANGED)
        elif kind == "adobe" and len(seg.payload) > ADOBE_LENGTH:
            # Only the 12-byte structure: writers may put free text after it.
            dst.write(_segment_bytes(Segment(seg.marker, seg.offset, 0,
                                             seg.payload[:ADOBE_LENGTH])))
        else:
            dst.write(_segment_bytes(seg))
    dst.write(b"\xff\xd9")
    return kept


def _upright(src: Path) -> Any:
    from PIL import Image, ImageOps

    try:
        with Image.open(src) as im:
            im.load()
            return ImageOps.exif_transpose(im)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise CorruptFile(f"cannot decode the JPEG pixels: {exc}") from exc


def _encode(src: Path, dst: BinaryIO, pixels: Any, icc: bytes | None) -> tuple[str, ...]:
    """Encode ``pixels`` with the source's quantization tables and chroma subsampling."""
    from PIL import Image, JpegImagePlugin

    try:
        with Image.open(src) as im:
            tables: dict[int, Any] = getattr(im, "quantization", None) or {}
            qtables = [list(t) for _, t in sorted(tables.items())]
            sampling = JpegImagePlugin.get_sampling(im)
            progressive = bool(im.info.get("progressive"))
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptFile(f"cannot read the JPEG's quality tables: {exc}") from exc
    image = pixels.convert("RGB") if pixels.mode not in ("RGB", "L", "CMYK") else pixels.copy()
    image.info = {}  # Pillow re-writes comments / XMP found in ``info``: start from nothing
    if image.mode != "L" and len(qtables) == 1:
        qtables = qtables * 2  # a grey source's table reused for chroma
    params: dict[str, Any] = {"qtables": qtables, "progressive": progressive}
    if sampling != -1 and image.mode != "L":
        params["subsampling"] = sampling
    if icc:
        params["icc_profile"] = icc
    out = io.BytesIO()
    image.save(out, format="JPEG", **params)
    dst.write(out.getvalue())
    return ("icc",) if icc else ()
