"""PNG (and APNG) container handler.

Reading walks every chunk header (lengths bounded by the file size), reads and CRC-checks
every non-image chunk, and unpacks text (tEXt/zTXt/iTXt, with a decompression cap against
zip bombs), XMP, ImageMagick "Raw profile" EXIF/IPTC, eXIf, iCCP, caBX (C2PA) and tIME.
Image data (IDAT/fdAT) is skipped, not read: its CRC is left to the pixel decoder, which
keeps a metadata scan to a few small reads. Bytes after IEND are reported (aCropalypse).
Cleaning is in :mod:`veil.core.formats.png_clean`.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import memo
from veil.core.formats import png_chunks as pc
from veil.core.formats.base import (
    MAX_BLOCK,
    CleanOutcome,
    ContainerScan,
    Embedded,
    ImageFormat,
)
from veil.core.formats.builder import FILE_ENDS_IN_PICTURE, MAX_TOTAL, TIFF_HEADERS, ScanBuilder
from veil.core.formats.png_idat import STREAM_CUT_SHORT, hidden_after_stream, raw_size
from veil.core.formats.png_trailer import after_end
from veil.core.metadata.appdata import JUMBF_NOTE
from veil.core.model import ExportOptions

#: Chunks that describe how to show the pixels and can't carry anything identifying.
STRUCTURE = {
    "IHDR": "image header", "PLTE": "palette", "tRNS": "transparency", "gAMA": "gamma",
    "cHRM": "chromaticities", "sRGB": "sRGB intent", "sBIT": "significant bits",
    "pHYs": "pixel density", "bKGD": "background colour", "hIST": "palette histogram",
    "sPLT": "suggested palette", "cICP": "colour space code", "mDCv": "HDR display",
    "cLLi": "HDR light level", "mDCV": "HDR display", "cLLI": "HDR light level",
    "oFFs": "image offset", "sCAL": "physical scale", "pCAL": "pixel calibration",
    "sTER": "stereo layout", "acTL": "APNG animation control", "fcTL": "APNG frame control",
    "IEND": "end of image",
    # Private chunks known to hold only layout numbers.
    "iDOT": "Apple decoding hint", "vpAg": "ImageMagick virtual page", "orNT":
    "ImageMagick orientation", "gIFg": "GIF frame timing", "npTc": "Android nine-patch",
    "npLb": "Android nine-patch", "npOl": "Android nine-patch",
}
IMAGE_DATA = ("IDAT", "fdAT")
TEXT = ("tEXt", "zTXt", "iTXt")
XMP_KEYWORD = "XML:com.adobe.xmp"
_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\0"
_KINDS = {"eXIf": "exif", "iCCP": "icc", "caBX": "c2pa", "tIME": "text"}
#: Most picture data (filtered scanlines) the scan inflates to find the end of the stream:
#: ~3-5 s at worst on a slow machine; the pixel checks' own cap is 100 megapixels.
MAX_STREAM_CHECK = 512 * 1024 * 1024
#: Largest structural chunk we read to check its CRC (real ones are a few bytes).
_SMALL = 64 * 1024


@dataclass(slots=True)
class _Scan(ScanBuilder):
    """The shared collector plus the IHDR size and the file-wide metadata budget."""

    width: int | None = None
    height: int | None = None
    budget: int = MAX_TOTAL  # metadata bytes we may still read or inflate
    ihdr: bytes = b""  # the header chunk's data: how much picture data the IHDR calls for
    #: IDAT runs (their chunks' offsets) whose one zlib stream was inflated to its end: True
    #: when bytes trail it, False when it ends exactly where the run does.
    followed: dict[tuple[int, ...], bool] = field(default_factory=dict)
    stream_cut: bool = False  # an image stream stops before its end (see png_idat)


class Png(ImageFormat):
    """Portable Network Graphics, including animated PNG."""

    name: ClassVar[str] = "png"
    extensions: ClassVar[tuple[str, ...]] = (".png", ".apng")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for the 8-byte PNG signature."""
        return head.startswith(pc.SIGNATURE)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk every chunk and collect the metadata payloads.

        Raises:
            CorruptFile: no PNG signature, or no readable IHDR.
        """
        frozen, clean = parse(f, size)
        memo.leave(f, "png", (size, frozen, clean))  # the cleaner's, if it cleans this file
        return frozen

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Copy only allowlisted chunks (see :mod:`png_clean`).

        Raises:
            CorruptFile: the source is broken (bad signature, bad CRC in a kept chunk).
            Unsupported: an animated PNG whose orientation would have to be baked.
        """
        from veil.core.formats.png_clean import write_clean

        return write_clean(src, dst, options, pixels)


