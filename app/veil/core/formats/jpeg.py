"""JPEG / MPO container handler: read (walk + collect) and clean.

The walk over markers and scans lives in :mod:`veil.core.formats.jpeg_walk`, APPn
classification in :mod:`veil.core.formats.jpeg_app`, EXIF (incl. EXIF split across APP1
segments) in :mod:`veil.core.formats.jpeg_exif`, the cleaner in
:mod:`veil.core.formats.jpeg_clean`. Here ``_Collector`` turns a walk into a
:class:`ContainerScan`; everything after the EOI goes to :mod:`veil.core.formats.trailer`.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.formats import memo, trailer
from veil.core.formats.base import (
    MAX_BLOCK,
    Block,
    CleanOutcome,
    ContainerScan,
    Embedded,
    ImageFormat,
)
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.jpeg_app import (
    ADOBE_LENGTH,
    MPF_TYPES,
    PS_SIG,
    XMP_EXT_SIG,
    XMP_SIG,
    add_photoshop,
    app_kind,
    assemble_extended_xmp,
    is_infiray,
    jumbf_is_c2pa,
    mpf_entries,
    other_app,
)
from veil.core.formats.jpeg_exif import exif_contents, exif_runs
from veil.core.formats.jpeg_maker import PLAIN_APPS, decode_maker_app
from veil.core.formats.jpeg_markers import CODING_MARKERS, EOI, SOI
from veil.core.formats.jpeg_walk import JpegLayout, Segment, jpeg_end, walk_jpeg
from veil.core.metadata.appdata import DECODED_BY_METADATA, JUMBF_NOTE
from veil.core.model import ExportOptions

_STRUCTURE = CODING_MARKERS | {SOI, EOI}


class _Collector(ScanBuilder):
    """Turns a :class:`JpegLayout` into a :class:`ContainerScan` (payloads, embedded data)."""

    def __init__(self, f: BinaryIO, size: int, layout: JpegLayout) -> None:
        super().__init__(warnings=list(layout.warnings), complete=layout.complete)
        self.f, self.size, self.layout = f, size, layout
        self.icc_parts: dict[int, bytes] = {}
        self.ext_xmp: dict[bytes, tuple[int, dict[int, bytes]]] = {}
        self.ps_data: list[bytes] = []
        self.ps_offset = 0
        self.mpf_images: dict[int, int] = {}
        self.infiray = False
        runs, exif_warnings = exif_runs(layout.segments)
        # Each EXIF block is taken where its first APP1 stands, so results keep file order.
        self.exif_at = {run.first: run for run in runs}
        for text in exif_warnings:
            self.warn(text)

    def add(self, seg: Segment, kind: str, note: str = "", known: bool = True) -> None:
        self.add_block(seg.name, kind, seg.offset, seg.length, known, note)

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
        elif m in _STRUCTURE:
            self.add(seg, "structure")
        else:
            self.add(seg, "unknown", f"unknown JPEG marker {seg.name}", known=False)
            self.warn("an unknown block in the JPEG was not understood")

    def app(self, seg: Segment) -> None:
        p = seg.payload
        kind = app_kind(seg.marker, p)
        if kind == "jfif":
            if len(p) >= 14 and p[12] * p[13]:
                self.embedded.append(Embedded("thumbnail", seg.offset + 18, len(p) - 14,
                                              "JFIF RGB thumbnail", None, {"source": "JFIF"}))
            self.add(seg, "jfif")
        elif kind == "jfxx":
            data = p[6:] if len(p) > 6 and p[5] == 0x10 else None
            self.embedded.append(Embedded("thumbnail", seg.offset + 10, max(0, len(p) - 6),
                                          "JFXX thumbnail", data, {"source": "JFXX"}))
            self.add(seg, "thumbnail", "JFXX thumbnail")
        elif kind == "exif":
            self.add(seg, "exif")
            run = self.exif_at.get(seg.offset)
            if run is not None:  # else a continuation part, or no TIFF header (warned)
                self.exif_block(run.tiff, *exif_contents(run))
        elif kind == "xmp":
            self.xmp.append(p[len(XMP_SIG) :])
            self.add(seg, "xmp", "APP1 http://ns.adobe.com/xap/1.0/")
        elif kind == "xmp_extended":
            self.ext_chunk(p[len(XMP_EXT_SIG) :])
            self.add(seg, "xmp_extended", "Extended XMP")
        elif kind == "xmp_bare":
            self.xmp.append(p)
            self.add(seg, "xmp", "XMP without the standard header")
        elif kind == "icc":
            self.icc_parts.setdefault(p[12], p[14:])
            self.add(seg, "icc")
        elif kind == "mpf":
            self.mpf(seg.offset + 8, p[4:])
            self.add(seg, "mpf", "Multi-Picture Format index")
        elif kind == "jumbf":
            is_c2pa = jumbf_is_c2pa(p)
            self.c2pa = self.c2pa or is_c2pa
            self.add(seg, "c2pa", "JUMBF / C2PA manifest" if is_c2pa else "JUMBF box")
            self.keep_maker(seg, JUMBF_NOTE)  # who and where it names (metadata.c2pa)
        elif kind == "photoshop":
            self.ps_data.append(p[len(PS_SIG) :])
            self.ps_offset = self.ps_offset or seg.offset
            self.add(seg, "iptc", "Photoshop resources (IPTC)")
        elif kind == "adobe":
            if len(p) > ADOBE_LENGTH:
                # Bytes beyond the 12-byte structure are free space writers may fill with
                # text; Veil can't say what they hold (the cleaner writes 12 bytes only).
                self.add(seg, "adobe", "Adobe colour transform with extra bytes", known=False)
                self.warn(f"the Adobe colour block carries {len(p) - ADOBE_LENGTH} extra bytes "
                          "that were not understood")
            else:
                self.add(seg, "adobe", "Adobe colour transform")
        else:
            self.other_app(seg)

    def keep_maker(self, seg: Segment, note: str) -> None:
        """Keep an APPn payload for :mod:`veil.core.metadata.appdata` (within a budget)."""
        p = seg.payload
        if sum(len(d) for *_, d in self.maker_data) + len(p) <= MAX_BLOCK:
            self.maker_data.append((seg.name, note, seg.offset + 4, p))

    def other_app(self, seg: Segment) -> None:
        p = seg.payload
        self.infiray = self.infiray or is_infiray(seg.marker, p)
        kind, note, jpeg_at = other_app(seg.marker, seg.name, p, self.infiray)
        if jpeg_at >= 0:
            self.embedded.append(Embedded("thumbnail", seg.offset + 4 + jpeg_at,
                                          len(p) - jpeg_at, note, p[jpeg_at:],
                                          {"source": seg.name}))
        if kind == "maker":
            self.keep_maker(seg, note)
        if kind == "maker" and note not in DECODED_BY_METADATA:
            decoded = decode_maker_app(seg.marker, p)
            if decoded is not None:
                if decoded.exif:
                    self.exif.append(decoded.exif)
                self.comments.extend(decoded.comments)
            elif note not in PLAIN_APPS:
                # Known by its signature but not decoded: it may hold serials or names.
                self.add(seg, kind, note, known=False)
                self.warn(f"{note[0].upper()}{note[1:]} was found but not decoded; it may identify "
                          "the camera or its owner")
                return
        self.add(seg, kind, note, known=kind != "unknown")
        if kind == "unknown":  # the note is "APPn 'label'"
            label = note[len(seg.name) + 1 :]
            self.warn(f"an unknown block ({label}) was not understood")

    def exif_block(
        self, tiff: bytes, embedded: list[Embedded], blocks: list[Block], warnings: list[str]
    ) -> None:
        self.exif.append(tiff)
        self.embedded.extend(embedded)
        self.blocks.extend(blocks)
        for text in warnings:
            self.warn(text)

    def ext_chunk(self, body: bytes) -> None:
        if len(body) < 40:
            self.warn("an Extended XMP block is too short")
            return
        full, off = struct.unpack(">II", body[32:40])
        self.ext_xmp.setdefault(body[:32], (full, {}))[1].setdefault(off, body[40:])  # by GUID

    def mpf(self, base: int, tiff: bytes) -> None:
        entries = mpf_entries(tiff)
        if entries is None:
            self.warn("the MPF index could not be read")
            return
        for i, attr, length, off in entries:
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
        packets, warnings = assemble_extended_xmp(self.ext_xmp)
        self.xmp.extend(packets)
        for text in warnings:
            self.warn(text)
        if self.ps_data:
            add_photoshop(self, b"".join(self.ps_data), self.ps_offset,
                          "part of the Photoshop (IPTC) block was not understood")
        if not self.icc_parts:
            return None
        return b"".join(self.icc_parts[k] for k in sorted(self.icc_parts))


def scan_from_layout(f: BinaryIO, size: int, layout: JpegLayout) -> ContainerScan:
    """The :class:`ContainerScan` of an already walked JPEG (reads only the trailer)."""
    c = _Collector(f, size, layout)
    for seg in layout.segments:
        c.segment(seg)
    c.icc = c.finish_payloads()
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
    return c.freeze("mpo" if c.mpf_images else "jpeg", width or None, height or None)


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
        scan = scan_from_layout(f, size, layout)
        memo.leave(f, "jpeg", (size, layout, scan))  # the cleaner's, if it cleans this file
        return scan

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
