"""TIFF / DNG container: IFDs, embedded metadata tags and extra images; pixel-rewrite cleaning.

The whole file is a TIFF structure, so the EXIF payload handed to exifread is a *sparse copy*
of the file: every IFD table and out-of-line tag value at its original offset, the pixel data
left as zeros. exifread reads by offset, so it sees every tag while Veil reads only the
metadata bytes (a 60 MB scan costs a few small reads, not 60 MB).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats.base import (
    MAX_BLOCK,
    CleanOutcome,
    ContainerScan,
    Embedded,
    ImageFormat,
)
from veil.core.formats.builder import FILE_ENDS_IN_PICTURE, ScanBuilder
from veil.core.formats.jpeg_app import MAX_THUMB, add_photoshop
from veil.core.formats.rawsig import RAW_REFUSAL, raw_reason
from veil.core.formats.tiff_ifd import Ifd, IfdEntry, TiffInfo
from veil.core.formats.tiff_tail import unreferenced_tail
from veil.core.formats.tiffwalk import (
    ReadAt,
    entry_ints,
    file_reader,
    parse_header,
    walk_tiff,
)
from veil.core.model import ExportOptions

#: Largest sparse EXIF copy built in memory; metadata placed beyond this offset is not decoded.
MAX_SPARSE = 64 * 1024 * 1024
_MAX_PARTS = 1 << 16  # strips or tiles checked against the file's end
_MERGE_GAP = 4096  # extents closer than this are read in one go (fewer syscalls)
TAG_SUBFILE = 0x00FE
TAG_WIDTH, TAG_HEIGHT = 0x0100, 0x0101
TAG_COMPRESSION = 0x0103
TAG_STRIP_OFFSETS, TAG_STRIP_COUNTS = 0x0111, 0x0117
TAG_TILE_OFFSETS, TAG_TILE_COUNTS = 0x0144, 0x0145
TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP, TAG_ICC = 700, 33723, 34377, 34675
_CHILD_KINDS = {"ExifIFD": "exif", "GPS": "exif", "Interop": "exif"}


def _value(read: ReadAt, entry: IfdEntry | None) -> bytes | None:
    if entry is None or entry.value_length > MAX_BLOCK:
        return None
    return read(entry.value_offset, entry.value_length)


def sparse_copy(read: ReadAt, info: TiffInfo) -> tuple[bytes, bool]:
    """The header, every IFD and metadata value at its own offset; zeros elsewhere.

    Returns:
        (payload, complete): complete is False when extents beyond :data:`MAX_SPARSE`
        had to be left out.
    """
    extents = sorted([(0, 16), *info.extents])
    if info.thumbnail:
        extents.append(info.thumbnail)
        extents.sort()
    complete = True
    kept: list[list[int]] = []
    for off, length in extents:
        if off + length > MAX_SPARSE:
            complete = False
            continue
        if kept and off <= kept[-1][1] + _MERGE_GAP:
            kept[-1][1] = max(kept[-1][1], off + length)
        else:
            kept.append([off, off + length])
    end = max((stop for _, stop in kept), default=16)
    buf = bytearray(end)
    for start, stop in kept:
        data = read(start, stop - start)
        buf[start : start + len(data)] = data
    return bytes(buf), complete


def _ints(read: ReadAt, info: TiffInfo, ifd: Ifd, tag: int, limit: int = 1) -> list[int]:
    entry = ifd.entries.get(tag)
    return entry_ints(read, info, entry, limit) if entry else []


def _image_of(read: ReadAt, info: TiffInfo, ifd: Ifd, main: bool) -> Embedded | None:
    """Describe a non-main IFD's image (page, preview, sub-image)."""
    if main:
        return None
    reduced = bool((_ints(read, info, ifd, TAG_SUBFILE) or [0])[0] & 1)
    offs = _ints(read, info, ifd, TAG_STRIP_OFFSETS, 2) or _ints(
        read, info, ifd, TAG_TILE_OFFSETS, 2
    )
    counts = _ints(read, info, ifd, TAG_STRIP_COUNTS, 2) or _ints(
        read, info, ifd, TAG_TILE_COUNTS, 2
    )
    if not offs or not counts:
        return None
    width = (_ints(read, info, ifd, TAG_WIDTH) or [0])[0]
    height = (_ints(read, info, ifd, TAG_HEIGHT) or [0])[0]
    data = None
    if len(offs) == 1 and counts[0] <= MAX_THUMB:
        head = read(offs[0], counts[0])
        data = head if head[:2] == b"\xff\xd8" else None  # a self-contained JPEG preview
    kind = "thumbnail" if reduced else "mpf_image"
    note = f"{'preview' if reduced else 'extra image'} ({ifd.name}, {width}x{height})"
    return Embedded(kind, offs[0], sum(counts), note, data,
                    {"ifd": ifd.name, "width": width, "height": height})


def _main_ifd(read: ReadAt, info: TiffInfo) -> Ifd | None:
    """The full-resolution image: IFD0 unless it is marked reduced (DNG previews)."""
    candidates = [i for i in info.ifds if i.name == "IFD0" or i.name.startswith("SubIFD")]
    for ifd in candidates:
        if not (_ints(read, info, ifd, TAG_SUBFILE) or [0])[0] & 1:
            return ifd
    return info.ifd("IFD0")


