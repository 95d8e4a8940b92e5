"""Read the few MakerNote tags that identify a camera (serials, owner) without exifread.

exifread's ``details=True`` decodes every MakerNote tag one byte at a time (a seek and a read
per byte), which costs ~10x the rest of the EXIF decode. Serials live in a handful of known
tags, so we walk the maker's IFD ourselves with ``struct`` on the bytes we already hold and
read only those. Offsets follow ExifTool's MakerNotes.pm (base and byte order per maker).
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Callable

from veil.core.ifdread import (
    fixed_base,
    guess_order,
    number,
    order,
    raw,
    read_ifd,
    text,
)

Found = list[tuple[str, str]]  # (tag name, value); names end in "Serial..." or "OwnerName"


def _canon_base(buf: bytes, note: int, length: int, bo: str) -> int:
    """Offset correction when an editor moved the note: Canon ends it with "II*\\0" + the
    note's original offset (ExifTool's FixBase does the same)."""
    footer = buf[note + length - 8 : note + length]
    if len(footer) == 8 and footer[:4] in (b"II*\0", b"MM\0*"):
        (original,) = struct.unpack_from(bo + "I", footer, 4)
        if 0 < original < 1 << 31:
            return note - original
    return 0


def _canon(buf: bytes, note: int, bo: str, found: Found, length: int = 0) -> None:
    tags = read_ifd(buf, note, _canon_base(buf, note, length, bo) if length else 0, bo)
    if 0x0009 in tags:
        found.append(("OwnerName", text(buf, tags[0x0009])))
    if 0x000C in tags:
        value = number(buf, tags[0x000C], bo)
        if value is not None:
            found.append(("SerialNumber", str(value)))
    if 0x0096 in tags and tags[0x0096].type == 2:
        found.append(("InternalSerialNumber", text(buf, tags[0x0096])))
    if 0x0028 in tags and tags[0x0028].count == 16:
        uid = raw(buf, tags[0x0028]).hex()
        if uid.strip("0"):
            found.append(("ImageUniqueID", uid))


def _simple(
    start: int, base_from_note: bool, names: dict[int, str], header: int = -1
) -> Callable[[bytes, int, str, Found], None]:
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


def _nikon(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 7] == b"Nikon\0\x02":
        tiff = note + 10  # the note carries its own TIFF header; offsets count from it
        bo = order(buf[tiff : tiff + 2], bo)
        tags = read_ifd(buf, tiff + 8, tiff, bo)
    elif buf[note : note + 6] == b"Nikon\0":
        return  # type 1 (Coolpix E-series) holds no serial
    else:
        tags = read_ifd(buf, note, 0, bo)
    for tag in (0x001D, 0x00A0):
        if tag in tags:
            found.append(("SerialNumber", text(buf, tags[tag])))


def _olympus(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 8] in (b"OLYMPUS\0", b"OM SYSTE"):
        start = 12 if buf[note : note + 8] == b"OLYMPUS\0" else 16
        bo = order(buf[note + start - 4 : note + start - 2], bo)
        base = note
    else:  # "OLYMP\0" / "EPSON\0": IFD at +8, offsets from the TIFF header
        start, base = 8, 0
    tags = read_ifd(buf, note + start, base, bo)
    if 0x0404 in tags:
        found.append(("SerialNumber", text(buf, tags[0x0404])))
    equipment = tags.get(0x2010)
    if equipment is not None:
        ifd = number(buf, equipment, bo) if equipment.type in (4, 13) else None
        # Older bodies store the Equipment IFD inline (type UNDEFINED) at its data position;
        # its value offsets still count from the note's base.
        sub = read_ifd(buf, base + ifd if ifd is not None else equipment.pos, base, bo)
        for tag, name in ((0x0101, "SerialNumber"), (0x0102, "InternalSerialNumber"),
                          (0x0202, "LensSerialNumber"), (0x0303, "LensSerialNumber")):
            if tag in sub and sub[tag].type in (2, 7):
                found.append((name, text(buf, sub[tag])))


def _pentax(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 4] == b"AOC\0":
        bo = order(buf[note + 4 : note + 6], bo)
        tags = read_ifd(buf, note + 6, 0, bo)
    elif buf[note : note + 8] == b"PENTAX \0":
        bo = order(buf[note + 8 : note + 10], bo)
        tags = read_ifd(buf, note + 10, note, bo)
    else:
        return
    if 0x0229 in tags:
        found.append(("SerialNumber", text(buf, tags[0x0229])))
    info = tags.get(0x0215)  # CameraInfo int32u: model id, date, production code x2, serial
    if info is not None and len(raw(buf, info)) >= 20:
        (value,) = struct.unpack_from(bo + "I", buf, info.pos + 16)
        if value:
            found.append(("InternalSerialNumber", str(value)))


def _fujifilm(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 8] != b"FUJIFILM" or note + 12 > len(buf):
        return
    (ifd,) = struct.unpack_from("<I", buf, note + 8)
    tags = read_ifd(buf, note + ifd, note, "<")  # always little-endian, offsets from the note
    if 0x0010 in tags:
        found.append(("InternalSerialNumber", text(buf, tags[0x0010])))


def _nintendo(buf: bytes, note: int, bo: str, found: Found) -> None:
    info = read_ifd(buf, note, 0, bo).get(0x1101)
    if info is not None and info.count >= 0x1C:
        found.append(("InternalSerialNumber", "0x" + buf[info.pos + 0x18 : info.pos + 0x1C].hex()))


def _panasonic(buf: bytes, note: int, bo: str, found: Found) -> None:
    if buf[note : note + 9] != b"Panasonic":
        return
    ifd = note + 12
    # Offsets count from the TIFF header unless an editor moved the note; then try the
    # FixBase guesses and keep the first that reads as a serial.
    for base in (0, fixed_base(buf, ifd, 0, bo, False), fixed_base(buf, ifd, 0, bo, True)):
        entry = read_ifd(buf, ifd, base, bo).get(0x0025)
        value = text(buf, entry) if entry is not None else ""
        if value and value.isalnum():
            found.append(("InternalSerialNumber", value))
            return


def _ricoh(buf: bytes, note: int, bo: str, found: Found) -> None:
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


def _samsung(buf: bytes, note: int, bo: str, found: Found) -> None:
    """Samsung "Type2" notes: a bare IFD whose offsets are absolute on some models and
    relative to the note on others, so try both (ExifTool processes them as Unknown)."""
    bo = guess_order(buf, note, bo)
    for base in (0, note, fixed_base(buf, note, 0, bo)):
        tags = read_ifd(buf, note, base, bo)
        got = [(name, text(buf, tags[tag])) for tag, name in
               ((0xA002, "SerialNumber"), (0xA005, "InternalLensSerialNumber")) if tag in tags]
        good = [(n, v) for n, v in got if len(v) >= 5 and v.replace("-", "").isalnum()]
        if good:
            found.extend(good)
            return


def _apple(buf: bytes, note: int, bo: str, found: Found) -> None:
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


def _reconyx(buf: bytes, note: int) -> Found:
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
    return [("SerialNumber", value)] if value.isprintable() and value else []


#: Make (upper-case prefix) -> reader. Makers not listed keep no decodable serial.
READERS: tuple[tuple[str, Callable[[bytes, int, str, Found], None]], ...] = (
    ("CANON", _canon),
    ("NIKON", _nikon),
    ("OLYMPUS", _olympus),
    ("OM DIGITAL", _olympus),
    ("PENTAX", _pentax),
    ("RICOH IMAGING", _pentax),
    ("ASAHI", _pentax),
    ("FUJIFILM", _fujifilm),
    ("NINTENDO", _nintendo),
    ("PANASONIC", _panasonic),
    ("LEICA", _panasonic),
    ("RICOH", _ricoh),
    ("PENTAX RICOH", _ricoh),
    ("SAMSUNG", _samsung),
    ("APPLE", _apple),
    ("SIGMA", _simple(10, False, {0x0002: "SerialNumber"})),
    ("MOTOROLA", _simple(8, True, {0x5501: "SerialNumber"})),
)


def maker_serials(buf: bytes, note: int, length: int, make: str, bo: str) -> Found:
    """Serials/owner found in the MakerNote at ``buf[note:note+length]`` for ``make``.

    ``buf`` is the whole TIFF payload (many makers point outside the note). Values that are
    empty are dropped. Never raises for malformed notes; returns what could be read.
    """
    if buf[note : note + 2] == b"\x01\xf1" or buf[note : note + 7] == b"RECONYX":
        return _reconyx(buf, note)
    upper = make.upper().strip()
    for prefix, reader in READERS:
        if upper.startswith(prefix):
            found: Found = []
            # a malformed note just yields what was read before the damage
            with contextlib.suppress(struct.error, IndexError, ValueError):
                if reader is _canon:
                    _canon(buf, note, bo, found, length)
                else:
                    reader(buf, note, bo, found)
            return [(n, v) for n, v in found if v]
    return []


def maker_name(make: str, note_head: bytes) -> str:
    """A readable maker name for the MakerNote (from its signature, else the Make tag)."""
    for sig, name in ((b"Apple iOS", "Apple"), (b"Nikon", "Nikon"), (b"OLYMP", "Olympus"),
                      (b"FUJIFILM", "Fujifilm"), (b"Panasonic", "Panasonic"),
                      (b"SONY", "Sony"), (b"AOC\0", "Pentax"), (b"SIGMA", "Sigma"),
                      (b"MOT\0", "Motorola"),
                      (b"\x01\xf1", "Reconyx"), (b"RECONYX", "Reconyx"), (b"RICOH", "Ricoh"),
                      (b"SAMSUNG", "Samsung")):
        if note_head.startswith(sig):
            return name
    return make.strip()
