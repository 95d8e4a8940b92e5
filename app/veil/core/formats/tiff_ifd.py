"""What a TIFF walk finds: directories, their entries, and the summary of one walk.

The walker (:mod:`veil.core.formats.tiffwalk`) builds these; the TIFF, raw and JPEG-EXIF
readers consume them. Offsets are relative to the TIFF header (where "II*\\0" / "MM\\0*"
starts).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Byte size of each TIFF field type (1 BYTE .. 18 IFD8); unknown types count as 1.
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8,
              13: 4, 16: 8, 17: 8, 18: 8}

TAG_SUBIFDS = 0x014A
TAG_EXIF = 0x8769
TAG_GPS = 0x8825
TAG_INTEROP = 0xA005
TAG_MAKERNOTE = 0x927C
TAG_ORIENTATION = 0x0112
TAG_THUMB_OFFSET = 0x0201
TAG_THUMB_LENGTH = 0x0202
TAG_DNG_VERSION = 0xC612


@dataclass(slots=True)
class IfdEntry:
    """One tag of an IFD: its type, count and where its value bytes are (TIFF-relative).

    Not frozen: a camera file has hundreds of entries and building them is the walk's hot
    loop (a frozen dataclass costs 4x more). Treat it as read-only.
    """

    tag: int
    type: int
    count: int
    value_offset: int
    value_length: int


@dataclass(frozen=True, slots=True)
class Ifd:
    """One image file directory: its name ("IFD0", "ExifIFD", "SubIFD1", "IFD2"...)."""

    name: str
    offset: int
    entries: dict[int, IfdEntry]
    table_length: int


@dataclass(frozen=True, slots=True)
class TiffInfo:
    """What :func:`walk_tiff` found.

    Attributes:
        little_endian / bigtiff: the header's byte order and variant.
        ifds: every IFD reached, in walk order.
        thumbnail: (offset, length) of the IFD1 JPEG thumbnail, when it lies in bounds.
        maker_note: (offset, length) of the MakerNote value, when present.
        orientation: IFD0 Orientation (1..8) when valid.
        extents: (offset, length) of every IFD table and out-of-line metadata value.
        warnings: plain-words problems; ``complete`` is False when any part was skipped.
    """

    little_endian: bool
    bigtiff: bool
    ifds: tuple[Ifd, ...] = ()
    thumbnail: tuple[int, int] | None = None
    maker_note: tuple[int, int] | None = None
    orientation: int | None = None
    extents: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = True

    def ifd(self, name: str) -> Ifd | None:
        """The IFD called ``name``, or None."""
        return next((i for i in self.ifds if i.name == name), None)

    @property
    def is_dng(self) -> bool:
        """True when IFD0 carries DNGVersion."""
        first = self.ifd("IFD0")
        return bool(first and TAG_DNG_VERSION in first.entries)
