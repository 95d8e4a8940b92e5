"""Classify the bytes after an image's end (JPEG EOI): what is hidden there, in plain words.

Known pieces, tried in this order at each position: images listed by MPF (already reported
by the JPEG handler), an appended JPEG, an MP4/QuickTime movie (motion photos), Samsung
SEF trailers (walked from the "SEFT" footer), Photo Mechanic / AFCP / FotoStation metadata
trailers, padding, and finally aCropalypse-style leftovers (entropy data that ends with an
EOI marker: the rest of the uncropped original) or unknown bytes. Reads are bounded: box
and block headers only, except small appended images kept for inspection.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from veil.core.formats.base import MAX_BLOCK, Block, Embedded
from veil.core.formats.byteio import read_at

#: Appended images up to this size are kept in memory (a stale preview can be compared).
MAX_KEPT_IMAGE = 256 * 1024
_MAX_PIECES = 32
_MAX_BOXES = 4096
_FOTOSTATION = b"\xa1\xb2\xc3\xd4"

#: ``find_jpeg_end(f, offset, limit)`` -> offset just past the EOI of the JPEG at ``offset``.
JpegEnd = Callable[[BinaryIO, int, int], "int | None"]


@dataclass(slots=True)
class Trailer:
    """Blocks and hidden content found after the image end."""

    blocks: list[Block] = field(default_factory=list)
    embedded: list[Embedded] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    iptc: list[bytes] = field(default_factory=list)  # IPTC carried by metadata trailers


def _mp4_extent(f: BinaryIO, start: int, end: int) -> int:
    """End of the run of plausible top-level ISO boxes starting at ``start``."""
    pos = start
    for _ in range(_MAX_BOXES):
        if pos + 8 > end:
            break
        head = read_at(f, pos, 16)
        size = struct.unpack(">I", head[:4])[0]
        kind = head[4:8]
        if not all(32 <= c < 127 for c in kind):
            break
        if size == 1 and len(head) >= 16:
            size = struct.unpack(">Q", head[8:16])[0]
        elif size == 0:
            size = end - pos
        if size < 8 or pos + size > end:
            return end if pos > start else pos
        pos += size
    return pos


def _probe_movie(f: BinaryIO, offset: int, length: int) -> dict[str, Any]:
    try:
        from veil.core.formats import mp4
    except ImportError:
        return {"bytes": length}
    try:
        return dict(mp4.probe(f, offset, length))
    except Exception as exc:  # the movie is hostile input too; its parse must not sink the file
        return {"bytes": length, "complete": False, "error": str(exc)[:120]}


def _movie(out: Trailer, f: BinaryIO, pos: int, end: int, note: str) -> int:
    stop = _mp4_extent(f, pos, end)
    if stop <= pos:  # a broken first box: the rest is reported as one damaged movie
        stop = end
    detail = _probe_movie(f, pos, stop - pos)
    out.blocks.append(Block("MP4", "trailer", pos, stop - pos, True, note))
    out.embedded.append(Embedded("motion_video", pos, stop - pos, note, None, detail))
    return stop


def _samsung(out: Trailer, f: BinaryIO, start: int, end: int) -> int | None:
    """Walk a Samsung SEF trailer ending at ``end``; returns where it starts, or None."""
    if end - start < 16:
        return None
    foot = read_at(f, end - 8, 8)
    if foot[4:] != b"SEFT":
        return None
    dir_len = struct.unpack("<I", foot[:4])[0]
    sefh = end - 8 - dir_len
    if dir_len < 12 or sefh < start:
        return None
    head = read_at(f, sefh, min(dir_len, 12 + 12 * 256))
    if head[:4] != b"SEFH":
        return None
    count = min(struct.unpack("<I", head[8:12])[0], 256)
    first, names = sefh, []
    values: dict[str, str] = {}
    for i in range(count):
        raw = head[12 + 12 * i : 24 + 12 * i]
        if len(raw) < 12:
            break
        back, length = struct.unpack("<II", raw[4:12])
        blk = sefh - back
        if blk < start or blk + length > sefh:
            out.warnings.append("a Samsung trailer entry points outside the trailer")
            continue
        first = min(first, blk)
        bhead = read_at(f, blk, 8 + 64)
        name_len = struct.unpack("<I", bhead[4:8])[0] if len(bhead) >= 8 else 0
        name = bhead[8 : 8 + min(name_len, 64)].decode("latin-1", "replace")
        names.append(name)
        data_at = blk + 8 + name_len
        small = blk + length - data_at
        if 0 < small <= 256:  # short text entries: capture time (Image_UTC_Data), modes
            text = read_at(f, data_at, small)
            if all(32 <= c < 127 for c in text):
                values[name] = text.decode("ascii")
        if name == "MotionPhoto_Data" and data_at + 8 <= blk + length:
            _movie(out, f, data_at, blk + length, "Samsung motion photo video")
    out.blocks.append(Block("SEF", "trailer", first, end - first, True, "Samsung trailer"))
    out.embedded.append(
        Embedded("trailer", first, end - first, "Samsung trailer", None,
                 {"entries": names, "values": values})
    )
    return first


def _afcp(out: Trailer, f: BinaryIO, pos: int, end: int) -> None:
    """AFCP directory: "AXS!" header, then (tag, length, absolute offset) entries."""
    head = read_at(f, pos, 12 + 12 * 32)
    count = min(struct.unpack(">H", head[6:8])[0], 32) if len(head) >= 8 else 0
    for i in range(count):
        raw = head[12 + 12 * i : 24 + 12 * i]
        if len(raw) < 12:
            break
        tag, length, off = struct.unpack(">4sII", raw)
        if not (pos <= off and off + length <= end and length <= MAX_BLOCK):
            out.warnings.append("an AFCP trailer entry points outside the trailer")
            continue
        if tag == b"IPTC":
            out.iptc.append(read_at(f, off, length))
        elif tag in (b"Nail", b"PrVw"):
            data = read_at(f, off, min(length, MAX_KEPT_IMAGE))
            jpeg_at = data.find(b"\xff\xd8\xff", 0, 64)
            body = data[jpeg_at:] if jpeg_at >= 0 and length <= MAX_KEPT_IMAGE else None
            note = "AFCP thumbnail" if tag == b"Nail" else "AFCP preview image"
            out.embedded.append(Embedded("thumbnail", off, length, note, body,
                                         {"source": "AFCP"}))


def _fotostation(out: Trailer, f: BinaryIO, pos: int, end: int) -> None:
    """FotoStation records, walked backwards by their 16-byte footers."""
    stop = end
    for _ in range(16):
        foot = read_at(f, stop - 16, 16) if stop - 16 >= pos else b""
        if len(foot) < 16 or foot[12:] != _FOTOSTATION:
            break
        _, kind, size = struct.unpack(">III", foot[:12])
        if size < 16 or stop - size < pos:
            break
        start, body = stop - size, size - 16
        if kind == 1 and body <= MAX_BLOCK:
            out.iptc.append(read_at(f, start, body))
        elif kind in (3, 4):
            data = read_at(f, start, body) if body <= MAX_KEPT_IMAGE else None
            note = "FotoStation thumbnail" if kind == 3 else "FotoStation preview image"
            out.embedded.append(Embedded("thumbnail", start, body, note, data,
                                         {"source": "FotoStation"}))
        stop = start


def _metadata_trailer(f: BinaryIO, pos: int, end: int) -> str | None:
    head, tail = read_at(f, pos, 8), read_at(f, max(pos, end - 16), min(16, end - pos))
    if head[:4] in (b"AXS!", b"AXS*") or b"AXS!" in tail or b"AXS*" in tail:
        return "AFCP metadata trailer (IPTC)"
    if tail.endswith(b"cbipcbbl"):
        return "Photo Mechanic metadata trailer"
    big_tail = read_at(f, max(pos, end - 64), min(64, end - pos))
    if b"CANON OPTIONAL DATA\x00" in big_tail:
        return "Canon recipe data (VRD) trailer"
    if tail.endswith(b"QDIOBS"):
        return "Samsung trailer"
    if tail.endswith(b"8db42d694ccc418790edff439fe026bf"):
        return "Insta360 trailer"
    if tail.endswith(b"/NIKON APP"):
        return "Nikon app trailer"
    if head[:4] in (b"~\x10\x04\x00", b"~\x18\x04\x00") or b"MIE" in head[:8]:
        return "MIE metadata trailer"
    if tail.endswith(_FOTOSTATION):
        return "FotoStation metadata trailer"
    return None


def _padding_run(f: BinaryIO, pos: int, end: int) -> int:
    """Length of the 0x00/0xFF run at ``pos`` (within 1 MB), leaving a JPEG's FF D8 FF alone."""
    chunk = read_at(f, pos, min(end - pos, 1 << 20))
    run = len(chunk) - len(chunk.lstrip(b"\x00\xff"))
    if 0 < run < len(chunk) and chunk[run - 1] == 0xFF and chunk[run : run + 2] == b"\xd8\xff":
        run -= 1
    box = chunk.find(b"ftyp", run, run + 8)  # a box size's leading zeros are not padding
    if box >= 4 and box - 4 < run:
        run = box - 4
    return run


