"""Features of the mark detector's candidate boxes (step 4 of :mod:`marks_features`).

Each feature is a mean over the box or the ring around it of one per-pixel plane (ink,
contrast, texture, skin, dark lines, ...), read from integral images. Split from
:mod:`marks_features` with the same numbers: integer-valued planes (edges, dark lines) are
computed and summed in integer arithmetic, which is exact, instead of float32/float64,
which were exact too; planes are integrated a few at a time (OpenCV sums each channel of a
multi-channel image exactly as it sums a single plane). The integrals are memory-bound:
uint8 in, int32 out moves a quarter of the bytes of float32 in, float64 out. Planes that
are zero off the ink exist only over the ink's bounding rectangle (:class:`Inked`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from veil.core.detectors.marks_ink import MIN_SKIN_NEIGHBOURHOOD, InkMaps, blur_up, median_u8

#: Black-hat (dark line) filter width, fraction of the long side: fine-line strokes.
LINE_WIDTH = 0.012
#: Wider skin neighbourhood (fraction of the long side) for the "inside a skin area" feature.
WIDE_SIGMA = 0.07


def box_sums(ii: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Sums over boxes (n, 4 ints, exclusive ends) from an integral image (any channels)."""
    x0, y0, x1, y1 = boxes.T
    return ii[y1, x1] - ii[y0, x1] - ii[y1, x0] + ii[y0, x0]


