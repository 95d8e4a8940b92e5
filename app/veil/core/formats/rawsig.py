"""Is this TIFF-structured file a camera raw? Judged by content, never by the name.

A raw keeps its real picture where Pillow does not look (colour-filter sensor data in a
sub-directory, a maker blob) and often a small RGB preview in IFD0: "cleaning" it would
write that preview (a Phase One IIQ became a 1x1 TIFF called lossless). So raws are read
(scan) but refused by the cleaner with :data:`RAW_REFUSAL`.

Signs, each enough on its own:
  * a maker's raw signature: Canon CR2 ("CR" after the header), a Phase One / Leaf raw
    maker note ("IIII?waR" / "MMMMRaw?"), Leaf's private IFD0 tag;
  * a colour-filter-array or linear-raw photometric, or a raw-only compression code, in any
    directory;
  * a raw layout: the full-size image in a sub-directory while IFD0 is a reduced preview;
  * sizes: one value (a maker blob) holds most of the file, or the main image's strips hold
    far more bytes than its dimensions need.
"""

from __future__ import annotations

from veil.core.formats.tiff_ifd import Ifd, IfdEntry, TiffInfo
from veil.core.formats.tiffwalk import ReadAt, entry_ints

RAW_REFUSAL = "raw files are not cleaned: export a JPEG from your raw editor"
TAG_SUBFILE, TAG_WIDTH, TAG_HEIGHT, TAG_BITS = 0x00FE, 0x0100, 0x0101, 0x0102
TAG_COMPRESSION, TAG_PHOTOMETRIC, TAG_SAMPLES = 0x0103, 0x0106, 0x0115
TAG_STRIP_COUNTS, TAG_TILE_COUNTS, TAG_LEAF = 0x0117, 0x0145, 0x8606
#: Photometric interpretations only raws use: colour filter array, linear raw.
RAW_PHOTOMETRIC = frozenset({32803, 34892})
#: Compression codes only raw formats use (ExifTool's Compression list): Sony ARW, packed
#: raw, Samsung SRW (two), Nikon NEF, lossy-JPEG DNG, Kodak DCR/KDC/262, Pentax PEF.
RAW_COMPRESSION = frozenset({32767, 32769, 32770, 32772, 34713, 34892, 65000, 32867, 262,
                             65535})
_PHASE_ONE = (b"IIII", b"MMMM")
_BIG_BLOB = 1 << 20  # a private value this large is sensor data, not metadata


def _first(read: ReadAt, info: TiffInfo, ifd: Ifd, tag: int) -> int | None:
    entry = ifd.entries.get(tag)
    values = entry_ints(read, info, entry, 1) if entry else []
    return values[0] if values else None


def _is_phase_one(read: ReadAt, entry: IfdEntry | None) -> bool:
    if entry is None or entry.value_length < 8:
        return False
    head = read(entry.value_offset, 8)
    return (head[:4] == b"IIII" and head[5:8] == b"waR") or head[:7] == b"MMMMRaw"


def raw_reason(read: ReadAt, info: TiffInfo, size: int) -> str | None:
    """A short plain reason when the TIFF read through ``read`` is a camera raw, else None.

    Args:
        read: reader over the TIFF (offsets from its header).
        info: its walk (``walk_tiff(..., pages=True)``).
        size: bytes from the header to the end of the file.
    """
    if read(8, 2) == b"CR":
        return "a Canon CR2 raw"
    # The note is normally in the EXIF directory; any directory counts (one pointed to from
    # IFD0 made a 1x1 "lossless" copy again).
    if any(_is_phase_one(read, ifd.entries.get(0x927C)) for ifd in info.ifds):
        return "a Phase One raw (IIQ)"
    ifd0 = info.ifd("IFD0")
    if ifd0 is not None and TAG_LEAF in ifd0.entries:
        return "a Leaf raw"
    for ifd in info.ifds:
        if _first(read, info, ifd, TAG_PHOTOMETRIC) in RAW_PHOTOMETRIC:
            return "camera sensor data (colour filter array)"
        if _first(read, info, ifd, TAG_COMPRESSION) in RAW_COMPRESSION:
            return "camera sensor data (a raw compression)"
    if ifd0 is not None and (_first(read, info, ifd0, TAG_SUBFILE) or 0) & 1 and any(
        i.name.startswith("SubIFD") and not (_first(read, info, i, TAG_SUBFILE) or 0) & 1
        for i in info.ifds
    ):
        return "a raw layout (the full picture is not the first image)"
    return _size_reason(read, info, size)


def _size_reason(read: ReadAt, info: TiffInfo, size: int) -> str | None:
    """Where the bytes are: a raw keeps its bulk outside the image Pillow would decode."""
    for ifd in info.ifds:
        for entry in ifd.entries.values():
            if entry.tag in (0x0111, 0x0117, 0x0144, 0x0145, 0x014A):
                continue  # strip/tile tables and sub-directory lists are structure
            if entry.value_length >= _BIG_BLOB and 2 * entry.value_length > size:
                return "most of the file is a private maker block (sensor data)"
    ifd0 = info.ifd("IFD0")
    if ifd0 is None or _first(read, info, ifd0, TAG_COMPRESSION) not in (None, 1):
        return None
    width = _first(read, info, ifd0, TAG_WIDTH) or 0
    height = _first(read, info, ifd0, TAG_HEIGHT) or 0
    samples = _first(read, info, ifd0, TAG_SAMPLES) or 1
    bits = _first(read, info, ifd0, TAG_BITS) or 1
    counts = ifd0.entries.get(TAG_STRIP_COUNTS) or ifd0.entries.get(TAG_TILE_COUNTS)
    stored = sum(entry_ints(read, info, counts, 65536)) if counts else 0
    needed = width * height * samples * bits // 8
    if stored >= _BIG_BLOB and stored > 4 * needed + 65536:
        return "the image holds far more data than its size needs (sensor data)"
    return None
