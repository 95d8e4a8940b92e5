"""Where a preview of another shape may hold the photo before a crop (``detectors.stale``):
the part of the preview with the photo's shape that matches it best, and whether what the
crop cut away shows anything (a padded preview's bars show nothing)."""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Correlation of a zoomed-in part of the preview that explains a crop (the part is
#: upscaled from few preview pixels, so less sharp than a whole-picture match).
CROP_SAME = 0.8
CROP_GRID = 12
#: Share of the cut-away part of a preview that must be texture for "cropped" (a real
#: original shows something there; a padded preview shows bars).
OUTSIDE_TEXTURE = 0.1


def _grey(image: Image.Image, side: int) -> np.ndarray:
    return np.asarray(image.convert("L").resize((side, side), Image.Resampling.BOX),
                      dtype=np.float32)


def _norm(a: np.ndarray) -> np.ndarray:
    std = float(a.std())
    return (a - a.mean()) / std if std > 1e-3 else a - a.mean()


def textured_outside(pixels: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """True when enough of ``pixels`` outside ``box`` is texture (4x4 cells that vary)."""
    h, w = (pixels.shape[0] // 4) * 4, (pixels.shape[1] // 4) * 4
    cells = pixels[:h, :w].reshape(h // 4, 4, w // 4, 4).std(axis=(1, 3))
    ys, xs = np.mgrid[0:h // 4, 0:w // 4] * 4
    outside = (xs + 4 <= box[0]) | (xs >= box[2]) | (ys + 4 <= box[1]) | (ys >= box[3])
    return bool(outside.any()) and float((cells[outside] >= 4).mean()) >= OUTSIDE_TEXTURE


def best_part(main: Image.Image, preview: Image.Image, largest: float, *,
               enough: float) -> tuple[float, tuple[int, int, int, int] | None, np.ndarray]:
    """The best correlation of ``main`` with a part of ``preview`` of ``main``'s shape,
    from ``largest`` (of the biggest such part) down to 0.4 of it; stops at ``enough``.
    Searched on a coarser grid, which forgives the few preview pixels a window is off by;
    windows at most ~2 preview pixels apart, so a narrow part sliding far is still met.
    Returns the correlation, the part's box in the searched copy, and that copy."""
    target = _norm(_grey(main, CROP_GRID)).ravel()
    grey = preview.convert("L")
    grey.thumbnail((96, 96), Image.Resampling.BOX)  # windows of a small copy cost little
    pixels = np.asarray(grey, dtype=np.float64)
    gh, gw = pixels.shape
    table = np.zeros((gh + 1, gw + 1))
    table[1:, 1:] = pixels.cumsum(0).cumsum(1)  # any box's sum in four look-ups
    ratio = main.size[0] / main.size[1]
    fw, fh = (gh * ratio, gh) if gh * ratio <= gw else (gw, gw / ratio)
    steps = np.arange(CROP_GRID + 1) / CROP_GRID
    best, box = -1.0, None
    for scale in np.arange(largest, 0.39, -0.05):
        cw, ch = fw * scale, fh * scale
        if min(cw, ch) < CROP_GRID:
            break
        xs = np.linspace(0.0, gw - cw, max(9, int((gw - cw) / 2) + 2))
        ys = np.linspace(0.0, gh - ch, max(9, int((gh - ch) / 2) + 2))
        bx = np.rint(xs[:, None] + cw * steps[None, :]).astype(int).clip(0, gw)
        by = np.rint(ys[:, None] + ch * steps[None, :]).astype(int).clip(0, gh)
        corner = table[by[:, :, None, None], bx[None, None, :, :]]  # (ny, 13, nx, 13)
        sums = corner[:, 1:, :, 1:] - corner[:, :-1, :, 1:] - corner[:, 1:, :, :-1] \
            + corner[:, :-1, :, :-1]
        area = np.diff(by, axis=1)[:, :, None, None] * np.diff(bx, axis=1)[None, None, :, :]
        cells = (sums / np.maximum(area, 1)).transpose(0, 2, 1, 3).reshape(
            len(ys) * len(xs), CROP_GRID * CROP_GRID)
        cells -= cells.mean(axis=1, keepdims=True)
        spread = cells.std(axis=1)
        corr = (cells @ target) / CROP_GRID ** 2 / np.where(spread > 1e-3, spread, np.inf)
        at = int(corr.argmax())
        if float(corr[at]) > best:
            j, i = divmod(at, len(xs))
            best, box = float(corr[at]), (int(bx[i, 0]), int(by[j, 0]), int(bx[i, -1]),
                                          int(by[j, -1]))
        if best >= enough:
            break
    return best, box, pixels
