"""Panasonic / Leica (Panasonic-made) MakerNotes: the internal serial."""

from __future__ import annotations

from veil.core.metadata.ifd import fixed_base, read_ifd, text
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 9] != b"Panasonic":
        return
    ifd = note + 12
    # Offsets count from the TIFF header unless an editor moved the note; then try the
    # FixBase guesses and keep the first that reads as a serial.
    for base in (0, fixed_base(buf, ifd, 0, bo, False), fixed_base(buf, ifd, 0, bo, True)):
        entry = read_ifd(buf, ifd, base, bo).get(0x0025)
        value = text(buf, entry) if entry is not None else ""
        if value and value.isalnum():
            found.append(("InternalSerialNumber", value))
            return
