"""What every maker-note reader shares: the result type and the simple IFD-of-text reader."""

from __future__ import annotations

from collections.abc import Callable

from veil.core.metadata.ifd import order, read_ifd, text

Found = list[tuple[str, str]]  # (tag name, value): a serial or ID unless ROLES says else
#: The name a reader gives a preview picture kept in the note (value: "<n> bytes"); the EXIF
#: reader reports it as a hidden thumbnail, not as a serial.
THUMBNAIL = "ThumbnailImage"
#: What a found tag is, when it is not a serial number or ID (the EXIF reader lifts it so).
ROLES = {"OwnerName": "owner", "LensModel": "lens", "DateTimeOriginal": "time",
         "BabyName": "person", "RecognizedFaceName": "person", "FaceName": "person",
         "Location": "place", "Country": "place", "State": "place", "City": "place",
         "City2": "place", "Landmark": "place", "Title": "text",
         "HometownCity": "place", "DestinationCity": "place", "FaceBirthday": "text"}
#: A maker's reader: (whole TIFF payload, note offset, EXIF byte order, out list).
Reader = Callable[[bytes, int, str, Found], None]


def simple(
    start: int, base_from_note: bool, names: dict[int, str], header: int = -1
) -> Reader:
    """A maker whose IFD sits at ``note + start`` and lists serials as text tags.

    ``header`` >= 0: the note holds its own "II"/"MM" marker at ``note + header``.
    """

    def read(buf: bytes, note: int, bo: str, found: Found) -> None:
        if header >= 0:
            bo = order(buf[note + header : note + header + 2], bo)
        tags = read_ifd(buf, note + start, note if base_from_note else 0, bo)
        for tag, name in names.items():
            if tag in tags:
                found.append((name, text(buf, tags[tag])))

    return read
