"""Pentax / Ricoh Imaging MakerNotes ("AOC\\0", "PENTAX \\0"): body and internal serials."""

from __future__ import annotations

import struct

from veil.core.metadata.ifd import order, raw, read_ifd, text
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 4] == b"AOC\0":
        bo = order(buf[note + 4 : note + 6], bo)
        tags = read_ifd(buf, note + 6, 0, bo)
    elif buf[note : note + 8] == b"PENTAX \0":
        bo = order(buf[note + 8 : note + 10], bo)
        tags = read_ifd(buf, note + 10, note, bo)
    else:
        return
    if 0x0229 in tags:
        found.append(("SerialNumber", text(buf, tags[0x0229])))
    info = tags.get(0x0215)  # CameraInfo int32u: model id, date, production code x2, serial
    if info is not None and len(raw(buf, info)) >= 20:
        (value,) = struct.unpack_from(bo + "I", buf, info.pos + 16)
        if value:
            found.append(("InternalSerialNumber", str(value)))
