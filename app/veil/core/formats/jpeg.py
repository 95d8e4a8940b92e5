"""JPEG / MPO container: walk every marker segment and the entropy-coded scans to EOI.

The header segments are read with one or two large reads; the entropy-coded data is
streamed in 2 MB chunks and searched (one C-level regex) for the next marker that can end
a scan - stuffed 0xFF00, RSTn and fill bytes are skipped - so progressive files with many
scans and their interscan tables are walked segment by segment, and a 0xFFD9 inside a
segment is never mistaken for the end.
Segment payloads are classified by ``_Collector``; everything after the EOI goes to
:mod:`veil.core.formats.trailer`.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import trailer
from veil.core.formats.base import (
    MAX_BLOCK,
    Block,
    CleanOutcome,
    ContainerScan,
    Embedded,
    ImageFormat,
)
from veil.core.formats.tiffwalk import bytes_reader, entry_ints, parse_header, walk_tiff
from veil.core.model import ExportOptions

HEADER_CHUNK = 128 * 1024  # covers EXIF + thumbnail + ICC + XMP of nearly every photo
SCAN_CHUNK = 2 * 1024 * 1024  # entropy data is streamed, never held whole
MAX_SEGMENTS = 8192
MAX_GARBAGE = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024 * 1024  # segment payloads kept in memory for one file
#: A marker that can end entropy data: 0xFF then C0..CF or D8..FE. Stuffing (FF 00), RSTn and
#: fill bytes are skipped; reserved codes (FF 02..BF) in damaged data are not markers either.
_MARKER = re.compile(rb"\xff[\xc0-\xcf\xd8-\xfe]")
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}
SOS, EOI, SOI = 0xDA, 0xD9, 0xD8


@dataclass(frozen=True, slots=True)
class Segment:
    """A marker segment (payload excludes marker and length) or, for ``marker == 0``, scan data."""

    marker: int
    offset: int
    length: int
    payload: bytes = b""

    @property
    def name(self) -> str:
        """The marker's usual name ("APP1", "SOS", "DQT", "scan"...)."""
        return marker_name(self.marker)


@dataclass(slots=True)
class JpegLayout:
    """The walk of one JPEG: segments in file order, where the image ends, what went wrong."""

    segments: list[Segment] = field(default_factory=list)
    end: int = 0  # offset just past EOI (or where the walk stopped)
    has_eoi: bool = False
    sof: Segment | None = None
    warnings: list[str] = field(default_factory=list)
    complete: bool = True

    def warn(self, text: str, *, incomplete: bool = True) -> None:
        """Record a plain-words problem; ``incomplete`` marks the parse as partial."""
        if text not in self.warnings:
            self.warnings.append(text)
        if incomplete:
            self.complete = False


def marker_name(marker: int) -> str:
    """Human name of a JPEG marker byte."""
    if marker == 0:
        return "scan"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    if marker in SOF_MARKERS:
        return f"SOF{marker - 0xC0}"
    if 0xD0 <= marker <= 0xD7:
        return f"RST{marker - 0xD0}"
    names = {0xC4: "DHT", 0xCC: "DAC", 0xD8: "SOI", 0xD9: "EOI", 0xDA: "SOS", 0xDB: "DQT",
             0xDC: "DNL", 0xDD: "DRI", 0xDE: "DHP", 0xDF: "EXP", 0xFE: "COM"}
    return names.get(marker, f"0x{marker:02X}")


class _Buffer:
    """A window onto ``f[start:limit]``: few large reads, bounded by ``limit``."""

    def __init__(self, f: BinaryIO, limit: int) -> None:
        self.f, self.limit = f, limit
        self.base, self.buf = 0, b""

    def fill(self, off: int, want: int) -> None:
        self.f.seek(off)
        self.buf, self.base = self.f.read(max(0, min(want, self.limit - off))), off

    def get(self, off: int, n: int) -> bytes:
        """Up to ``n`` bytes at ``off`` (fewer only at the limit)."""
        rel = off - self.base
        if rel < 0 or rel + n > len(self.buf):
            self.fill(off, max(n, HEADER_CHUNK))
            rel = 0
        return self.buf[rel : rel + n]

    def next_marker(self, off: int) -> int | None:
        """Offset of the next real marker at or after ``off`` in entropy data, or None."""
        while off < self.limit - 1:
            rel = off - self.base
            if rel < 0 or rel + 2 > len(self.buf):
                self.fill(off, SCAN_CHUNK)
                rel = 0
                if len(self.buf) < 2:
                    return None
            m = _MARKER.search(self.buf, rel)
            if m is not None:
                return self.base + m.start()
            off = self.base + len(self.buf) - 1  # the last byte may be an FF that starts a marker
        return None


