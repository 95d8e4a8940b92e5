"""Nikon MakerNotes (type 2 and 3): the body serial, the preview JPEG the PreviewIFD
(0x0011: a sub-IFD with PreviewImageStart 0x0201 / PreviewImageLength 0x0202) points at,
and the place name a GPS model looked up (LocationInfo 0x0039)."""

from __future__ import annotations

from veil.core.metadata.ifd import number, order, raw, read_ifd, text
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
    if 0x0039 in tags:
        _location(raw(buf, tags[0x0039]), found)


def _location(data: bytes, found: Found) -> None:
    """LocationInfo (GPS models such as the AW100): the place name the camera looked up, 70
    bytes at 9, in the encoding byte 4 names (1 UTF-8, 2 UTF-16 big-endian)."""
    if len(data) < 10 or data[4] not in (1, 2):
        return
    words = data[9:79]
    if data[4] == 2:
        value = words.decode("utf-16-be", "replace").split("\0", 1)[0]
    else:
        value = words.split(b"\0", 1)[0].decode("utf-8", "replace")
    if value.strip() and value.isprintable():
        found.append(("Location", value.strip()))
