"""Clean a HEIF/HEIC/AVIF file at container level, coded image data untouched.

The file is rebuilt as ``ftyp + meta + mdat`` by allowlist:

* kept items: the primary image, every item it is derived from (``dimg``: grid tiles,
  identity/overlay inputs, tone-map inputs) and **alpha** auxiliary images (needed to display
  the picture). Their bytes are copied verbatim into one new ``mdat`` (items that lived in
  ``idat`` stay there) and ``iloc`` is rewritten with the new offsets.
* dropped items: Exif, XMP and every other metadata item, C2PA, thumbnails (a thumbnail can
  show the uncropped original), depth/disparity maps and mattes (they outline the person),
  HDR gain maps (their own metadata is XMP, which goes; the photo then shows as SDR), and
  anything else not reachable from the primary image.
* dropped boxes: everything at top level but ``ftyp`` (C2PA ``uuid``/``jumb``, Samsung
  ``mpvd`` motion video, ``free``...), entity groups, item names; properties are kept only
  from an allowlist of coding/geometry/colour properties (descriptive ones such as ``udes``,
  ``crtt``, ``mdft`` go).

Orientation (``irot``/``imir``) and the colour profile (``colr``) are properties of the kept
image and stay. Anything not understood well enough to rewrite safely raises
:class:`Unsupported`: a half-clean file is never written.

What is kept is decided first, whole, by :mod:`veil.core.formats.heif_plan`; this module
then lays the kept bytes out (``ftyp``, the new ``meta`` from :mod:`.heif_build`, ``mdat``).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any, BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats import heif_data as hd
from veil.core.formats.base import CleanOutcome
from veil.core.formats.byteio import copy_range
from veil.core.formats.heif_jpeg import convert_to_jpeg, pixels_to_jpeg
from veil.core.formats.heif_plan import Plan, plan_copy
from veil.core.model import ExportOptions


def write_clean(
    src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
) -> CleanOutcome:
    """See :meth:`veil.core.formats.heif.Heif.write_clean`."""
    if pixels is not None:
        if not options.heic_to_jpeg:
            raise Unsupported(
                "covering faces in a HEIC needs converting it to JPEG; choose convert to JPEG"
            )
        return pixels_to_jpeg(src, dst, options, pixels, icc_of(src))
    try:
        with open(src, "rb") as f:
            plan = plan_copy(f, os.fstat(f.fileno()).st_size, options)
            return _write(f, dst, plan)
    except Unsupported:
        if not options.heic_to_jpeg:
            raise
        return convert_to_jpeg(src, dst, options)


def icc_of(src: Path) -> bytes | None:
    """The primary image's ICC profile, or None (unreadable files give None)."""
    try:
        from veil.core.formats.heif import Heif

        with open(src, "rb") as f:
            return Heif.read(f, os.fstat(f.fileno()).st_size).icc
    except (CorruptFile, OSError):
        return None


def _write(f: BinaryIO, dst: BinaryIO, plan: Plan) -> CleanOutcome:
    from veil.core.formats.heif_build import build_meta

    meta = plan.meta
    sources: dict[int, list[tuple[int, int]]] = {}
    idat_parts: list[bytes] = []
    idat_at: dict[int, tuple[int, int]] = {}
    file_items: list[int] = []
    idat_len = 0
    for item_id in plan.kept:
        if item_id not in meta.locations:
            continue
        ext = hd.extents(meta, item_id, plan.size)
        length = sum(n for _, n in ext)
        if meta.locations[item_id].method == 1:
            idat_parts.append(b"".join(bytes(plan.buf[o : o + n]) for o, n in ext))
            idat_at[item_id] = (idat_len, length)
            idat_len += length
        else:
            sources[item_id] = ext
            file_items.append(item_id)
    data_len = sum(n for ext in sources.values() for _, n in ext)
    wide = len(plan.ftyp) + data_len + (1 << 20) >= 1 << 32
    mdat_header = 16 if wide else 8

    def meta_for(start: int) -> bytes:
        places: dict[int, tuple[int, int, int]] = {}  # id -> (method, offset, length)
        pos = start
        for item_id in file_items:
            length = sum(n for _, n in sources[item_id])
            places[item_id] = (0, pos, length)
            pos += length
        for item_id, (off, length) in idat_at.items():
            places[item_id] = (1, off, length)
        return build_meta(plan, places, b"".join(idat_parts), wide)

    probe = meta_for(0)
    start = len(plan.ftyp) + len(probe) + mdat_header
    meta_bytes = meta_for(start)
    if len(meta_bytes) != len(probe):
        raise CorruptFile("internal error: meta size changed while placing items")
    dst.write(plan.ftyp)
    dst.write(meta_bytes)
    if wide:
        dst.write(struct.pack(">I4sQ", 1, b"mdat", data_len + 16))
    else:
        dst.write(struct.pack(">I4s", data_len + 8, b"mdat"))
    for item_id in file_items:
        for off, length in sources[item_id]:
            copy_range(f, dst, off, length, "the file ended while copying image data")
    kept = tuple(dict.fromkeys(plan.kept_kinds))
    return CleanOutcome(removed=tuple(sorted(plan.removed)), kept=kept, lossless=True)
