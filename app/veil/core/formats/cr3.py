"""Canon CR3 raw: an ISO base media file (major brand ``crx ``), audited, never cleaned.

Layout (ExifTool's Canon CR3 notes): ``moov`` holds a Canon ``uuid`` box whose children
CMT1..CMT4 are plain TIFF blocks (IFD0, Exif IFD, the Canon maker note, GPS) and THMB a
small JPEG; a top-level ``uuid`` box holds PRVW (a 1620-pixel JPEG), another the XMP packet;
``mdat`` holds the sensor data and a full-size JPEG. The TIFF blocks are handed to the
shared EXIF decoder with each directory at its usual place (:func:`tiffbuild.wrap_block`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import magic
from veil.core.formats.base import MAX_BLOCK, ContainerScan
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.isobmff import Box, iter_boxes, iter_file_boxes, printable
from veil.core.formats.raw import RawImage, add_preview, finish, in_file
from veil.core.formats.tiffbuild import wrap_block
from veil.core.formats.tiffwalk import bytes_reader, entry_ints, walk_tiff

CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
PREVIEW_UUID = bytes.fromhex("eaf42b5e1c984b88b9fbb7dc406e4d16")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
#: The CMT boxes: which directory each TIFF block is.
_CMT = {"CMT1": "ifd0", "CMT2": "exif", "CMT3": "maker", "CMT4": "gps"}
#: Canon uuid children that are numbers only (versions, table of contents, track ids).
_PLAIN = {"CNCV": "compressor version", "CCTP": "track list", "CTBO": "table of offsets",
          "free": "padding"}
#: Top-level boxes that hold the picture and its description, not personal data.
_TOP = {"ftyp": "file type", "moov": "movie header", "mdat": "sensor data and full-size JPEG",
        "free": "padding", "skip": "padding"}


def _read(f: BinaryIO, box: Box) -> bytes:
    if box.size > MAX_BLOCK:
        raise CorruptFile(f"the CR3 '{printable(box.type)}' box is implausibly large")
    f.seek(box.offset)
    data = f.read(box.size)
    if len(data) < box.size:
        raise CorruptFile("the CR3 file is cut short")
    return data


def _canon(scan: _Scan, f: BinaryIO, buf: bytes, base: int, box: Box) -> None:
    """The Canon uuid box inside moov (``buf`` is moov, ``base`` its file offset)."""
    blocks: dict[str, bytes] = {}
    for child in iter_boxes(buf, box.body, box.end, 2):
        name, at = printable(child.type), base + child.offset
        if child.type in _CMT:
            blocks[child.type] = buf[child.body : child.end]
            scan.add_block(name, "exif", at, child.size, True, f"TIFF block ({_CMT[child.type]})")
        elif child.type == "THMB" and child.size > child.header + 16:
            # 16 bytes of header (version, width, height, length) before the JPEG
            add_preview(scan, f, at + child.header + 16, child.size - child.header - 16,
                        "CR3 thumbnail")
        elif child.type == "CNTH" and (jpeg := buf.find(b"\xff\xd8\xff", child.body,
                                                      min(child.end, child.body + 64))) >= 0:
            add_preview(scan, f, base + jpeg, child.end - jpeg, "Canon thumbnail")
        elif child.type in _PLAIN:
            scan.add_block(name, "structure", at, child.size, True, _PLAIN[child.type])
        else:
            scan.add_block(name, "unknown", at, child.size, False, f"Canon box '{name}'")
            scan.warn(f"a Canon block ('{name}') was not decoded")
    make = ""
    if "CMT1" in blocks:
        scan.exif.append(blocks["CMT1"])
        make = "Canon"
        scan.size = _size(blocks["CMT1"])
    for key in ("CMT2", "CMT4", "CMT3"):
        if key in blocks:
            payload = wrap_block(blocks[key], _CMT[key], make or "Canon")
            if payload is None:
                scan.warn(f"the CR3 {_CMT[key]} block has no TIFF header")
            else:
                scan.exif.append(payload)


def _size(cmt1: bytes) -> tuple[int | None, int | None]:
    """The sensor picture's size from CMT1 (IFD0 ImageWidth / ImageLength)."""
    info = walk_tiff(bytes_reader(cmt1), len(cmt1), pages=False)
    ifd0 = info.ifd("IFD0") if info else None
    if info is None or ifd0 is None:
        return None, None
    dims = [entry_ints(bytes_reader(cmt1), info, e, 1) if e else []
            for e in (ifd0.entries.get(0x0100), ifd0.entries.get(0x0101))]
    return (dims[0][0] if dims[0] else None), (dims[1][0] if dims[1] else None)


