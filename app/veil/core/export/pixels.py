"""Full-size upright pixels of a source photo, for redaction and baked orientation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from veil.core.errors import CorruptFile, Unsupported
from veil.core.export.verify import (
    exif_orientation,
    heif_support_for,
    pillow_uprights,
    quiet_pillow,
    transpose,
)
from veil.core.pixels.guard import check_decode_size


def upright_pixels(source: Path) -> Any:
    """Full-size upright pixels of ``source`` (never downscaled: the copy keeps its size).

    Raises:
        CorruptFile: Pillow cannot decode the pixels.
        Unsupported: decoding them would take more than the memory cap.
    """
    from PIL import Image

    heif_support_for(source)
    try:
        with quiet_pillow(), Image.open(source) as im:
            check_decode_size(im, "clean")  # from the header, before anything decodes
            orientation = 1 if pillow_uprights(im) else exif_orientation(im)
            im.load()
            upright = transpose(im, orientation)
            return upright.copy() if upright is im else upright
    except Unsupported:
        raise
    except Exception as exc:  # decoders (pillow-heif) raise their own error types
        raise CorruptFile(f"cannot decode the pixels: {exc}") from exc


def source_orientation(source: Path) -> int:
    """The EXIF orientation viewers apply to ``source`` (1 when Pillow uprights it itself)."""
    from PIL import Image

    heif_support_for(source)
    try:
        with quiet_pillow(), Image.open(source) as im:
            return 1 if pillow_uprights(im) else exif_orientation(im)
    except Exception:  # unreadable orientation: treat as upright, verification decides
        return 1
