"""A bounded, loop-safe walker for TIFF-structured data (TIFF/DNG files, EXIF payloads, MPF).

It only locates things: the IFDs (IFD0, ExifIFD, GPS, Interop, IFD1, SubIFDs, further
pages), the IFD1 JPEG thumbnail, the MakerNote, and the byte extents every tag value
occupies. Tag meaning is left to exifread. Every offset is checked against the source size;
IFD cycles, absurd entry counts and too many IFDs stop the walk with a warning.

Offsets in the results are relative to the TIFF header (where "II*\\0" / "MM\\0*" starts).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from veil.core.formats.builder import WarningLog
from veil.core.formats.byteio import read_at
from veil.core.formats.tiff_ifd import (
    TAG_EXIF,
    TAG_GPS,
    TAG_INTEROP,
    TAG_MAKERNOTE,
    TAG_ORIENTATION,
    TAG_SUBIFDS,
    TAG_THUMB_LENGTH,
    TAG_THUMB_OFFSET,
    TYPE_SIZES,
    Ifd,
    IfdEntry,
    TiffInfo,
)

MAX_ENTRIES = 4096  # real IFDs hold a few hundred entries at most
MAX_IFDS = 64  # pages + sub-IFDs; beyond this a file is hostile or broken

#: Names for the pointer tags that lead to another IFD.
_CHILDREN = {TAG_EXIF: "ExifIFD", TAG_GPS: "GPS", TAG_INTEROP: "Interop"}


ReadAt = Callable[[int, int], bytes]


def bytes_reader(data: bytes) -> ReadAt:
    """A bounded reader over an in-memory TIFF payload."""
    return lambda off, n: data[off : off + n] if off >= 0 else b""


def file_reader(f: BinaryIO, base: int = 0) -> ReadAt:
    """A reader over ``f`` where the TIFF header sits at file offset ``base``."""

    def read(off: int, n: int) -> bytes:
        return read_at(f, base + off, n) if off >= 0 and n > 0 else b""

    return read


@dataclass(slots=True, kw_only=True)
class _Walk(WarningLog):
    read: ReadAt
    size: int
    endian: str
    bigtiff: bool
    ifds: list[Ifd] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    extents: list[tuple[int, int]] = field(default_factory=list)

    def ints(self, entry: IfdEntry, limit: int = 4096) -> list[int]:
        """Integer values of ``entry`` (SHORT/LONG/LONG8/IFD types), at most ``limit``."""
        fmt = {3: "H", 4: "I", 8: "h", 9: "i", 13: "I", 16: "Q", 17: "q", 18: "Q"}.get(entry.type)
        if fmt is None:
            return []
        width = TYPE_SIZES[entry.type]
        raw = self.read(entry.value_offset, min(entry.count, limit) * width)
        count = len(raw) // width
        return list(struct.unpack(f"{self.endian}{count}{fmt}", raw[: count * width]))

    def parse_ifd(self, offset: int, name: str) -> Ifd | None:
        if offset in self.seen:
            self.warn(f"the metadata directories loop ({plain_ifd(name)})")
            return None
        if len(self.ifds) >= MAX_IFDS:
            self.warn("too many TIFF directories; the rest were not read")
            return None
        cnt_size, ent_size, off_size = (8, 20, 8) if self.bigtiff else (2, 12, 4)
        if offset < 8 or offset + cnt_size > self.size:
            self.warn(f"{plain_ifd(name)} points outside the data")
            return None
        self.seen.add(offset)
        head = self.read(offset, cnt_size)
        if len(head) < cnt_size:
            self.warn(f"{plain_ifd(name)} is cut short")
            return None
        claimed = struct.unpack(self.endian + ("Q" if self.bigtiff else "H"), head)[0]
        count = min(claimed, MAX_ENTRIES)
        if claimed > MAX_ENTRIES:
            # Pillow reads such a directory: keep what fits under the limit (structure tags
            # are sorted first) and say why the rest is unread, rather than refusing the file.
            self.warn(f"{plain_ifd(name)} lists {claimed:,} entries, more than the "
                      f"{MAX_ENTRIES:,} Veil reads; the rest of it was not read")
        table = self.read(offset + cnt_size, count * ent_size + off_size)
        if len(table) < count * ent_size:
            self.warn(f"{plain_ifd(name)} is cut short")
            count = claimed = len(table) // ent_size
        entries: dict[int, IfdEntry] = {}
        inline = off_size
        value_at = offset + cnt_size + 4 + off_size  # the value field of entry 0
        efmt = self.endian + ("HHQQ" if self.bigtiff else "HHII")
        for i, (tag, typ, n, val) in enumerate(struct.iter_unpack(efmt, table[: count * ent_size])):
            length = TYPE_SIZES.get(typ, 1) * n
            if length <= inline:
                voff = value_at + i * ent_size
            else:
                voff = val
                if voff + length > self.size:
                    self.warn(f"a value in {plain_ifd(name)} points outside the data")
                    continue
                self.extents.append((voff, length))
            entries[tag] = IfdEntry(tag, typ, n, voff, length)
        # The next-directory pointer follows the whole table, read entries or not.
        table_len = cnt_size + claimed * ent_size + off_size
        self.extents.append((offset, cnt_size + count * ent_size + off_size))
        if claimed > count:
            self.extents.append((offset + table_len - off_size, off_size))
        ifd = Ifd(name, offset, entries, table_len)
        self.ifds.append(ifd)
        return ifd

    def next_offset(self, ifd: Ifd) -> int:
        off_size = 8 if self.bigtiff else 4
        # Not len(entries): duplicate or skipped entries would shift the pointer's position.
        raw = self.read(ifd.offset + ifd.table_length - off_size, off_size)
        if len(raw) < off_size:
            return 0
        return int(struct.unpack(self.endian + ("Q" if self.bigtiff else "I"), raw)[0])

    def children(self, ifd: Ifd) -> None:
        for tag, child in _CHILDREN.items():
            entry = ifd.entries.get(tag)
            if entry is not None:
                for off in self.ints(entry, 1):
                    sub = self.parse_ifd(off, child)
                    if sub is not None:
                        self.children(sub)
        entry = ifd.entries.get(TAG_SUBIFDS)
        if entry is not None:
            for k, off in enumerate(self.ints(entry, 32)):
                sub = self.parse_ifd(off, f"SubIFD{k}")
                if sub is not None:
                    self.children(sub)


def plain_ifd(name: str) -> str:
    """A directory's walk name ("IFD0", "ExifIFD", "SubIFD1", "IFD3") in plain words."""
    fixed = {"IFD0": "the main image directory", "IFD1": "the thumbnail directory",
             "ExifIFD": "the EXIF directory", "GPS": "the GPS directory",
             "Interop": "the interoperability directory"}
    if name in fixed:
        return fixed[name]
    if name.startswith("SubIFD"):
        return "a sub-image directory"
    return f"the directory of page {int(name[3:]) + 1}" if name[3:].isdigit() else name


