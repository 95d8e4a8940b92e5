"""Reconyx trail-camera MakerNotes: fixed layouts with the serial."""

from __future__ import annotations

from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int) -> Found:
    """Reconyx trail cameras: fixed-layout notes, serial as UTF-16 or ASCII."""
    head = buf[note : note + 10]
    if head.startswith(b"\x01\xf1"):
        value = buf[note + 0x2A : note + 0x2A + 30].decode("utf-16-le", "replace")
    elif head == b"RECONYXUF\0":
        value = buf[note + 0x4B : note + 0x4B + 15].decode("latin-1")
    elif head == b"RECONYXH2\0":
        value = buf[note + 0x7E : note + 0x7E + 30].decode("utf-16-le", "replace")
    else:
        return []
    value = value.split("\0", 1)[0].strip()
    return [("SerialNumber", value)] if value.isprintable() and value else []
