"""A bounded structural walk of the HEVC data a HEIF decoder reads for one ``hvc1`` item.

libheif hands a decoder the item's ``hvcC`` parameter sets followed by the item's coded
bytes, split at their length prefixes (``lengthSizeMinusOne`` + 1 bytes each). This walk
checks what that framing and the NAL unit syntax promise (ISO/IEC 14496-15 8.3.3,
ITU-T H.265 7.3.1 and 7.4.2), without decoding anything:

* ``hvcC`` is whole: its arrays and their NAL units fit the box exactly, each unit has the
  type its array announces;
* every length prefix of the item is > 0 and its unit ends inside the item; the last unit
  ends exactly at the item's end (a cut-short file, or a length that points past the
  data - ``NAL unit size is invalid`` in libheif - is caught here);
* every unit's header has ``forbidden_zero_bit`` 0 and ``nuh_temporal_id_plus1`` > 0, and
  no unit holds a byte pattern H.265 forbids inside a NAL unit (``00 00 00``, ``00 00 01``,
  ``00 00 02``: a zeroed or overwritten stretch) or ends with a ``00`` byte;
* the video, sequence and picture parameter sets are there (in ``hvcC`` or in band), and
  slice data is: at least one coded slice, the first starting a picture.

What it can't see is the entropy-coded content of the slices and the parameter sets'
fields: bytes that are well framed but wrong decode to a damaged picture, or not at all.
Everything is bounded by the buffers given; nothing is copied but small headers.
"""

from __future__ import annotations

import re

__all__ = ["HevcConfig", "parse_hvcc", "walk_hevc"]

#: NAL unit types (H.265 Table 7-1).
VPS, SPS, PPS = 32, 33, 34
#: Coded slice segments: TRAIL..RASL (0-9) and the IRAP pictures BLA..CRA (16-21).
SLICE_TYPES = frozenset(range(10)) | frozenset(range(16, 22))
#: Byte runs H.265 7.4.2 forbids at any byte position inside a NAL unit (00 00 00-02).
_FORBIDDEN = re.compile(rb"\x00\x00[\x00-\x02]")
#: Fixed part of an HEVCDecoderConfigurationRecord, up to numOfArrays included.
_HVCC_FIXED = 23


class HevcConfig:
    """What the walk needs from an ``hvcC`` body: the length prefix size and the NAL unit
    types its arrays carry."""

    __slots__ = ("length_size", "types")

    def __init__(self, length_size: int, types: frozenset[int]) -> None:
        self.length_size = length_size
        self.types = types


def parse_hvcc(body: bytes) -> HevcConfig | str:
    """The configuration in ``body`` (an ``hvcC`` box after its 8-byte header), or why it
    is not a sound one."""
    if len(body) < _HVCC_FIXED:
        return "its HEVC configuration is cut short"
    if body[0] != 1:
        return f"its HEVC configuration has version {body[0]}"
    length_size = (body[21] & 3) + 1
    if length_size == 3:  # 14496-15: 1, 2 or 4 bytes only
        return "its HEVC configuration gives 3-byte NAL lengths"
    pos, types = _HVCC_FIXED, set()
    for _ in range(body[22]):
        if pos + 3 > len(body):
            return "its HEVC configuration is cut short"
        array_type = body[pos] & 0x3F
        count = int.from_bytes(body[pos + 1 : pos + 3], "big")
        pos += 3
        for _ in range(count):
            if pos + 2 > len(body):
                return "its HEVC configuration is cut short"
            size = int.from_bytes(body[pos : pos + 2], "big")
            start, pos = pos + 2, pos + 2 + size
            if pos > len(body):
                return "a parameter set runs past its HEVC configuration"
            why = _unit_problem(body, start, pos)
            if why:
                return f"a parameter set in its HEVC configuration {why}"
            if (body[start] >> 1) & 0x3F != array_type:
                return "a parameter set in its HEVC configuration is not of its array's type"
            types.add(array_type)
    if pos != len(body):
        return "its HEVC configuration has bytes after its last parameter set"
    return HevcConfig(length_size, frozenset(types))


def walk_hevc(config: HevcConfig, data: bytes, start: int, end: int) -> str | None:
    """Why the HEVC item coded in ``data[start:end]`` can't be a sound picture, or None.

    ``data`` is any buffer (the whole file, mapped or read): nothing is copied out of it.
    """
    size = config.length_size
    pos = start
    types = set(config.types)
    first_slice = True
    units = 0
    while pos < end:
        if pos + size > end:
            return "its coded data ends inside a NAL length"
        length = int.from_bytes(data[pos : pos + size], "big")
        unit, pos = pos + size, pos + size + length
        units += 1
        if length == 0:
            return f"NAL unit {units} of its coded data is empty"
        if pos > end:
            return (f"NAL unit {units} runs past the end of its coded data"
                    " (a NAL unit size is invalid)")
        why = _unit_problem(data, unit, pos)
        if why:
            return f"NAL unit {units} of its coded data {why}"
        kind = (data[unit] >> 1) & 0x3F
        types.add(kind)
        if kind in SLICE_TYPES and first_slice:
            first_slice = False
            if length < 3 or not data[unit + 2] & 0x80:
                return "its first slice does not start a picture"
    if units == 0:
        return "it has no coded data"
    missing = [name for name, t in (("VPS", VPS), ("SPS", SPS), ("PPS", PPS)) if t not in types]
    if missing:
        return f"its parameter sets are missing ({', '.join(missing)})"
    if first_slice:
        return "its coded data holds no slice of a picture"
    return None


def _unit_problem(data: bytes, start: int, end: int) -> str | None:
    """Why the NAL unit ``data[start:end]`` breaks H.265's NAL unit syntax, or None."""
    if end - start < 2:
        return "is shorter than its header"
    if data[start] & 0x80:
        return "has its forbidden bit set"
    if not data[start + 1] & 0x07:
        return "has a temporal id of -1"
    if data[end - 1] == 0:
        return "ends with a zero byte"
    if _FORBIDDEN.search(data, start, end):  # one pass, ~0.7 ns a byte
        return "holds a byte run no NAL unit may hold (zeroed or overwritten data)"
    return None
