"""Where a HEIF item's bytes are, and reading them (bounded by the file and a cap)."""

from __future__ import annotations

from typing import BinaryIO

from veil.core.errors import CorruptFile
from veil.core.formats.byteio import read_exact
from veil.core.formats.heif_meta import HeifMeta


def read_item(f: BinaryIO, size: int, meta: HeifMeta, item_id: int, buf: bytes, cap: int) -> bytes:
    """The bytes of one item (``buf`` is the meta box, for ``idat`` items).

    Raises:
        CorruptFile: no location, bytes beyond the file, bigger than ``cap``, or stored in a
            way we do not read (another file, item-offset construction).
    """
    parts = []
    total = 0
    for off, length in extents(meta, item_id, size):
        total += length
        if total > cap:
            raise CorruptFile("item is too large to inspect")
        if meta.locations[item_id].method == 1:
            parts.append(bytes(buf[off : off + length]))
        else:
            parts.append(read_exact(f, off, length, "item data is cut short"))
    return b"".join(parts)


def extents(meta: HeifMeta, item_id: int, size: int) -> list[tuple[int, int]]:
    """Absolute (offset, length) extents: file offsets (method 0) or meta-buffer (method 1)."""
    loc = meta.locations.get(item_id)
    if loc is None:
        raise CorruptFile(f"item {item_id} has no location")
    if loc.data_ref not in meta.local_refs:
        raise CorruptFile(f"item {item_id} is stored in another file")
    if loc.method == 0:
        limit, base = size, 0
    elif loc.method == 1:
        if meta.idat is None:
            raise CorruptFile(f"item {item_id} points into a missing idat box")
        base, limit = meta.idat[0], meta.idat[1]
    else:
        raise CorruptFile(f"item {item_id} uses construction method {loc.method}")
    out = []
    for off, length in loc.extents:
        if length == 0 and len(loc.extents) == 1:  # "to the end of the data"
            length = limit - off
        if off < 0 or length < 0 or off + length > limit:
            raise CorruptFile(f"item {item_id}'s data lies beyond the end of the file")
        out.append((base + off, length))
    return out


def kept_bytes_overlap_dropped(
    meta: HeifMeta, keep: set[int], size: int, image_types: frozenset[str]
) -> bool:
    """True when kept bytes may hold a dropped non-image (metadata) item's bytes.

    Also True when such an item can't be located at all: its bytes could then be anywhere,
    including inside what we copy.
    """
    spans: list[tuple[int, int, bool]] = []  # (start, end, kept) in one coordinate space
    for item_id, item in meta.items.items():
        kept = item_id in keep
        if not kept and item.type in image_types:
            continue
        loc = meta.locations.get(item_id)
        if loc is None:
            if kept:
                continue  # derived images (iden) may have no data
            return True
        try:
            found = extents(meta, item_id, size)
        except CorruptFile:
            if kept:
                raise
            return True
        # idat offsets live in the meta buffer: shift them past the file so they never mix
        shift = size if loc.method == 1 else 0
        spans.extend((shift + o, shift + o + n, kept) for o, n in found if n > 0)
    spans.sort()
    kept_end = dropped_end = -1
    for start, end, kept in spans:
        if (kept and start < dropped_end) or (not kept and start < kept_end):
            return True
        if kept:
            kept_end = max(kept_end, end)
        else:
            dropped_end = max(dropped_end, end)
    return False
