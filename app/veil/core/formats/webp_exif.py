"""The orientation jobs a cleaner needs: find the orientation viewers apply (EXIF IFD0, else
XMP), and write an Orientation-only EXIF.

Shared by the PNG and WebP cleaners and by ``metadata.decode``. Bounded: only the IFD0 table
is looked at.

Which block Pillow (and so Veil's pixel path) takes the orientation from, per format:

* JPEG: the first EXIF APP1 block only (later ones are appended to it, never read as their
  own TIFF); XMP only when that block has no Orientation tag, and then the *last* standard
  XMP APP1 (each one replaces the previous in ``info["xmp"]``). Photoshop's copies: never.
* PNG: the last eXIf (or binary ``exif`` tEXt) chunk before IDAT; when there is none, the
  last one after IDAT (``getexif`` loads the image to find it); then an ImageMagick
  ``Raw profile type exif``. XMP: the last ``XML:com.adobe.xmp`` text chunk.
* WebP: libwebp's demuxer hands over the *first* EXIF / "XMP " chunk, and only when the
  VP8X header flags it (0x08 EXIF, 0x04 XMP).

An Orientation tag that is present but unusable (0, 9, a list, text) still stops the XMP
fallback; Pillow then leaves the picture as stored.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Sequence

from veil.core.formats.base import Block, ContainerScan

_ORIENTATION = 0x0112
_MAX_ENTRIES = 4096
#: How Pillow finds an XMP orientation (attribute or element form).
_XMP_ORIENTATION = re.compile(rb'tiff:Orientation(="|>)([0-9])')


#: Inline integer formats of a count-1 TIFF value (BYTE, SHORT, LONG, SBYTE, SSHORT, SLONG).
_INT_TYPES = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i"}
#: "Absent" and "present but not 1..8" answers of :func:`orientation_tag`.
ABSENT, UNUSABLE = -1, 0


def orientation_tag(tiff: bytes) -> int:
    """IFD0 Orientation of a TIFF-structured EXIF payload as Pillow reads it.

    Returns:
        1..8 for a usable value, ``UNUSABLE`` (0) for a tag that is there but that no viewer
        applies (out of range, several values, not a number, or an unreadable TIFF header,
        which makes Pillow's ``getexif`` fail), ``ABSENT`` (-1) when IFD0 has no such tag.
    """
    if tiff.startswith(b"Exif\0"):
        tiff = tiff[6:]
    if tiff[:4] == b"II*\0":
        bo = "<"
    elif tiff[:4] == b"MM\0*":
        bo = ">"
    else:
        return UNUSABLE
    if len(tiff) < 8:  # the header is cut before IFD0's offset: Pillow's getexif fails too
        return UNUSABLE
    ifd = struct.unpack(bo + "I", tiff[4:8])[0]
    if ifd + 2 > len(tiff):
        return ABSENT
    count = struct.unpack(bo + "H", tiff[ifd : ifd + 2])[0]
    for i in range(min(count, _MAX_ENTRIES)):
        at = ifd + 2 + 12 * i
        entry = tiff[at : at + 12]
        if len(entry) < 12:
            return ABSENT  # Pillow stops at a cut IFD: the tags read so far are all it has
        tag, typ, n = struct.unpack(bo + "HHI", entry[:8])
        if tag != _ORIENTATION or not 1 <= typ <= 13:
            continue  # Pillow skips entries of unknown types
        fmt = _INT_TYPES.get(typ)
        if fmt is None or n != 1:
            return UNUSABLE
        value = struct.unpack_from(bo + fmt, entry, 8)[0]
        return value if 1 <= value <= 8 else UNUSABLE
    return ABSENT


def orientation_of(tiff: bytes) -> int | None:
    """IFD0 Orientation (1..8) of a TIFF-structured EXIF payload, or None when absent/bad."""
    value = orientation_tag(tiff)
    return value if value >= 1 else None


def orientation_exif(value: int) -> bytes:
    """A minimal little-endian TIFF payload holding only IFD0 Orientation = ``value``."""
    return (
        b"II*\0" + struct.pack("<I", 8)  # header, IFD0 at 8
        + struct.pack("<H", 1)  # one entry
        + struct.pack("<HHIHH", _ORIENTATION, 3, 1, value, 0)  # SHORT, inline value
        + struct.pack("<I", 0)  # no IFD1: no thumbnail
    )


def _xmp_value(packet: bytes | None) -> int:
    match = _XMP_ORIENTATION.search(packet) if packet is not None else None
    if match is None:
        return ABSENT
    return int(match[2]) if 1 <= int(match[2]) <= 8 else UNUSABLE


def _resolve(exif: bytes | None, xmp: bytes | None) -> int:
    """Pillow's ``getexif``: the EXIF tag when it exists (even unusable), else the XMP."""
    value = orientation_tag(exif) if exif is not None else ABSENT
    if value == ABSENT:
        value = _xmp_value(xmp)
    return value


def effective_orientation(exif: Iterable[bytes], xmp: Iterable[bytes]) -> int:
    """The orientation viewers apply, by Pillow's rule (which Veil's pixel path uses).

    Only the *first* EXIF payload counts (libwebp and Pillow's JPEG reader use no other);
    only when it has no Orientation tag, the first XMP ``tiff:Orientation``. Returns 1 when
    nothing (usable) is found. :func:`pillow_orientation` is exact for every format (PNG's
    last-chunk rule, WebP's VP8X flags) and should be preferred when a scan is at hand.
    """
    value = _resolve(next(iter(exif), None), next(iter(xmp), None))
    return value if value >= 1 else 1


def pillow_orientation(scan: ContainerScan) -> int | None:
    """The orientation (1..8) Veil's pixel path applies to a JPEG, PNG or WebP ``scan``'s
    picture: Pillow's, from the very block Pillow picks, except that a PNG's XMP is never
    read (viewers take a PNG's orientation from eXIf only; see ``veil.core.pixels.orient``).

    Returns None when none applies (no tag, or an unusable one), or when ``scan`` is
    another format (TIFF, HEIF, GIF: their own rules live with their handlers).
    """
    picks = {"jpeg": _jpeg_blocks, "mpo": _jpeg_blocks, "png": _png_blocks,
             "webp": _webp_blocks}.get(scan.format)
    if picks is None:
        return None
    if scan.blocks:
        exif, xmp = picks(scan)
    else:  # a scan built by hand lists no blocks: take its payloads as the file's own
        exif = scan.exif[0] if scan.exif else None
        xmp = (scan.xmp[0] if scan.format == "webp" else scan.xmp[-1]) if scan.xmp else None
    value = _resolve(exif, None if scan.format == "png" else xmp)
    return value if value >= 1 else None


def _paired(blocks: Sequence[Block], kind: str, payloads: Sequence[bytes]) -> list[
        tuple[Block, bytes]]:
    """Each readable ``kind`` block with the payload the handler took from it, in file order.

    Handlers append one payload per readable block, in file order (then payloads found in
    other places, such as Photoshop's copies, which no block of ``kind`` stands for).
    """
    found = [b for b in blocks if b.kind == kind and b.known]
    return list(zip(found, payloads, strict=False))


def _jpeg_blocks(scan: ContainerScan) -> tuple[bytes | None, bytes | None]:
    exif: bytes | None = None
    if any(b.name == "APP1" and b.kind == "exif" for b in scan.blocks):
        # The first EXIF APP1 is Pillow's whole EXIF. When it has no TIFF header the
        # handler skips it (and warns); Pillow's getexif then fails: no orientation at all.
        bad_first = "an EXIF block has no valid TIFF header" in scan.warnings
        exif = b"" if bad_first or not scan.exif else scan.exif[0]
    standard = [p for b, p in _paired(scan.blocks, "xmp", scan.xmp)
                if b.name == "APP1" and b.note.startswith("APP1 http")]
    return exif, standard[-1] if standard else None


def _png_blocks(scan: ContainerScan) -> tuple[bytes | None, bytes | None]:
    before: bytes | None = None
    after: bytes | None = None
    raw: bytes | None = None
    idat = min((b.offset for b in scan.blocks if b.name == "IDAT"), default=None)
    for block, payload in _paired(scan.blocks, "exif", scan.exif):
        if block.name == "eXIf" or block.note == "tEXt exif":
            if idat is not None and block.offset > idat:
                after = payload
            else:
                before = payload
        elif block.note == "ImageMagick exif profile":
            raw = payload
    exif = before if before is not None else after if after is not None else raw
    keyed = [p for b, p in _paired(scan.blocks, "xmp", scan.xmp) if b.note.endswith(" XMP")]
    return exif, keyed[-1] if keyed else None


#: VP8X feature flags libwebp's demuxer checks before it hands a metadata chunk over.
_VP8X_FLAGS = re.compile(r"\(flags 0x([0-9a-f]{2})\)")


def _webp_blocks(scan: ContainerScan) -> tuple[bytes | None, bytes | None]:
    # No VP8X: a simple WebP, whose metadata chunks libwebp never reads. A VP8X whose note
    # does not give the flags (the handler's wording changed): read as before, flags set.
    flags = 0
    for block in scan.blocks:
        if block.name == "VP8X":
            match = _VP8X_FLAGS.search(block.note)
            flags = int(match[1], 16) if match else 0x0C
            break
    first = next((b for b in scan.blocks if b.kind == "exif"), None)
    exif: bytes | None = None
    if flags & 0x08 and first is not None:
        exif = scan.exif[0] if first.known and scan.exif else b""
    xmp = scan.xmp[0] if flags & 0x04 and scan.xmp else None
    return exif, xmp
