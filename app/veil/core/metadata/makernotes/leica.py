"""Leica MakerNotes. Panasonic-made bodies write Panasonic notes (see ``panasonic``); Leica's
own "LEICA\\0" + 2-byte version notes hold an IFD at +8 (ExifTool's Leica2..Leica6 tables):

- M8 ("LEICA\\0\\0\\0"): SerialNumber 0x0303 (int32u);
- M9, X1, X2, M Monochrom ("LEICA\\0" + 0x01/0x04/0x05/0x06/0x07/0x10/0x1a + "\\0"):
  SerialNumber 0x0305 (int32u), InternalSerialNumber 0x0500 (text; offsets from the note).

The S2's Leica6 LensSerialNumber (0x0321) is not read: exiftool did not decode it from a
note built to its table, so the layout is not known well enough here.
"""

from __future__ import annotations

from veil.core.metadata.ifd import guess_order, number, read_ifd, text
from veil.core.metadata.makernotes import panasonic
from veil.core.metadata.makernotes.common import Found

_LEICA5 = {0x01, 0x04, 0x05, 0x06, 0x07, 0x10, 0x1A}


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    head = buf[note : note + 8]
    if not head.startswith(b"LEICA\0"):
        panasonic.read(buf, note, bo, found)
        return
    bo = guess_order(buf, note + 8, bo)
    if head[6:8] == b"\0\0":
        names = {0x0303: "SerialNumber"}
    elif head[6] in _LEICA5 and head[7] == 0:
        names = {0x0305: "SerialNumber"}
    else:
        return
    tags = read_ifd(buf, note + 8, note, bo)
    for tag, name in names.items():
        if tag in tags:
            value = number(buf, tags[tag], bo)
            if value:
                found.append((name, str(value)))
    internal = tags.get(0x0500) if 0x0305 in names else None
    if internal is not None and internal.type in (2, 7):
        found.append(("InternalSerialNumber", text(buf, internal)))
