"""Small, bounded readers for TIFF-style IFDs held in memory (EXIF blocks, MakerNotes).

``struct`` on bytes we already hold: no seeks, no per-value calls. Every entry whose data
would lie outside the buffer is dropped, so hostile offsets and counts can't reach past it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from veil.core.frozen import quick_init

#: Entries read from one IFD at most: a real MakerNote has < 300; hostile ones claim 65535.
MAX_ENTRIES = 600
_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}


@quick_init
@dataclass(frozen=True, slots=True)
class Entry:
    """One IFD entry: field type, count and the absolute position of its data in ``buf``."""

    type: int
    count: int
    pos: int


def read_ifd(buf: bytes, ifd: int, base: int, bo: str) -> dict[int, Entry]:
    """The entries of the IFD at ``ifd`` in ``buf``; value offsets are relative to ``base``.

    Entries whose data would lie outside ``buf`` are dropped (hostile lengths); a truncated
    IFD yields the entries that fit. Never raises for bad data.
    """
    out: dict[int, Entry] = {}
    if ifd < 0 or ifd + 2 > len(buf):
        return out
    (n,) = struct.unpack_from(bo + "H", buf, ifd)
    for i in range(min(n, MAX_ENTRIES)):
        at = ifd + 2 + 12 * i
        if at + 12 > len(buf):
            break
        tag, typ, count = struct.unpack_from(bo + "HHI", buf, at)
        size = _SIZES.get(typ, 0) * count
        if size == 0:
            continue
        pos = at + 8 if size <= 4 else base + struct.unpack_from(bo + "I", buf, at + 8)[0]
        if pos >= 0 and pos + size <= len(buf):
            out[tag] = Entry(typ, count, pos)
    return out


def raw(buf: bytes, e: Entry) -> bytes:
    """The entry's data bytes."""
    return buf[e.pos : e.pos + _SIZES.get(e.type, 1) * e.count]


def text(buf: bytes, e: Entry) -> str:
    """An ASCII/undefined entry as text, cut at the first NUL, trailing blanks removed."""
    data = raw(buf, e).split(b"\0", 1)[0]
    return data.decode("utf-8", "replace").strip()


def number(buf: bytes, e: Entry, bo: str, index: int = 0) -> int | None:
    """The ``index``-th SHORT/LONG value of an entry, or None."""
    fmt = {3: "H", 4: "I", 8: "h", 9: "i", 13: "I"}.get(e.type)
    if fmt is None or index >= e.count:
        return None
    return int(struct.unpack_from(bo + fmt, buf, e.pos + index * _SIZES[e.type])[0])


def order(marker: bytes, default: str) -> str:
    return "<" if marker == b"II" else ">" if marker == b"MM" else default


def fixed_base(buf: bytes, ifd: int, base: int, bo: str, next_ptr: bool = True) -> int:
    """``base``, corrected when an editor moved the note without fixing its offsets.

    Like ExifTool's FixBase: the first out-of-line value normally starts right after the
    IFD (entries, then the next-IFD pointer unless ``next_ptr`` is False: Panasonic writes
    none), so if it points elsewhere, shift every offset by the difference.
    """
    if ifd + 2 > len(buf):
        return base
    (n,) = struct.unpack_from(bo + "H", buf, ifd)
    n = min(n, MAX_ENTRIES)
    offsets = []
    for i in range(n):
        at = ifd + 2 + 12 * i
        if at + 12 > len(buf):
            break
        _tag, typ, count = struct.unpack_from(bo + "HHI", buf, at)
        if _SIZES.get(typ, 0) * count > 4:
            offsets.append(struct.unpack_from(bo + "I", buf, at + 8)[0])
    if not offsets:
        return base
    expected = ifd + 2 + 12 * n + (4 if next_ptr else 0)
    first = base + min(offsets)
    return base if first == expected else base + (expected - first)


def guess_order(buf: bytes, ifd: int, bo: str) -> str:
    """ExifTool's "ByteOrder => Unknown": the order that gives a plausible entry count."""
    if ifd + 2 > len(buf):
        return bo
    (n,) = struct.unpack_from(bo + "H", buf, ifd)
    return bo if 0 < n < 256 else ("<" if bo == ">" else ">")
