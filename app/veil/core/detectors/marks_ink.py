"""Ink on skin for the mark detector: the local skin colour and the pixels that differ from it.

Split from :mod:`marks_features` (same numbers, step 2 of its pipeline): a normalised blur of
Lab over skin pixels gives the skin colour *around* each pixel; ink is darker than, or a
different colour from, that local skin, where the neighbourhood is mostly skin and inside
the skin region (:func:`veil.core.detectors.marks_skin.skin_region`).

The boosted trees were trained on these exact planes: every faster form here computes the
same values bit for bit (the same OpenCV calls on the same arrays, float32 arithmetic in the
same order, medians of integer-valued data from histograms), so the ink mask and the
candidate boxes do not move by a pixel. tests/core/test_marks_speed.py checks this against
the original formulation.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from veil.core.detectors.marks_skin import shrink, skin_mask, skin_region

#: Neighbourhood (Gaussian sigma, fraction of the long side) of the local skin colour.
LOCAL_SIGMA = 0.035
#: Ink thresholds in Lab units (0..255 scale) against the local skin colour.
INK_DARKER = 14.0
INK_CHROMA = 13.0
#: The neighbourhood must be at least this much skin for a pixel to count as ink.
MIN_SKIN_NEIGHBOURHOOD = 0.3
#: Gap size (fraction of the long side) bridged when filling the skin region; 0 = off.
ENCLOSE = 0.06
#: Weight of the photo's median skin colour where there is little skin nearby.
PRIOR_WEIGHT = 0.05
#: Wide blurs run at 1/SMOOTH_STEP size (they dominate the run time at full size).
SMOOTH_STEP = 4


#: Three (h, w) planes: L, a, b.
Planes = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True, slots=True)
class InkMaps:
    """Per-pixel planes of one working image (float32 unless said otherwise).

    Colour planes are separate (h, w) arrays, channel 0..2 = L, a, b: pixel-wise float32
    arithmetic on contiguous planes is several times faster than on interleaved (h, w, 3)
    arrays with broadcasting, and gives the same numbers.
    """

    skin: np.ndarray  # float32 0/1
    skin_small: np.ndarray  # skin averaged to 1/SMOOTH_STEP size (shared by wide blurs)
    lab8: np.ndarray  # uint8 (h, w, 3) Lab as OpenCV gives it
    lightness: np.ndarray  # uint8 (h, w) its L plane, contiguous
    local: Planes  # local skin colour
    diff: Planes  # lab - local
    dark: np.ndarray  # how much darker than the local skin (>= 0)
    chroma: np.ndarray  # colour distance to the local skin (a*, b*)
    ink: np.ndarray  # uint8 0/1


def shrink_plane(plane: np.ndarray) -> np.ndarray:
    """``plane`` averaged down to 1/SMOOTH_STEP size (the first half of :func:`smooth`)."""
    h, w = plane.shape[:2]
    size = (max(1, w // SMOOTH_STEP), max(1, h // SMOOTH_STEP))
    return cv2.resize(plane, size, interpolation=cv2.INTER_AREA)


def blur_up(small: np.ndarray, sigma: float, size: tuple[int, int]) -> np.ndarray:
    """A Gaussian blur (``sigma`` in full-size pixels) of a :func:`shrink_plane` result,
    brought back to ``size`` (w, h): the second half of :func:`smooth`."""
    blurred = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / SMOOTH_STEP))
    return cv2.resize(blurred, size, interpolation=cv2.INTER_LINEAR)


def smooth(plane: np.ndarray, sigma: float) -> np.ndarray:
    """A wide Gaussian blur computed at 1/SMOOTH_STEP size."""
    h, w = plane.shape[:2]
    return blur_up(shrink_plane(plane), sigma, (w, h))


def median_u8(values: np.ndarray) -> np.float32:
    """``np.median`` of non-empty uint8/integer values, as float32, from a histogram.

    Equal to ``np.median(values.astype(np.float32))``: the middle value, or the mean of the
    two middle values (exact in float32 for integers below 2**23).
    """
    counts = np.bincount(values.ravel())
    cum = np.cumsum(counts)
    n = int(cum[-1])
    lo = int(np.searchsorted(cum, (n - 1) // 2, side="right"))
    hi = int(np.searchsorted(cum, n // 2, side="right"))
    return np.float32((lo + hi) / 2)


def _skin_prior(lab8: np.ndarray, skin: np.ndarray) -> np.ndarray:
    """The photo's median skin colour (Lab, float32 (3,)), sampled every other pixel."""
    if not skin.any():
        return np.array([170.0, 150.0, 150.0], np.float32)
    sampled = lab8[::2, ::2][skin[::2, ::2] > 0]
    if len(sampled) == 0:  # skin only on odd rows/columns: what np.median says (nan)
        return np.median(sampled.astype(np.float32), axis=0)
    return np.array([median_u8(sampled[:, c]) for c in range(3)], np.float32)


def ink_maps(work: np.ndarray, face_boxes: np.ndarray) -> InkMaps:
    """Skin, local skin colour and ink for a working-size RGB image."""
    h, w = work.shape[:2]
    long_side = max(h, w)
    skin = skin_mask(work, face_boxes)
    skin_small = shrink(skin)
    lab8 = cv2.cvtColor(work, cv2.COLOR_RGB2LAB)
    lab_l, lab_a, lab_b = cv2.split(lab8)  # contiguous uint8 planes: cheap to read
    sigma = LOCAL_SIGMA * long_side
    density = blur_up(skin_small, sigma, (w, h))
    # lab * skin with skin 0/1 is lab where skin and 0 elsewhere: the same float32 image,
    # made from uint8 (masking then converting is cheaper than a float multiply).
    masked = cv2.bitwise_and(lab8, lab8, mask=(skin > 0).astype(np.uint8)).astype(np.float32)
    weighted = smooth(masked, sigma)
    # Where there is little skin nearby, lean on the photo's median skin colour.
    prior = _skin_prior(lab8, skin)
    k = np.float32(PRIOR_WEIGHT)
    den = density + k
    # (weighted + k * prior) / (density + k) channel by channel, as the broadcast was.
    local: Planes = ((weighted[..., 0] + k * prior[0]) / den,
                     (weighted[..., 1] + k * prior[1]) / den,
                     (weighted[..., 2] + k * prior[2]) / den)
    # uint8 minus float32 is float32(lab) minus local: the same numbers, no float Lab copy.
    diff: Planes = (lab_l - local[0], lab_a - local[1], lab_b - local[2])
    dark = np.negative(diff[0])
    np.maximum(dark, np.float32(0.0), out=dark)
    # sqrt(a*a + b*b) in float32, step by step in one buffer (same operations, no temporaries).
    chroma = np.square(diff[1])
    chroma += np.square(diff[2])
    np.sqrt(chroma, out=chroma)
    mostly_skin = blur_up(skin_small, 2 * sigma, (w, h)) >= MIN_SKIN_NEIGHBOURHOOD
    if ENCLOSE > 0:
        mostly_skin &= skin_region(skin, ENCLOSE * long_side, skin_small)
    ink = (((dark >= INK_DARKER) | (chroma >= INK_CHROMA)) & mostly_skin).astype(np.uint8)
    return InkMaps(skin, skin_small, lab8, lab_l, local, diff, dark, chroma, ink)