def parse_header(head: bytes) -> tuple[str, bool, int] | None:
    """(struct byte order, bigtiff, first IFD offset) of a TIFF header, or None."""
    if len(head) < 8 or head[:2] not in (b"II", b"MM"):
        return None
    endian = "<" if head[:2] == b"II" else ">"
    magic = struct.unpack(endian + "H", head[2:4])[0]
    if magic == 42:
        return endian, False, struct.unpack(endian + "I", head[4:8])[0]
    if magic == 43 and len(head) >= 16:
        return endian, True, struct.unpack(endian + "Q", head[8:16])[0]
    return None


def walk_tiff(read: ReadAt, size: int, *, pages: bool = True) -> TiffInfo | None:
    """Walk the TIFF structure readable through ``read`` (``size`` bytes long).

    Args:
        read: ``read(offset, n)`` returning up to n bytes at a TIFF-relative offset.
        size: how many bytes exist from the header on (no offset beyond it is trusted).
        pages: follow the IFD chain past IFD1 (TIFF pages); EXIF payloads stop at IFD1.

    Returns:
        The walk, or None when the header is not a TIFF header. Never raises for bad data.
    """
    parsed = parse_header(read(0, 16))
    if parsed is None:
        return None
    endian, bigtiff, first = parsed
    w = _Walk(read=read, size=size, endian=endian, bigtiff=bigtiff)
    offset, index = first, 0
    while offset:
        ifd = w.parse_ifd(offset, f"IFD{index}")
        if ifd is None:
            break
        w.children(ifd)
        index += 1
        if index >= 2 and not pages:
            break
        offset = w.next_offset(ifd)
    if not w.ifds:
        w.warn("no readable TIFF directory")
    return TiffInfo(
        little_endian=endian == "<",
        bigtiff=bigtiff,
        ifds=tuple(w.ifds),
        thumbnail=_thumbnail(w),
        maker_note=_maker_note(w),
        orientation=_orientation(w),
        extents=tuple(w.extents),
        warnings=tuple(w.warnings),
        complete=w.complete,
    )


def entry_ints(read: ReadAt, info: TiffInfo, entry: IfdEntry, limit: int = 4096) -> list[int]:
    """Integer values of ``entry`` read through ``read`` (for callers outside the walk)."""
    w = _Walk(read=read, size=1 << 62, endian="<" if info.little_endian else ">",
              bigtiff=info.bigtiff)
    return w.ints(entry, limit)


def _thumbnail(w: _Walk) -> tuple[int, int] | None:
    ifd1 = next((i for i in w.ifds if i.name == "IFD1"), None)
    if ifd1 is None:
        return None
    off_e, len_e = ifd1.entries.get(TAG_THUMB_OFFSET), ifd1.entries.get(TAG_THUMB_LENGTH)
    if off_e is None or len_e is None:
        return None
    offs, lens = w.ints(off_e, 1), w.ints(len_e, 1)
    if not offs or not lens or lens[0] == 0:
        return None
    off, length = offs[0], lens[0]
    if off + length > w.size:
        w.warn("the EXIF thumbnail is cut short")
        length = max(0, w.size - off)
    return (off, length) if length else None


def _maker_note(w: _Walk) -> tuple[int, int] | None:
    exif = next((i for i in w.ifds if i.name == "ExifIFD"), None)
    entry = exif.entries.get(TAG_MAKERNOTE) if exif else None
    return (entry.value_offset, entry.value_length) if entry else None


def _orientation(w: _Walk) -> int | None:
    ifd0 = next((i for i in w.ifds if i.name == "IFD0"), None)
    entry = ifd0.entries.get(TAG_ORIENTATION) if ifd0 else None
    if entry is None:
        return None
    vals = w.ints(entry, 1)
    return vals[0] if vals and 1 <= vals[0] <= 8 else None
