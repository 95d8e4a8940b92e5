"""The memory cap on decoding, checked from the header before any pixel is decoded.

``Image.open`` reads only the header, so ``im.size`` is known before anything is allocated.
Several innocent-looking calls decode the whole picture, though: ``getexif()`` on a PNG whose
eXIf chunk comes after the picture data (Pillow loads the image to reach it), and ``load()``
of course. A 3 MB PNG can declare 28000x28000 RGBA (3 GB decoded): every path that decodes
(scan, clean, preview) asks :func:`check_decode_size` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veil.core.errors import Unsupported

if TYPE_CHECKING:
    from PIL import Image

#: Largest image decoded (after JPEG draft reduction). A decoded RGB image costs 3 bytes per
#: pixel (RGBA 4), plus a copy for rotation: 100 MP is ~600-800 MB, the most we allow one photo
#: to cost. Bigger files get "not checked" / "not cleaned" rather than taking the machine down.
MAX_DECODE_PIXELS = 100_000_000


def too_large_message(width: int, height: int, what: str = "check its pixels") -> str:
    """The one line a user sees for a picture over the cap."""
    return f"the picture is too large to {what} ({width}x{height} pixels)"


def check_decode_size(im: Image.Image, what: str = "check its pixels") -> None:
    """Refuse to decode ``im`` at its current size (after any ``draft``) if over the cap.

    Raises:
        Unsupported: decoding would allocate more than MAX_DECODE_PIXELS pixels.
    """
    width, height = im.size
    if width * height > MAX_DECODE_PIXELS:
        raise Unsupported(too_large_message(width, height, what))


def refuse_over_cap(size: tuple[int, int], fmt: str | None) -> None:
    """Refuse to clean a picture of ``size`` (upright, from its header or audit) whose copy
    could only be verified by decoding more than the cap: any format but JPEG, which Veil
    verifies at 1/8 size (draft decoding).

    Raises:
        Unsupported: over the cap and not a JPEG.
    """
    width, height = size
    if (fmt or "").lower() not in ("jpeg", "mpo") and width * height > MAX_DECODE_PIXELS:
        raise Unsupported(too_large_message(width, height, "clean"))


def exif_needs_decode(im: Image.Image) -> bool:
    """True when Pillow's ``getexif()`` would decode the whole picture to find the EXIF (a PNG
    whose eXIf chunk is not before its image data)."""
    return im.format == "PNG" and "exif" not in im.info