def walk_jpeg(f: BinaryIO, size: int, start: int = 0) -> JpegLayout:
    """Walk the JPEG at ``f[start:size]`` from SOI to EOI.

    Raises:
        CorruptFile: no SOI, or the structure is broken before any image data.
    """
    buf = _Buffer(f, size)
    out = JpegLayout()
    if buf.get(start, 2) != b"\xff\xd8":
        raise CorruptFile("not a JPEG: the start-of-image marker is missing")
    out.segments.append(Segment(SOI, start, 2))
    pos, in_scan, kept_bytes = start + 2, False, 0
    # Every turn advances ``pos``; the bound also stops files made of endless RST markers.
    for _ in range(4 * MAX_SEGMENTS):
        if len(out.segments) >= MAX_SEGMENTS:
            out.warn("too many JPEG segments; the rest was not read")
            break
        head = buf.get(pos, 4)
        if len(head) < 2:
            out.warn("the image data is cut short (no end-of-image marker)", incomplete=False)
            break
        if head[0] != 0xFF or head[1] in (0x00, 0xFF):
            # Fill bytes (FF FF ...) are legal before a marker; anything else is junk.
            nxt = buf.next_marker(pos)
            if nxt is None or nxt - pos > MAX_GARBAGE:
                out.warn("unexpected bytes between JPEG segments; the rest was not read")
                break
            if head[:2] != b"\xff\xff":
                out.warn("unexpected bytes between JPEG segments", incomplete=nxt - pos > 16)
            pos = nxt
            continue
        marker = head[1]
        if marker == EOI:
            out.segments.append(Segment(EOI, pos, 2))
            out.has_eoi, pos = True, pos + 2
            break
        if marker in STANDALONE:
            pos += 2
            continue
        if marker == SOI:
            out.warn("a second start-of-image marker inside the image")
            break
        if len(head) < 4:
            out.warn("the file ends inside a JPEG segment", incomplete=False)
            break
        length = struct.unpack(">H", head[2:4])[0]
        if length < 2:
            raise CorruptFile(f"JPEG segment {marker_name(marker)} has an invalid length")
        kept_bytes += length
        if kept_bytes > MAX_HEADER_BYTES:
            out.warn("the JPEG's metadata segments are too large to read")
            break
        payload = buf.get(pos + 4, length - 2)
        if len(payload) < length - 2:
            out.warn(f"the file ends inside the {marker_name(marker)} segment")
            break
        seg = Segment(marker, pos, length + 2, payload)
        out.segments.append(seg)
        if marker in SOF_MARKERS and out.sof is None:
            out.sof = seg
        pos += length + 2
        if marker == SOS:
            in_scan = True
            nxt = buf.next_marker(pos)
            stop = nxt if nxt is not None else size
            out.segments.append(Segment(0, pos, stop - pos))
            pos = stop
            if nxt is None:
                out.warn("the image data is cut short (no end-of-image marker)", incomplete=False)
                break
    else:
        out.warn("too many JPEG markers; the rest was not read")
    if not in_scan and out.complete and out.has_eoi:
        out.warn("the JPEG has no image data", incomplete=False)
    out.end = pos
    return out


def jpeg_end(f: BinaryIO, offset: int, limit: int) -> int | None:
    """Offset just past the EOI of a JPEG stored at ``offset`` (for appended images)."""
    try:
        layout = walk_jpeg(f, limit, offset)
    except CorruptFile:
        return None
    return layout.end if layout.has_eoi else None


