"""Reconyx trail-camera MakerNotes: fixed layouts with the serial, and a HyperFire's
capture time (the only one such a photo has: the camera writes no EXIF date)."""

from __future__ import annotations

import struct

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
    found: Found = [("SerialNumber", value)] if value.isprintable() and value else []
    if head.startswith(b"\x01\xf1"):
        found += _hyperfire_time(buf[note + 22 : note + 34])
    return found


def _hyperfire_time(data: bytes) -> Found:
    """DateTimeOriginal: six little-endian int16u (second, minute, hour, month, day, year),
    at int16u 0x0b of the note (ExifTool's Reconyx HyperFire table)."""
    if len(data) < 12:
        return []
    sec, minute, hour, month, day, year = struct.unpack("<6H", data)
    if not (1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31 and hour < 24
            and minute < 60 and sec < 60):
        return []
    return [("DateTimeOriginal",
             f"{year:04d}:{month:02d}:{day:02d} {hour:02d}:{minute:02d}:{sec:02d}")]
