"""Minolta / Konica Minolta MRW raw: audited read-only, never cleaned.

Layout (ExifTool's MinoltaRaw notes): "\\0MRM", the big-endian length of the header
blocks, then blocks of (4-byte name, big-endian length, data): PRD (sensor and image
sizes), TTW (a complete TIFF: IFD0, Exif IFD, the Minolta maker note and its previews),
WBG (white balance), RIF (settings), PAD; the sensor data follows the header.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import magic
from veil.core.formats.base import MAX_BLOCK, ContainerScan
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.byteio import read_at
from veil.core.formats.raw import RawImage, finish, in_file

#: Blocks that hold numbers only (sizes, white balance, settings) or padding.
_PLAIN = {b"\0PRD": "sensor and image sizes", b"\0WBG": "white balance",
          b"\0RIF": "camera settings", b"\0PAD": "padding"}
MAX_BLOCKS = 64


class Mrw(RawImage):
    """Minolta MRW raw files (read only)."""

    name: ClassVar[str] = "mrw"
    extensions: ClassVar[tuple[str, ...]] = (".mrw",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """The "\\0MRM" block that starts every MRW."""
        return magic.mrw(head)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the header blocks; hand the TTW TIFF to the EXIF decoder.

        Raises:
            CorruptFile: the first header block can't be read.
        """
        head = read_at(f, 0, 8)
        end = 8 + struct.unpack(">I", head[4:8])[0] if len(head) == 8 else 0
        if not 8 < end <= size:
            raise CorruptFile("the MRW header gives an impossible length")
        scan = ScanBuilder()
        scan.add_block("MRM", "structure", 0, 8, True, "MRW header")
        width = height = None
        pos = 8
        for _ in range(MAX_BLOCKS):
            if pos + 8 > end:
                break
            name, length = struct.unpack(">4sI", read_at(f, pos, 8))
            label = name.strip(b"\0").decode("latin-1", "replace")
            if not in_file(pos + 8, length, end) and length:
                scan.warn(f"the MRW block {label!r} runs past the header; the rest could "
                          "not be read")
                break
            if name == b"\0TTW" and length <= MAX_BLOCK:
                scan.exif.append(read_at(f, pos + 8, length))
                scan.add_block(label, "exif", pos, length + 8, True, "TIFF block (EXIF)")
            elif name in _PLAIN:
                if name == b"\0PRD" and length >= 16:
                    height, width = struct.unpack(">HH", read_at(f, pos + 8 + 12, 4))
                scan.add_block(label, "structure", pos, length + 8, True, _PLAIN[name])
            else:
                scan.add_block(label, "unknown", pos, length + 8, False, "MRW block")
                scan.warn(f"an MRW block ({label!r}) was not decoded")
            pos += 8 + length
        scan.add_block("sensor data", "image", end, size - end, True, "sensor data")
        return finish(scan, "mrw", width, height)
