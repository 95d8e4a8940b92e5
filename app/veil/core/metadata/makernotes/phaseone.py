"""Phase One / Leaf / Mamiya IIQ MakerNotes: not a TIFF IFD but Phase One's own directory.

Layout (ExifTool's PhaseOne tag table; LibRaw reads IIQ files the same way): "IIII" + one
byte + "waR" (little-endian) or "MMMM" + "Raw" + one byte (big-endian), the directory's
offset at +8, then int32 entry count, an int32 we skip, and 16-byte entries (int32 tag,
format, size, value-or-offset). Offsets count from the note's start; a value of 4 bytes or
fewer sits in the entry itself.
"""

from __future__ import annotations

import struct

from veil.core.metadata.makernotes.common import Found

#: Entries read at most: real notes hold ~100; a hostile one may claim billions.
MAX_ENTRIES = 1000
_NAMES = {0x0102: "SerialNumber"}


def is_phaseone(head: bytes) -> bool:
    """True for the first 8 bytes of a Phase One note."""
    return (head[:4] == b"IIII" and head[5:8] == b"waR") or (
        head[:4] == b"MMMM" and head[4:7] == b"Raw")


def read(buf: bytes, note: int, length: int) -> Found:
    """SerialNumber (0x0102) of the Phase One note at ``buf[note:note+length]``."""
    end = min(len(buf), note + length)
    if note + 12 > end or not is_phaseone(buf[note : note + 8]):
        return []
    bo = "<" if buf[note] == 0x49 else ">"
    (at,) = struct.unpack_from(bo + "I", buf, note + 8)
    at += note
    if at + 8 > end:
        return []
    (count,) = struct.unpack_from(bo + "I", buf, at)
    found: Found = []
    for i in range(min(count, MAX_ENTRIES)):
        entry = at + 8 + 16 * i
        if entry + 16 > end:
            break
        tag, fmt, size, value = struct.unpack_from(bo + "4I", buf, entry)
        name = _NAMES.get(tag)
        if name is None or fmt != 1:  # format 1: a string
            continue
        pos = entry + 12 if size <= 4 else note + value
        if pos + size <= end:
            text = buf[pos : pos + size].split(b"\0", 1)[0].decode("latin-1").strip()
            found.append((name, text))
    return found
