"""Skin-coloured fixture images for the tattoo/mark detector tests (drawn in code)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

#: A light-medium skin tone and a darker one (RGB).
SKIN_LIGHT = (226, 178, 148)
SKIN_DARK = (141, 96, 68)


def skin_photo(
    size: tuple[int, int] = (480, 640), tone: tuple[int, int, int] = SKIN_LIGHT, seed: int = 7
) -> Image.Image:
    """A forearm-like close-up: grey-blue background, a skin band with soft shading and grain."""
    w, h = size
    rng = np.random.default_rng(seed)
    img = np.empty((h, w, 3), np.float32)
    img[:] = (120, 128, 140)
    x = np.arange(w, dtype=np.float32)
    left, right = 0.12 * w, 0.88 * w
    inside = (x >= left) & (x < right)
    # Rounded limb: brighter in the middle, darker towards its edges.
    t = np.clip((x - left) / (right - left), 0, 1)
    shade = 0.82 + 0.18 * np.sin(np.pi * t)
    for c in range(3):
        img[:, inside, c] = tone[c] * shade[inside]
    img += rng.normal(0, 3.0, img.shape).astype(np.float32)  # skin grain / sensor noise
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    return pil.filter(ImageFilter.GaussianBlur(0.8))


def draw_tattoo(
    img: Image.Image, box: tuple[int, int, int, int], ink: tuple[int, int, int] = (40, 45, 70)
) -> Image.Image:
    """Line-art in blue-black ink inside ``box`` (x0, y0, x1, y1): a star in a circle, lines."""
    out = img.copy()
    d = ImageDraw.Draw(out)
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    r = min(x1 - x0, y1 - y0) / 2
    lw = max(2, int(r / 14))
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=lw)
    pts = []
    for i in range(10):
        ang = -np.pi / 2 + i * np.pi / 5
        rr = r * (0.85 if i % 2 == 0 else 0.38)
        pts.append((cx + rr * np.cos(ang), cy + rr * np.sin(ang)))
    d.line([*pts, pts[0]], fill=ink, width=lw)
    for k in range(3):  # a few hatching strokes, like shading in line-work
        yy = cy + r * (0.2 + 0.15 * k)
        d.line((cx - r * 0.3, yy, cx + r * 0.3, yy), fill=ink, width=max(1, lw // 2))
    return out.filter(ImageFilter.GaussianBlur(0.6))


def tattoo_photo(
    size: tuple[int, int] = (480, 640), tone: tuple[int, int, int] = SKIN_LIGHT
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A skin close-up with one tattoo; returns the image and the tattoo's box."""
    w, h = size
    side = int(0.36 * w)
    x0, y0 = int(0.32 * w), int(0.35 * h)
    box = (x0, y0, x0 + side, y0 + side)
    return draw_tattoo(skin_photo(size, tone), box), box
