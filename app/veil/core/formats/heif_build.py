"""Serialize a new, minimal HEIF ``meta`` box for :mod:`veil.core.formats.heif_clean`, from
the plan :mod:`veil.core.formats.heif_plan` made."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from veil.core.formats.heif_plan import Plan


def box(box_type: str, payload: bytes) -> bytes:
    """A plain box (32-bit size; meta boxes are far below 4 GB)."""
    return struct.pack(">I4s", 8 + len(payload), box_type.encode("latin-1")) + payload


def full_box(box_type: str, version: int, flags: int, payload: bytes) -> bytes:
    """A full box: version and flags before ``payload``."""
    return box(box_type, struct.pack(">I", (version << 24) | flags) + payload)


def build_meta(
    plan: Plan, places: dict[int, tuple[int, int, int]], idat: bytes, wide: bool
) -> bytes:
    """The new meta box.

    Args:
        plan: kept items, their new property list and associations.
        places: item id -> (construction method, offset, length) in the new file / idat.
        idat: the new idat payload (items kept in idat, concatenated).
        wide: use 64-bit iloc offsets and lengths (output beyond 4 GB).
    """
    meta = plan.meta
    big_ids = any(i > 0xFFFF for i in plan.kept)
    assert meta.primary is not None
    parts = [
        full_box("hdlr", 0, 0, b"\0\0\0\0pict" + b"\0" * 12 + b"\0"),
        _dinf(),
        full_box("pitm", 1 if big_ids else 0, 0, _id(meta.primary, big_ids)),
        _iinf(plan, big_ids),
    ]
    iref = _iref(plan, big_ids)
    if iref:
        parts.append(iref)
    parts.append(_iprp(plan, big_ids))
    if idat:
        parts.append(box("idat", idat))
    parts.append(_iloc(plan, places, wide, big_ids))
    return full_box("meta", 0, 0, b"".join(parts))


def _id(item_id: int, big: bool) -> bytes:
    return struct.pack(">I" if big else ">H", item_id)


def _dinf() -> bytes:
    # One self-contained data reference ("url " with flag 1): data is in this file.
    return box("dinf", full_box("dref", 0, 0, struct.pack(">I", 1) + full_box("url ", 0, 1, b"")))


def _iinf(plan: Plan, big: bool) -> bytes:
    entries = []
    for item_id in plan.kept:
        item = plan.meta.items[item_id]
        flags = 1 if item.hidden else 0
        # Item names are free text: dropped (empty name).
        payload = _id(item_id, big) + b"\0\0" + item.type.encode("latin-1") + b"\0"
        entries.append(full_box("infe", 3 if big else 2, flags, payload))
    count = struct.pack(">I" if big else ">H", len(entries))
    return full_box("iinf", 1 if big else 0, 0, count + b"".join(entries))


def _iref(plan: Plan, big: bool) -> bytes:
    kept = set(plan.kept)
    refs = []
    for ref in plan.meta.refs:
        if ref.type in ("thmb", "cdsc") or ref.from_id not in kept:
            continue
        targets = [t for t in ref.to_ids if t in kept]
        if not targets:
            continue
        payload = _id(ref.from_id, big) + struct.pack(">H", len(targets))
        payload += b"".join(_id(t, big) for t in targets)
        refs.append(box(ref.type, payload))
    return full_box("iref", 1 if big else 0, 0, b"".join(refs)) if refs else b""


def _iprp(plan: Plan, big: bool) -> bytes:
    ipco = box("ipco", b"".join(p.raw for p in plan.props))
    wide_index = len(plan.props) > 127
    rows = []
    for item_id in plan.kept:
        entries = plan.assoc.get(item_id, [])
        if not entries:
            continue
        row = _id(item_id, big) + struct.pack(">B", len(entries))
        for index, essential in entries:
            if wide_index:
                row += struct.pack(">H", index | (0x8000 if essential else 0))
            else:
                row += struct.pack(">B", index | (0x80 if essential else 0))
        rows.append(row)
    ipma = full_box(
        "ipma",
        1 if big else 0,
        1 if wide_index else 0,
        struct.pack(">I", len(rows)) + b"".join(rows),
    )
    return box("iprp", ipco + ipma)


def _iloc(plan: Plan, places: dict[int, tuple[int, int, int]], wide: bool, big: bool) -> bytes:
    size = 8 if wide else 4
    fmt = ">Q" if wide else ">I"
    version = 2 if big else 1
    body = struct.pack(">BB", (size << 4) | size, 0)  # base offset and index sizes: 0
    body += struct.pack(">I" if big else ">H", len(plan.kept))
    for item_id in plan.kept:
        body += _id(item_id, big)
        method, offset, length = places.get(item_id, (0, 0, 0))
        body += struct.pack(">HH", method, 0)  # construction method, data reference 0
        if item_id in places:
            body += struct.pack(">H", 1) + struct.pack(fmt, offset) + struct.pack(fmt, length)
        else:
            body += struct.pack(">H", 0)
    return full_box("iloc", version, 0, body)
