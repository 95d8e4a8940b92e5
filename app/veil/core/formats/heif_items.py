"""Parse a HEIF ``meta`` box into items, locations, references and properties.

Works on the meta box already read into memory (capped by the caller). Every count and
length is checked against the box it sits in; nothing here touches image data. What the
parse gives (:class:`HeifMeta` and its parts) lives in :mod:`veil.core.formats.heif_meta`;
its readers import it from either module.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict

from veil.core.errors import CorruptFile
from veil.core.formats.heif_meta import HeifMeta, Item, Location, Prop, Ref
from veil.core.formats.isobmff import Box, Reader, full_box, iter_boxes

#: Item counts beyond this are not photos (a 12 MP iPhone grid has ~50 items).
MAX_ITEMS = 65_536
MAX_EXTENTS = 65_536

__all__ = ["MAX_EXTENTS", "MAX_ITEMS", "HeifMeta", "Item", "Location", "Prop", "Ref", "parse_meta"]


#: Recent parses of whole meta boxes, by their bytes (see :func:`parse_meta`).
_RECENT = 8
_recent: OrderedDict[tuple[bytes, int], HeifMeta] = OrderedDict()


def parse_meta(buf: bytes, meta: Box) -> HeifMeta:
    """Parse the meta box ``meta`` held in ``buf`` (buffer coordinates).

    The result is shared, never to be changed by a caller: a meta box that is all of
    ``buf`` and has exactly the bytes of one parsed moments ago gets that same parse (the
    parse depends on nothing else). An export parses one source's meta box three times
    (its audit, the cleaner, the proof) and its copy's twice (re-audit, proof), and a
    roll's duplicates have the same boxes: ~20 ms of Python per 12 MP iPhone HEIC each.

    Raises:
        CorruptFile: a required structure is malformed (never remembered).
    """
    if meta.offset != 0 or meta.end != len(buf):
        return _parse_meta(buf, meta)
    key = (bytes(buf), meta.header)
    found = _recent.get(key)
    if found is not None:
        _recent.move_to_end(key)
        return found
    parsed = _parse_meta(buf, meta)
    _recent[key] = parsed
    while len(_recent) > _RECENT:
        _recent.popitem(last=False)
    return parsed


def _parse_meta(buf: bytes, meta: Box) -> HeifMeta:
    full_box(buf, meta)
    out = HeifMeta()
    children = iter_boxes(buf, meta.body + 4, meta.end, 1)
    while True:
        # Salvage: what was parsed stays usable; ``damaged`` says what was not (the scan
        # reports it, the cleaner refuses). Without hdlr/pitm nothing is usable.
        try:
            child = next(children, None)
        except CorruptFile as exc:
            out.damaged.append(str(exc))
            break  # the walk itself broke: the later boxes can't be found
        if child is None:
            break
        out.children.append(child)
        try:
            _child(buf, child, out)
        except CorruptFile as exc:
            if child.type in ("hdlr", "pitm"):
                raise
            out.damaged.append(str(exc))
    return out


def _child(buf: bytes, child: Box, out: HeifMeta) -> None:
    """Parse one child box of meta into ``out``."""
    kind = child.type
    if kind == "hdlr":
        r = Reader(buf, child.body + 4, child.end, "hdlr")
        r.uint(4)
        out.handler = r.fourcc()
    elif kind == "pitm":
        version, _ = full_box(buf, child)
        r = Reader(buf, child.body + 4, child.end, "pitm")
        out.primary = r.uint(2 if version == 0 else 4)
    elif kind == "iinf":
        _iinf(buf, child, out)
    elif kind == "iloc":
        _iloc(buf, child, out)
    elif kind == "iref":
        _iref(buf, child, out)
    elif kind == "iprp":
        _iprp(buf, child, out)
    elif kind == "idat":
        out.idat = (child.body, child.size - child.header)
    elif kind == "dinf":
        with contextlib.suppress(CorruptFile):  # a broken dinf only means "no extra refs"
            _dinf(buf, child, out)


def _dinf(buf: bytes, box: Box, out: HeifMeta) -> None:
    """Note which data references are self-contained ("url " with flag 1 = this file)."""
    for dref in iter_boxes(buf, box.body, box.end, 2):
        if dref.type != "dref":
            continue
        full_box(buf, dref)
        for index, entry in enumerate(iter_boxes(buf, dref.body + 8, dref.end, 3), start=1):
            if entry.type in ("url ", "urn ") and full_box(buf, entry)[1] & 1:
                out.local_refs.add(index)


def _iinf(buf: bytes, box: Box, out: HeifMeta) -> None:
    version, _ = full_box(buf, box)
    r = Reader(buf, box.body + 4, box.end, "iinf")
    r.uint(2 if version == 0 else 4)  # entry count: the child boxes are what counts
    for child in iter_boxes(buf, r.pos, box.end, 2):
        if child.type != "infe":
            continue
        if len(out.items) >= MAX_ITEMS:
            raise CorruptFile("too many items in the HEIF meta box")
        item = _infe(buf, child)
        out.items[item.id] = item


def _infe(buf: bytes, box: Box) -> Item:
    version, flags = full_box(buf, box)
    r = Reader(buf, box.body + 4, box.end, "infe")
    if version < 2:  # legacy entries carry a MIME type and no item type
        item_id, prot = r.uint(2), r.uint(2)
        name = r.cstring()
        content_type = r.cstring() if r.left else ""
        return Item(item_id, "mime", name, content_type, bool(flags & 1), prot != 0)
    item_id = r.uint(2 if version == 2 else 4)
    prot = r.uint(2)
    item_type = r.fourcc()
    name = r.cstring() if r.left else ""
    content_type = ""
    if item_type in ("mime", "uri ") and r.left:  # MIME type, or the URI type
        content_type = r.cstring()
    return Item(item_id, item_type, name, content_type, bool(flags & 1), prot != 0)


def _iloc(buf: bytes, box: Box, out: HeifMeta) -> None:
    version, _ = full_box(buf, box)
    if version > 2:
        raise CorruptFile(f"unknown iloc version {version}")
    out.iloc_version = version
    r = Reader(buf, box.body + 4, box.end, "iloc")
    sizes = r.uint(1)
    offset_size, length_size = sizes >> 4, sizes & 15
    sizes = r.uint(1)
    base_size, index_size = sizes >> 4, (sizes & 15 if version else 0)
    for n in (offset_size, length_size, base_size, index_size):
        if n not in (0, 4, 8):
            raise CorruptFile(f"iloc field size {n} is not 0, 4 or 8")
    count = r.uint(2 if version < 2 else 4)
    if count > MAX_ITEMS:
        raise CorruptFile("too many item locations in the HEIF meta box")
    for _ in range(count):
        item_id = r.uint(2 if version < 2 else 4)
        method = r.uint(2) & 15 if version else 0
        data_ref = r.uint(2)
        base = r.uint(base_size)
        extent_count = r.uint(2)
        if extent_count > MAX_EXTENTS:
            raise CorruptFile("too many extents in one HEIF item")
        extents = []
        for _ in range(extent_count):
            r.uint(index_size)
            extents.append((base + r.uint(offset_size), r.uint(length_size)))
        out.locations[item_id] = Location(item_id, method, data_ref, base, extents, index_size > 0)


def _iref(buf: bytes, box: Box, out: HeifMeta) -> None:
    version, _ = full_box(buf, box)
    width = 2 if version == 0 else 4
    for child in iter_boxes(buf, box.body + 4, box.end, 2):
        r = Reader(buf, child.body, child.end, child.type)
        from_id = r.uint(width)
        count = r.uint(2)
        out.refs.append(Ref(child.type, from_id, [r.uint(width) for _ in range(count)]))


def _iprp(buf: bytes, box: Box, out: HeifMeta) -> None:
    for child in iter_boxes(buf, box.body, box.end, 2):
        if child.type == "ipco":
            for prop in iter_boxes(buf, child.body, child.end, 3):
                out.props.append(Prop(prop.type, bytes(buf[prop.offset : prop.end]), prop.header))
        elif child.type == "ipma":
            version, flags = full_box(buf, child)
            r = Reader(buf, child.body + 4, child.end, "ipma")
            for _ in range(r.uint(4)):
                item_id = r.uint(2 if version < 1 else 4)
                entries = out.assoc.setdefault(item_id, [])
                for _ in range(r.uint(1)):
                    if flags & 1:
                        v = r.uint(2)
                        entries.append((v & 0x7FFF, bool(v & 0x8000)))
                    else:
                        v = r.uint(1)
                        entries.append((v & 0x7F, bool(v & 0x80)))