def planes(
    maps: InkMaps,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], Inked, float]:
    """The per-pixel planes whose box and ring means are features, and the photo's typical
    skin texture (median edge strength on skin that is not ink).

    Returns integer planes (uint8: masks and the 0..255 dark-line response), float32 planes,
    the ink-weighted planes (:func:`inked_planes`) and the texture. Integer planes are
    summed in int32, which is exact and what the float64 sums of the same integers were; it
    moves a quarter of the bytes.
    """
    skin, ink = maps.skin, maps.ink
    lightness = maps.lightness
    h, w = ink.shape
    long_side = max(h, w)
    # Sobel of integer lightness in int16: the same integers the float32 Sobel gave.
    gx = cv2.Sobel(lightness, cv2.CV_16S, 1, 0, ksize=3)
    gy = cv2.Sobel(lightness, cv2.CV_16S, 0, 1, ksize=3)
    edge_int = np.abs(gx) + np.abs(gy)  # <= 2 * 4 * 255: no int16 overflow
    skin8 = (skin > 0).astype(np.uint8)
    on_skin = skin8 > ink
    skin_texture = float(median_u8(edge_int[on_skin])) if on_skin.any() else 0.0
    # Strokes up to ~2 px wide vanish under a 3x3 opening; blobs (hair, holes) survive it.
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    thin = ink & (1 - opened)
    # A black-hat (closing minus image) lights up dark strokes narrower than its kernel:
    # fine-line tattoos, which change the local skin colour too little to be "ink". On
    # uint8 it is the same as on float32 (min/max are exact, closing >= image: no clipping).
    k = max(3, int(round(LINE_WIDTH * long_side)) | 1)
    line = cv2.morphologyEx(
        lightness, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    skin_area = (
        blur_up(maps.skin_small, WIDE_SIGMA * long_side, (w, h)) >= MIN_SKIN_NEIGHBOURHOOD
    ).astype(np.uint8)
    whole = {
        "ink": ink,
        "skin": skin8,
        "very_dark": (lightness < 45).astype(np.uint8),
        "thin": thin,
        "line": line * skin_area,
        "skin_area": skin_area,
        # Edge strength (0..2040) as two bytes: describe() recombines the sums exactly.
        "edge_lo": (edge_int & 255).astype(np.uint8),
        "edge_hi": (edge_int >> 8).astype(np.uint8),
    }
    fractional = {"skin_l": maps.local[0], "chroma_all": maps.chroma}
    return whole, fractional, inked_planes(maps), skin_texture


@dataclass(frozen=True, slots=True)
class Inked:
    """Planes that are zero off the ink, kept only over the ink's bounding rectangle."""

    planes: dict[str, np.ndarray]  # float32 (ch, cw) each
    window: tuple[int, int, int, int]  # x, y, cw, ch in working pixels; cw = 0: no ink


def inked_planes(maps: InkMaps) -> Inked:
    """Ink-weighted contrast, colour shift and hue turn, over the ink's bounding rectangle.

    Outside that rectangle they are zero, so their sums over any box are the sums over the
    box's part inside it: computing them (two phase maps included) and their integrals for
    the rectangle only saves most of their cost on photos with little ink.
    """
    x, y, cw, ch = cv2.boundingRect(maps.ink)
    if cw == 0 or ch == 0:
        return Inked({}, (0, 0, 0, 0))
    win = (slice(y, y + ch), slice(x, x + cw))
    inkf = maps.ink[win].astype(np.float32)
    (_, la, lb), (da, db) = (p[win] for p in maps.local), (p[win] for p in maps.diff[1:])
    ink_angle = cv2.phase(da + la - 128, db + lb - 128)
    skin_angle = cv2.phase(la - 128, lb - 128)
    turn = np.abs(ink_angle - skin_angle)
    hue_shift = np.minimum(turn, 2 * np.pi - turn)
    named = {
        "dark": maps.dark[win] * inkf,
        "chroma": maps.chroma[win] * inkf,
        "da": da * inkf,
        "db": db * inkf,
        "hue_shift": hue_shift * inkf,
    }
    return Inked(named, (x, y, cw, ch))


def inked_sums(
    inked: Inked, boxes: np.ndarray, outer: np.ndarray
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """:func:`plane_sums` of the ink-weighted planes: boxes clipped to their window.

    The sums are those of the whole-image planes up to the order of float64 additions
    (relative differences ~1e-16, far below the float32 features' own rounding).
    """
    x, y, cw, ch = inked.window
    names = ("dark", "chroma", "da", "db", "hue_shift")
    if cw == 0:
        zero = np.zeros(len(boxes))
        return {n: (zero, zero) for n in names}
    shift = np.array([x, y, x, y])
    top = np.array([cw, ch, cw, ch])

    def clip(b: np.ndarray) -> np.ndarray:
        return np.clip(b - shift, 0, top)

    return plane_sums(inked.planes, clip(boxes), clip(outer), 2)


def plane_sums(
    named: dict[str, np.ndarray], boxes: np.ndarray, outer: np.ndarray, per_call: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each plane, its float64 sums over ``boxes`` and over ``outer`` boxes.

    Planes of one dtype are integrated ``per_call`` at a time as channels of one image;
    uint8 planes into int32 (exact), float32 planes into float64 (each channel summed as a
    lone plane would be).
    """
    names = list(named)
    sums: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for i in range(0, len(names), per_call):
        group = names[i : i + per_call]
        first = named[group[0]]
        stack = cv2.merge([named[n] for n in group]) if len(group) > 1 else first
        depth = cv2.CV_32S if first.dtype == np.uint8 else cv2.CV_64F
        ii = cv2.integral(stack, sdepth=depth).reshape(first.shape[0] + 1, first.shape[1] + 1,
                                                      len(group))
        inside = box_sums(ii, boxes).astype(np.float64)
        around = box_sums(ii, outer).astype(np.float64)
        for c, name in enumerate(group):
            sums[name] = (inside[:, c], around[:, c])
    return sums


def face_features(boxes: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of each box inside any face box; distance to the nearest face in face sizes."""
    n = len(boxes)
    if len(faces) == 0:
        return np.zeros(n), np.full(n, 10.0)
    b = boxes[:, None, :].astype(np.float64)
    f = faces[None, :, :].astype(np.float64)
    iw = np.clip(np.minimum(b[..., 2], f[..., 2]) - np.maximum(b[..., 0], f[..., 0]), 0, None)
    ih = np.clip(np.minimum(b[..., 3], f[..., 3]) - np.maximum(b[..., 1], f[..., 1]), 0, None)
    area = ((b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])).clip(1)
    overlap = (iw * ih / area).max(axis=1)
    bc = (b[..., :2] + b[..., 2:]) / 2
    fc = (f[..., :2] + f[..., 2:]) / 2
    size = np.maximum(f[..., 2] - f[..., 0], f[..., 3] - f[..., 1]).clip(1)
    dist = (np.hypot(*(bc - fc).transpose(2, 0, 1)) / size).min(axis=1)
    return overlap, np.minimum(dist, 10.0)


def describe(
    maps: InkMaps, boxes: np.ndarray, pads: np.ndarray, face_boxes: np.ndarray
) -> np.ndarray:
    """(n, len(FEATURE_NAMES)) float32 features of ``boxes`` (n, 4 int working pixels)."""
    h, w = maps.ink.shape
    whole, fractional, inked, skin_texture = planes(maps)
    bw = boxes[:, 2] - boxes[:, 0]
    bh = boxes[:, 3] - boxes[:, 1]
    pad_x = np.maximum(2, bw // 4)
    pad_y = np.maximum(2, bh // 4)
    outer = np.stack(
        [
            np.maximum(0, boxes[:, 0] - pad_x),
            np.maximum(0, boxes[:, 1] - pad_y),
            np.minimum(w, boxes[:, 2] + pad_x),
            np.minimum(h, boxes[:, 3] + pad_y),
        ],
        axis=1,
    )
    sums = (plane_sums(whole, boxes, outer, 4) | plane_sums(fractional, boxes, outer, 2)
            | inked_sums(inked, boxes, outer))
    lo, hi = sums.pop("edge_lo"), sums.pop("edge_hi")
    sums["edge"] = (hi[0] * 256 + lo[0], hi[1] * 256 + lo[1])
    area = (bw * bh).astype(np.float64)
    ring_area = np.maximum(1.0, (outer[:, 2] - outer[:, 0]) * (outer[:, 3] - outer[:, 1]) - area)
    n_ink = np.maximum(1.0, sums["ink"][0])

    def inside(name: str) -> np.ndarray:
        return sums[name][0] / area

    def ring(name: str) -> np.ndarray:
        return (sums[name][1] - sums[name][0]) / ring_area

    face_overlap, face_near = face_features(boxes, face_boxes)
    border = (
        (boxes[:, 0] <= 0).astype(np.float64) + (boxes[:, 1] <= 0) + (boxes[:, 2] >= w)
        + (boxes[:, 3] >= h)
    )
    feats = np.stack(
        [
            np.log(area / float(w * h)),
            np.abs(np.log(bw / bh)),
            inside("ink"),
            sums["dark"][0] / n_ink,
            sums["chroma"][0] / n_ink,
            sums["da"][0] / n_ink,
            sums["db"][0] / n_ink,
            inside("skin"),
            ring("skin"),
            ring("ink"),
            inside("edge"),
            ring("edge"),
            inside("very_dark"),
            sums["thin"][0] / n_ink,
            sums["hue_shift"][0] / n_ink,
            inside("skin_l"),
            inside("edge") / (ring("edge") + 8.0),
            inside("ink") / (ring("ink") + 0.02),
            np.full(len(boxes), skin_texture),
            np.full(len(boxes), float(maps.skin.mean())),
            face_overlap,
            face_near,
            border,
            pads,
            inside("line"),
            inside("line") / (ring("line") + 1.0),
            inside("skin_area"),
            ring("skin_area"),
            inside("chroma_all") - ring("chroma_all"),
        ],
        axis=1,
    )
    return feats.astype(np.float32)
