"""Kodak MakerNotes: the "Type7" notes of some EasyShare bodies start with the serial itself
(16 bytes, e.g. "KCXJ45200123"); ExifTool recognises them by that shape."""

from __future__ import annotations

import re

from veil.core.metadata.makernotes.common import Found

#: The shape ExifTool's Kodak Type7 condition looks for at the note's start.
_SERIAL = re.compile(rb"[CK][A-Z\d]{3} ?[A-Z\d]{1,2}\d{2}[A-Z\d]\d{4}[ \0]")


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    head = buf[note : note + 16]
    if _SERIAL.match(head):
        found.append(("SerialNumber", head.split(b"\0", 1)[0].decode("latin-1").strip()))
