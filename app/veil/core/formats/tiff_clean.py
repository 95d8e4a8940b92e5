"""Cleaning a TIFF: re-encode the first image upright with structural tags (and ICC) only.

Raw files (DNG included) are refused: Pillow would only see a preview. Imported lazily by
:meth:`veil.core.formats.tiff.Tiff.write_clean`, like the other formats' cleaners.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any, BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.base import CleanOutcome, ContainerScan
from veil.core.formats.tiff import raw_refusal, read_tiff
from veil.core.formats.tiffwalk import bytes_reader, walk_tiff
from veil.core.metadata.icc import safe_icc
from veil.core.model import ExportOptions

#: Tags a cleaned TIFF may carry: image structure, resolution and the ICC profile.
STRUCTURAL_TAGS = frozenset({254, 256, 257, 258, 259, 262, 273, 274, 277, 278, 279, 282, 283,
                             284, 296, 317, 320, 322, 323, 324, 325, 338, 339, 34675})


def _removed_kinds(scan: ContainerScan) -> list[str]:
    removed: list[str] = []
    kinds = {b.kind for b in scan.blocks} | {e.kind for e in scan.embedded}
    info = walk_tiff(bytes_reader(scan.exif[0]), len(scan.exif[0])) if scan.exif else None
    if info and any(set(i.entries) - STRUCTURAL_TAGS for i in info.ifds):
        removed.append("exif")  # IFD0 itself carries make/model/date/artist tags
    for kind in ("xmp", "iptc", "maker", "thumbnail", "mpf_image"):
        if kind in kinds:
            removed.append(kind)
    return removed


def write_clean(
    src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
) -> CleanOutcome:
    """See :meth:`Tiff.write_clean <veil.core.formats.tiff.Tiff.write_clean>`."""
    from PIL import Image, ImageOps

    with open(src, "rb") as f:
        size = f.seek(0, 2)
        scan = read_tiff(f, size)
        refusal = raw_refusal(f, size)
    if refusal:
        # Pillow would only see a preview (a Phase One IIQ's is 1x1): never "clean" that.
        raise Unsupported(refusal)
    from veil.core.pixels.quiet import decoder_notes

    try:
        # libtiff prints strip errors from C straight to fd 2; the one-line reason is enough.
        with decoder_notes([], c_stderr=True), Image.open(src) as im:
            im.load()
            source_icc = im.info.get("icc_profile")
            # a profile's texts may name someone: keep only a neutralised copy
            icc = safe_icc(source_icc) if options.keep_icc else None
            dpi = im.info.get("dpi")
            upright = pixels if pixels is not None else ImageOps.exif_transpose(im)
            # A fresh image: no tag_v2 / info for Pillow's writer to copy tags from.
            image = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if upright.mode == "P":
                image.putpalette(upright.getpalette() or [])
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise CorruptFile(f"cannot decode the TIFF pixels: {exc}") from exc
    extra: dict[str, Any] = {}
    if icc:
        extra["icc_profile"] = icc
    if dpi and all(math.isfinite(float(v)) and float(v) > 0 for v in dpi):
        # A 0/0 or negative resolution (a damaged rational) makes Pillow's writer raise
        # ("Error setting from dictionary"): such a value says nothing, the copy goes without.
        extra["dpi"] = tuple(float(v) for v in dpi)
    compression = "group4" if image.mode == "1" else "tiff_lzw"
    out = io.BytesIO()
    try:
        image.save(out, format="TIFF", compression=compression, **extra)
    except (OSError, ValueError) as exc:
        out = io.BytesIO()
        image.save(out, format="TIFF", **extra)  # raw: every mode Pillow can write
        if out.tell() == 0:
            raise CorruptFile(f"cannot write this TIFF: {exc}") from exc
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        lossless = check.mode == image.mode and check.tobytes() == image.tobytes()
    dst.write(data)
    kept = ["icc"] if icc else []
    removed = _removed_kinds(scan) + (["icc"] if source_icc and not icc else [])
    return CleanOutcome(removed=tuple(removed), kept=tuple(kept), lossless=lossless)