def parse(f: BinaryIO, size: int) -> tuple[ContainerScan, Mapping[tuple[int, ...], bool]]:
    """:meth:`Png.read`'s scan, and the IDAT runs (their chunks' offsets) whose one zlib
    stream was inflated in full: False when it ends exactly where the run does (nothing
    hidden after it: the cleaner may copy the run without inflating it again), True when
    bytes trail it (the cleaner inflates it once more, only to deflate it afresh).

    Raises:
        CorruptFile: no PNG signature, or no readable IHDR.
    """
    f.seek(0)
    if f.read(8) != pc.SIGNATURE:
        raise CorruptFile("not a PNG file (bad signature)")
    try:
        walk = pc.walk_chunks(f, size)
    except pc.ChunkError as exc:
        raise CorruptFile(str(exc)) from exc
    scan = _Scan(warnings=list(walk.warnings), complete=walk.complete)
    _collect(f, walk.chunks, scan)
    if not any(c.type == "IDAT" for c in walk.chunks) and walk.end is not None:
        scan.warn("the PNG has no picture data")
    if scan.stream_cut:  # with no IEND, the file stops inside or between image chunks
        scan.warn(FILE_ENDS_IN_PICTURE if walk.end is None else
                  f"{STREAM_CUT_SHORT}; the picture could not be checked for hidden leftovers")
    if walk.end is not None and walk.end < size:
        scan.add_found(after_end(f, walk.end, size, "png"))
    return scan.freeze("png", scan.width, scan.height), MappingProxyType(scan.followed)


def _collect(f: BinaryIO, chunks: list[pc.Chunk], scan: _Scan) -> None:
    """Turn each chunk into a block (runs of image data collapse into one block)."""
    run: list[pc.Chunk] = []
    for chunk in chunks:
        if chunk.type in IMAGE_DATA:
            if run and run[-1].type != chunk.type:
                _flush_run(f, run, scan)
            run.append(chunk)
            continue
        if run:
            _flush_run(f, run, scan)
        _chunk(f, chunk, scan)
    if run:
        _flush_run(f, run, scan)


def _flush_run(f: BinaryIO, run: list[pc.Chunk], scan: _Scan) -> None:
    first, last = run[0], run[-1]
    note = f"image data ({len(run)} chunk{'s' if len(run) > 1 else ''})"
    scan.add_block(first.type, "image", first.offset, last.end - first.offset, True, note)
    _hidden_in_stream(f, run, scan)
    run.clear()


def _hidden_in_stream(f: BinaryIO, run: list[pc.Chunk], scan: _Scan) -> None:
    """Report bytes after the end of the run's compressed stream (what the cleaner cuts)."""
    try:
        limit = raw_size(scan.ihdr)
    except CorruptFile:
        return  # a malformed header is reported where it is read
    if limit > MAX_STREAM_CHECK:
        scan.warn("the picture is too large to check for data hidden after it")
        return
    found = hidden_after_stream(f, run, limit)
    if run[0].type == "IDAT" and (found is None or not found[2]):
        scan.followed[tuple(c.offset for c in run)] = found is not None
    if found is None:
        return
    offset, length, problem = found
    if problem == STREAM_CUT_SHORT:  # nothing hides after a stream with no end: see parse
        scan.stream_cut = True
    elif problem:
        scan.warn(f"{problem}; the picture could not be checked for hidden leftovers")
    if problem:
        return
    frame = "animation frame" if run[0].type == "fdAT" else "picture"
    note = (f"{length} bytes hidden after the end of the compressed {frame} "
            "(aCropalypse-style leftover)")
    scan.embedded.append(Embedded("cropped_leftover", offset, length, note, None,
                                  {"bytes": length, "container": "png", "inside": run[0].type}))


