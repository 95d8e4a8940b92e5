"""Canon MakerNotes: owner, body serial, internal serial, lens model and serial, image
unique ID.

The note is a bare IFD whose offsets count from the TIFF header. Its byte order is its own:
a file re-saved by an editor can have big-endian EXIF around a little-endian Canon note, and
the editor may have moved the note without fixing its offsets. Canon ends the note with an
8-byte footer ("II*\\0" or "MM\\0*" + the offset the note was written at, in the note's own
order), which gives both the order and the correction (ExifTool's FixBase does the same).
"""

from __future__ import annotations

import struct

from veil.core.metadata.ifd import guess_order, number, raw, read_ifd, text
from veil.core.metadata.makernotes.common import Found

#: LensInfo (0x4019): bytes 0-4 are the lens serial, shown as hex (ExifTool's LensSerialNumber).
_LENS_INFO = 0x4019


def note_order(buf: bytes, note: int, length: int, bo: str) -> tuple[str, int]:
    """(byte order, offset base) of the Canon note at ``note``: from the footer when there is
    one, else the order that gives a plausible entry count and no base correction."""
    footer = buf[note + length - 8 : note + length] if length >= 8 else b""
    if len(footer) == 8 and footer[:4] in (b"II*\0", b"MM\0*"):
        order = "<" if footer[:2] == b"II" else ">"
        (original,) = struct.unpack_from(order + "I", footer, 4)
        if 0 < original < 1 << 31:
            return order, note - original
        return order, 0
    return guess_order(buf, note, bo), 0


def read(buf: bytes, note: int, bo: str, found: Found, length: int = 0) -> None:
    bo, base = note_order(buf, note, length, bo)
    tags = read_ifd(buf, note, base, bo)
    if 0x0009 in tags:
        found.append(("OwnerName", text(buf, tags[0x0009])))
    if 0x000C in tags:
        value = number(buf, tags[0x000C], bo)
        if value is not None:
            found.append(("SerialNumber", str(value)))
    if 0x0095 in tags and tags[0x0095].type == 2:  # LensModel: often in no other tag
        found.append(("LensModel", text(buf, tags[0x0095])))
    if 0x0096 in tags and tags[0x0096].type == 2:
        found.append(("InternalSerialNumber", text(buf, tags[0x0096])))
    lens = tags.get(_LENS_INFO)
    if lens is not None and lens.count >= 5:
        serial = raw(buf, lens)[:5]
        if serial.strip(b"\0"):
            found.append(("LensSerialNumber", serial.hex()))
    if 0x0028 in tags and tags[0x0028].count == 16:
        uid = raw(buf, tags[0x0028]).hex()
        if uid.strip("0"):
            found.append(("ImageUniqueID", uid))
