"""Lossless clean copy of a movie: ftyp + rebuilt moov + the kept tracks' chunks.

The copy keeps only what playback needs: the video and sound tracks with their sample
descriptions, timing, sync and edit tables, rotation matrix and colour boxes. Everything else
goes: ``udta``, ``meta``, XMP and ``uuid`` boxes at every level, telemetry/text/timecode
tracks *and their samples*, padding and unknown boxes, bytes in ``mdat`` no kept track uses.
Creation/modification times in mvhd/tkhd/mdhd become 0 and handler names empty.

Samples are never decoded: each kept chunk is copied byte for byte (streamed, adjacent chunks
in one run), and ``stco``/``co64`` are rewritten for the new layout, ``moov`` first.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.base import CleanOutcome
from veil.core.formats.byteio import copy_range, read_exact
from veil.core.formats.isobmff import iter_file_boxes
from veil.core.formats.video.chunks import Chunks, pcm_bytes, read_chunks
from veil.core.formats.video.movie import (
    AUDIO,
    MDIA_PLAIN,
    MINF_PLAIN,
    OTHER,
    STBL_PLAIN,
    TRAK_PLAIN,
    VIDEO,
    Movie,
    Track,
    parse_moov,
)
from veil.core.formats.video.read import MAX_MOOV

#: A copy whose chunk offsets may pass this gets co64 tables (32-bit stco would wrap).
WIDE_OFFSETS_AT = 0xFFFF_FF00
#: Media data at least this long gets a 64-bit mdat size.
LARGE_MDAT_AT = 0xFFFF_FFFF - 8
_MOOV_KEEP = frozenset({"mvhd", "iods", "trak"})
_TRAK_KEEP = TRAK_PLAIN - {"free", "skip", "load"}
_MDIA_KEEP = MDIA_PLAIN - {"free"}
_MINF_KEEP = MINF_PLAIN - {"free"}
_STBL_KEEP = STBL_PLAIN - {"free"}


@dataclass(frozen=True, slots=True)
class Source:
    """A movie file's parts the cleaner needs: ftyp bytes, moov, media ranges."""

    ftyp: bytes
    moov: bytes
    movie: Movie
    mdats: tuple[tuple[int, int], ...]  # (body start, end) of each mdat
    size: int


def load(f: BinaryIO, size: int) -> Source:
    """Walk the top level and read ftyp and moov.

    Raises:
        CorruptFile: broken boxes, no moov, a moov larger than :data:`MAX_MOOV`.
        Unsupported: a fragmented movie.
    """
    ftyp = b""
    moov: bytes | None = None
    mdats: list[tuple[int, int]] = []
    for box in iter_file_boxes(f, 0, size):
        if box.type == "ftyp" and not ftyp and box.size <= 4096:
            ftyp = read_exact(f, box.offset, box.size, "the file type box is truncated")
        elif box.type == "moov":
            if moov is not None:
                raise CorruptFile("the file has two movie headers (moov)")
            if box.size > MAX_MOOV:
                raise CorruptFile(f"the movie header is too large ({box.size // 2**20} MB)")
            moov = read_exact(f, box.offset, box.size, "the movie header is truncated")
            if box.header != 8:  # rebuilt with an 8-byte header below
                moov = struct.pack(">I4s", box.size - box.header + 8, b"moov") + \
                    moov[box.header :]
        elif box.type == "mdat":
            mdats.append((box.body, box.end))
        elif box.type in ("moof", "mfra", "sidx", "styp"):
            raise Unsupported("fragmented movies (streaming format) can't be cleaned yet")
    if moov is None:
        raise CorruptFile("no movie header (moov): the file is cut short or not a movie")
    movie = parse_moov(moov)
    if movie.fragmented:
        raise Unsupported("fragmented movies (streaming format) can't be cleaned yet")
    return Source(ftyp, moov, movie, tuple(mdats), size)


def kept_tracks(movie: Movie) -> list[Track]:
    """The video and sound tracks (tracks of a known other kind, such as text, timecode
    or telemetry, are dropped with their samples).

    A track of a kind Veil does not know may be the picture itself under an odd handler
    (players may still show it): dropping it would lose media the user never chose to hide,
    so such a movie is refused instead.

    Raises:
        Unsupported: a track of unknown kind, a kept track's media is in another file, or
            nothing is left to keep.
    """
    unknown = [t for t in movie.tracks if t.role == OTHER]
    if unknown:
        kind = unknown[0].handler.encode("unicode_escape").decode("ascii") or "none"
        raise Unsupported(
            f"holds a track of a kind Veil does not know (handler {kind!r}); "
            "it is not cleaned so nothing is lost"
        )
    kept = [t for t in movie.tracks if t.role in (VIDEO, AUDIO)]
    if any(t.external for t in kept):
        raise Unsupported("the movie's media is stored in another file")
    if not kept:
        raise Unsupported("the movie has no video or sound track to keep")
    return kept


