"""Cover accepted pixel findings (faces, tattoos) with solid, opaque, padded boxes.

Blur and pixelation can be reversed or recognised (they keep the layout and average colours
of a face), so the only redaction Veil does is a solid fill. Each box is padded because
detector boxes are tight: an ear, a hairline or the edge of a tattoo outside the box still
identifies someone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from veil.core.model import Region

if TYPE_CHECKING:  # Pillow's drawing modules load only when something is covered
    from PIL import Image

#: Fill per image mode: black, and fully opaque wherever the mode has an alpha band.
_BLACK: dict[str, float | tuple[int, ...]] = {
    "1": 0,
    "L": 0,
    "I": 0,
    "I;16": 0,
    "I;16L": 0,
    "I;16B": 0,
    "F": 0.0,
    "LA": (0, 255),
    "RGB": (0, 0, 0),
    "RGBA": (0, 0, 0, 255),
    "RGBX": (0, 0, 0, 255),
    # In Pillow's CMYK, K=255 is black; (0, 0, 0, 0) would be *white*.
    "CMYK": (0, 0, 0, 255),
}


def padded_box(
    region: Region, padding: float, width: int, height: int
) -> tuple[int, int, int, int]:
    """``region`` grown by ``padding`` × its side on every edge, clamped to the image.

    Returns ``(x0, y0, x1, y1)`` with exclusive ``x1``/``y1``; empty when the box lies
    outside the image. Rounds outward so the cover never shrinks below the padded box.
    """
    pad_x = region.w * padding
    pad_y = region.h * padding
    x0 = max(0, math.floor(region.x - pad_x))
    y0 = max(0, math.floor(region.y - pad_y))
    x1 = min(width, math.ceil(region.x + region.w + pad_x))
    y1 = min(height, math.ceil(region.y + region.h + pad_y))
    return x0, y0, max(x0, x1), max(y0, y1)


def fill_colour(mode: str) -> float | tuple[int, ...]:
    """The opaque black fill for an image mode (see :data:`_BLACK`)."""
    if mode in _BLACK:
        return _BLACK[mode]
    from PIL import ImageColor

    colour: float | tuple[int, ...] = ImageColor.getcolor("black", mode)
    return colour


def _drawable(image: Image.Image) -> Image.Image:
    """A copy in a mode where "black, opaque" is well defined (palette images are expanded)."""
    if image.mode in _BLACK:
        return image.copy()
    if image.mode in ("P", "PA"):
        has_alpha = image.mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")
    if image.mode in ("La", "RGBa"):  # premultiplied alpha: un-premultiply first
        return image.convert("LA" if image.mode == "La" else "RGBA")
    return image.convert("RGBA" if "A" in image.getbands() else "RGB")


def cover(image: Image.Image, boxes: Sequence[Region], padding: float = 0.10) -> Image.Image:
    """A new image with every box (padded, clamped) filled solid opaque black.

    Pure: ``image`` is not modified. Palette images come back as RGB/RGBA so the fill is a
    real colour and not a palette index that might be transparent.

    Args:
        image: upright, full-size pixels (the space :class:`Region` boxes are given in).
        boxes: regions to cover; empty boxes and boxes outside the image are ignored.
        padding: fraction of each box side added on every edge (0.10 = 10 %).

    Raises:
        ValueError: ``padding`` is negative or not a finite number.
    """
    if not math.isfinite(padding) or padding < 0:
        raise ValueError(f"padding must be a finite number >= 0, not {padding!r}")
    out = _drawable(image)
    if not boxes:
        return out
    fill = fill_colour(out.mode)
    from PIL import ImageDraw

    draw = ImageDraw.Draw(out)
    for region in boxes:
        if region.w <= 0 or region.h <= 0:
            continue
        x0, y0, x1, y1 = padded_box(region, padding, out.width, out.height)
        if x1 > x0 and y1 > y0:
            # ImageDraw's rectangle is inclusive of its end point.
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=fill)  # type: ignore[arg-type]
    return out
