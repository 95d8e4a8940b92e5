"""The orientation jobs a cleaner needs: find the orientation viewers apply (EXIF IFD0, else
XMP), and write an Orientation-only EXIF.

Shared by the PNG and WebP cleaners. Bounded: only the IFD0 table is looked at.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable

_ORIENTATION = 0x0112
_MAX_ENTRIES = 4096
#: How Pillow finds an XMP orientation (attribute or element form).
_XMP_ORIENTATION = re.compile(rb'tiff:Orientation(="|>)([0-9])')


def orientation_of(tiff: bytes) -> int | None:
    """IFD0 Orientation (1..8) of a TIFF-structured EXIF payload, or None when absent/bad."""
    if tiff.startswith(b"Exif\0"):
        tiff = tiff[6:]
    if tiff[:4] == b"II*\0":
        bo = "<"
    elif tiff[:4] == b"MM\0*":
        bo = ">"
    else:
        return None
    ifd = struct.unpack(bo + "I", tiff[4:8])[0]
    if ifd + 2 > len(tiff):
        return None
    count = struct.unpack(bo + "H", tiff[ifd : ifd + 2])[0]
    for i in range(min(count, _MAX_ENTRIES)):
        at = ifd + 2 + 12 * i
        entry = tiff[at : at + 12]
        if len(entry) < 12:
            return None
        tag, typ, n = struct.unpack(bo + "HHI", entry[:8])
        if tag == _ORIENTATION and n >= 1:
            if typ == 3:
                value = struct.unpack(bo + "H", entry[8:10])[0]
            elif typ == 4:
                value = struct.unpack(bo + "I", entry[8:12])[0]
            else:
                return None
            return value if 1 <= value <= 8 else None
    return None


def orientation_exif(value: int) -> bytes:
    """A minimal little-endian TIFF payload holding only IFD0 Orientation = ``value``."""
    return (
        b"II*\0" + struct.pack("<I", 8)  # header, IFD0 at 8
        + struct.pack("<H", 1)  # one entry
        + struct.pack("<HHIHH", _ORIENTATION, 3, 1, value, 0)  # SHORT, inline value
        + struct.pack("<I", 0)  # no IFD1: no thumbnail
    )


def effective_orientation(exif: Iterable[bytes], xmp: Iterable[bytes]) -> int:
    """The orientation viewers apply, by Pillow's rule (which Veil's pixel path uses): the
    first EXIF Orientation tag; only when there is none, an XMP ``tiff:Orientation``."""
    for payload in exif:
        value = orientation_of(payload)
        if value is not None:
            return value
    for packet in xmp:
        match = _XMP_ORIENTATION.search(packet)
        if match and 1 <= int(match[2]) <= 8:
            return int(match[2])
    return 1