def track_chunks(buf: bytes, track: Track) -> Chunks:
    """The chunks of a kept track (QuickTime PCM sound counted in frames handled)."""
    per_frame = pcm_bytes(buf, track.box) if track.role == AUDIO else None
    return read_chunks(buf, track.box, per_frame)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each kept chunk goes: runs of adjacent source bytes, copied in source order."""

    runs: tuple[tuple[int, int, int], ...]  # (source offset, length, offset in new mdat)
    total: int

    def new_offset(self, offset: int) -> int:
        """Offset inside the new mdat body of the source byte at ``offset`` (a chunk start)."""
        lo, hi = 0, len(self.runs) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            start, length, dst = self.runs[mid]
            if offset < start:
                hi = mid - 1
            elif offset >= start + length:
                lo = mid + 1
            else:
                return dst + offset - start
        raise CorruptFile("a chunk offset is outside the copied media")  # cannot happen


def plan(source: Source, tables: list[Chunks]) -> Layout:
    """Runs of source bytes to copy, checked: inside an mdat, inside the file, no overlap.

    Raises:
        CorruptFile: a chunk lies outside the media data or past the end, or chunks overlap.
    """
    pieces = sorted({(int(o), s) for t in tables for o, s in zip(t.offsets, t.sizes, strict=True)
                     if s > 0})
    mdats = sorted(source.mdats)
    runs: list[list[int]] = []
    m = 0
    for offset, size in pieces:
        end = offset + size
        if end > source.size:
            raise CorruptFile(f"a media chunk at offset {offset} runs past the end of the file")
        while m < len(mdats) and mdats[m][1] <= offset:
            m += 1
        if m == len(mdats) or not mdats[m][0] <= offset or end > mdats[m][1]:
            raise CorruptFile(f"a media chunk at offset {offset} lies outside the media data")
        if runs and offset < runs[-1][0] + runs[-1][1]:
            raise CorruptFile(f"media chunks overlap at offset {offset}")
        if runs and offset == runs[-1][0] + runs[-1][1]:
            runs[-1][1] += size
        else:
            runs.append([offset, size])
    out: list[tuple[int, int, int]] = []
    at = 0
    for start, length in runs:
        out.append((start, length, at))
        at += length
    return Layout(tuple(out), at)


def write_clean(src: Path, dst: BinaryIO) -> CleanOutcome:
    """See the module docstring.

    Raises:
        Unsupported, CorruptFile: as :func:`load`, :func:`kept_tracks`, :func:`plan`.
    """
    from veil.core.formats.video.rebuild import rebuild_moov

    with open(src, "rb") as f:
        size = f.seek(0, 2)
        source = load(f, size)
        kept = kept_tracks(source.movie)
        tables = [track_chunks(source.moov, t) for t in kept]
        layout = plan(source, tables)
        # The moov's size does not depend on the offsets' values: build once to measure.
        wide = len(source.ftyp) + len(source.moov) + 16 + layout.total > WIDE_OFFSETS_AT
        probe = rebuild_moov(source.moov, source.movie, kept, tables, layout, 0, wide)
        header = 16 if layout.total >= LARGE_MDAT_AT else 8
        data_start = len(source.ftyp) + len(probe.data) + header
        moov = rebuild_moov(source.moov, source.movie, kept, tables, layout, data_start, wide)
        if len(moov.data) != len(probe.data):
            raise CorruptFile("the movie header changed size while rebuilding")  # cannot happen
        dst.write(source.ftyp)
        dst.write(moov.data)
        if header == 16:
            dst.write(struct.pack(">I4sQ", 1, b"mdat", layout.total + 16))
        else:
            dst.write(struct.pack(">I4s", layout.total + 8, b"mdat"))
        for start, length, _ in layout.runs:
            copy_range(f, dst, start, length, "the media data ends before its last chunk")
    removed = ["creation times", *moov.removed]
    if len(source.mdats) > 1 or any(length for length in _gaps(source, layout)):
        removed.append("unused media bytes")
    # The sound is copied as it is: say so, or "verified clean" reads as "nothing left".
    sound = ("sound",) if any(t.role == AUDIO for t in kept) else ()
    return CleanOutcome(removed=tuple(dict.fromkeys(removed)), kept=sound, lossless=True)


def _gaps(source: Source, layout: Layout) -> list[int]:
    """Bytes in the source's mdats that no kept chunk uses (dropped tracks, leftovers)."""
    used = layout.total
    return [max(0, sum(end - body for body, end in source.mdats) - used)]

