"""Walk the coded data a HEIF decoder reads for the primary picture, without decoding it.

The primary item and, recursively, the items it is built from (grid tiles, an ``iden``'s
source) and its alpha plane are checked: grid descriptions against their tiles, HEVC items
by :mod:`veil.core.formats.hevc_units`, AV1 items by :mod:`veil.core.formats.av1_obus`.
A 12 MP iPhone HEIC (49 items, 2 MB) takes ~1 ms; libheif's decode of it 0.3-0.7 s.

The answer has three kinds: sound (every coded byte the decoder reads is well framed),
damaged (the decoder must reject it: a NAL length past the data, a missing parameter set, a
cut-short item...), or not judged (an item coded in a way the walk does not read, such as
JPEG or uncompressed items, a protected item): the caller then decodes, as before.

Sound is not "decodes": the walk does not see the entropy-coded content (see
:mod:`veil.core.formats.hevc_units`). It is what the export relies on only together with a
proof that a copy's coded data are the original's own bytes
(:mod:`veil.core.export.heif_proof`): the copy then decodes exactly as well as the original.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass

from veil.core.errors import CorruptFile
from veil.core.formats import heif_data as hd
from veil.core.formats import heif_items as hi
from veil.core.formats import heif_props as hp
from veil.core.formats.av1_obus import parse_av1c, walk_av1
from veil.core.formats.heif import MAX_META
from veil.core.formats.hevc_units import HevcConfig, parse_hvcc, walk_hevc
from veil.core.formats.isobmff import Box, iter_boxes

__all__ = ["Coded", "coded_damage", "walk_coded", "walk_file", "walk_primary"]

#: Most items one walk visits (an iPhone grid has ~50; a 200 MP grid a few hundred).
MAX_ITEMS = 4096


@dataclass(frozen=True, slots=True)
class Coded:
    """The walk's answer: ``sound``; else ``why``, and whether the decoder must reject the
    picture (``damaged``) or the walk could not judge it (not ``damaged``)."""

    sound: bool
    why: str = ""
    damaged: bool = False


SOUND = Coded(True)


def _damaged(why: str) -> Coded:
    return Coded(False, why, True)


def _unjudged(why: str) -> Coded:
    return Coded(False, why, False)


def walk_coded(data: bytes | mmap.mmap) -> Coded:
    """Walk the primary picture of the whole HEIF file held in ``data`` (read or mapped).

    Never raises: an unreadable container is "not judged" (the audit and the decoder say
    what is wrong with it).
    """
    try:
        meta_box = None
        for box in iter_boxes(data, 0, len(data)):  # type: ignore[arg-type]
            if box.type == "meta":
                meta_box = box
                break
        if meta_box is None or meta_box.size > MAX_META:
            return _unjudged("no readable meta box")
        buf = bytes(data[meta_box.offset : meta_box.end])
        meta = hi.parse_meta(buf, Box("meta", 0, meta_box.size, meta_box.header))
    except (CorruptFile, ValueError):
        return _unjudged("the container could not be read")
    if meta.damaged or meta.primary is None:
        return _unjudged("the meta box is damaged")
    return walk_primary(meta, buf, data)


def walk_file(path: str | os.PathLike[str]) -> Coded:
    """:func:`walk_coded` of the HEIF file at ``path``, mapped, not read (an empty file is
    "not judged").

    Raises:
        OSError: the file can't be opened or mapped.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        if os.fstat(fd).st_size == 0:
            return _unjudged("the file is empty")
        with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as data:
            return walk_coded(data)
    finally:
        os.close(fd)


def coded_damage(path: str | os.PathLike[str]) -> str | None:
    """Why the primary picture of the HEIF at ``path`` can't decode, when its structure
    already shows it (~1 ms for a 12 MP HEIC); None when it looks sound, was not judged, or
    the file can't be read. For a planner that says "ready" before an export decodes."""
    try:
        found = walk_file(path)
    except (OSError, ValueError):
        return None
    return found.why if found.damaged else None


def walk_primary(meta: hi.HeifMeta, buf: bytes, data: bytes | mmap.mmap) -> Coded:
    """Walk the primary picture of ``meta`` (``buf``: the meta box, for ``idat`` items;
    ``data``: the whole file)."""
    walk = _Walk(meta, buf, data)
    assert meta.primary is not None
    return walk.item(meta.primary)


