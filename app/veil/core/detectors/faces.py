"""Pixel detector: faces, with CenterFace (MIT, shipped in ``assets/models``) on OpenCV's DNN.

The network sees the upright photo at long side 640 (each side padded to a multiple of 32)
and returns, on a grid 4x coarser than its input, a face-centre heat-map plus, per cell, the
box size (log scale) and the sub-cell centre offset (and landmarks, unused). Cells above a
threshold become boxes; overlapping boxes are merged by NMS; boxes are mapped back to
full-size upright pixels.

At 640 px faces narrower than ~18 px (a back row in a group photo) barely show on the
heat-map. A *zoom pass* looks again, at twice the size, at small windows around the strongest
weak peaks that predict a small face, all windows in one batch (bounded count, so bounded
cost). Thresholds were tuned on ``../shared/faces`` (see ``veil bench faces``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from veil.core.assets import asset_path
from veil.core.cancel import CancelToken
from veil.core.detectors import PixelContext
from veil.core.detectors.dnn import NetPool
from veil.core.detectors.regions import box_detail, nms, position_words
from veil.core.model import CheckStatus, Finding, FindingKind, Severity

if TYPE_CHECKING:
    from PIL import Image

    from veil.core.pixels import UprightImage

MODEL_PARTS = ("models", "centerface.onnx")
#: Long side the network works at: ~25-45 ms per photo on 1-2 cores.
WORK_SIDE = 640
#: Heat-map score a face must reach (tuned on ../shared/faces: recall vs false alarms).
THRESHOLD = 0.35
#: Boxes overlapping more than this (IoU) with a stronger one are the same face.
NMS_IOU = 0.3
#: Zoom pass: weak peaks (ZOOM_SEED <= score < THRESHOLD) predicting a face under
#: ZOOM_MAX_FACE working px get a ZOOM_WINDOW px window, looked at ZOOM times larger; at most
#: ZOOM_MAX_WINDOWS per photo (~+1 pass worst case, +10 % CPU on average on ../shared/faces).
#: Its boxes need ZOOM_THRESHOLD: more than the first pass, as upscaled texture fools it more.
ZOOM_SEED = 0.05
ZOOM_MAX_FACE = 24
ZOOM_WINDOW = 48
ZOOM = 2
ZOOM_MAX_WINDOWS = 24
ZOOM_THRESHOLD = 0.6
_STRIDE = 32
_INPUT = "input.1"
_OUTPUTS = ("537", "538", "539", "540")  # heat-map, log box size, centre offset, landmarks


_NETS = NetPool(lambda: asset_path(*MODEL_PARTS), "face model")


Boxes = tuple[np.ndarray, np.ndarray]  # (N, 4) x1, y1, x2, y2 and (N,) scores


def decode(heat: np.ndarray, log_size: np.ndarray, offset: np.ndarray, threshold: float) -> Boxes:
    """CenterFace outputs of one image to boxes in network-input pixels.

    ``heat`` is HxW (face-centre probability per 4x4 cell), ``log_size`` 2xHxW (log of box
    height, width in cells), ``offset`` 2xHxW (y, x of the centre within the cell).
    """
    ys, xs = np.nonzero(heat > threshold)
    h = np.exp(log_size[0, ys, xs]) * 4
    w = np.exp(log_size[1, ys, xs]) * 4
    cy = (ys + offset[0, ys, xs] + 0.5) * 4
    cx = (xs + offset[1, ys, xs] + 0.5) * 4
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    return boxes.reshape(-1, 4).astype(np.float32), heat[ys, xs].astype(np.float32)


def _infer(images: list[np.ndarray]) -> list[np.ndarray]:
    """Run the network on same-sized HxWx3 uint8 arrays, zero-padded to multiples of 32.

    Padding (rather than stretching) keeps the aspect ratio, so boxes map back by one scale.
    """
    h, w = images[0].shape[:2]
    ph, pw = -(-h // _STRIDE) * _STRIDE, -(-w // _STRIDE) * _STRIDE
    blob = np.zeros((len(images), 3, ph, pw), dtype=np.float32)
    for i, arr in enumerate(images):
        blob[i, :, :h, :w] = arr.transpose(2, 0, 1)
    with _NETS.borrow() as net:
        net.setInput(blob, _INPUT)
        outputs: list[np.ndarray] = list(net.forward(list(_OUTPUTS)))
    return outputs


def _zoom_windows(
    heat: np.ndarray, log_size: np.ndarray, width: int, height: int
) -> list[tuple[int, int]]:
    """Top-left corners (working px) of the windows the zoom pass should look at again."""
    if width < ZOOM_WINDOW or height < ZOOM_WINDOW or ZOOM_MAX_WINDOWS <= 0:
        return []
    gh, gw = -(-height // 4), -(-width // 4)  # the grid over the photo, not the padding
    heat, log_size = heat[:gh, :gw], log_size[:, :gh, :gw]
    padded = np.pad(heat, 1, constant_values=-1.0)
    local_max = np.max(
        [padded[dy : dy + gh, dx : dx + gw] for dy in range(3) for dx in range(3)], 0
    )
    small = np.exp(np.minimum(log_size[0], log_size[1])) * 4 < ZOOM_MAX_FACE
    seeds = (heat >= local_max) & (heat >= ZOOM_SEED) & (heat < THRESHOLD) & small
    ys, xs = np.nonzero(seeds)
    corners: list[tuple[int, int]] = []
    half = ZOOM_WINDOW // 2
    for i in np.argsort(-heat[ys, xs], kind="stable"):
        cx, cy = int(xs[i]) * 4 + 2, int(ys[i]) * 4 + 2
        # A seed near an already chosen window's centre is inside it: no second look.
        if any(
            abs(cx - x - half) <= half // 2 and abs(cy - y - half) <= half // 2 for x, y in corners
        ):
            continue
        x, y = (
            min(max(0, cx - half), width - ZOOM_WINDOW),
            min(max(0, cy - half), height - ZOOM_WINDOW),
        )
        corners.append((x, y))
        if len(corners) >= ZOOM_MAX_WINDOWS:
            break
    return corners


def find_faces(work: Image.Image, source: Image.Image | None = None) -> Boxes:
    """Faces in ``work`` (RGB, long side ~WORK_SIDE) as boxes in ``work`` pixels, after NMS.

    ``source`` is the same picture at a higher resolution when one exists: the zoom pass crops
    its windows from it instead of upscaling ``work``.

    Raises:
        RuntimeError: the model file is missing.
        ImportError: OpenCV is not installed.
    """
    from PIL import Image as PILImage

    heat, log_size, offset, _ = _infer([np.asarray(work, dtype=np.uint8)])
    found = [decode(heat[0, 0], log_size[0], offset[0], THRESHOLD)]
    corners = _zoom_windows(heat[0, 0], log_size[0], work.width, work.height)
    if corners:
        src = source if source is not None and source.mode == "RGB" else work
        kx, ky = src.width / work.width, src.height / work.height
        side = ZOOM_WINDOW * ZOOM
        bilinear = PILImage.Resampling.BILINEAR
        boxes_src = [
            (x * kx, y * ky, (x + ZOOM_WINDOW) * kx, (y + ZOOM_WINDOW) * ky) for x, y in corners
        ]
        crops = [np.asarray(src.resize((side, side), bilinear, box=b)) for b in boxes_src]
        zh, zs, zo, _ = _infer(crops)
        for i, (x, y) in enumerate(corners):
            boxes, scores = decode(zh[i, 0], zs[i], zo[i], ZOOM_THRESHOLD)
            found.append((boxes / ZOOM + np.array([x, y, x, y], dtype=np.float32), scores))
    boxes = np.concatenate([b for b, _ in found])
    scores = np.concatenate([s for _, s in found])
    boxes[:, 0::2] = boxes[:, 0::2].clip(0, work.width)
    boxes[:, 1::2] = boxes[:, 1::2].clip(0, work.height)
    keep = nms(boxes, scores, NMS_IOU)
    return boxes[keep], scores[keep]


def _working_image(image: UprightImage) -> tuple[Image.Image, float]:
    """``image.image`` as RGB resized to long side <= WORK_SIDE, and the factor that maps back."""
    from PIL import Image as PILImage

    img = image.image
    if img.mode != "RGB":  # load_upright gives RGB; other callers may not
        img = img.convert("RGB")
    long_side = max(img.size)
    if long_side <= WORK_SIDE:
        return img, 1.0
    k = WORK_SIDE / long_side
    small = img.resize(
        (max(1, round(img.width * k)), max(1, round(img.height * k))),
        PILImage.Resampling.BILINEAR,
    )
    return small, small.width / img.width


class FaceDetector:
    """CenterFace on OpenCV's DNN module; see the module docstring."""

    id = "faces"
    max_side = WORK_SIDE

    def __init__(self) -> None:
        self._available: CheckStatus | None = None

    def available(self) -> CheckStatus:
        """DONE when OpenCV is installed and the model file is present, else NOT_AVAILABLE."""
        if self._available is None:
            import importlib.util

            has_cv2 = importlib.util.find_spec("cv2") is not None
            has_model = asset_path(*MODEL_PARTS) is not None
            ok = has_cv2 and has_model
            self._available = CheckStatus.DONE if ok else CheckStatus.NOT_AVAILABLE
        return self._available

    def detect(
        self, image: UprightImage, cancel: CancelToken, context: PixelContext
    ) -> list[Finding]:
        """One finding per face, region in full-size upright pixels.

        Raises:
            Cancelled: ``cancel`` fired before inference.
            RuntimeError, ImportError: the backend is missing (the audit marks the check FAILED).
        """
        work, k = _working_image(image)
        cancel.raise_if_cancelled()
        source = image.image if k < 1.0 else None
        boxes, scores = find_faces(work, source)
        findings = []
        fw, fh = image.full_width, image.full_height
        for (x1, y1, x2, y2), score in zip(boxes.tolist(), scores.tolist(), strict=True):
            region = image.to_full(x1 / k, y1 / k, (x2 - x1) / k, (y2 - y1) / k)
            if region.w <= 0 or region.h <= 0:
                continue
            findings.append(
                Finding(
                    kind=FindingKind.FACE,
                    severity=Severity.HIGH,
                    summary=f"A face is visible ({position_words(region, fw, fh)})",
                    source="pixels",
                    detail={**box_detail(region, fw, fh), "detector": "CenterFace"},
                    region=region,
                    confidence=round(float(score), 3),
                )
            )
        findings.sort(key=lambda f: -(f.confidence or 0.0))
        return findings


DETECTOR = FaceDetector()