def _chunk(f: BinaryIO, chunk: pc.Chunk, scan: _Scan) -> None:
    ctype, length = chunk.type, chunk.length + 12
    kind = _KINDS.get(ctype, "text" if ctype in TEXT else "structure")
    if ctype == "caBX":  # who and where the manifest names: metadata.c2pa (if not huge)
        scan.c2pa = True
        scan.add_block(ctype, "c2pa", chunk.offset, length, True, "C2PA / JUMBF manifest store")
        if chunk.length <= min(MAX_BLOCK, scan.budget):
            scan.budget -= chunk.length
            data = pc.read_chunk(f, chunk)[0]
            scan.maker_data.append((ctype, JUMBF_NOTE, chunk.data_offset, data))
        return
    if ctype not in STRUCTURE and ctype not in _KINDS and ctype not in TEXT:
        note = "critical chunk Veil does not know" if ctype[0].isupper() else (
            "private or unknown chunk")
        scan.warn(f"unknown chunk {ctype} ({chunk.length} bytes) was not understood")
        scan.add_block(ctype, "unknown", chunk.offset, length, False, note)
        return
    limit = _SMALL if ctype in STRUCTURE else min(MAX_BLOCK, scan.budget)
    if chunk.length > limit:
        scan.warn(f"chunk {ctype} ({chunk.length} bytes) is too large to read")
        scan.add_block(ctype, kind, chunk.offset, length, False, "too large to read")
        return
    scan.budget -= chunk.length
    data, crc_ok = pc.read_chunk(f, chunk)
    if not crc_ok:
        scan.warn(f"chunk {ctype} at byte {chunk.offset} has a bad checksum (damaged file)")
    known, note = True, STRUCTURE.get(ctype, "")
    try:
        if ctype == "IHDR":
            scan.width, scan.height, _, _ = pc.read_ihdr(data)
            scan.ihdr = data
        elif ctype == "acTL" and len(data) == 8:
            note = f"animated PNG, {struct.unpack('>I', data[:4])[0]} frames"
        elif ctype in TEXT:
            kind, note = _text(ctype, data, scan)
        elif ctype == "eXIf":
            note = "EXIF"
            _exif(data, scan)
        elif ctype == "iCCP":
            name, profile = pc.icc_chunk(data, min(pc.MAX_INFLATE, scan.budget))
            scan.budget -= len(profile)
            note = f"colour profile {name!r}"
            scan.icc = scan.icc or profile
        elif ctype == "tIME":
            note = "last modification time"
            scan.text.append(("tIME", pc.time_chunk(data)))
    except pc.ChunkError as exc:
        scan.warn(f"chunk {ctype}: {exc}")
        known = False
    scan.add_block(ctype, kind, chunk.offset, length, known, note)


def _text(ctype: str, data: bytes, scan: _Scan) -> tuple[str, str]:
    """Route one text chunk: XMP, a raw EXIF/IPTC/XMP/ICC profile, or plain key/value."""
    keyword, text, raw = pc.text_chunk(ctype, data, min(pc.MAX_INFLATE, scan.budget))
    if ctype != "tEXt":
        scan.budget -= len(raw)
    if keyword == XMP_KEYWORD:
        scan.xmp.append(raw)
        return "xmp", f"{ctype} XMP"
    if keyword.lower().startswith("raw profile type "):
        return _raw_profile(keyword, text, scan)
    if keyword.lower() == "exif" and (raw.startswith(b"Exif\0") or raw[:4] in TIFF_HEADERS):
        # Binary EXIF in a text chunk (older Pillow/ImageMagick); Pillow honours it.
        _exif(raw, scan)
        return "exif", f"{ctype} {keyword}"
    scan.text.append((keyword, text))
    return "text", f"{ctype} {keyword}"


def _raw_profile(keyword: str, text: str, scan: _Scan) -> tuple[str, str]:
    """ImageMagick hex-encoded profiles stored in text chunks."""
    profile = keyword[len("raw profile type ") :].strip().lower()
    payload = pc.raw_profile(text)
    note = f"ImageMagick {profile} profile"
    if profile in ("exif", "app1"):
        if payload.startswith(_XMP_APP1):
            scan.xmp.append(payload[len(_XMP_APP1) :])
            return "xmp", note
        _exif(payload, scan)
        return "exif", note
    if profile in ("iptc", "8bim"):
        scan.iptc.append(payload)
        return "iptc", note
    if profile == "xmp":
        scan.xmp.append(payload)
        return "xmp", note
    if profile in ("icc", "icm"):
        scan.icc = scan.icc or payload
        return "icc", note
    scan.text.append((keyword, text))
    scan.warn(f"ImageMagick profile {profile!r} was not understood")
    return "unknown", note


def _exif(data: bytes, scan: _Scan) -> None:
    """Add a TIFF-structured EXIF payload (see :meth:`ScanBuilder.add_exif`)."""
    if not scan.add_exif(data):
        raise pc.ChunkError("EXIF data has no valid TIFF header")
