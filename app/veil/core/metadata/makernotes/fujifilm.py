"""Fujifilm MakerNotes: the internal serial."""

from __future__ import annotations

import struct

from veil.core.metadata.ifd import read_ifd, text
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 8] != b"FUJIFILM" or note + 12 > len(buf):
        return
    (ifd,) = struct.unpack_from("<I", buf, note + 8)
    tags = read_ifd(buf, note + ifd, note, "<")  # always little-endian, offsets from the note
    if 0x0010 in tags:
        found.append(("InternalSerialNumber", text(buf, tags[0x0010])))
