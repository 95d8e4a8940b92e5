"""WebP container handler (RIFF chunks: VP8/VP8L/VP8X/ALPH/ANIM/ANMF/ICCP/EXIF/"XMP ").

Reading walks every chunk header inside the RIFF size (checked against the file size), reads
only metadata chunks and the first bytes of the bitstream (for width and height), and walks
the sub-chunks of animation frames. Bytes after the RIFF end are reported as a trailer.
Cleaning is in :mod:`veil.core.formats.webp_clean`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats.base import (
    MAX_BLOCK,
    CleanOutcome,
    ContainerScan,
    ImageFormat,
)
from veil.core.formats.builder import FILE_ENDS_IN_PICTURE, MAX_TOTAL, ScanBuilder
from veil.core.formats.byteio import read_at
from veil.core.formats.png_trailer import after_end
from veil.core.metadata.appdata import JUMBF_NOTE
from veil.core.model import ExportOptions

#: Chunks that hold the picture or its layout, with a short description.
STRUCTURE = {"VP8X": "extended format header", "VP8 ": "lossy image data",
             "VP8L": "lossless image data", "ALPH": "alpha channel", "ANIM": "animation header",
             "ANMF": "animation frame"}
METADATA = {"ICCP": "icc", "EXIF": "exif", "XMP ": "xmp"}
#: More chunks than this is hostile (each costs at least 8 bytes).
MAX_CHUNKS = 100_000
_FRAME_HEADER = 16  # ANMF: x, y, w-1, h-1 (24 bits each), duration (24), flags (8)


@dataclass(frozen=True, slots=True)
class RiffChunk:
    """One chunk header: ``offset`` points at the fourcc; ``size`` excludes header and pad."""

    fourcc: str
    offset: int
    size: int

    @property
    def data_offset(self) -> int:
        """Where the chunk data starts."""
        return self.offset + 8


@dataclass(slots=True)
class RiffWalk:
    """The chunks of one RIFF level, where the RIFF ends, and what went wrong."""

    chunks: list[RiffChunk] = field(default_factory=list)
    end: int = 0
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False


def walk_riff(f: BinaryIO, size: int) -> RiffWalk:
    """Check the RIFF/WEBP header and walk the top-level chunk headers.

    Raises:
        CorruptFile: not a RIFF WEBP file, or its first chunk is unreadable.
    """
    f.seek(0)
    head = f.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        raise CorruptFile("not a WebP file (bad RIFF header)")
    end = 8 + struct.unpack("<I", head[4:8])[0]
    walk = RiffWalk(end=min(end, size))
    if end > size:
        walk.truncated = True
        walk.warnings.append(f"the WebP is truncated: its header says {end} bytes, "
                             f"the file has {size}")
    walk.chunks, problem = walk_chunks(f, 12, walk.end)
    if problem and walk.truncated:
        problem = _salvage_cut_chunk(f, walk) or problem
    if problem:
        walk.truncated = True
        walk.warnings.append(problem)
    if not walk.chunks:
        raise CorruptFile("the WebP has no readable chunk")
    return walk


def _salvage_cut_chunk(f: BinaryIO, walk: RiffWalk) -> str | None:
    """When the file ends inside an EXIF or XMP chunk, keep the part that is there (what
    comes before damage is reported); inside the picture (a bitstream, alpha or animation
    frame), keep the part that is there too, so its size is still read and the note says
    the picture is incomplete. The cleaner refuses a truncated file. Returns the problem
    to report instead, or None when nothing was salvaged."""
    last = walk.chunks[-1] if walk.chunks else None
    pos = last.offset + 8 + last.size + (last.size & 1) if last else 12
    head = read_at(f, pos, 8)
    if len(head) < 8 or head[:4] not in _SALVAGED or walk.end - pos <= 8:
        return None
    fourcc = head[:4].decode("ascii")
    walk.chunks.append(RiffChunk(fourcc, pos, walk.end - pos - 8))
    if fourcc in METADATA:
        return f"the file ends inside the {fourcc.strip()} block; the rest could not be read"
    return FILE_ENDS_IN_PICTURE


#: Chunks whose first part is still read when the file ends inside them.
_SALVAGED = (b"EXIF", b"XMP ", b"VP8 ", b"VP8L", b"ALPH", b"ANMF")


def walk_chunks(f: BinaryIO, start: int, end: int) -> tuple[list[RiffChunk], str | None]:
    """Chunk headers between ``start`` and ``end``; a problem description or None."""
    chunks: list[RiffChunk] = []
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        head = f.read(8)
        raw, size = head[:4], struct.unpack("<I", head[4:8])[0]
        if not all(32 <= c < 127 for c in raw):
            return chunks, f"unreadable chunk header at byte {pos}; the rest was not read"
        fourcc = raw.decode("ascii")
        if pos + 8 + size > end:
            return chunks, f"chunk {fourcc!r} at byte {pos} claims more bytes than there are"
        chunks.append(RiffChunk(fourcc, pos, size))
        if len(chunks) >= MAX_CHUNKS:
            return chunks, f"more than {MAX_CHUNKS} chunks; the rest was not read"
        pos += 8 + size + (size & 1)
    if pos < end and end - pos > 1:
        # A missing final pad byte is common and harmless; anything longer is not.
        return chunks, f"{end - pos} stray bytes at the end of the WebP data"
    return chunks, None


def read_data(f: BinaryIO, chunk: RiffChunk, limit: int | None = None) -> bytes:
    """The chunk's data (or its first ``limit`` bytes)."""
    return read_at(f, chunk.data_offset, chunk.size if limit is None else min(limit, chunk.size))


