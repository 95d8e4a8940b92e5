"""GoPro GPMF telemetry: the first GPS fix in a ``gpmd`` sample.

GPMF is key-length-value: a 4-character key, a type byte (0 = nested), a structure size byte
and a 16-bit repeat count, the data padded to 4 bytes. Inside a stream (``STRM``) the GPS
samples are ``GPS5`` (lat, lon, alt, 2D speed, 3D speed as int32) or ``GPS9`` (lat, lon, ...),
divided by the stream's ``SCAL``; ``GPSF`` is the fix (0 = none). Reads are bounded and nesting
is capped, so a hostile sample only ends the search.
"""

from __future__ import annotations

import struct

_MAX_DEPTH = 6
_INT_TYPES = {"l": ">i", "L": ">I", "s": ">h", "S": ">H", "b": ">b", "B": ">B"}


def _values(kind: str, size: int, repeat: int, data: bytes) -> list[int]:
    fmt = _INT_TYPES.get(kind)
    if fmt is None:
        return []
    width = struct.calcsize(fmt)
    count = min(size * repeat // width, len(data) // width, 64)
    return [struct.unpack_from(fmt, data, i * width)[0] for i in range(count)]


def first_fix(sample: bytes) -> tuple[float, float, float | None] | None:
    """(lat, lon, altitude) of the first GPS fix in a GPMF sample, else None."""
    return _walk(sample, 0, len(sample), 0)


def _walk(buf: bytes, pos: int, end: int, depth: int) -> tuple[float, float, float | None] | None:
    if depth > _MAX_DEPTH:
        return None
    scale: list[int] = []
    fix: int | None = None
    while pos + 8 <= end:
        key = buf[pos : pos + 4].decode("latin-1")
        kind, size, repeat = chr(buf[pos + 4]), buf[pos + 5], int.from_bytes(buf[pos + 6 : pos + 8],
                                                                              "big")
        length = size * repeat
        body = pos + 8
        if body + length > end:
            return None
        data = buf[body : body + length]
        if kind == "\0":
            found = _walk(buf, body, body + length, depth + 1)
            if found:
                return found
        elif key == "SCAL":
            scale = _values(kind, size, repeat, data)
        elif key == "GPSF":
            # An empty or non-integer GPSF says nothing: the fix stays unknown (None), and
            # unknown is not "no fix" (0), so the position is still reported.
            fixes = _values(kind, size, repeat, data)
            fix = fixes[0] if fixes else None
        elif key in ("GPS5", "GPS9") and fix != 0 and len(data) >= 12:
            lat, lon, alt = struct.unpack_from(">iii", data, 0)
            s = (scale + [scale[-1]] * 3)[:3] if scale else [1, 1, 1]
            if all(s):
                point = (lat / s[0], lon / s[1], alt / s[2])
                if abs(point[0]) <= 90 and abs(point[1]) <= 180 and point[:2] != (0, 0):
                    return point
        pos = body + (length + 3) // 4 * 4
    return None
