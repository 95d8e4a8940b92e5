"""Ricoh (pre-Pentax) MakerNotes: the body serial."""

from __future__ import annotations

from veil.core.metadata.ifd import guess_order, raw, read_ifd
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 5].lower() != b"ricoh":
        return
    bo = guess_order(buf, note + 8, bo)
    entry = read_ifd(buf, note + 8, 0, bo).get(0x0005)
    if entry is not None and entry.count == 16:
        data = raw(buf, entry)
        text_value = data.decode("latin-1")
        if all(c.isalnum() or c in "-_ " for c in text_value):
            found.append(("SerialNumber", text_value.strip()))
        elif data.strip(b"\0"):
            found.append(("InternalSerialNumber", data.hex()))