class _Walk:
    def __init__(self, meta: hi.HeifMeta, buf: bytes, data: bytes | mmap.mmap) -> None:
        self.meta, self.buf, self.data = meta, buf, data
        self.seen: set[int] = set()
        self.open: set[int] = set()  # items whose walk is under way (a cycle is damage)
        self.configs: dict[bytes, HevcConfig | frozenset[int] | str] = {}

    def item(self, item_id: int) -> Coded:
        if item_id in self.open:
            return _damaged(f"item {item_id} is built from itself")
        if item_id in self.seen:
            return SOUND  # a tile used twice in one grid is walked once
        if len(self.seen) >= MAX_ITEMS:
            return _unjudged("too many items to walk")
        self.seen.add(item_id)
        self.open.add(item_id)
        try:
            return self._item(item_id)
        finally:
            self.open.discard(item_id)

    def _item(self, item_id: int) -> Coded:
        item = self.meta.items.get(item_id)
        if item is None:
            return _damaged(f"item {item_id} is referenced but does not exist")
        if item.protected:
            return _unjudged(f"item {item_id} is protected")
        if item.type in ("hvc1", "av01"):
            found = self._coded(item_id, item.type)
        elif item.type == "grid":
            found = self._grid(item_id)
        elif item.type == "iden":
            sources = self.meta.refs_from(item_id, "dimg")
            found = (self.item(sources[0]) if len(sources) == 1
                     else _damaged(f"derived item {item_id} has {len(sources)} sources"))
        else:
            return _unjudged(f"item {item_id} is coded as '{item.type}'")
        if not found.sound:
            return found
        for plane in self._alpha_planes(item_id):
            found = self.item(plane)
            if not found.sound:
                return found
        return SOUND

    def _alpha_planes(self, item_id: int) -> list[int]:
        planes = []
        for aux in self.meta.refs_to(item_id, "auxl"):
            urns = [hp.aux_type(p) for p in self.meta.props_of(aux) if p.type == "auxC"]
            if any(hp.aux_kind(u) == "alpha" for u in urns):
                planes.append(aux)
        return planes

    def _span(self, item_id: int) -> tuple[bytes | mmap.mmap, int, int]:
        """(buffer, start, end) of the item's coded bytes; joined when split in extents.

        Raises:
            CorruptFile: no location, outside the file, stored elsewhere.
        """
        from_idat = self.meta.locations.get(item_id) is not None and (
            self.meta.locations[item_id].method == 1)
        source = self.buf if from_idat else self.data
        parts = hd.extents(self.meta, item_id, len(self.data))
        if len(parts) == 1:
            off, n = parts[0]
            return source, off, off + n
        joined = b"".join(bytes(source[o : o + n]) for o, n in parts)
        return joined, 0, len(joined)

    def _coded(self, item_id: int, kind: str) -> Coded:
        box = "hvcC" if kind == "hvc1" else "av1C"
        props = [p for p in self.meta.props_of(item_id) if p.type == box]
        if not props:
            return _damaged(f"item {item_id} has no {box} configuration")
        raw = props[0].raw
        config = self.configs.get(raw)
        if config is None:
            body = raw[props[0].header :]
            config = parse_hvcc(body) if kind == "hvc1" else parse_av1c(body)
            self.configs[raw] = config
        if isinstance(config, str):
            return _damaged(f"item {item_id}: {config}")
        try:
            data, start, end = self._span(item_id)
        except CorruptFile as exc:
            return _damaged(str(exc))
        if isinstance(config, HevcConfig):
            why = walk_hevc(config, data, start, end)  # type: ignore[arg-type]
        else:
            why = walk_av1(config, data, start, end)  # type: ignore[arg-type]
        return _damaged(f"item {item_id}: {why}") if why else SOUND

    def _grid(self, item_id: int) -> Coded:
        """A grid's description (ISO/IEC 23008-12 6.6.2.3.2) fits its tiles; then the tiles."""
        try:
            data, start, end = self._span(item_id)
        except CorruptFile as exc:
            return _damaged(str(exc))
        spec = bytes(data[start:end])
        if len(spec) < 8 or spec[0] != 0:
            return _damaged(f"grid {item_id}'s description is cut short or of an unknown version")
        wide = spec[1] & 1
        if wide and len(spec) < 12:
            return _damaged(f"grid {item_id}'s description is cut short")
        rows, cols = spec[2] + 1, spec[3] + 1
        step = 4 if wide else 2
        width = int.from_bytes(spec[4 : 4 + step], "big")
        height = int.from_bytes(spec[4 + step : 4 + 2 * step], "big")
        tiles = self.meta.refs_from(item_id, "dimg")
        if len(tiles) != rows * cols:
            return _damaged(f"grid {item_id} has {len(tiles)} tiles for {rows}x{cols}")
        sizes = [hp.ispe(p) for p in self.meta.props_of(tiles[0]) if p.type == "ispe"]
        if not sizes or sizes[0] is None:
            return _unjudged(f"grid {item_id}'s first tile has no size")
        tile_w, tile_h = sizes[0]
        if tile_w * cols < width or tile_h * rows < height:
            return _damaged(f"grid {item_id}'s tiles do not cover its {width}x{height}")
        for tile in tiles:
            found = self.item(tile)
            if not found.sound:
                return found
        return SOUND
