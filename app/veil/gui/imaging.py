"""Decode upright, downscaled pictures for thumbnails and the preview, in a worker thread.

Decoding is core's :func:`veil.core.pixels.load_upright` (EXIF orientation applied, JPEG
draft mode, so a 24 MP photo decodes at display size). The worker turns the pixels into a
``QImage`` (a value type, safe to make off the GUI thread); only the GUI thread turns it
into a ``QPixmap``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QImage

from veil.core.errors import VeilError


@dataclass(frozen=True, slots=True)
class Picture:
    """An upright, downscaled picture of one file and the full upright size it stands for."""

    key: str
    image: QImage | None
    full_width: int
    full_height: int
    error: str | None = None


def decode_picture(key: str, path: Path, max_side: int) -> Picture:
    """Decode ``path`` upright with its long side at most ``max_side`` (never raises)."""
    from veil.core.pixels import load_upright

    try:
        upright = load_upright(path, max_side)
    except (VeilError, OSError, ValueError) as exc:
        return Picture(key, None, 0, 0, f"no preview: {exc}")
    rgb = upright.image
    data = rgb.tobytes("raw", "RGB")
    # .copy() makes the QImage own its pixels (the bytes object dies with this frame).
    image = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888).copy()
    return Picture(key, image, upright.full_width, upright.full_height)
