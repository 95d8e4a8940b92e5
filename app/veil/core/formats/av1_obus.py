"""A bounded structural walk of the AV1 data a HEIF (AVIF) decoder reads for one ``av01`` item.

The decoder is given the ``av1C`` configuration OBUs and the item's bytes, a sequence of
OBUs in the low-overhead format (AV1 spec 5.3; AV1-ISOBMFF 2.4). The walk checks what
that format promises, without decoding anything:

* ``av1C`` has its marker and version, and its OBUs are well framed;
* every OBU header has its forbidden bit 0, every ``leb128`` size is well formed and its
  payload ends inside the item; the last OBU ends exactly at the item's end (an OBU
  without a size field can only be that last one);
* a sequence header is there (in ``av1C`` or the item), and a frame: a ``FRAME`` OBU, or a
  frame header followed by a tile group.

Like the HEVC walk (:mod:`veil.core.formats.hevc_units`) it can't see whether the coded
tiles' content is sound.
"""

from __future__ import annotations

__all__ = ["parse_av1c", "walk_av1"]

SEQUENCE_HEADER, FRAME_HEADER, TILE_GROUP, FRAME = 1, 3, 4, 6
#: leb128 values are at most 8 bytes and below 2**32 (AV1 spec 4.10.5).
_LEB_BYTES = 8


def parse_av1c(body: bytes) -> frozenset[int] | str:
    """The OBU types carried by ``body`` (an ``av1C`` box after its 8-byte header), or why
    it is not a sound configuration."""
    if len(body) < 4:
        return "its AV1 configuration is cut short"
    if body[0] != 0x81:  # marker 1, version 1
        return "its AV1 configuration has no marker or an unknown version"
    types: set[int] = set()
    why = _walk(body, 4, len(body), types)
    return f"its AV1 configuration {why}" if why else frozenset(types)


def walk_av1(config: frozenset[int], data: bytes, start: int, end: int) -> str | None:
    """Why the AV1 item coded in ``data[start:end]`` can't be a sound picture, or None."""
    if start >= end:
        return "it has no coded data"
    types: set[int] = set()
    why = _walk(data, start, end, types)
    if why:
        return f"its coded data {why}"
    if SEQUENCE_HEADER not in types | config:
        return "its sequence header is missing"
    if FRAME not in types and not {FRAME_HEADER, TILE_GROUP} <= types:
        return "its coded data holds no frame"
    return None


def _walk(data: bytes, pos: int, end: int, types: set[int]) -> str | None:
    """Walk the OBUs of ``data[pos:end]``, adding their types to ``types``."""
    n = 0
    while pos < end:
        n += 1
        header = data[pos]
        if header & 0x80:
            return f"has its forbidden bit set in OBU {n}"
        kind, extended, sized = (header >> 3) & 0x0F, header & 0x04, header & 0x02
        pos += 2 if extended else 1
        if pos > end:
            return f"ends inside the header of OBU {n}"
        if sized:
            size, pos = _leb128(data, pos, end)
            if size < 0:
                return f"has an unreadable size in OBU {n}"
            if pos + size > end:
                return f"has OBU {n} running past its end"
            pos += size
        else:
            pos = end  # no size: the OBU runs to the end, so it must be the last one
        types.add(kind)
    return None


def _leb128(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """(value, position after it), or (-1, pos) when malformed or cut short."""
    value = 0
    for i in range(_LEB_BYTES):
        if pos + i >= end:
            return -1, pos
        byte = data[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return (value, pos + i + 1) if value < 1 << 32 else (-1, pos)
    return -1, pos
