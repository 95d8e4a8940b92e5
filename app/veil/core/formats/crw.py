"""Canon CRW raw (CIFF, "HEAPCCDR"): audited read-only, never cleaned.

CIFF is a tree of heaps (Canon's CIFF 1.0r4 spec; ExifTool's CanonRaw tables): a heap's last
four bytes give its record table; each 10-byte record is a 16-bit tag (location, type and
id bits), a size and an offset from the heap's start (or 8 bytes of value inside the record
itself). Types 0x28/0x30 are sub-heaps. The identifying records (make/model 0x080a, owner
0x0810, serial 0x180b, time stamp 0x180e, comment 0x0805) go to the shared EXIF decoder as
a small standard payload (with the original file name 0x0816 as DNG's OriginalRawFileName);
JpgFromRaw (0x2007) and the thumbnail (0x2008) are previews.
"""

from __future__ import annotations

import struct
import time
from typing import BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import magic
from veil.core.formats.base import ContainerScan
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.byteio import read_at
from veil.core.formats.raw import RawImage, add_preview, finish, in_file
from veil.core.formats.tiffbuild import (
    TAG_BODY_SERIAL,
    TAG_DATETIME_ORIGINAL,
    TAG_MAKE,
    TAG_MODEL,
    TAG_ORIGINAL_NAME,
    TAG_OWNER,
    exif_payload,
)

MAX_DEPTH = 8
MAX_RECORDS = 4096
#: Records whose value is structure or settings numbers, not anything personal.
_PLAIN = {0x0000: "null record", 0x0001: "free bytes", 0x0032: "colour information",
          0x080b: "firmware version", 0x080c: "component version", 0x080d: "ROM mode",
          0x0815: "image type", 0x0817: "thumbnail file name",
          0x2005: "sensor data"}
_PREVIEWS = {0x2007: "CRW full-size preview", 0x2008: "CRW thumbnail"}


