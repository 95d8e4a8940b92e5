"""Sony MakerNotes: SerialNumber (0x2031, a string some bodies fill).

Notes start with "SONY DSC \\0\\0\\0" / "SONY CAM \\0\\0\\0" (or Hasselblad's "VHAB") and a
12-byte header, or are a bare IFD (NEX, SLT, ILCE); offsets count from the TIFF header.
The enciphered 0x9050 block's InternalSerialNumber is not read (its layout differs per body).
"""

from __future__ import annotations

from veil.core.metadata.ifd import guess_order, read_ifd, text
from veil.core.metadata.makernotes.common import Found

_HEADERS = (b"SONY DSC \0\0\0", b"SONY CAM \0\0\0", b"VHAB     \0\0\0")


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    start = note + 12 if buf[note : note + 12] in _HEADERS else note
    if buf[note : note + 4] in (b"SONY", b"VHAB") and start == note:
        return  # another Sony layout (phones' "SONY MOBILE"...): no serial known there
    bo = guess_order(buf, start, bo)
    entry = read_ifd(buf, start, 0, bo).get(0x2031)
    if entry is not None and entry.type == 2:
        found.append(("SerialNumber", shown(text(buf, entry))))


def shown(value: str) -> str:
    """The serial as ExifTool shows it (so the two readers agree): the first 4 character
    pairs of a 16-character value are stored in reverse order, and 8 leading zeros dropped."""
    if len(value) == 16 and value.isalnum():
        value = value[6:8] + value[4:6] + value[2:4] + value[0:2] + value[8:]
        if value.startswith("00000000"):
            value = value[8:]
    return value
