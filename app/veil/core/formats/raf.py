"""Fujifilm RAF raw: audited read-only, never cleaned.

Layout (ExifTool's FujiFilm RAF notes): a 16-byte "FUJIFILMCCD-RAW " signature, format and
camera ids, the camera name at 0x1c; at bytes 84-91 the offset and length (big-endian) of a
complete JPEG that carries the file's EXIF, including the Fujifilm maker note with its
InternalSerialNumber (0x0010, read by the shared maker-note decoder); then the RAF
directory and the sensor data whose places follow at 92-107.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import magic
from veil.core.formats.base import ContainerScan
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.byteio import read_at
from veil.core.formats.raw import RawImage, add_preview, finish, in_file

SIGNATURE = magic.RAF_SIGNATURE
HEADER = 0x6C  # signature .. sensor data length


class Raf(RawImage):
    """Fujifilm RAF raw files (read only)."""

    name: ClassVar[str] = "raf"
    extensions: ClassVar[tuple[str, ...]] = (".raf",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """The 16-byte Fujifilm signature."""
        return head.startswith(SIGNATURE)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Read the embedded JPEG's metadata and list the raw's parts.

        Raises:
            CorruptFile: the header is cut short or its JPEG lies outside the file.
        """
        head = read_at(f, 0, HEADER)
        if len(head) < HEADER:
            raise CorruptFile("the RAF header is cut short")
        scan = ScanBuilder()
        scan.add_block("header", "structure", 0, HEADER, True, "RAF header")
        jpeg_at, jpeg_len, dir_at, dir_len, raw_at, raw_len = struct.unpack(">6I", head[84:108])
        if not in_file(jpeg_at, jpeg_len, size):
            raise CorruptFile("the RAF's embedded JPEG lies outside the file")
        add_preview(scan, f, jpeg_at, jpeg_len, "RAF preview (with the camera's EXIF)")
        for at, length, what in ((dir_at, dir_len, "RAF directory (image geometry)"),
                                 (raw_at, raw_len, "sensor data")):
            if in_file(at, length, size):
                kind = "image" if what == "sensor data" else "structure"
                scan.add_block(what.split(" (")[0], kind, at, length, True, what)
            elif length:
                scan.warn(f"the RAF's {what} lies outside the file")
        camera = head[0x1C:0x3C].split(b"\0", 1)[0].decode("latin-1").strip()
        if camera and not any(e for e in scan.exif):
            # the header's camera name is all there is when the JPEG has no EXIF
            from veil.core.formats.tiffbuild import TAG_MAKE, TAG_MODEL, exif_payload

            payload = exif_payload({TAG_MAKE: "FUJIFILM", TAG_MODEL: camera})
            if payload:
                scan.exif.append(payload)
        return finish(scan, "raf", None, None)