EXIF_SIG = b"Exif\x00"
XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_SIG = b"http://ns.adobe.com/xmp/extension/\x00"
ICC_SIG = b"ICC_PROFILE\x00"
PS_SIG = b"Photoshop 3.0\x00"
MAX_THUMB = 256 * 1024  # thumbnails are kept in memory up to this size, for the staleness check
#: Known application / maker APPn blocks by (marker, payload prefix). They identify nobody by
#: themselves but may carry maker data, so they are reported and never kept by the cleaner.
MAKER_APPS: dict[tuple[int, bytes], str] = {
    (0xE0, b"AVI1"): "Motion-JPEG frame header",
    (0xE0, b"Ocad"): "Photo-Studio data",
    (0xE1, b"PARROT\x00"): "Parrot thermal data",
    (0xE2, b"urn:iso:std:iso:ts:21496:-1"): "HDR gain map metadata",
    (0xE3, b"Stim\x00"): "stereo image data",
    (0xE3, b"_JPSJPS_"): "stereo (JPS) data",
    (0xE5, b"ssuniqueid\x00"): "Samsung unique ID",
    (0xE6, b"TDHD"): "HP data",
    (0xE6, b"DTAT"): "DJI data",
    (0xE7, b"HUAWEI\x00"): "Huawei data",
    (0xEC, b"[picture info]"): "PictureInfo text",
    (0xEC, b"Type="): "PictureInfo text",
    (0xED, b"Adobe_Photoshop2.5"): "Photoshop 2.5 data",
    (0xE0, b"II\x1a\x00\x00\x00HEAP"): "Canon CIFF data",
    (0xE1, b"FLIR\x00"): "FLIR thermal data",
    (0xE1, b"QVCI"): "Casio data",
    (0xE2, b"FPXR\x00"): "FlashPix data",
    (0xE3, b"Meta\x00"): "Kodak Meta data",
    (0xE3, b"META\x00"): "Kodak Meta data",
    (0xE3, b"Exif\x00"): "Kodak Meta data",
    (0xE4, b"SCALADO"): "Scalado data",
    (0xE4, b"FPXR\x00"): "FlashPix data",
    (0xE5, b"RMETA"): "Ricoh data",
    (0xE6, b"EPPIM"): "Toshiba PrintIM",
    (0xE6, b"NITF"): "NITF header",
    (0xE6, b"GoPro"): "GoPro data",
    (0xE7, b"Pentax"): "Pentax data",
    (0xE7, b"Qualcomm"): "Qualcomm camera data",
    (0xE8, b"SPIFF"): "SPIFF header",
    (0xE9, b"Media Jukebox"): "Media Jukebox data",
    (0xEA, b"AROT"): "Apple data",
    (0xEA, b"UNICODE"): "Unicode comment",
    (0xEC, b"Ducky"): "Photoshop 'Save for Web' data (Ducky)",
    (0xEC, b"PictureInfo"): "PictureInfo text",
    (0xEB, b"HDR_RI"): "JPEG-HDR data",
    (0xEC, b"Agfa Gevaert"): "Agfa data",
    (0xEF, b"Q "): "GraphicConverter quality",
    (0xED, b"Adobe_CM"): "Adobe colour management data",
}
MPF_TYPES = {0x030000: "primary image", 0x010001: "large thumbnail (VGA)",
             0x010002: "large thumbnail (full HD)", 0x020001: "panorama frame",
             0x020002: "disparity (3D) frame", 0x020003: "multi-angle frame", 0: "extra image"}


