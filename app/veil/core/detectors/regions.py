"""Shared wording and detail for pixel findings (faces, marks): where a box is, in plain words."""

from __future__ import annotations

from typing import Any

from veil.core.model import Region


def position_words(region: Region, width: int, height: int) -> str:
    """Where the box's centre lies: "top left", "middle right", "bottom centre", "centre"..."""
    cx = (region.x + region.w / 2) / max(width, 1)
    cy = (region.y + region.h / 2) / max(height, 1)
    row = ("top", "middle", "bottom")[max(0, min(2, int(cy * 3)))]
    col = ("left", "centre", "right")[max(0, min(2, int(cx * 3)))]
    return "centre" if (row, col) == ("middle", "centre") else f"{row} {col}"


def box_detail(region: Region, width: int, height: int) -> dict[str, Any]:
    """The box in pixels and as fractions of the upright image (JSON-able)."""
    w, h = max(width, 1), max(height, 1)
    return {
        "box_px": region.as_list(),
        "box_normalized": [
            round(region.x / w, 4),
            round(region.y / h, 4),
            round(region.w / w, 4),
            round(region.h / h, 4),
        ],
    }
