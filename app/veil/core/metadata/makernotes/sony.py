"""Sony MakerNotes: SerialNumber (0x2031, a string some bodies fill).

Notes start with "SONY DSC \\0\\0\\0" / "SONY CAM \\0\\0\\0" (or Hasselblad's "VHAB") and a
12-byte header, or are a bare IFD (NEX, SLT, ILCE); offsets count from the TIFF header.

InternalSerialNumber sits in the 0x9050 block, enciphered byte by byte (ExifTool's Sony
Tag9050 notes: a byte b < 249 is stored as b**3 mod 249), at an offset that depends on the
body. The bodies and offsets below are the ones exiftool 12.57 reads (found by giving it a
block with a marked byte pattern per candidate offset for each model of its Sony list); a
body not listed keeps its 0x9050 serial unread, as with exiftool.
"""

from __future__ import annotations

from veil.core.metadata.ifd import guess_order, raw, read_ifd, text
from veil.core.metadata.makernotes.common import Found

_HEADERS = (b"SONY DSC \0\0\0", b"SONY CAM \0\0\0", b"VHAB     \0\0\0")
#: b**3 mod 249 is a permutation of 0..248: its inverse deciphers the 0x9050 block. (The
#: order is its own list[int]: inside bytes(...) mypy types the bytes as SupportsIndex.)
_ORDER: list[int] = sorted(range(256), key=lambda b: b**3 % 249 if b < 249 else b)
_DECIPHER = bytes(_ORDER)
_OLD = ("DSLR-A", "NEX-3", "NEX-5", "NEX-6", "NEX-C3", "NEX-F3", "NEX-VG30E", "NEX-VG900")
#: Model -> (offset, length) of InternalSerialNumber in the deciphered 0x9050 block.
_SERIAL_AT: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[int, int]], ...] = (
    # (exact models, model prefixes, where)
    (("ILCE-1",), (), (0x8A, 6)),
    (("ILCA-68", "ILCA-77M2"), ("SLT-",), (0xF0, 5)),
    (("ILCA-99M2", "ILCE-6100", "ILCE-6300", "ILCE-6400", "ILCE-6500", "ILCE-6600",
      "ILCE-7C", "ILCE-7M3", "ILCE-7M4", "ILCE-7RM2", "ILCE-7RM3", "ILCE-7RM3A",
      "ILCE-7RM4", "ILCE-7RM4A", "ILCE-7RM5", "ILCE-7SM2", "ILCE-7SM3", "ILCE-9",
      "ILCE-9M2", "ILME-FX3", "ILME-FX30", "ZV-E10"), (), (0x88, 6)),
    (("ILCE-3000", "ILCE-3500", "ILCE-5000", "ILCE-5100", "ILCE-6000", "ILCE-7",
      "ILCE-7M2", "ILCE-7R", "ILCE-7S", "ILCE-QX1"), _OLD, (0x7C, 4)),
)
_NO_9050 = ("NEX-5N", "NEX-VG20E")  # prefixes above would match them; exiftool reads none


def read(buf: bytes, note: int, bo: str, found: Found, model: str = "") -> None:
    start = note + 12 if buf[note : note + 12] in _HEADERS else note
    if buf[note : note + 4] in (b"SONY", b"VHAB") and start == note:
        return  # another Sony layout (phones' "SONY MOBILE"...): no serial known there
    bo = guess_order(buf, start, bo)
    tags = read_ifd(buf, start, 0, bo)
    entry = tags.get(0x2031)
    if entry is not None and entry.type == 2:
        found.append(("SerialNumber", shown(text(buf, entry))))
    where = serial_place(model)
    block = tags.get(0x9050)
    if where is not None and block is not None and block.type == 7:
        at, size = where
        data = raw(buf, block)[at : at + size].translate(_DECIPHER)
        if len(data) == size and data.strip(b"\0"):
            found.append(("InternalSerialNumber", data.hex()))


def serial_place(model: str) -> tuple[int, int] | None:
    """(offset, length) of the InternalSerialNumber in ``model``'s 0x9050 block, or None."""
    model = model.strip()
    if model.startswith(_NO_9050):
        return None
    for exact, prefixes, where in _SERIAL_AT:
        if model in exact or (prefixes and model.startswith(prefixes)):
            return where
    return None


def shown(value: str) -> str:
    """The serial as ExifTool shows it (so the two readers agree): the first 4 character
    pairs of a 16-character value are stored in reverse order, and 8 leading zeros dropped."""
    if len(value) == 16 and value.isalnum():
        value = value[6:8] + value[4:6] + value[2:4] + value[0:2] + value[8:]
        if value.startswith("00000000"):
            value = value[8:]
    return value