@dataclass(slots=True)
class _Scan(ScanBuilder):
    """The collector plus the picture size CMT1 gives."""

    size: tuple[int | None, int | None] = (None, None)


def _moov(scan: _Scan, f: BinaryIO, box: Box) -> None:
    buf = _read(f, box)
    local = Box(box.type, 0, box.size, box.header)
    for child in iter_boxes(buf, local.body, local.end, 1):
        if child.type == "uuid" and child.uuid == CANON_UUID:
            _canon(scan, f, buf, box.offset, child)
        else:
            name = printable(child.type)
            scan.add_block(f"moov/{name}", "structure", box.offset + child.offset, child.size,
                           True, "track description")


def _top_uuid(scan: ScanBuilder, f: BinaryIO, box: Box, size: int) -> None:
    if box.uuid == PREVIEW_UUID:
        f.seek(box.body)
        head = f.read(min(box.size - box.header, 96))
        at = head.find(b"\xff\xd8\xff")  # after the PRVW header (sizes, dimensions)
        if at >= 0 and in_file(box.body + at, box.end - box.body - at, size):
            add_preview(scan, f, box.body + at, box.end - box.body - at, "CR3 preview")
            return
        scan.warn("the CR3 preview could not be read")
    elif box.uuid == XMP_UUID:
        scan.xmp.append(_read(f, box)[box.header :])
        scan.add_block("uuid", "xmp", box.offset, box.size, True, "XMP")
        return
    scan.add_block("uuid", "unknown", box.offset, box.size, False, "Canon or editor data")
    scan.warn(f"a {box.size}-byte block of Canon or editor data was not decoded")


def _mdat(scan: ScanBuilder, f: BinaryIO, box: Box) -> None:
    """The media data: the first track's full-size JPEG (when it comes first, as cameras
    write it), then the sensor data and the timed metadata records."""
    scan.add_block("mdat", "image", box.offset, box.size, True, _TOP["mdat"])
    f.seek(box.body)
    if f.read(3) == b"\xff\xd8\xff":
        add_preview(scan, f, box.body, box.end - box.body, "CR3 full-size JPEG", trim=True)


class Cr3(RawImage):
    """Canon CR3 raw files (read only)."""

    name: ClassVar[str] = "cr3"
    extensions: ClassVar[tuple[str, ...]] = (".cr3",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """An ``ftyp`` box whose major brand is ``crx ``."""
        return magic.cr3(head)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the boxes; read the CMT TIFF blocks, previews and XMP.

        Raises:
            CorruptFile: the file breaks before its ``moov`` box could be read.
        """
        scan = _Scan()
        seen_moov = False
        try:
            for box in iter_file_boxes(f, 0, size):
                if box.type == "moov":
                    _moov(scan, f, box)
                    seen_moov = True
                elif box.type == "uuid":
                    _top_uuid(scan, f, box, size)
                elif box.type == "mdat":
                    _mdat(scan, f, box)
                elif box.type in _TOP:
                    kind = "image" if box.type == "mdat" else "structure"
                    scan.add_block(box.type, kind, box.offset, box.size, True, _TOP[box.type])
                else:
                    name = printable(box.type)
                    scan.add_block(name, "unknown", box.offset, box.size, False, "unknown box")
                    scan.warn(f"an unknown block ('{name}') was not decoded")
        except CorruptFile as exc:
            if not seen_moov:
                raise
            scan.warn(f"the file is damaged after its metadata ({exc}); the rest could not "
                      "be read")
        if not seen_moov:
            raise CorruptFile("the CR3 file has no readable header box (moov)")
        return finish(scan, "cr3", *scan.size)