def vp8_size(fourcc: str, data: bytes) -> tuple[int, int] | None:
    """Width and height from the start of a VP8 / VP8L bitstream."""
    if fourcc == "VP8 " and len(data) >= 10 and data[3:6] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", data[6:10])
        return w & 0x3FFF, h & 0x3FFF
    if fourcc == "VP8L" and len(data) >= 5 and data[0] == 0x2F:
        bits = struct.unpack("<I", data[1:5])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


class Webp(ImageFormat):
    """Google WebP, simple, extended and animated."""

    name: ClassVar[str] = "webp"
    extensions: ClassVar[tuple[str, ...]] = (".webp",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for a RIFF header of form type WEBP."""
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the RIFF chunks and collect the metadata payloads.

        Raises:
            CorruptFile: not a RIFF WEBP file, or no readable chunk.
        """
        walk = walk_riff(f, size)
        out = _Found(warnings=list(walk.warnings), complete=not walk.truncated,
                     budget=MAX_TOTAL)
        for chunk in walk.chunks:
            _chunk(f, chunk, out)
        if walk.end < size:
            out.add_found(after_end(f, walk.end, size, "webp"))
        width, height = out.canvas or out.dims or (None, None)
        return out.freeze("webp", width, height)

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Rebuild the RIFF from allowlisted chunks (see :mod:`webp_clean`).

        Raises:
            CorruptFile: the source is truncated or broken.
            Unsupported: redacting an animated WebP.
        """
        from veil.core.formats.webp_clean import write_clean

        return write_clean(src, dst, options, pixels)


@dataclass(slots=True)
class _Found(ScanBuilder):
    """The shared collector plus the budget and the two places WebP states its size."""

    # Every problem is listed, repeated ones too (as the WebP reader always did).
    dedupe_warnings: ClassVar[bool] = False

    budget: int = 0  # metadata bytes we may still read
    dims: tuple[int, int] | None = None  # from the first bitstream header
    canvas: tuple[int, int] | None = None  # from VP8X


def _chunk(f: BinaryIO, chunk: RiffChunk, out: _Found) -> None:
    """Add one top-level chunk as a block; a problem is a warning (scan incomplete)."""
    fourcc, length = chunk.fourcc, chunk.size + 8 + (chunk.size & 1)
    if fourcc == "C2PA":  # a manifest store; who and where it names: metadata.c2pa
        out.c2pa = True
        out.add_block(fourcc, "c2pa", chunk.offset, length, True, "C2PA manifest store")
        if chunk.size <= min(MAX_BLOCK, out.budget):
            out.budget -= chunk.size
            out.maker_data.append((fourcc, JUMBF_NOTE, chunk.data_offset, read_data(f, chunk)))
        return
    if fourcc in STRUCTURE:
        note = STRUCTURE[fourcc]
        if fourcc == "VP8X":
            data = read_data(f, chunk, 10)
            if len(data) < 10:
                out.warn("the VP8X header is too short")
                out.add_block(fourcc, "structure", chunk.offset, length, False, note)
                return
            w = 1 + int.from_bytes(data[4:7], "little")
            h = 1 + int.from_bytes(data[7:10], "little")
            out.canvas = (w, h)
            note = f"{note} (flags 0x{data[0]:02x})"
        elif fourcc in ("VP8 ", "VP8L") and out.dims is None:
            out.dims = vp8_size(fourcc, read_data(f, chunk, 16))
        elif fourcc == "ANMF":
            _frame(f, chunk, out)
            return
        kind = "image" if fourcc in ("VP8 ", "VP8L", "ALPH") else "structure"
        out.add_block(fourcc, kind, chunk.offset, length, True, note)
        return
    if fourcc in METADATA:
        kind = METADATA[fourcc]
        if chunk.size > min(MAX_BLOCK, out.budget):
            out.warn(f"the {fourcc.strip()} chunk is too large to read")
            out.add_block(fourcc, kind, chunk.offset, length, False, "too large to read")
            return
        out.budget -= chunk.size
        data = read_data(f, chunk)
        if kind == "exif":
            if not out.add_exif(data):
                out.warn("the EXIF chunk has no valid TIFF header")
                out.add_block(fourcc, kind, chunk.offset, length, False, "EXIF")
                return
        elif kind == "xmp":
            out.xmp.append(data)
        else:
            out.icc = out.icc or data
        out.add_block(fourcc, kind, chunk.offset, length, True, fourcc.strip())
        return
    out.warn(f"unknown chunk {fourcc!r} ({chunk.size} bytes) was not understood")
    out.add_block(fourcc, "unknown", chunk.offset, length, False, "unknown chunk")


def _frame(f: BinaryIO, chunk: RiffChunk, out: _Found) -> None:
    """An animation frame: its sub-chunks must be image data only."""
    length = chunk.size + 8 + (chunk.size & 1)
    problem: str | None = None
    if chunk.size < _FRAME_HEADER:
        problem = "an animation frame (ANMF) is too short"
    else:
        start = chunk.data_offset + _FRAME_HEADER
        subs, problem = walk_chunks(f, start, chunk.data_offset + chunk.size)
        others = sorted({s.fourcc for s in subs if s.fourcc not in ("ALPH", "VP8 ", "VP8L")})
        if not problem and others:
            problem = f"an animation frame holds unknown chunks {others}"
    if problem:
        out.warn(problem)
    out.add_block("ANMF", "image", chunk.offset, length, not problem, "animation frame")