class _Collector:
    """Turns a :class:`JpegLayout` into a :class:`ContainerScan` (payloads, embedded data)."""

    def __init__(self, f: BinaryIO, size: int, layout: JpegLayout) -> None:
        self.f, self.size, self.layout = f, size, layout
        self.blocks: list[Block] = []
        self.exif: list[bytes] = []
        self.xmp: list[bytes] = []
        self.iptc: list[bytes] = []
        self.comments: list[str] = []
        self.embedded: list[Embedded] = []
        self.icc_parts: dict[int, bytes] = {}
        self.ext_xmp: dict[bytes, tuple[int, dict[int, bytes]]] = {}
        self.ps_data: list[bytes] = []
        self.ps_offset = 0
        self.mpf_images: dict[int, int] = {}
        self.mpf_count = 0
        self.c2pa = False
        self.infiray = False
        self.warnings = list(layout.warnings)
        self.complete = layout.complete

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)
        self.complete = False

    def add(self, seg: Segment, kind: str, note: str = "", known: bool = True) -> None:
        self.blocks.append(Block(seg.name, kind, seg.offset, seg.length, known, note))

    def segment(self, seg: Segment) -> None:
        m = seg.marker
        if m == 0:
            self.add(seg, "image", "entropy-coded image data")
        elif 0xE0 <= m <= 0xEF:
            self.app(seg)
        elif m == 0xFE:
            text = seg.payload.rstrip(b"\x00")
            try:
                self.comments.append(text.decode("utf-8"))
            except UnicodeDecodeError:
                self.comments.append(text.decode("latin-1"))
            self.add(seg, "comment")
        elif m in SOF_MARKERS or m in (SOI, EOI, SOS, 0xC4, 0xCC, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF):
            self.add(seg, "structure")
        else:
            self.add(seg, "unknown", f"unknown JPEG marker {seg.name}", known=False)
            self.warn(f"an unknown JPEG segment ({seg.name}) was not understood")

    def app(self, seg: Segment) -> None:
        p, m = seg.payload, seg.marker
        if m == 0xE0 and p.startswith(b"JFIF\x00"):
            if len(p) >= 14 and p[12] * p[13]:
                self.embedded.append(Embedded("thumbnail", seg.offset + 18, len(p) - 14,
                                              "JFIF RGB thumbnail", None, {"source": "JFIF"}))
            self.add(seg, "jfif")
        elif m == 0xE0 and p.startswith(b"JFXX\x00"):
            data = p[6:] if len(p) > 6 and p[5] == 0x10 else None
            self.embedded.append(Embedded("thumbnail", seg.offset + 10, max(0, len(p) - 6),
                                          "JFXX thumbnail", data, {"source": "JFXX"}))
            self.add(seg, "thumbnail", "JFXX thumbnail")
        elif m == 0xE1 and p.startswith(EXIF_SIG):
            self.add(seg, "exif")
            self.exif_payload(seg.offset + 10, p[6:])
        elif m == 0xE1 and p.startswith(XMP_SIG):
            self.xmp.append(p[len(XMP_SIG) :])
            self.add(seg, "xmp", "APP1 http://ns.adobe.com/xap/1.0/")
        elif m == 0xE1 and p.startswith(XMP_EXT_SIG):
            self.ext_chunk(p[len(XMP_EXT_SIG) :])
            self.add(seg, "xmp_extended", "Extended XMP")
        elif m == 0xE1 and p.lstrip(b"\x00 \r\n\t").startswith((b"<?xpacket", b"<x:xmpmeta")):
            self.xmp.append(p)
            self.add(seg, "xmp", "XMP without the standard header")
        elif m == 0xE2 and p.startswith(ICC_SIG) and len(p) >= 14:
            self.icc_parts.setdefault(p[12], p[14:])
            self.add(seg, "icc")
        elif m == 0xE2 and p.startswith(b"MPF\x00"):
            self.mpf(seg.offset + 8, p[4:])
            self.add(seg, "mpf", "Multi-Picture Format index")
        elif m == 0xEB and p[:2] == b"JP" and b"jumb" in p[:32]:
            at = p.find(b"jumd", 0, 64)
            # The description box's type: "c2pa" (C2PA) or "cacb" (its CAI predecessor).
            is_c2pa = at >= 0 and p[at + 4 : at + 8] in (b"c2pa", b"cacb")
            self.c2pa = self.c2pa or is_c2pa
            self.add(seg, "c2pa", "JUMBF / C2PA manifest" if is_c2pa else "JUMBF box")
        elif m == 0xED and p.startswith(PS_SIG):
            self.ps_data.append(p[len(PS_SIG) :])
            self.ps_offset = self.ps_offset or seg.offset
            self.add(seg, "iptc", "Photoshop resources (IPTC)")
        elif m == 0xEE and p.startswith(b"Adobe"):
            self.add(seg, "adobe", "Adobe colour transform")
        else:
            self.other_app(seg)

    def other_app(self, seg: Segment) -> None:
        p = seg.payload
        jpeg_at = p.find(b"\xff\xd8\xff", 0, 8) if 0xE2 <= seg.marker <= 0xE5 else -1
        if jpeg_at >= 0:  # a preview image stored in an APPn (HP, Samsung, BenQ, Casio QVGA)
            note = f"preview image in {seg.name}"
            self.embedded.append(Embedded("thumbnail", seg.offset + 4 + jpeg_at,
                                          len(p) - jpeg_at, note, p[jpeg_at:],
                                          {"source": seg.name}))
            self.add(seg, "thumbnail", note)
            return
        if seg.marker == 0xE2 and p[4:10] == b"IJPEG\x00":
            self.infiray = True  # InfiRay cameras then fill APP3..APP9 with thermal data
        if self.infiray and 0xE2 <= seg.marker <= 0xE9:
            self.add(seg, "maker", "InfiRay thermal data")
            return
        for (marker, prefix), note in MAKER_APPS.items():
            # Some writers put a length byte first (Qualcomm), so search the opening bytes.
            if seg.marker == marker and prefix in p[:40]:
                self.add(seg, "maker", note)
                return
        label = p[:32].split(b"\x00", 1)[0].decode("latin-1", "replace")
        label = "".join(c if c.isprintable() else "?" for c in label)
        self.add(seg, "unknown", f"{seg.name} {label!r}", known=False)
        self.warn(f"an unknown {seg.name} block ({label!r}) was not understood")

    def exif_payload(self, abs_off: int, tiff: bytes) -> None:
        if parse_header(tiff[:16]) is None:
            self.warn("an EXIF block has no valid TIFF header")
            return
        self.exif.append(tiff)
        info = walk_tiff(bytes_reader(tiff), len(tiff), pages=False)
        if info is None:
            return
        for text in info.warnings:
            self.warn(f"EXIF: {text}")
        ifd1 = info.ifd("IFD1")
        strips = ifd1.entries.get(0x0111) if ifd1 and not info.thumbnail else None
        if strips is not None:  # an uncompressed (TIFF) thumbnail: located, not kept
            offs = entry_ints(bytes_reader(tiff), info, strips, 1)
            if offs and offs[0] < len(tiff):
                self.embedded.append(Embedded("thumbnail", abs_off + offs[0], 0,
                                              "uncompressed EXIF thumbnail", None,
                                              {"source": "EXIF IFD1"}))
        if info.thumbnail:
            off, length = info.thumbnail
            data = tiff[off : off + length] if length <= MAX_THUMB else None
            self.embedded.append(Embedded("thumbnail", abs_off + off, length, "EXIF thumbnail",
                                          data, {"source": "EXIF IFD1"}))
            self.blocks.append(Block("IFD1", "thumbnail", abs_off + off, length, True,
                                     "EXIF IFD1 JPEG thumbnail"))

    def ext_chunk(self, body: bytes) -> None:
        if len(body) < 40:
            self.warn("an Extended XMP block is too short")
            return
        guid = body[:32]
        full, off = struct.unpack(">II", body[32:40])
        self.ext_xmp.setdefault(guid, (full, {}))[1].setdefault(off, body[40:])

    def mpf(self, base: int, tiff: bytes) -> None:
        info = walk_tiff(bytes_reader(tiff), len(tiff), pages=False)
        index = info.ifd("IFD0") if info else None
        entry = index.entries.get(0xB002) if index else None
        if info is None or entry is None:
            self.warn("the MPF index could not be read")
            return
        raw = tiff[entry.value_offset : entry.value_offset + entry.value_length]
        endian = "<" if info.little_endian else ">"
        self.mpf_count = len(raw) // 16
        for i in range(min(self.mpf_count, 64)):
            attr, length, off, _d1, _d2 = struct.unpack(endian + "IIIHH", raw[16 * i : 16 * i + 16])
            if i == 0 or off == 0:
                continue  # the primary image: this very JPEG
            start = base + off
            if start + length > self.size:
                self.warn(f"MPF image {i + 1} lies beyond the end of the file")
                continue
            kind = MPF_TYPES.get(attr & 0xFFFFFF, "extra image")
            self.mpf_images[start] = length
            self.embedded.append(Embedded("mpf_image", start, length, f"MPF {kind}", None,
                                          {"type": kind, "index": i, "mpf_offset": off}))

    def finish_payloads(self) -> bytes | None:
        for full, parts in self.ext_xmp.values():
            if full > MAX_BLOCK:
                self.warn("an Extended XMP packet is too large to read")
                continue
            buf = bytearray(full)
            covered = 0
            for off, data in sorted(parts.items()):
                piece = data[: max(0, full - off)]
                buf[off : off + len(piece)] = piece
                covered += len(piece)
            if covered < full:
                self.warn("an Extended XMP packet is incomplete")
            self.xmp.append(bytes(buf))
        if self.ps_data:
            self.photoshop(b"".join(self.ps_data))
        if not self.icc_parts:
            return None
        return b"".join(self.icc_parts[k] for k in sorted(self.icc_parts))

    def photoshop(self, data: bytes) -> None:
        resources, clean_end = photoshop_resources(data)
        for rid, body in resources:
            if rid == 0x0404:
                self.iptc.append(body)
            elif rid in (0x0409, 0x040C) and body[28:30] == b"\xff\xd8":
                self.embedded.append(Embedded("thumbnail", self.ps_offset, len(body) - 28,
                                              "Photoshop thumbnail", body[28 : 28 + MAX_THUMB],
                                              {"source": "Photoshop"}))
            elif rid in (0x0422, 0x0423) and parse_header(body[:16]):
                self.exif.append(body)
            elif rid == 0x0424:
                self.xmp.append(body)
        if not clean_end:
            self.warn("part of the Photoshop (IPTC) block was not understood")