def _leftover_or_unknown(out: Trailer, f: BinaryIO, pos: int, end: int) -> None:
    tail = read_at(f, max(pos, end - 4096), min(4096, end - pos)).rstrip(b"\x00")
    length = end - pos
    if tail.endswith(b"\xff\xd9"):
        note = "leftover image data after the end of the picture (an uncropped original?)"
        out.blocks.append(Block("leftover", "trailer", pos, length, True, note))
        detail = {"bytes": length}
        out.embedded.append(Embedded("cropped_leftover", pos, length, note, None, detail))
        return
    note = f"{length} bytes of unknown data after the end of the image"
    out.blocks.append(Block("trailer", "trailer", pos, length, False, note))
    out.embedded.append(Embedded("trailer", pos, length, note, None, {"bytes": length}))


def classify(
    f: BinaryIO,
    offset: int,
    length: int,
    *,
    known_images: dict[int, int] | None = None,
    jpeg_end: JpegEnd | None = None,
) -> Trailer:
    """Classify ``[offset, offset + length)`` of ``f`` (the bytes after the image end).

    Args:
        known_images: {absolute offset: length} of images already reported (MPF entries).
        jpeg_end: finds the end of an appended JPEG (supplied by the JPEG handler).

    Never raises for malformed data; only OSError from reading ``f``.
    """
    out = Trailer()
    end = offset + length
    known = known_images or {}
    samsung_start = _samsung(out, f, offset, end)
    if samsung_start is not None:
        end = samsung_start
    pos = offset
    for _ in range(_MAX_PIECES):
        if pos >= end:
            break
        if pos in known and known[pos] > 0:
            stop = min(end, pos + known[pos])
            out.blocks.append(Block("MPF image", "image", pos, stop - pos, True, "MPF image"))
            pos = stop
            continue
        head = read_at(f, pos, 16)
        starts_known = head[:3] == b"\xff\xd8\xff" or head[4:8] == b"ftyp"
        if head[:1] in (b"\x00", b"\xff") and not starts_known:
            skip = _padding_run(f, pos, end)
            if pos + skip >= end:
                out.blocks.append(Block("padding", "trailer", pos, end - pos, True, "padding"))
                break
            if skip:
                out.blocks.append(Block("padding", "trailer", pos, skip, True, "padding"))
                pos += skip
                continue
        if head[:3] == b"\xff\xd8\xff":
            found = jpeg_end(f, pos, end) if jpeg_end else None
            stop = found or end
            size = stop - pos
            data = read_at(f, pos, size) if size <= MAX_KEPT_IMAGE else None
            note = "another JPEG image appended after the picture"
            out.blocks.append(Block("JPEG", "trailer", pos, size, True, note))
            out.embedded.append(Embedded("trailer", pos, size, note, data, {"bytes": size}))
            pos = stop
            continue
        if head[4:8] == b"ftyp":
            pos = _movie(out, f, pos, end, "motion photo video")
            continue
        label = _metadata_trailer(f, pos, end)
        if label is not None:
            if label.startswith("AFCP"):
                _afcp(out, f, pos, end)
            elif label.startswith("FotoStation"):
                _fotostation(out, f, pos, end)
            out.blocks.append(Block("trailer", "trailer", pos, end - pos, True, label))
            out.embedded.append(Embedded("trailer", pos, end - pos, label, None, {}))
            break
        _leftover_or_unknown(out, f, pos, end)
        break
    else:
        out.warnings.append("too many pieces after the image end; the rest was not read")
    out.blocks.sort(key=lambda b: b.offset)
    return out
