"""Nikon MakerNotes (type 2 and 3): the body serial."""

from __future__ import annotations

from veil.core.metadata.ifd import order, read_ifd, text
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 7] == b"Nikon\0\x02":
        tiff = note + 10  # the note carries its own TIFF header; offsets count from it
        bo = order(buf[tiff : tiff + 2], bo)
        tags = read_ifd(buf, tiff + 8, tiff, bo)
    elif buf[note : note + 6] == b"Nikon\0":
        return  # type 1 (Coolpix E-series) holds no serial
    else:
        tags = read_ifd(buf, note, 0, bo)
    for tag in (0x001D, 0x00A0):
        if tag in tags:
            found.append(("SerialNumber", text(buf, tags[tag])))
