"""Apple iOS MakerNotes: the Live Photo media group ID."""

from __future__ import annotations

from veil.core.metadata.ifd import order, read_ifd, text
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    """Apple: "Apple iOS\\0" + version + "MM", IFD at +14, offsets from the note.

    MediaGroupUUID (0x0011) ties a photo to its Live Photo video: a unique ID like
    ImageUniqueID.
    """
    if buf[note : note + 10] != b"Apple iOS\0":
        return
    bo = order(buf[note + 12 : note + 14], bo)
    entry = read_ifd(buf, note + 14, note, bo).get(0x0011)
    if entry is not None and entry.type == 2:
        found.append(("MediaGroupUUID", text(buf, entry)))