def photoshop_resources(data: bytes) -> tuple[list[tuple[int, bytes]], bool]:
    """Photoshop image resources ("8BIM" id, name, size, data) as (id, data) pairs.

    Returns:
        The resources, and False when bytes other than padding were left unparsed.
    """
    found: list[tuple[int, bytes]] = []
    pos = 0
    for _ in range(4096):
        if pos + 12 > len(data) or data[pos : pos + 4] != b"8BIM":
            break
        rid = struct.unpack(">H", data[pos + 4 : pos + 6])[0]
        at = pos + 6 + ((data[pos + 6] + 2) & ~1)  # Pascal name padded to an even length
        if at + 4 > len(data):
            break
        size = struct.unpack(">I", data[at : at + 4])[0]
        found.append((rid, data[at + 4 : at + 4 + size]))
        pos = at + 4 + size + (size & 1)
    return found, not data[pos:].strip(b"\x00")


def scan_from_layout(f: BinaryIO, size: int, layout: JpegLayout) -> ContainerScan:
    """The :class:`ContainerScan` of an already walked JPEG (reads only the trailer)."""
    c = _Collector(f, size, layout)
    for seg in layout.segments:
        c.segment(seg)
    icc = c.finish_payloads()
    if layout.has_eoi and layout.end < size:
        tr = trailer.classify(f, layout.end, size - layout.end, known_images=c.mpf_images,
                              jpeg_end=jpeg_end)
        c.blocks.extend(tr.blocks)
        c.embedded.extend(tr.embedded)
        c.iptc.extend(tr.iptc)
        for text in tr.warnings:
            c.warn(text)
    elif layout.end < size and not layout.has_eoi and not layout.complete:
        c.warn(f"{size - layout.end} bytes at the end of the file were not read")
    width = height = None
    if layout.sof is not None and len(layout.sof.payload) >= 5:
        height, width = struct.unpack(">HH", layout.sof.payload[1:5])
    return ContainerScan(
        format="mpo" if c.mpf_images else "jpeg",
        width=width or None,
        height=height or None,
        blocks=tuple(c.blocks),
        exif=tuple(c.exif),
        xmp=tuple(c.xmp),
        iptc=tuple(c.iptc),
        comments=tuple(c.comments),
        icc=icc,
        embedded=tuple(c.embedded),
        c2pa=c.c2pa,
        warnings=tuple(c.warnings),
        complete=c.complete,
    )



class Jpeg(ImageFormat):
    """JPEG and MPO (multi-picture) files."""

    name: ClassVar[str] = "jpeg"
    extensions: ClassVar[tuple[str, ...]] = (".jpg", ".jpeg", ".jpe", ".jfif", ".mpo")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for data that starts with SOI followed by another marker."""
        return head[:3] == b"\xff\xd8\xff"

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the segments and scans, collect metadata blocks and classify the trailer.

        Raises:
            CorruptFile: not a JPEG or broken before the image data.
        """
        layout = walk_jpeg(f, size)
        return scan_from_layout(f, size, layout)

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Allowlist copy around the untouched scans (see :mod:`jpeg_clean`).

        Raises:
            CorruptFile: the source is not a readable JPEG.
        """
        from veil.core.formats.jpeg_clean import write_clean

        return write_clean(src, dst, options, pixels)