class _Ciff(ScanBuilder):
    """The walk's state: the file, its byte order, identity values found, records seen."""

    def __init__(self, f: BinaryIO, size: int, bo: str) -> None:
        super().__init__()
        self.f, self.size, self.bo = f, size, bo
        self.values: dict[int, str] = {}
        self.records = 0
        self.serial: int | None = None

    def heap(self, start: int, end: int, depth: int, name: int = 0) -> None:
        if depth > MAX_DEPTH:
            self.warn("the CRW's directories nest too deeply; the rest was not read")
            return
        raw = read_at(self.f, end - 4, 4) if end - start >= 6 else b""
        if len(raw) < 4:
            raise CorruptFile("a CRW directory is cut short")
        table = start + struct.unpack(self.bo + "I", raw)[0]
        head = read_at(self.f, table, 2)
        if len(head) < 2 or not start <= table < end:
            raise CorruptFile("a CRW directory points outside its block")
        count = struct.unpack(self.bo + "H", head)[0]
        data = read_at(self.f, table + 2, 10 * count)
        for i in range(len(data) // 10):
            self.records += 1
            if self.records > MAX_RECORDS:
                self.warn("the CRW holds too many records; the rest was not read")
                return
            tag, size, offset = struct.unpack_from(self.bo + "HII", data, 10 * i)
            self.record(tag, size, offset, start, table + 2 + 10 * i, depth, name)

    def record(
        self, tag: int, size: int, offset: int, start: int, at: int, depth: int, heap: int
    ) -> None:
        kind, ident, inline = (tag >> 8) & 0x38, tag & 0x3FFF, tag & 0x4000
        if inline:
            value, where, length = struct.pack(self.bo + "II", size, offset), at + 2, 8
        else:
            where, length = start + offset, size
            if not in_file(where, length, self.size):
                self.warn(f"a CRW record (0x{ident:04x}) points outside the file")
                return
            if kind in (0x28, 0x30):
                self.add_block(f"heap 0x{ident:04x}", "structure", where, length, True,
                               "CIFF directory")
                self.heap(where, where + length, depth + 1, ident)
                return
            value = b"" if ident in _PREVIEWS or ident == 0x2005 else read_at(
                self.f, where, min(length, 4096))
        if ident == 0x0805 and heap == 0x2804:  # the camera's fixed file description
            self.add_block("record 0x0805", "maker", where, length, True, "file description")
            return
        self.decode(ident, kind, value, where, length)

    def decode(self, ident: int, kind: int, value: bytes, where: int, length: int) -> None:
        text = value.split(b"\0", 1)[0].decode("latin-1").strip() if kind == 0x08 else ""
        if ident in _PREVIEWS:
            add_preview(self, self.f, where, length, _PREVIEWS[ident])
            return
        if ident == 0x080A:  # "Make\0Model\0"
            parts = value.split(b"\0")
            self.values[TAG_MAKE] = parts[0].decode("latin-1").strip()
            if len(parts) > 1:
                self.values[TAG_MODEL] = parts[1].decode("latin-1").strip()
        elif ident == 0x0810:
            self.values[TAG_OWNER] = text
        elif ident == 0x0816:  # the camera's folder and name for the shot, as DNG's tag
            self.values[TAG_ORIGINAL_NAME] = text
        elif ident == 0x0805:
            if text:
                self.comments.append(text)
        elif ident == 0x180B and len(value) >= 4:
            self.serial = struct.unpack(self.bo + "I", value[:4])[0]
        elif ident == 0x180E and len(value) >= 4:
            stamp = struct.unpack(self.bo + "I", value[:4])[0]
            if stamp:
                self.values[TAG_DATETIME_ORIGINAL] = time.strftime(
                    "%Y:%m:%d %H:%M:%S", time.gmtime(stamp))
        elif ident in _PLAIN or kind in (0x10, 0x18):
            pass  # settings numbers (16/32-bit) or known structure: nothing personal
        else:
            self.add_block(f"record 0x{ident:04x}", "unknown", where, length, False,
                           "CIFF record")
            self.warn(f"a CRW record (0x{ident:04x}) was not decoded")
            return
        self.add_block(f"record 0x{ident:04x}", "maker", where, length, True,
                       _PLAIN.get(ident, "CIFF record"))

    def finish(self) -> None:
        """Hand the identity to the EXIF decoder (ExifTool's serial formatting per model)."""
        model = self.values.get(TAG_MODEL, "")
        if self.serial is not None and "EOS" in model:
            self.values[TAG_BODY_SERIAL] = (
                f"{self.serial >> 16:x}-{self.serial & 0xFFFF:05d}" if "EOS D30" in model
                else f"{self.serial:010d}")
        payload = exif_payload(self.values)
        if payload:
            self.exif.append(payload)


class Crw(RawImage):
    """Canon CRW (CIFF) raw files (read only)."""

    name: ClassVar[str] = "crw"
    extensions: ClassVar[tuple[str, ...]] = (".crw",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """A byte-order mark, a header length, then "HEAPCCDR"."""
        return magic.crw(head)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk every heap; collect identity, previews, comments.

        Raises:
            CorruptFile: the root directory can't be read.
        """
        walk = read_ciff(f, size)
        return finish(walk, "crw", None, None)


def read_ciff(f: BinaryIO, size: int) -> ScanBuilder:
    """Walk the CIFF structure in ``f[0:size]`` (a CRW file, or the CIFF block some Canon
    cameras put in a JPEG's APP0) into a collector: identity as an EXIF payload, comments,
    previews, warnings.

    Raises:
        CorruptFile: the header or root directory can't be read.
    """
    head = read_at(f, 0, 14)
    if len(head) < 14:
        raise CorruptFile("the CRW header is cut short")
    bo = "<" if head[:2] == b"II" else ">"
    start = struct.unpack(bo + "I", head[2:6])[0]
    if not 14 <= start < size:
        raise CorruptFile("the CRW header gives an impossible length")
    walk = _Ciff(f, size, bo)
    walk.add_block("header", "structure", 0, start, True, "CIFF header")
    try:
        walk.heap(start, size, 0)
    except CorruptFile as exc:
        if not walk.blocks[1:]:
            raise
        walk.warn(f"the file is damaged ({exc}); the rest could not be read")
    walk.finish()
    return walk
