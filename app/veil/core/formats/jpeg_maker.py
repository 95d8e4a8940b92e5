"""Maker APPn blocks that carry identity in a fixed layout, decoded (Casio QVCI, JPS stereo,
Photoshop's Ducky, Samsung's unique id,
PhotoStudio's Unicode comment, Canon CIFF).

Any other maker block is reported but not decoded, which makes the file "not fully
understood" (see :data:`PLAIN_APPS` for the few whose fixed layout holds nothing personal).
Layouts follow ExifTool's tag documentation (Casio QVCI, JPEG JPS tables).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from veil.core.formats.tiffbuild import (
    TAG_BODY_SERIAL,
    TAG_COPYRIGHT,
    TAG_DATETIME_ORIGINAL,
    TAG_MAKE,
    TAG_MODEL,
    TAG_UNIQUE_ID,
    exif_payload,
)

#: Maker blocks (by their :data:`jpeg_app.MAKER_APPS` note) whose layout is fixed numbers that
#: identify nobody: a motion-JPEG frame header, HDR gain-map parameters, a SPIFF header, a
#: quality byte. Everything else Veil does not decode leaves the file "not fully understood".
PLAIN_APPS = frozenset({"Motion-JPEG frame header", "HDR gain map metadata", "SPIFF header",
                        "GraphicConverter quality", "Toshiba PrintIM"})


@dataclass(frozen=True, slots=True)
class Decoded:
    """What a decoded maker block holds: an EXIF-style payload and/or free-text comments."""

    exif: bytes | None = None
    comments: tuple[str, ...] = ()


def _string(p: bytes, at: int, n: int) -> str:
    raw = p[at : at + n].split(b"\0", 1)[0]
    return raw.decode("latin-1").strip()


def casio_qvci(p: bytes) -> Decoded | None:
    """Casio QV-7000SX "QVCI" APP1: capture time at 0x4d (string[20], "." separated), the
    model at 0x62 (string[7]), and ManufactureIndex / ManufactureCode at 0x72 / 0x7c
    (string[9] each; ExifTool: "could be serial number"), kept as the body serial. None when
    the block is too short to hold the model."""
    if len(p) < 0x62 + 7:
        return None
    unit = " / ".join(s for s in (_string(p, 0x72, 9), _string(p, 0x7C, 9)) if s)
    when = _string(p, 0x4D, 20).replace(".", ":")
    parts = when.split(":")
    if len(parts) >= 6:  # "2001:02:03:04:05:06" -> "2001:02:03 04:05:06"
        when = ":".join(parts[:3]) + " " + ":".join(parts[3:6])
    model = _string(p, 0x62, 7)
    return Decoded(exif_payload({TAG_MAKE: "Casio" if model else "", TAG_MODEL: model,
                                 TAG_DATETIME_ORIGINAL: when, TAG_BODY_SERIAL: unit}))


def jps(p: bytes) -> Decoded | None:
    """JPEG Stereo "_JPSJPS_" APP3: a header block (its length at 8) then a comment length
    and the comment, which can be any text the author wrote."""
    if len(p) < 12:
        return None
    (header,) = struct.unpack(">H", p[8:10])
    at = 10 + header
    if at + 2 > len(p):
        return None
    # The comment's own length field is not trusted (ExifTool reads to the block's end too):
    # a wrong length must not hide text.
    text = p[at + 2 :].split(b"\0", 1)[0]
    comment = text.decode("utf-8", "replace").strip()
    return Decoded(comments=(comment,) if comment else ())


def _ucs2(value: bytes) -> str:
    """A Ducky text: a 4-byte character count, then big-endian UCS-2."""
    return value[4:].decode("utf-16-be", "replace").split("\0", 1)[0].strip()


def ducky(p: bytes) -> Decoded | None:
    """Photoshop "Save for Web" APP12 "Ducky": (tag, length, value) records, big-endian:
    1 quality, 2 comment, 3 copyright. None when a record is unknown or overruns."""
    pos, comments, copyright_ = 5, [], ""
    while pos + 4 <= len(p):
        tag, length = struct.unpack(">HH", p[pos : pos + 4])
        if tag == 0:
            break
        value = p[pos + 4 : pos + 4 + length]
        if len(value) < length or tag not in (1, 2, 3):
            return None
        if tag == 2 and _ucs2(value):
            comments.append(_ucs2(value))
        elif tag == 3:
            copyright_ = _ucs2(value)
        pos += 4 + length
    return Decoded(exif_payload({TAG_COPYRIGHT: copyright_}), tuple(comments))


def _ciff(p: bytes) -> Decoded | None:
    """A CIFF block (Canon's raw directory format) read with the CRW walker. None when any
    part of it was not understood (then the block stays "not decoded")."""
    import io

    from veil.core.errors import CorruptFile
    from veil.core.formats.crw import read_ciff

    try:
        walk = read_ciff(io.BytesIO(p), len(p))
    except CorruptFile:
        return None
    if not walk.complete:
        return None
    return Decoded(walk.exif[0] if walk.exif else None, tuple(walk.comments))


def decode_maker_app(marker: int, p: bytes) -> Decoded | None:
    """The decoded content of a maker APPn Veil knows the layout of, else None."""
    if marker == 0xE0 and p[6:10] == b"HEAP":  # Canon CIFF in APP0 (early PowerShots)
        return _ciff(p)
    if marker == 0xEA and p.startswith(b"UNICODE\0"):  # PhotoStudio: a UCS-2 comment
        text = p[8:].decode("utf-16-be", "replace").split("\0", 1)[0].strip()
        return Decoded(comments=(text,) if text else ())
    if marker == 0xE5 and p.startswith(b"ssuniqueid\0"):  # Samsung: one text id
        return Decoded(exif_payload({TAG_UNIQUE_ID: _string(p, 11, 64)}))
    if marker == 0xEC and p.startswith(b"Ducky"):
        return ducky(p)
    if marker == 0xE1 and p.startswith(b"QVCI\0"):
        return casio_qvci(p)
    if marker == 0xE3 and p.startswith(b"_JPSJPS_"):
        return jps(p)
    return None
