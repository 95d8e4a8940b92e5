"""Panasonic RW2 raw: a TIFF whose magic is 0x55 ("IIU\\0"), audited read-only.

IFD0 mixes Panasonic raw tags with the usual Make/Model; the camera's EXIF (and the
Panasonic maker note with its serial) is inside JpgFromRaw (tag 0x002e), a complete JPEG
preview (ExifTool's PanasonicRaw notes). The TIFF reader walks it as a TIFF with the
standard magic; the JPEG goes through :func:`raw.add_preview`.
"""

from __future__ import annotations

from typing import BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import magic
from veil.core.formats.base import ContainerScan
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.raw import RawImage, add_preview, finish, in_file
from veil.core.formats.tiff import sparse_copy
from veil.core.formats.tiffwalk import ReadAt, file_reader, walk_tiff

TAG_JPG_FROM_RAW = 0x002E


def standard_magic(read: ReadAt) -> ReadAt:
    """``read`` with the header's magic number replaced by TIFF's own (42)."""

    def patched(off: int, n: int) -> bytes:
        data = read(off, n)
        if off >= 4 or not data:
            return data
        out = bytearray(data)
        magic = b"**\x2a\x00" if data[:2] == b"II" or read(0, 2) == b"II" else b"**\x00\x2a"
        for i in range(max(off, 2), min(off + len(out), 4)):
            out[i - off] = magic[i]
        return bytes(out)

    return patched


class TiffVariant(RawImage):
    """A maker raw that is a TIFF under another magic number (read only)."""

    #: The first four bytes this maker writes instead of "II*\\0" / "MM\\0*".
    magics: ClassVar[tuple[bytes, ...]] = ()
    label: ClassVar[str] = ""

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """The maker's TIFF header."""
        return head[:4] in cls.magics

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk it as a TIFF; read the EXIF it holds and the JPEG preview in IFD0.

        Raises:
            CorruptFile: no readable first directory.
        """
        read = standard_magic(file_reader(f))
        info = walk_tiff(read, size, pages=True)
        ifd0 = info.ifd("IFD0") if info else None
        if info is None or ifd0 is None:
            raise CorruptFile(f"the {cls.label} has no readable image directory")
        scan = ScanBuilder(warnings=list(info.warnings), complete=info.complete)
        for ifd in info.ifds:
            scan.add_block(ifd.name, "structure", ifd.offset, ifd.table_length, True,
                           "image directory")
        payload, whole = sparse_copy(read, info)
        scan.exif.append(payload)
        if not whole:
            scan.warn(f"some of the {cls.label}'s metadata lies beyond what Veil decodes")
        jpeg = ifd0.entries.get(TAG_JPG_FROM_RAW)
        if jpeg is not None and in_file(jpeg.value_offset, jpeg.value_length, size):
            add_preview(scan, f, jpeg.value_offset, jpeg.value_length,
                        f"{cls.label} preview (with the camera's EXIF)")
        if info.maker_note:
            scan.add_block("MakerNote", "maker", *info.maker_note, True, "maker notes")
        return finish(scan, cls.name, None, None)


class Rw2(TiffVariant):
    """Panasonic RW2 / RWL raw files."""

    name: ClassVar[str] = "rw2"
    extensions: ClassVar[tuple[str, ...]] = (".rw2", ".rwl")
    magics: ClassVar[tuple[bytes, ...]] = magic.RW2_MAGICS
    label: ClassVar[str] = "RW2"
