"""Nintendo MakerNotes: the internal serial in CameraInfo."""

from __future__ import annotations

from veil.core.metadata.ifd import read_ifd
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    info = read_ifd(buf, note, 0, bo).get(0x1101)
    if info is not None and info.count >= 0x1C:
        found.append(("InternalSerialNumber", "0x" + buf[info.pos + 0x18 : info.pos + 0x1C].hex()))
