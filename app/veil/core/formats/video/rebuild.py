"""Rebuild ``moov`` by allowlist for :mod:`.clean`: kept tracks only, times zeroed, handler
names and compressor names blanked, chunk offsets pointing into the new media data."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from sys import byteorder

from veil.core.formats.isobmff import Box, iter_boxes
from veil.core.formats.video.chunks import Chunks
from veil.core.formats.video.clean import (
    _MDIA_KEEP,
    _MINF_KEEP,
    _MOOV_KEEP,
    _STBL_KEEP,
    _TRAK_KEEP,
    Layout,
)
from veil.core.formats.video.movie import AUDIO, VIDEO, Movie, Track

#: What a dropped box is called in the export's "removed" list.
_REMOVED_WORDS = {"udta": "QuickTime user data (udta)", "meta": "QuickTime metadata (meta)",
                  "uuid": "uuid metadata box", "XMP_": "XMP"}
_TRACK_WORDS = {"telemetry": "telemetry track", "text": "text track", "timecode": "timecode track",
                "timed": "metadata track", "other": "unknown track"}


@dataclass(slots=True)
class Rebuilt:
    """The new moov bytes and what was left out, in words."""

    data: bytes = b""
    removed: list[str] = field(default_factory=list)


def _box(kind: str, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind.encode("latin-1")) + payload


def _verbatim(buf: bytes, box: Box) -> bytes:
    return bytes(buf[box.offset : box.end])


def _zero_times(buf: bytes, box: Box) -> bytes:
    """A mvhd/tkhd/mdhd copy whose creation and modification times are 0."""
    out = bytearray(buf[box.offset : box.end])
    at = box.header + 4
    n = 16 if out[box.header] == 1 else 8
    out[at : at + n] = bytes(n)
    return bytes(out)


def _blank_hdlr(buf: bytes, box: Box) -> bytes:
    """hdlr with an empty name (a single 0: an empty C string and an empty Pascal string)."""
    return _box("hdlr", bytes(buf[box.body : box.body + 24]) + b"\0")


def neutral_stsd(buf: bytes, box: Box, role: str) -> bytes:
    """A copy of ``stsd`` whose sample entries name no encoder: the vendor code ("appl",
    "FFmp") of video and sound entries and the free-text compressor name of video entries
    are zeroed. Neither is read by decoders (ISO sound entries have zeros there anyway)."""
    data = bytearray(buf[box.offset : box.end])
    if role not in (VIDEO, AUDIO):
        return bytes(data)
    for entry in iter_boxes(buf, box.body + 8, box.end, 6):
        at = entry.offset - box.offset
        if entry.size >= 24:
            data[at + 20 : at + 24] = bytes(4)
        if role == VIDEO and entry.size >= 86:
            data[at + 50 : at + 82] = bytes(32)
    return bytes(data)


def rebuild_moov(buf: bytes, movie: Movie, kept: list[Track], tables: list[Chunks],
                 layout: Layout, data_start: int, wide: bool) -> Rebuilt:
    """The cleaned ``moov``; chunk offsets are ``data_start`` + their place in the new mdat.

    ``wide`` writes every chunk table as ``co64`` (a copy past 4 GB).
    """
    out = Rebuilt()
    by_offset = {t.box.offset: (t, c) for t, c in zip(kept, tables, strict=True)}
    kept_ids = {t.track_id for t in kept}
    parts: list[bytes] = []
    for child in iter_boxes(buf, 8, len(buf), 1):
        if child.type == "trak":
            entry = by_offset.get(child.offset)
            if entry is None:
                track = next(t for t in movie.tracks if t.box.offset == child.offset)
                out.removed.append(_TRACK_WORDS.get(track.role, "unknown track"))
                continue
            ctx = _Track(buf, entry[0], entry[1], layout, data_start, wide, kept_ids, out)
            parts.append(ctx.trak(child))
        elif child.type == "mvhd":
            parts.append(_zero_times(buf, child))
        elif child.type in _MOOV_KEEP:
            parts.append(_verbatim(buf, child))
        else:
            out.removed.append(_REMOVED_WORDS.get(child.type, f"'{child.type}' box"))
    out.data = _box("moov", b"".join(parts))
    return out


@dataclass(slots=True)
class _Track:
    buf: bytes
    track: Track
    chunks: Chunks
    layout: Layout
    data_start: int
    wide: bool
    kept_ids: set[int]
    out: Rebuilt

    def _level(self, box: Box, keep: frozenset[str], depth: int) -> bytes:
        parts: list[bytes] = []
        for child in iter_boxes(self.buf, box.body, box.end, depth):
            special = getattr(self, f"_{child.type}", None)
            if special is not None and child.type in keep:
                parts.append(special(child, depth + 1))
            elif child.type in keep:
                parts.append(_verbatim(self.buf, child))
            else:
                self.out.removed.append(_REMOVED_WORDS.get(child.type, f"'{child.type}' box"))
        return _box(box.type, b"".join(parts))

    def trak(self, box: Box) -> bytes:
        return self._level(box, _TRAK_KEEP, 2)

    def _tkhd(self, box: Box, depth: int) -> bytes:
        return _zero_times(self.buf, box)

    def _mdhd(self, box: Box, depth: int) -> bytes:
        return _zero_times(self.buf, box)

    def _hdlr(self, box: Box, depth: int) -> bytes:
        return _blank_hdlr(self.buf, box)

    def _mdia(self, box: Box, depth: int) -> bytes:
        return self._level(box, _MDIA_KEEP, depth)

    def _minf(self, box: Box, depth: int) -> bytes:
        return self._level(box, _MINF_KEEP, depth)

    def _stbl(self, box: Box, depth: int) -> bytes:
        return self._level(box, _STBL_KEEP, depth)

    def _tref(self, box: Box, depth: int) -> bytes:
        """Only references to tracks that stay (a dropped timecode/chapter track goes)."""
        parts = []
        for ref in iter_boxes(self.buf, box.body, box.end, depth):
            ids = [i for (i,) in struct.iter_unpack(">I", self.buf[ref.body : ref.end][
                : (ref.end - ref.body) // 4 * 4]) if i in self.kept_ids]
            if ids:
                parts.append(_box(ref.type, struct.pack(f">{len(ids)}I", *ids)))
        return _box("tref", b"".join(parts)) if parts else b""

    def _stsd(self, box: Box, depth: int) -> bytes:
        return neutral_stsd(self.buf, box, self.track.role)

    def _stco(self, box: Box, depth: int) -> bytes:
        return self._offsets()

    def _co64(self, box: Box, depth: int) -> bytes:
        return self._offsets()

    def _offsets(self) -> bytes:
        from array import array

        base = self.data_start
        new = [base + self.layout.new_offset(int(o)) if s else base
               for o, s in zip(self.chunks.offsets, self.chunks.sizes, strict=True)]
        table = array("Q" if self.wide else "I", new)
        if byteorder == "little":
            table.byteswap()
        head = struct.pack(">II", 0, len(new))
        return _box("co64" if self.wide else "stco", head + table.tobytes())
