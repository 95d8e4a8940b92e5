"""Canon MakerNotes: owner, body serial, internal serial, image unique ID."""

from __future__ import annotations

import struct

from veil.core.metadata.ifd import number, raw, read_ifd, text
from veil.core.metadata.makernotes.common import Found


def fix_base(buf: bytes, note: int, length: int, bo: str) -> int:
    """Offset correction when an editor moved the note: Canon ends it with "II*\\0" + the
    note's original offset (ExifTool's FixBase does the same)."""
    footer = buf[note + length - 8 : note + length]
    if len(footer) == 8 and footer[:4] in (b"II*\0", b"MM\0*"):
        (original,) = struct.unpack_from(bo + "I", footer, 4)
        if 0 < original < 1 << 31:
            return note - original
    return 0


def read(buf: bytes, note: int, bo: str, found: Found, length: int = 0) -> None:
    tags = read_ifd(buf, note, fix_base(buf, note, length, bo) if length else 0, bo)
    if 0x0009 in tags:
        found.append(("OwnerName", text(buf, tags[0x0009])))
    if 0x000C in tags:
        value = number(buf, tags[0x000C], bo)
        if value is not None:
            found.append(("SerialNumber", str(value)))
    if 0x0096 in tags and tags[0x0096].type == 2:
        found.append(("InternalSerialNumber", text(buf, tags[0x0096])))
    if 0x0028 in tags and tags[0x0028].count == 16:
        uid = raw(buf, tags[0x0028]).hex()
        if uid.strip("0"):
            found.append(("ImageUniqueID", uid))
