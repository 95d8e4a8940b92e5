"""Apple iOS MakerNotes: the IDs that tie a photo to others of the same moment."""

from __future__ import annotations

from veil.core.metadata.ifd import order, read_ifd, text
from veil.core.metadata.makernotes.common import Found

#: String tags that are unique IDs (ExifTool's Apple table names): the burst a shot belongs
#: to, the Live Photo video it pairs with, the capture request that made it. The Live
#: Photo's first: the device finding words the first ID it is given.
_IDS = ((0x0011, "MediaGroupUUID"), (0x000B, "BurstUUID"), (0x0020, "ImageCaptureRequestID"))


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    """Apple: "Apple iOS\\0" + version + "MM", IFD at +14, offsets from the note.

    Each ID, like ImageUniqueID, links copies of the photo to the original (and to the
    other shots of its burst, or its Live Photo video).
    """
    if buf[note : note + 10] != b"Apple iOS\0":
        return
    bo = order(buf[note + 12 : note + 14], bo)
    tags = read_ifd(buf, note + 14, note, bo)
    for tag, name in _IDS:
        entry = tags.get(tag)
        if entry is not None and entry.type == 2:
            found.append((name, text(buf, entry)))
