"""Olympus / OM System MakerNotes: body, internal and lens serials (Equipment IFD), and the
160x120 JPEG thumbnail old "OLYMP\\0" notes keep (ThumbnailImage 0x0100)."""

from __future__ import annotations

from veil.core.metadata.ifd import number, order, read_ifd, text
from veil.core.metadata.makernotes.common import THUMBNAIL, Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 8] in (b"OLYMPUS\0", b"OM SYSTE"):
        start = 12 if buf[note : note + 8] == b"OLYMPUS\0" else 16
        bo = order(buf[note + start - 4 : note + start - 2], bo)
        base = note
    else:  # "OLYMP\0" / "EPSON\0": IFD at +8, offsets from the TIFF header
        start, base = 8, 0
    tags = read_ifd(buf, note + start, base, bo)
    for tag in (0x0404, 0x101A):  # 0x101a: old notes, a blank-padded string
        if tag in tags and tags[tag].type in (2, 7):
            found.append(("SerialNumber", text(buf, tags[tag])))
    thumb = tags.get(0x0100)
    if thumb is not None and thumb.type == 7 and thumb.count > 0:
        found.append((THUMBNAIL, f"{thumb.count} bytes"))
    equipment = tags.get(0x2010)
    if equipment is not None:
        ifd = number(buf, equipment, bo) if equipment.type in (4, 13) else None
        # Older bodies store the Equipment IFD inline (type UNDEFINED) at its data position;
        # its value offsets still count from the note's base.
        sub = read_ifd(buf, base + ifd if ifd is not None else equipment.pos, base, bo)
        for tag, name in ((0x0101, "SerialNumber"), (0x0102, "InternalSerialNumber"),
                          (0x0202, "LensSerialNumber"), (0x0303, "LensSerialNumber")):
            if tag in sub and sub[tag].type in (2, 7):
                found.append((name, text(buf, sub[tag])))
