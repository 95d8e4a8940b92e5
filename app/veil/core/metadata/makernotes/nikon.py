"""Nikon MakerNotes (type 2 and 3): the body serial, and the preview JPEG the PreviewIFD
(0x0011: a sub-IFD with PreviewImageStart 0x0201 / PreviewImageLength 0x0202) points at."""

from __future__ import annotations

from veil.core.metadata.ifd import number, order, read_ifd, text
from veil.core.metadata.makernotes.common import THUMBNAIL, Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 7] == b"Nikon\0\x02":
        tiff = note + 10  # the note carries its own TIFF header; offsets count from it
        bo = order(buf[tiff : tiff + 2], bo)
        tags = read_ifd(buf, tiff + 8, tiff, bo)
        preview = tags.get(0x0011)
        at = number(buf, preview, bo) if preview is not None else None
        if at:
            length = read_ifd(buf, tiff + at, tiff, bo).get(0x0202)
            size = number(buf, length, bo) if length is not None else None
            if size:
                found.append((THUMBNAIL, f"{size} bytes"))
    elif buf[note : note + 6] == b"Nikon\0":
        return  # type 1 (Coolpix E-series) holds no serial
    else:
        tags = read_ifd(buf, note, 0, bo)
    for tag in (0x001D, 0x00A0):
        if tag in tags:
            found.append(("SerialNumber", text(buf, tags[tag])))
