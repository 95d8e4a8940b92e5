"""Skin for the mark detector: which pixels are skin, and where ink on skin can be.

Split from :mod:`marks_features` (same numbers): a skin mask that works across skin tones
(a YCrCb box AND an HSV hue/saturation rule, plus a per-photo colour model sampled inside
the faces found), and the skin *region* (skin with its gaps and holes filled), outside of
which nothing counts as ink.

The boosted trees were trained on these exact masks, so any faster form here must give the
same pixels: the rules are inclusive integer ranges (``cv2.inRange`` tests exactly those),
and the face colour model is evaluated once per (Cr, Cb) pair with the very same float32
expression instead of once per pixel.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Skin rules (OpenCV 8-bit units). Loose on purpose: pale, pinkish skin under cool light
#: sits at Cr ~130, hue ~150-180 and low saturation; the ink test tolerates extra "skin".
SKIN_CR_MIN = 130
SKIN_HUE_WRAP = 150
SKIN_SAT_MIN = 15
#: The skin region is computed at 1/SKIN_REGION_STEP of the working size (a closing with a
#: ~38 px disc at full size costs far more and gains nothing for a region mask).
SKIN_REGION_STEP = 4


def skin_mask(rgb: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Skin as a float32 0/1 mask; ``faces`` are (n, 4) working-pixel boxes."""
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    # Wide YCrCb box (covers dark and light skin) AND a reddish-orange hue with some
    # saturation: each rule alone takes in wood, sand or beige walls. inRange bounds are
    # inclusive: Y >= 30, SKIN_CR_MIN <= Cr <= 180, 77 <= Cb <= 135.
    ycc_rule = cv2.inRange(ycc, (30, SKIN_CR_MIN, 77), (255, 180, 135))
    # OpenCV hue is 0..180; pinks wrap round: hue <= 25 or hue >= SKIN_HUE_WRAP, with
    # SKIN_SAT_MIN <= saturation <= 200 and value >= 40.
    low_hue = cv2.inRange(hsv, (0, SKIN_SAT_MIN, 40), (25, 200, 255))
    high_hue = cv2.inRange(hsv, (SKIN_HUE_WRAP, SKIN_SAT_MIN, 40), (255, 200, 255))
    skin = cv2.bitwise_and(ycc_rule, cv2.bitwise_or(low_hue, high_hue)) > 0
    model = face_skin_model(ycc, skin, faces)
    if model is not None:
        y, cr, cb = cv2.split(ycc)
        # Bytes (Cb, Cr) read as one little-endian uint16 are Cr * 256 + Cb: the flat index
        # of [Cr, Cb] in the table, built without any int arithmetic over the image.
        pair = cv2.merge([cb, cr]).view("<u2").reshape(cr.shape)
        skin |= np.take(_face_colour_table(*model).ravel(), pair) & (y >= 30)
    return skin.astype(np.float32)


def _face_colour_table(mean: np.ndarray, inv_cov: np.ndarray) -> np.ndarray:
    """(256, 256) bool, indexed [Cr, Cb]: within the face colour model's ellipse.

    The per-pixel test depends on (Cr, Cb) only, so it is evaluated for the 65,536 pairs
    with the same float32 operations, in the same order, as it would be per pixel.
    """
    levels = np.arange(256, dtype=np.float32)
    d0 = (levels - mean[0])[:, None]
    d1 = (levels - mean[1])[None, :]
    maha = inv_cov[0, 0] * d0 * d0 + 2 * inv_cov[0, 1] * d0 * d1 + inv_cov[1, 1] * d1 * d1
    return maha < 6.0


def face_skin_model(
    ycc: np.ndarray, skin: np.ndarray, faces: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Mean and inverse covariance of (Cr, Cb) in the cheeks/forehead of the faces found."""
    samples = []
    for x0, y0, x1, y1 in faces.astype(int):
        w, h = x1 - x0, y1 - y0
        # The centre of a face box is mostly skin (eyes, brows and mouth are at its edges).
        cx0, cx1 = x0 + w // 4, x1 - w // 4
        cy0, cy1 = y0 + h // 4, y1 - h // 4
        if cx1 - cx0 < 3 or cy1 - cy0 < 3:
            continue
        patch = ycc[max(0, cy0) : max(0, cy1), max(0, cx0) : max(0, cx1)]
        keep = skin[max(0, cy0) : max(0, cy1), max(0, cx0) : max(0, cx1)]
        if keep.sum() >= 20:  # the face really is skin-coloured (not a face-like pattern)
            samples.append(patch[keep][:, 1:3].astype(np.float32))
    if not samples:
        return None
    pts = np.concatenate(samples)
    mean = pts.mean(axis=0)
    cov = np.cov(pts.T) + np.eye(2, dtype=np.float64) * 4.0  # floor: never a needle
    return mean.astype(np.float32), np.linalg.inv(cov).astype(np.float32)


def shrink(skin: np.ndarray) -> np.ndarray:
    """``skin`` (float32) averaged down to 1/SKIN_REGION_STEP size: the one downscale that
    the skin region and the wide skin blurs of :mod:`marks_ink` share (same call, same
    result: computing it once is free speed)."""
    h, w = skin.shape
    f = SKIN_REGION_STEP
    return cv2.resize(skin, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)


def skin_region(skin: np.ndarray, size: float, small: np.ndarray | None = None) -> np.ndarray:
    """Skin with its gaps and holes filled: where ink *on* skin can be.

    A closing bridges the skin between tattoo lines; filling holes takes in solid ink
    enclosed by skin. The background along a limb's outline stays out (a closing does not
    grow convex outlines), which keeps shadows and clothing edges from reading as ink.
    ``small``: :func:`shrink` of ``skin`` when the caller already has it.
    """
    h, w = skin.shape
    f = SKIN_REGION_STEP
    small = (shrink(skin) if small is None else small) >= 0.5
    small = small.astype(np.uint8)
    k = max(3, int(round(size / f)) | 1)
    closed = cv2.morphologyEx(
        small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    # Holes: non-skin areas that do not reach the image border.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(1 - closed, connectivity=4)
    sh, sw = closed.shape
    touches = (
        (stats[:, cv2.CC_STAT_LEFT] == 0)
        | (stats[:, cv2.CC_STAT_TOP] == 0)
        | (stats[:, cv2.CC_STAT_LEFT] + stats[:, cv2.CC_STAT_WIDTH] >= sw)
        | (stats[:, cv2.CC_STAT_TOP] + stats[:, cv2.CC_STAT_HEIGHT] >= sh)
    )
    filled = closed.astype(bool) | ~touches[labels]
    big = cv2.resize(filled.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
    return big.astype(bool)
