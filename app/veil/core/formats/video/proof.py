"""Prove a cleaned movie plays exactly like its source: same tracks, same sample tables, and
every chunk of every track holding the source's bytes (read back from both files, streamed).

This reads the output's own ``moov`` afresh (nothing is taken from the cleaner's memory), so
a wrong offset, a lost chunk or a changed table is caught before the copy gets its name.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.isobmff import iter_boxes
from veil.core.formats.video.chunks import Chunks, stbl_of
from veil.core.formats.video.clean import Source, kept_tracks, load, track_chunks
from veil.core.formats.video.movie import Track
from veil.core.formats.video.rebuild import neutral_stsd

#: Sample-table boxes that must be byte-identical (stco/co64 move, stsd's name is blanked).
_SAME_TABLES = ("stts", "ctts", "stss", "stsc", "stsz", "stz2", "sdtp", "sbgp", "sgpd", "cslg")
_PIECE = 1 << 20


def _tables(buf: bytes, track: Track) -> dict[str, bytes]:
    stbl = stbl_of(buf, track.box)
    out = {}
    for box in iter_boxes(buf, stbl.body, stbl.end, 5):
        if box.type == "stsd":
            out[box.type] = neutral_stsd(buf, box, track.role)
        elif box.type in _SAME_TABLES:
            out[box.type] = bytes(buf[box.body : box.end])
    return out


def _same_bytes(a: BinaryIO, a_at: int, b: BinaryIO, b_at: int, length: int) -> bool:
    while length > 0:
        n = min(length, _PIECE)
        a.seek(a_at)
        b.seek(b_at)
        if a.read(n) != b.read(n):
            return False
        a_at, b_at, length = a_at + n, b_at + n, length - n
    return True


def samples_identical(source: Path, out: Path) -> str | None:
    """None when ``out``'s tracks are the source's kept tracks, sample for sample; else why not.

    Never raises for a broken file: a reason is returned instead.
    """
    try:
        with open(source, "rb") as fs, open(out, "rb") as fo:
            src = load(fs, fs.seek(0, 2))
            dst = load(fo, fo.seek(0, 2))
            return _compare(src, fs, dst, fo)
    except (CorruptFile, Unsupported, OSError) as exc:
        return f"the copy's samples could not be compared: {exc}"


def _compare(src: Source, fs: BinaryIO, dst: Source, fo: BinaryIO) -> str | None:
    want = kept_tracks(src.movie)
    got = dst.movie.tracks
    if [(t.track_id, t.role) for t in want] != [(t.track_id, t.role) for t in got]:
        return "the copy's tracks are not the original's video and sound tracks"
    for a, b in zip(want, got, strict=True):
        if _tables(src.moov, a) != _tables(dst.moov, b):
            return f"track {a.track_id}'s sample tables differ from the original's"
        ca: Chunks = track_chunks(src.moov, a)
        cb: Chunks = track_chunks(dst.moov, b)
        if ca.sizes != cb.sizes:
            return f"track {a.track_id}'s chunks differ in size from the original's"
        for oa, ob, size in zip(ca.offsets, cb.offsets, ca.sizes, strict=True):
            if ob + size > dst.size or not _same_bytes(fs, int(oa), fo, int(ob), size):
                return f"track {a.track_id}'s samples at offset {int(ob)} are not the original's"
    return None
