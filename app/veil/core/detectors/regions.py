"""Shared box helpers for pixel findings (faces, marks): where a box is, in plain words, and
which of many overlapping boxes to keep."""

from __future__ import annotations

from typing import Any

import numpy as np

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


def nms(boxes: np.ndarray, scores: np.ndarray, max_iou: float) -> np.ndarray:
    """Indices of the boxes kept, strongest first; weaker boxes overlapping a kept one go."""
    order = np.argsort(-scores, kind="stable")
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep: list[int] = []
    while order.size:
        i = int(order[0])
        keep.append(i)
        rest = order[1:]
        iw = np.minimum(boxes[i, 2], boxes[rest, 2]) - np.maximum(boxes[i, 0], boxes[rest, 0])
        ih = np.minimum(boxes[i, 3], boxes[rest, 3]) - np.maximum(boxes[i, 1], boxes[rest, 1])
        inter = iw.clip(0) * ih.clip(0)
        overlap = inter / np.maximum(area[i] + area[rest] - inter, 1e-6)
        order = rest[overlap <= max_iou]
    return np.asarray(keep, dtype=np.intp)
