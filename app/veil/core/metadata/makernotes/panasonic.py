"""Panasonic / Leica (Panasonic-made) MakerNotes: the internal serial (0x0025), and the
lens and accessory serials (0x0052, 0x0054: strings, ExifTool's Panasonic Main table)."""

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
        tags = read_ifd(buf, ifd, base, bo)
        entry = tags.get(0x0025)
        value = text(buf, entry) if entry is not None else ""
        if value and value.isalnum():
            found.append(("InternalSerialNumber", value))
            for tag, name in ((0x0052, "LensSerialNumber"), (0x0054, "AccessorySerialNumber")):
                if tag in tags and tags[tag].type in (2, 7):
                    found.append((name, text(buf, tags[tag])))
            return
