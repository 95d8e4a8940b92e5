"""Small TIFF-structured payloads for identity found outside EXIF (raw headers, maker blocks).

Containers that carry a camera's model, capture time, owner or serial in their own layout
(Casio QVCI, Canon CIFF, Sigma X3F properties...) or as TIFF blocks split by role (Canon CR3's
CMT1-CMT4) hand them to the shared EXIF decoder as ordinary EXIF payloads, so the metadata
package reads one kind of input and no container writes a decoder of its own.

* :func:`exif_payload` writes the standard tags (IFD0 Make/Model/DateTime/Artist, Exif IFD
  DateTimeOriginal/CameraOwnerName/BodySerialNumber...) for values already decoded.
* :func:`wrap_block` turns a TIFF block whose first directory *is* an Exif IFD, a GPS IFD or a
  maker note into a payload where that directory sits at its usual place, by appending a
  small IFD0 that points at it; the block's own bytes and offsets stay untouched.
"""

from __future__ import annotations

import struct

from veil.core.formats.tiffwalk import parse_header

ASCII, SHORT, LONG, UNDEFINED = 2, 3, 4, 7
TAG_MAKE, TAG_MODEL, TAG_DATETIME, TAG_ARTIST = 0x010F, 0x0110, 0x0132, 0x013B
TAG_COPYRIGHT = 0x8298
TAG_EXIF_IFD, TAG_GPS_IFD, TAG_MAKERNOTE = 0x8769, 0x8825, 0x927C
TAG_DATETIME_ORIGINAL, TAG_OWNER, TAG_BODY_SERIAL = 0x9003, 0xA430, 0xA431
TAG_LENS_SERIAL, TAG_UNIQUE_ID = 0xA435, 0xA420
TAG_CAMERA_SERIAL = 0xC62F  # DNG's CameraSerialNumber (IFD0): a hardware id other than the body's
TAG_ORIGINAL_NAME = 0xC68B  # DNG's OriginalRawFileName (IFD0): the camera's own name for the shot
#: Tags that live in the Exif IFD (everything else given to :func:`exif_payload` is IFD0).
_EXIF_IFD_TAGS = frozenset({TAG_DATETIME_ORIGINAL, TAG_OWNER, TAG_BODY_SERIAL,
                            TAG_LENS_SERIAL, TAG_UNIQUE_ID, 0x9004})

Entry = tuple[int, int, int, bytes]  # tag, type, count, value bytes in the payload's order


def _text(value: str) -> bytes:
    return value.encode("utf-8", "replace") + b"\0"


def _table(entries: list[Entry], at: int, bo: str) -> bytes:
    """An IFD at offset ``at`` with its out-of-line values right after the table."""
    entries = sorted(entries)
    values_at = at + 2 + 12 * len(entries) + 4
    table = bytearray(struct.pack(bo + "H", len(entries)))
    values = bytearray()
    for tag, typ, count, data in entries:
        if len(data) <= 4:
            field = data.ljust(4, b"\0")
        else:
            field = struct.pack(bo + "I", values_at + len(values))
            values += data + b"\0" * (len(data) & 1)  # values start on word boundaries
        table += struct.pack(bo + "HHI", tag, typ, count) + field
    return bytes(table + b"\0\0\0\0" + values)


def exif_payload(values: dict[int, str], bo: str = "<") -> bytes | None:
    """A TIFF payload holding ``values`` (tag -> text) under their standard tags, or None
    when there is nothing to hold. Text only: every identity value here is a string."""
    ifd0 = [(t, ASCII, len(_text(v)), _text(v)) for t, v in values.items()
            if v and t not in _EXIF_IFD_TAGS]
    sub = [(t, ASCII, len(_text(v)), _text(v)) for t, v in values.items()
           if v and t in _EXIF_IFD_TAGS]
    if not ifd0 and not sub:
        return None
    header = (b"II*\0" if bo == "<" else b"MM\0*") + struct.pack(bo + "I", 8)
    if sub:
        ifd0.append((TAG_EXIF_IFD, LONG, 1, b"\0\0\0\0"))
        size = len(_table(ifd0, 8, bo))
        ifd0[-1] = (TAG_EXIF_IFD, LONG, 1, struct.pack(bo + "I", 8 + size))
        return header + _table(ifd0, 8, bo) + _table(sub, 8 + size, bo)
    return header + _table(ifd0, 8, bo)


def wrap_block(block: bytes, role: str, make: str = "") -> bytes | None:
    """``block`` (a TIFF whose first IFD is the ``role`` directory) as a standard payload.

    Args:
        block: the TIFF bytes ("II*\\0"/"MM\\0*" header first).
        role: "exif" (an Exif IFD), "gps" (a GPS IFD) or "maker" (a maker-note IFD whose
            offsets count from the block's header, as in Canon CR3's CMT3).
        make: the camera maker, written as IFD0 Make so a maker note is read with its rules.

    Returns:
        The payload, or None when ``block`` has no TIFF header.
    """
    parsed = parse_header(block[:16])
    if parsed is None or parsed[1]:
        return None
    bo, _, first = parsed
    at = len(block) + (len(block) & 1)
    entries: list[Entry] = []
    if make:
        entries.append((TAG_MAKE, ASCII, len(_text(make)), _text(make)))
    if role == "maker":
        # IFD0 -> a one-entry Exif IFD whose MakerNote value is the note at its own offset.
        entries.append((TAG_EXIF_IFD, LONG, 1, b"\0\0\0\0"))
        size = len(_table(entries, at, bo))
        entries[-1] = (TAG_EXIF_IFD, LONG, 1, struct.pack(bo + "I", at + size))
        # A 4-byte value is written as the field itself: here, the offset of the note.
        note = (TAG_MAKERNOTE, UNDEFINED, max(0, len(block) - first),
                struct.pack(bo + "I", first))
        tail = _table(entries, at, bo) + _table([note], at + size, bo)
    else:
        pointer = TAG_GPS_IFD if role == "gps" else TAG_EXIF_IFD
        entries.append((pointer, LONG, 1, struct.pack(bo + "I", first)))
        tail = _table(entries, at, bo)
    out = bytearray(block.ljust(at, b"\0") + tail)
    struct.pack_into(bo + "I", out, 4, at)
    return bytes(out)
