"""Panasonic / Leica (Panasonic-made) MakerNotes (ExifTool's Panasonic Main table): the
internal serial (0x0025), the lens and accessory serials (0x0052, 0x0054), and what the
owner typed or the camera recognised: a baby's or pet's name (0x0066), the names of faces
it was taught (FaceRecInfo 0x0061), the title (0x0065), and place names from its GPS
models' landmark database (0x0067-0x006f, 0x0080)."""

from __future__ import annotations

import struct

from veil.core.metadata.ifd import Entry, fixed_base, raw, read_ifd, text
from veil.core.metadata.makernotes.common import Found

#: String tags the owner typed or the camera filled in.
_WORDS = ((0x0065, "Title"), (0x0066, "BabyName"), (0x0067, "Location"), (0x0069, "Country"),
          (0x006B, "State"), (0x006D, "City"), (0x006F, "Landmark"), (0x0080, "City2"))
_FACE_REC = 0x0061
_UNSET = ("", "---")


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
            break
    else:
        tags = read_ifd(buf, ifd, 0, bo)
    for tag, name in _WORDS:
        if tag in tags and tags[tag].type in (2, 7):
            _word(name, text(buf, tags[tag]), found)
    if _FACE_REC in tags:
        _faces(buf, tags[_FACE_REC], bo, found)


def _word(name: str, value: str, found: Found) -> None:
    if value.strip() not in _UNSET and value.isprintable():
        found.append((name, value.strip()))


def _faces(buf: bytes, entry: Entry, bo: str, found: Found) -> None:
    """FaceRecInfo: a count (int16u), then per face a 48-byte record whose first 20 bytes
    are the name the owner gave that face (at most 3 faces)."""
    data = raw(buf, entry)
    if len(data) < 2:
        return
    (count,) = struct.unpack_from(bo + "H", data)
    for i in range(min(count, 3)):
        at = 4 + 48 * i
        name = data[at : at + 20].split(b"\0", 1)[0].decode("utf-8", "replace")
        _word("RecognizedFaceName", name, found)
