"""A track's sample tables as chunks: (file offset, byte length) of each ``stco``/``co64`` entry.

A chunk is a run of consecutive samples; its length is the sum of its samples' sizes
(``stsc`` says how many samples each chunk holds, ``stsz``/``stz2`` how big each is). The
cleaner copies chunks byte for byte and the proof compares them, so both use this one reader.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.isobmff import Box, Reader, iter_boxes

#: Most chunks / samples per track (a 10-hour 60 fps recording has ~2.2 million samples).
MAX_ENTRIES = 10_000_000


@dataclass(frozen=True, slots=True)
class Chunks:
    """Where a track's chunks are and how long each is; ``offset_box`` is stco or co64."""

    offsets: array
    sizes: list[int]
    offset_box: Box


def _child(buf: bytes, parent: Box, kind: str, depth: int) -> Box | None:
    return next((b for b in iter_boxes(buf, parent.body, parent.end, depth) if b.type == kind),
                None)


def stbl_of(buf: bytes, trak: Box) -> Box:
    """The trak/mdia/minf/stbl box.

    Raises:
        CorruptFile: a level is missing.
    """
    box: Box | None = trak
    for depth, kind in enumerate(("mdia", "minf", "stbl"), 2):
        box = _child(buf, box, kind, depth) if box else None
    if box is None:
        raise CorruptFile("a track has no sample table")
    return box


def _uints(buf: bytes, at: int, count: int, width: int, what: str) -> array:
    """``count`` big-endian unsigned ints of ``width`` bytes at ``at`` (bounded)."""
    if count > MAX_ENTRIES:
        raise CorruptFile(f"the '{what}' table is too large ({count} entries)")
    raw = buf[at : at + count * width]
    if len(raw) != count * width:
        raise CorruptFile(f"the '{what}' table is truncated")
    out = array({2: "H", 4: "I", 8: "Q"}[width], raw)
    if out.itemsize != width:  # true on every platform we run on; be explicit
        raise CorruptFile("unsupported integer width")
    if sys.byteorder == "little":
        out.byteswap()
    return out


def read_chunks(buf: bytes, trak: Box, sample_bytes: tuple[int, int] | None = None) -> Chunks:
    """The chunks of one track in the ``moov`` buffer ``buf``.

    ``sample_bytes`` = (bytes per frame, samples per packet) for QuickTime sound tracks whose
    ``stsz`` counts single audio frames (sample size 1); see :func:`pcm_bytes`.

    Raises:
        CorruptFile: tables missing, truncated or inconsistent (more samples than stsz has).
    """
    stbl = stbl_of(buf, trak)
    boxes = {b.type: b for b in iter_boxes(buf, stbl.body, stbl.end, 5)}
    co = boxes.get("stco") or boxes.get("co64")
    stsc = boxes.get("stsc")
    if co is None or stsc is None:
        raise CorruptFile("a track has no chunk table (stco/co64/stsc)")
    width = 4 if co.type == "stco" else 8
    r = Reader(buf, co.body + 4, co.end, co.type)
    offsets = _uints(buf, co.body + 8, r.uint(4), width, co.type)
    per_chunk = _samples_per_chunk(buf, stsc, len(offsets))
    uniform, sizes = _sample_sizes(buf, boxes)
    if uniform:
        if uniform == 1 and sample_bytes:
            per_frame, per_packet = sample_bytes
            chunk_sizes = [n * per_frame // per_packet for n in per_chunk]
        else:
            chunk_sizes = [n * uniform for n in per_chunk]
        return Chunks(offsets, chunk_sizes, co)
    needed = sum(per_chunk)
    if needed > len(sizes):
        raise CorruptFile(f"the chunk table needs {needed} samples, the size table has "
                          f"{len(sizes)}")
    chunk_sizes = []
    at = 0
    for n in per_chunk:  # sums of array slices run in C and hold 4 bytes per sample
        chunk_sizes.append(sum(sizes[at : at + n]))
        at += n
    return Chunks(offsets, chunk_sizes, co)


def _samples_per_chunk(buf: bytes, stsc: Box, chunks: int) -> array:
    r = Reader(buf, stsc.body + 4, stsc.end, "stsc")
    count = r.uint(4)
    table = _uints(buf, stsc.body + 8, count * 3, 4, "stsc")
    out = array("I")
    for i in range(count):
        first, n = table[3 * i], table[3 * i + 1]
        last = table[3 * i + 3] - 1 if i + 1 < count else chunks
        if first < 1 or last < first - 1 or first - 1 != len(out) or n > MAX_ENTRIES:
            raise CorruptFile("the sample-to-chunk table (stsc) is inconsistent")
        out.extend(array("I", [n]) * (min(last, chunks) - first + 1))
    if len(out) != chunks:
        raise CorruptFile("the sample-to-chunk table (stsc) does not cover every chunk")
    return out


def _sample_sizes(buf: bytes, boxes: dict[str, Box]) -> tuple[int, array]:
    """(uniform size or 0, per-sample sizes) from stsz or stz2."""
    stsz = boxes.get("stsz")
    if stsz is not None:
        r = Reader(buf, stsz.body + 4, stsz.end, "stsz")
        uniform, count = r.uint(4), r.uint(4)
        if uniform:  # every sample that size: no per-sample table (the caller reads none)
            return uniform, array("I")
        return 0, _uints(buf, stsz.body + 12, count, 4, "stsz")
    stz2 = boxes.get("stz2")
    if stz2 is None:
        raise CorruptFile("a track has no sample size table")
    r = Reader(buf, stz2.body + 4, stz2.end, "stz2")
    r.uint(3)
    field, count = r.uint(1), r.uint(4)
    if field == 16:
        return 0, _uints(buf, stz2.body + 12, count, 2, "stz2")
    if field == 8:
        sizes = array("B", buf[stz2.body + 12 : stz2.body + 12 + count])
        if len(sizes) != count:
            raise CorruptFile("the 'stz2' table is truncated")
        return 0, sizes
    raise Unsupported(f"4-bit compact sample sizes are not supported (stz2 field {field})")


def pcm_bytes(buf: bytes, trak: Box) -> tuple[int, int] | None:
    """(bytes per frame, samples per packet) of a QuickTime sound description v0/v1, else None.

    Old QuickTime sound tracks (PCM, IMA4) list every audio frame as a 1-byte "sample"; the
    real chunk length comes from the sound description.
    """
    stbl = stbl_of(buf, trak)
    stsd = _child(buf, stbl, "stsd", 5)
    if stsd is None or stsd.end - stsd.body < 16 + 28:
        return None
    entry = stsd.body + 8
    r = Reader(buf, entry + 8 + 8, stsd.end, "stsd")  # size, format, reserved, dref index
    version = r.uint(2)
    r.uint(6)  # revision, vendor
    channels, bits = r.uint(2), r.uint(2)
    r.uint(8)  # compression id, packet size, sample rate
    if version == 1:
        per_packet, _bytes_per_packet, per_frame = r.uint(4), r.uint(4), r.uint(4)
        if per_packet and per_frame:
            return per_frame, per_packet
        return None
    if version == 0 and channels and bits and bits % 8 == 0:
        return channels * bits // 8, 1
    return None
