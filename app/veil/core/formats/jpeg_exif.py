"""EXIF in JPEG APP1 segments, including EXIF split across several segments.

One APP1 holds at most ~64 KB, so some writers split a large EXIF block: every part repeats
the "Exif\\0\\0" header but only the first starts with a TIFF header. Pillow and ExifTool
stitch the parts together ("File contains multi-segment EXIF"), so values that cross the
boundary - or lie wholly in a later part - are read; Veil does the same. An APP1 that starts
its own TIFF header is a separate EXIF block with its own entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from veil.core.formats.base import MAX_BLOCK, Block, Embedded
from veil.core.formats.jpeg_app import EXIF_SIG, MAX_THUMB
from veil.core.formats.jpeg_walk import Segment
from veil.core.formats.tiffwalk import bytes_reader, entry_ints, parse_header, walk_tiff

_EXIF_HEAD = 10  # marker (2) + length (2) + "Exif\0" + pad byte: where the TIFF block starts


@dataclass(frozen=True, slots=True)
class ExifRun:
    """One EXIF block as decoders see it: a TIFF block, maybe stitched from several APP1s.

    Attributes:
        tiff: the TIFF-structured bytes (header first).
        pieces: (offset in ``tiff``, file offset of that byte) for each APP1 part, in order.
        first: file offset of the first APP1 segment.
    """

    tiff: bytes
    pieces: tuple[tuple[int, int], ...]
    first: int

    def file_offset(self, rel: int) -> int:
        """File offset of byte ``rel`` of :attr:`tiff` (a range may go on in a later part)."""
        start, at = self.pieces[0]
        for piece_start, piece_at in self.pieces[1:]:
            if piece_start > rel:
                break
            start, at = piece_start, piece_at
        return at + rel - start


def is_exif_app1(seg: Segment) -> bool:
    """True for an APP1 segment with the "Exif\\0" signature."""
    return seg.marker == 0xE1 and seg.payload.startswith(EXIF_SIG)


def exif_runs(segments: Iterable[Segment]) -> tuple[list[ExifRun], list[str]]:
    """Every EXIF block in the APP1 segments, continuation parts stitched on.

    Returns:
        The blocks in file order, and warnings (a part with no TIFF header and nothing
        before it to continue; a block stitched past ``MAX_BLOCK``, whose rest is not read).
    """
    parts: list[tuple[list[bytes], list[tuple[int, int]], int]] = []
    warnings: list[str] = []
    capped = False  # the latest block hit the cap: its later parts would land at wrong offsets

    def warn(text: str) -> None:
        if text not in warnings:
            warnings.append(text)

    for seg in segments:
        if not is_exif_app1(seg):
            continue
        body = seg.payload[6:]
        at = seg.offset + _EXIF_HEAD
        if parse_header(body[:16]) is not None:
            parts.append(([body], [(0, at)], seg.offset))
            capped = False
        elif parts and not capped:  # like Pillow, a continuation extends the latest block
            chunks, pieces, _ = parts[-1]
            size = pieces[-1][0] + len(chunks[-1])
            if size + len(body) > MAX_BLOCK:
                warn("an EXIF block split over many parts is too large to read whole")
                capped = True
                continue
            pieces.append((size, at))
            chunks.append(body)
        elif not parts:
            warn("an EXIF block has no valid TIFF header")
    runs = [ExifRun(b"".join(chunks), tuple(pieces), first) for chunks, pieces, first in parts]
    return runs, warnings


def exif_contents(run: ExifRun) -> tuple[list[Embedded], list[Block], list[str]]:
    """The thumbnails an EXIF block holds (IFD1 JPEG or uncompressed strips) and its warnings.

    Returns:
        (embedded thumbnails, IFD1 thumbnail blocks, plain-words warnings).
    """
    tiff = run.tiff
    embedded: list[Embedded] = []
    blocks: list[Block] = []
    info = walk_tiff(bytes_reader(tiff), len(tiff), pages=False)
    if info is None:
        return embedded, blocks, []
    warnings = [f"EXIF: {text}" for text in info.warnings]
    ifd1 = info.ifd("IFD1")
    strips = ifd1.entries.get(0x0111) if ifd1 and not info.thumbnail else None
    if strips is not None:  # an uncompressed (TIFF) thumbnail: located, not kept
        offs = entry_ints(bytes_reader(tiff), info, strips, 1)
        if offs and offs[0] < len(tiff):
            embedded.append(Embedded("thumbnail", run.file_offset(offs[0]), 0,
                                     "uncompressed EXIF thumbnail", None,
                                     {"source": "EXIF IFD1"}))
    if info.thumbnail:
        off, length = info.thumbnail
        data = tiff[off : off + length] if length <= MAX_THUMB else None
        at = run.file_offset(off)
        embedded.append(Embedded("thumbnail", at, length, "EXIF thumbnail", data,
                                 {"source": "EXIF IFD1"}))
        blocks.append(Block("IFD1", "thumbnail", at, length, True, "EXIF IFD1 JPEG thumbnail"))
    return embedded, blocks, warnings


def first_orientation(runs: Sequence[ExifRun]) -> int | None:
    """IFD0 Orientation (1..8) of the *first* EXIF block, or None.

    Pillow, browsers and ExifTool take the first EXIF block; a later block's orientation is
    not applied, so it must not be carried into a cleaned copy either.
    """
    if not runs:
        return None
    info = walk_tiff(bytes_reader(runs[0].tiff), len(runs[0].tiff), pages=False)
    return info.orientation if info is not None else None