def _beyond_end(read: ReadAt, info: TiffInfo, ifd: Ifd, size: int) -> bool:
    """True when a strip or tile of ``ifd``'s image lies (partly) past the file's end."""
    for offsets, counts in ((TAG_STRIP_OFFSETS, TAG_STRIP_COUNTS),
                            (TAG_TILE_OFFSETS, TAG_TILE_COUNTS)):
        starts = _ints(read, info, ifd, offsets, _MAX_PARTS)
        lengths = _ints(read, info, ifd, counts, _MAX_PARTS)
        if any(s + n > size for s, n in zip(starts, lengths, strict=False)):
            return True
    return False


def read_tiff(f: BinaryIO, size: int) -> ContainerScan:
    """Walk a TIFF/DNG file. See :meth:`Tiff.read`."""
    read = file_reader(f)
    header = parse_header(read(0, 16))
    if header is None:
        raise CorruptFile("not a TIFF: bad header")
    if header[2] >= size:  # the usual cut: writers put the directory after the pixels
        raise CorruptFile("the TIFF is cut short or damaged: its image directory would lie "
                          "past the end of the file, so nothing in it can be read")
    info = walk_tiff(read, size, pages=True)
    if info is None or info.ifd("IFD0") is None:
        raise CorruptFile("the TIFF has no readable image directory")
    scan = ScanBuilder(warnings=list(info.warnings), complete=info.complete)
    ifd0 = info.ifd("IFD0")
    assert ifd0 is not None
    main = _main_ifd(read, info) or ifd0
    scan.add_block("header", "structure", 0, 16 if info.bigtiff else 8)
    for ifd in info.ifds:
        kind = _CHILD_KINDS.get(ifd.name, "structure")
        scan.add_block(ifd.name, kind, ifd.offset, ifd.table_length, True, "image directory")
        if ifd.name.startswith(("IFD", "SubIFD")):
            emb = _image_of(read, info, ifd, ifd is main)
            if emb is not None:
                scan.embedded.append(emb)
    if info.maker_note:
        scan.add_block("MakerNote", "maker", *info.maker_note, True, "maker notes")
    if info.thumbnail:
        off, length = info.thumbnail
        data = read(off, length) if length <= MAX_THUMB else None
        scan.embedded.append(Embedded("thumbnail", off, length, "EXIF thumbnail", data,
                                      {"source": "EXIF IFD1"}))
    xmp, iptc, icc = (_value(read, ifd0.entries.get(t)) for t in (TAG_XMP, TAG_IPTC, TAG_ICC))
    if iptc:
        scan.iptc.append(iptc)
    exif, whole = sparse_copy(read, info)
    scan.exif.append(exif)
    if xmp:
        scan.xmp.append(xmp)
    ps_entry = ifd0.entries.get(TAG_PHOTOSHOP)
    # Its thumbnails are located at the tag's value, like JPEG's APP13.
    add_photoshop(scan, _value(read, ps_entry) or b"", ps_entry.value_offset if ps_entry else 0,
                  "part of the Photoshop block was not understood")
    for tag, kind in ((TAG_XMP, "xmp"), (TAG_IPTC, "iptc"), (TAG_PHOTOSHOP, "iptc"),
                      (TAG_ICC, "icc")):
        entry = ifd0.entries.get(tag)
        if entry is not None:
            scan.add_block(f"tag {tag}", kind, entry.value_offset, entry.value_length)
    if info.bigtiff or not whole:
        scan.warn("some TIFF metadata lies beyond what Veil decodes (BigTIFF or huge file)")
    tail = unreferenced_tail(read, info, size)
    if tail:
        scan.warn(f"{tail:,} bytes at the end of the file are used by neither the picture "
                  "nor its metadata (they can hold anything); they were not read")
    scan.icc = icc
    if _beyond_end(read, info, main, size):
        scan.warn(FILE_ENDS_IN_PICTURE, incomplete=False)
    width = (_ints(read, info, main, TAG_WIDTH) or [0])[0]
    height = (_ints(read, info, main, TAG_HEIGHT) or [0])[0]
    raw = "a DNG raw" if info.is_dng else raw_reason(read, info, size)
    if raw:
        # Pillow decodes only a preview of a raw (a Phase One IIQ's is 1x1): the pixel checks
        # would vouch for a picture they never saw, so the file is never "none found".
        scan.warn(f"this is {raw}: its picture is sensor data Veil does not decode, so the "
                  "face and mark checks see at most its preview")
    scan.blocks.sort(key=lambda b: b.offset)
    return scan.freeze("dng" if info.is_dng else "tiff", width or None, height or None)


def raw_refusal(f: BinaryIO, size: int) -> str | None:
    """Why the cleaner refuses the TIFF-structured file ``f`` (``size`` bytes): a camera raw,
    DNG included (:func:`~veil.core.formats.rawsig.raw_reason`), or None. Reads only its
    directories."""
    info = walk_tiff(file_reader(f), size, pages=True)
    if info is None:
        return None
    raw = "a DNG raw" if info.is_dng else raw_reason(file_reader(f), info, size)
    return f"{RAW_REFUSAL} (this is {raw})" if raw else None


class Tiff(ImageFormat):
    """TIFF (little/big endian, BigTIFF best effort) and DNG files."""

    name: ClassVar[str] = "tiff"
    extensions: ClassVar[tuple[str, ...]] = (".tif", ".tiff", ".dng")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for a classic or Big TIFF header (CR2/NEF-style raws included)."""
        return head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk every IFD and collect metadata tags, previews and pages.

        Raises:
            CorruptFile: bad header or no readable IFD.
        """
        return read_tiff(f, size)

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Re-encode the first image upright with structural tags only (and ICC).

        Raises:
            Unsupported: DNG / raw files.
            CorruptFile: Pillow cannot decode the source.
        """
        from veil.core.formats.tiff_clean import write_clean

        return write_clean(src, dst, options, pixels)
