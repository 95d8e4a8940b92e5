"""Photoshop image resources (8BIM) and the IPTC-IIM records inside them.

Every length is checked against the bytes actually held, and the walks are bounded, so a
hostile length (e.g. 0xFFFFFFFF) ends the walk with a warning instead of reading past the end.
"""

from __future__ import annotations

import struct

from veil.core.metadata.exif import decode_exif
from veil.core.metadata.model import Collector
from veil.core.metadata.xmp import decode_xmp

MAX_RECORDS = 5000
#: (record, dataset) -> (name, role). Roles: owner, place, text, time, soft, serial-free tags.
DATASETS: dict[tuple[int, int], tuple[str, str]] = {
    (2, 5): ("ObjectName", "text"), (2, 25): ("Keywords", "text"),
    (2, 40): ("SpecialInstructions", "text"), (2, 55): ("DateCreated", "date"),
    (2, 60): ("TimeCreated", "clock"), (2, 62): ("DigitalCreationDate", "date"),
    (2, 63): ("DigitalCreationTime", "clock"),
    (2, 65): ("OriginatingProgram", "soft"), (2, 80): ("By-line", "owner"),
    (2, 85): ("By-lineTitle", "owner"), (2, 90): ("City", "place"),
    (2, 92): ("Sub-location", "place"), (2, 95): ("Province-State", "place"),
    (2, 100): ("Country-PrimaryLocationCode", "place"),
    (2, 101): ("Country-PrimaryLocationName", "place"), (2, 103): ("OriginalTransmissionRef", ""),
    (2, 105): ("Headline", "text"), (2, 110): ("Credit", "owner"), (2, 115): ("Source", ""),
    (2, 116): ("CopyrightNotice", "owner"), (2, 118): ("Contact", "owner"),
    (2, 120): ("Caption-Abstract", "text"), (2, 122): ("Writer-Editor", "owner"),
    (1, 90): ("CodedCharacterSet", ""),
}
_RESOURCES = {0x0404: "IPTC", 0x040C: "thumbnail", 0x0409: "thumbnail", 0x0422: "exif",
              0x0424: "xmp"}


def decode_photoshop(payload: bytes, col: Collector) -> None:
    """Add the IPTC (and Photoshop thumbnail/EXIF/XMP resources) in ``payload`` to ``col``.

    ``payload`` is an APP13 body ("Photoshop 3.0\\0" + 8BIM resources), bare 8BIM
    resources, or raw IIM (starting 0x1C). Never raises.
    """
    if payload.startswith(b"Photoshop 3.0\0"):
        payload = payload[14:]
    if payload[:1] == b"\x1c":
        decode_iim(payload, col)
        return
    pos, seen = 0, 0
    while pos + 12 <= len(payload) and seen < 1000:
        seen += 1
        if payload[pos : pos + 4] not in (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa"):
            col.warnings.append("a Photoshop resource block is damaged; the rest was not read")
            col.incomplete = True
            return
        (rid,) = struct.unpack_from(">H", payload, pos + 4)
        name_len = payload[pos + 6]
        name_total = (1 + name_len + 1) & ~1  # Pascal string padded to even
        at = pos + 6 + name_total
        if at + 4 > len(payload):
            break
        (size,) = struct.unpack_from(">I", payload, at)
        data_at = at + 4
        if data_at + size > len(payload):
            col.warnings.append("a Photoshop resource claims more bytes than the file holds")
            col.incomplete = True
            size = len(payload) - data_at
        data = payload[data_at : data_at + size]
        _resource(rid, data, col)
        pos = data_at + size + (size & 1)


def _resource(rid: int, data: bytes, col: Collector) -> None:
    kind = _RESOURCES.get(rid)
    if kind == "IPTC":
        decode_iim(data, col)
    elif kind == "thumbnail" and len(data) > 28:
        col.flags.add("photoshop_thumbnail")
        col.tag("Photoshop", "ThumbnailImage", f"{len(data) - 28} bytes")
    elif kind == "exif":
        decode_exif(data, col)
    elif kind == "xmp":
        decode_xmp(data, col)


def decode_iim(data: bytes, col: Collector) -> None:
    """Walk IIM datasets (0x1C, record, dataset, length, value) with bounds checks."""
    pos, count, utf8 = 0, 0, True
    dates: dict[str, str] = {}  # "DateCreated"/"TimeCreated"... -> value
    while pos + 5 <= len(data) and count < MAX_RECORDS:
        if data[pos] != 0x1C:
            if data[pos:].strip(b"\0"):
                col.warnings.append("an IPTC block is damaged; the rest was not read")
                col.incomplete = True
            break
        count += 1
        record, dataset = data[pos + 1], data[pos + 2]
        (size,) = struct.unpack_from(">H", data, pos + 3)
        pos += 5
        if size & 0x8000:  # extended length: the next (size & 0x7FFF) bytes hold the length
            n = size & 0x7FFF
            if n > 4 or pos + n > len(data):
                col.warnings.append("an IPTC value has an impossible length")
                col.incomplete = True
                break
            size = int.from_bytes(data[pos : pos + n], "big")
            pos += n
        if pos + size > len(data):
            col.warnings.append("an IPTC value claims more bytes than the file holds")
            col.incomplete = True
            size = len(data) - pos
        raw = data[pos : pos + size]
        pos += size
        if (record, dataset) == (1, 90):
            utf8 = b"\x1b%G" in raw
            continue
        name, role = DATASETS.get((record, dataset), (f"{record}:{dataset:03d}", ""))
        if record == 2 and dataset == 0:
            continue  # record version number
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("utf-8" if utf8 else "latin-1", "replace")
        text = col.tag("IPTC", name, value)
        if role == "owner":
            col.owner(f"IPTC {name}", text)
        elif role == "place":
            col.place(f"IPTC {name}", text)
        elif role == "text":
            col.text(f"IPTC {name}", text)
        elif role == "soft":
            col.soft(f"IPTC {name}", text)
        elif role in ("date", "clock"):
            dates[name] = text
    # When it was made, and when it was digitised (a scan, or the camera's own copy).
    for day, clock_name in (("DateCreated", "TimeCreated"),
                            ("DigitalCreationDate", "DigitalCreationTime")):
        date, clock = dates.get(day, ""), dates.get(clock_name, "")
        if len(date) == 8 and date.isdigit():
            when = f"{date[:4]}:{date[4:6]}:{date[6:]}"
            if len(clock) >= 6 and clock[:6].isdigit():
                when += f" {clock[:2]}:{clock[2:4]}:{clock[4:6]}{_zone(clock[6:])}"
            col.when(f"IPTC {day}", when)


def _zone(text: str) -> str:
    """IIM zone "+0100" -> "+01:00"."""
    if len(text) == 5 and text[0] in "+-" and text[1:].isdigit():
        return f"{text[:3]}:{text[3:]}"
    return ""
