"""Pentax / Ricoh Imaging MakerNotes ("AOC\\0", "PENTAX \\0"): body and internal serials, and
the world-time cities the owner set in the camera (ExifTool's Pentax Main 0x0023/0x0024, and
TimeInfo 0x006b on the K-5 and later): the home city says where the owner lives, the
destination where they travelled."""

from __future__ import annotations

import struct

from veil.core.metadata.ifd import Entry, number, order, raw, read_ifd, text
from veil.core.metadata.makernotes.common import Found

#: The world-time city list, by the index the camera stores (ExifTool's %pentaxCities, with
#: its "Caracus" spelled as the city is).
CITIES = (
    "Pago Pago", "Honolulu", "Anchorage", "Vancouver", "San Francisco", "Los Angeles",
    "Calgary", "Denver", "Mexico City", "Chicago", "Miami", "Toronto", "New York", "Santiago",
    "Caracas", "Halifax", "Buenos Aires", "Sao Paulo", "Rio de Janeiro", "Madrid", "London",
    "Paris", "Milan", "Rome", "Berlin", "Johannesburg", "Istanbul", "Cairo", "Jerusalem",
    "Moscow", "Jeddah", "Tehran", "Dubai", "Karachi", "Kabul", "Male", "Delhi", "Colombo",
    "Kathmandu", "Dacca", "Yangon", "Bangkok", "Kuala Lumpur", "Vientiane", "Singapore",
    "Phnom Penh", "Ho Chi Minh", "Jakarta", "Hong Kong", "Perth", "Beijing", "Shanghai",
    "Manila", "Taipei", "Seoul", "Adelaide", "Tokyo", "Guam", "Sydney", "Noumea",
    "Wellington", "Auckland", "Lima", "Dakar", "Algiers", "Helsinki", "Athens", "Nairobi",
    "Amsterdam", "Stockholm", "Lisbon", "Copenhagen", "Warsaw", "Prague", "Budapest",
)
_CITY_TAGS = ((0x0023, "HometownCity"), (0x0024, "DestinationCity"))
_TIME_INFO = 0x006B  # int8u: flags, then (at 2 and 3) the home and destination city


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
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
    _cities(buf, tags, bo, found)


def _cities(buf: bytes, tags: dict[int, Entry], bo: str, found: Found) -> None:
    """The home and destination cities, from the Main tags or else from TimeInfo."""
    codes = [(name, number(buf, tags[tag], bo)) for tag, name in _CITY_TAGS if tag in tags]
    info = raw(buf, tags[_TIME_INFO]) if _TIME_INFO in tags else b""
    if not codes and len(info) >= 4:
        codes = [("HometownCity", info[2]), ("DestinationCity", info[3])]
    for name, code in codes:
        # An index past the list is a city newer than ExifTool's table: shown as its number
        # would say nothing to a person, and guessing a city would be worse.
        if code is not None and 0 <= code < len(CITIES):
            found.append((name, CITIES[code]))
