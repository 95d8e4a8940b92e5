"""Casio "type 2" MakerNotes ("QVC\\0", or "DCI\\0" from Concord): the home city the owner
set for the camera's world time (0x3006 HometownCity, text), which says where they live.

Layout (ExifTool's Casio Type2 table; MakerNotes.pm): the IFD starts 6 bytes into the note,
in a byte order of its own (guessed from the entry count) with offsets from the TIFF header,
corrected as ExifTool's FixBase does when an editor moved the note. Casio's other notes
(an IFD from the first byte) hold settings only.
"""

from __future__ import annotations

from veil.core.metadata.ifd import fixed_base, guess_order, read_ifd, text
from veil.core.metadata.makernotes.common import Found

_HOMETOWN = 0x3006


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 4] not in (b"QVC\0", b"DCI\0"):
        return
    ifd = note + 6
    bo = guess_order(buf, ifd, bo)
    tags = read_ifd(buf, ifd, fixed_base(buf, ifd, 0, bo), bo)
    entry = tags.get(_HOMETOWN)
    if entry is not None and entry.type in (2, 7):
        city = text(buf, entry)
        if city.isprintable():
            found.append(("HometownCity", city))
