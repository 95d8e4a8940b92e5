"""HP MakerNotes of the "IIII" + type byte kind (ExifTool's HP Type4 / Type6 tables): fixed
layouts with the SerialNumber string at 92 (Type4) or 88 (Type6), 26 bytes."""

from __future__ import annotations

from veil.core.metadata.makernotes.common import Found

_SERIAL_AT = {b"IIII\x04\0": 92, b"IIII\x06\0": 88}


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    at = _SERIAL_AT.get(buf[note : note + 6])
    if at is None:
        return
    value = buf[note + at : note + at + 26].split(b"\0", 1)[0].decode("latin-1").strip()
    # the camera writes "SERIAL NUMBER:" before the number; shown without it, as ExifTool does
    value = value.removeprefix("SERIAL NUMBER:").strip()
    if value.isprintable():
        found.append(("SerialNumber", value))
