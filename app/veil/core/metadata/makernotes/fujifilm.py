"""Fujifilm MakerNotes: the internal serial (0x0010) and the faces the camera recognised
(FaceRecInfo 0x4282): the names and birthdays the owner registered for them.

FaceRecInfo (ExifTool's FujiFilm FaceRecInfo table; ProcessFaceRec): int32u (offset,
length) pairs, one per recognised face, offsets counted from the block's start; each face's
record (62 bytes or more) holds its name's length and offset at 30 and 34 and its birthday's
("YYYYMMDD") at 54 and 58. Little-endian, as the whole note.
"""

from __future__ import annotations

import struct

from veil.core.metadata.ifd import raw, read_ifd, text
from veil.core.metadata.makernotes.common import Found

_FACE_REC = 0x4282
#: Faces read at most: ExifTool names eight (Face1Name..Face8Name).
MAX_FACES = 8
_RECORD = 62


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 8] != b"FUJIFILM" or note + 12 > len(buf):
        return
    (ifd,) = struct.unpack_from("<I", buf, note + 8)
    tags = read_ifd(buf, note + ifd, note, "<")  # always little-endian, offsets from the note
    if 0x0010 in tags:
        found.append(("InternalSerialNumber", text(buf, tags[0x0010])))
    if _FACE_REC in tags:
        faces(raw(buf, tags[_FACE_REC]), found)


def faces(data: bytes, found: Found) -> None:
    """Each recognised face's name (and birthday) in a FaceRecInfo block; stops at the
    first entry that does not fit, as ExifTool does."""
    for i in range(MAX_FACES):
        if 8 * i + 8 > len(data):
            return
        at, length = struct.unpack_from("<II", data, 8 * i)
        if length < _RECORD or at + length > len(data):
            return
        name = _string(data, at + 30)
        if name is None:
            return
        if name:
            found.append(("FaceName", name))
        born = _string(data, at + 54)
        if born and len(born) == 8 and born.isdigit():
            found.append(("FaceBirthday", f"{born[:4]}:{born[4:6]}:{born[6:]}"))


def _string(data: bytes, field: int) -> str | None:
    """The text a (length, offset) int32u pair at ``field`` points to; None when it lies
    outside the block."""
    size, at = struct.unpack_from("<II", data, field)
    if at + size > len(data):
        return None
    return data[at : at + size].split(b"\0", 1)[0].decode("utf-8", "replace").strip()
