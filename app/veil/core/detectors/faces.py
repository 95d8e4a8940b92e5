"""Pixel detector: faces, with CenterFace (MIT, shipped in ``assets/models``) on onnxruntime.

The network sees the upright photo at long side 640 (each side padded to a multiple of 32)
and returns, on a grid 4x coarser than its input, a face-centre heat-map plus, per cell, the
box size (log scale), the sub-cell centre offset and five landmarks. Peaks above a threshold
become boxes; overlapping boxes are merged by NMS; boxes are mapped back to full-size upright
pixels. Thresholds were tuned on ``../shared/faces`` (see ``veil bench faces``).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from veil.core.assets import asset_path
from veil.core.cancel import CancelToken
from veil.core.detectors import PixelContext
from veil.core.model import CheckStatus, Finding, FindingKind, Severity

if TYPE_CHECKING:
    from PIL import Image

    from veil.core.pixels import UprightImage

MODEL_PARTS = ("models", "centerface.onnx")
#: Long side the network works at: 640 finds faces down to ~10 px at ~25-50 ms on 2 cores.
WORK_SIDE = 640
#: Heat-map score a face must reach (tuned on ../shared/faces: recall vs false alarms).
THRESHOLD = 0.35
#: Boxes overlapping more than this (IoU) with a stronger one are the same face.
NMS_IOU = 0.3
_STRIDE = 32
_INPUT = "input.1"
_OUTPUTS = ("537", "538", "539", "540")  # heat-map, log box size, centre offset, landmarks


def default_threads() -> int:
    """Inference threads: all usable cores but one, so the window stays responsive.

    ``VEIL_DETECTOR_THREADS`` overrides it (e.g. a headless batch may use every core).
    """
    env = os.environ.get("VEIL_DETECTOR_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), 64)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


class _Session:
    """One onnxruntime session per process, created on first use and shared by all threads.

    ``InferenceSession.run`` is thread-safe; only creation needs the lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: Any = None

    def get(self) -> Any:
        """The session, loading the model once.

        Raises:
            RuntimeError: the model file is missing.
            ImportError: onnxruntime is not installed.
        """
        if self._session is not None:
            return self._session
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                model = asset_path(*MODEL_PARTS)
                if model is None:
                    raise RuntimeError("the face model file is missing from this installation")
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = default_threads()
                opts.inter_op_num_threads = 1
                opts.log_severity_level = 3  # errors only: no per-run chatter on stderr
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                self._session = ort.InferenceSession(
                    str(model), sess_options=opts, providers=["CPUExecutionProvider"]
                )
        return self._session


_SESSION = _Session()


class RawBoxes:
    """Boxes ``(N, 4)`` as x1, y1, x2, y2 in network-input pixels, with scores ``(N,)``."""

    __slots__ = ("boxes", "scores")

    def __init__(self, boxes: np.ndarray, scores: np.ndarray) -> None:
        self.boxes = boxes
        self.scores = scores

    def take(self, keep: np.ndarray) -> RawBoxes:
        """The subset at indices ``keep``."""
        return RawBoxes(self.boxes[keep], self.scores[keep])

    def clip_to(self, width: int, height: int) -> RawBoxes:
        """Boxes clipped to the image (the padding is not part of the photo)."""
        b = self.boxes.copy()
        b[:, 0::2] = b[:, 0::2].clip(0, width)
        b[:, 1::2] = b[:, 1::2].clip(0, height)
        return RawBoxes(b, self.scores)


def decode(
    heat: np.ndarray, log_size: np.ndarray, offset: np.ndarray, threshold: float
) -> RawBoxes:
    """CenterFace outputs of one image to boxes.

    ``heat`` is HxW (face-centre probability per 4x4 cell), ``log_size`` 2xHxW (log of box
    height, width in cells), ``offset`` 2xHxW (y, x of the centre within the cell).
    """
    ys, xs = np.nonzero(heat > threshold)
    scores = heat[ys, xs].astype(np.float32)
    h = np.exp(log_size[0, ys, xs]) * 4
    w = np.exp(log_size[1, ys, xs]) * 4
    cy = (ys + offset[0, ys, xs] + 0.5) * 4
    cx = (xs + offset[1, ys, xs] + 0.5) * 4
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1).astype(np.float32)
    return RawBoxes(boxes.reshape(-1, 4), scores)


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


def _to_input(img: Image.Image) -> np.ndarray:
    """RGB 0..255 as 1x3xHxW float32, zero-padded right/bottom to multiples of 32.

    Padding (rather than stretching) keeps the aspect ratio, so boxes map back by one scale.
    """
    arr = np.asarray(img, dtype=np.uint8)
    h, w = arr.shape[:2]
    ph, pw = -(-h // _STRIDE) * _STRIDE, -(-w // _STRIDE) * _STRIDE
    blob = np.zeros((1, 3, ph, pw), dtype=np.float32)
    blob[0, :, :h, :w] = arr.transpose(2, 0, 1)
    return blob


def run_network(img: Image.Image, threshold: float = THRESHOLD) -> RawBoxes:
    """Faces in ``img`` (any size; callers resize) as boxes in ``img`` pixels, after NMS.

    Raises:
        RuntimeError: the model file is missing.
        ImportError: onnxruntime is not installed.
    """
    blob = _to_input(img)
    heat, scale, offset, _landmarks = _SESSION.get().run(list(_OUTPUTS), {_INPUT: blob})
    raw = decode(heat[0, 0], scale[0], offset[0], threshold)
    raw = raw.clip_to(img.width, img.height)
    return raw.take(nms(raw.boxes, raw.scores, NMS_IOU))


def _working_image(image: UprightImage) -> tuple[Image.Image, float]:
    """``image.image`` resized to long side <= WORK_SIDE, and the factor that maps back."""
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


def _position(cx: float, cy: float) -> str:
    """Plain words for where a point lies: "top left", "bottom centre", "centre"..."""
    row = ("top", "middle", "bottom")[min(2, int(cy * 3))]
    col = ("left", "centre", "right")[min(2, int(cx * 3))]
    if row == "middle" and col == "centre":
        return "centre"
    return f"{row} {col}"


class FaceDetector:
    """CenterFace on onnxruntime; see the module docstring."""

    id = "faces"
    max_side = WORK_SIDE

    def __init__(self) -> None:
        self._available: CheckStatus | None = None

    def available(self) -> CheckStatus:
        """DONE when onnxruntime imports and the model file is present, else NOT_AVAILABLE."""
        if self._available is None:
            import importlib.util

            has_ort = importlib.util.find_spec("onnxruntime") is not None
            has_model = asset_path(*MODEL_PARTS) is not None
            ok = has_ort and has_model
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
        raw = run_network(work)
        findings = []
        fw, fh = image.full_width, image.full_height
        for (x1, y1, x2, y2), score in zip(raw.boxes.tolist(), raw.scores.tolist(), strict=True):
            region = image.to_full(x1 / k, y1 / k, (x2 - x1) / k, (y2 - y1) / k)
            if region.w <= 0 or region.h <= 0:
                continue
            cx, cy = (region.x + region.w / 2) / fw, (region.y + region.h / 2) / fh
            findings.append(
                Finding(
                    kind=FindingKind.FACE,
                    severity=Severity.HIGH,
                    summary=f"A face is visible ({_position(cx, cy)})",
                    source="pixels",
                    detail={
                        "box_px": region.as_list(),
                        "box_normalized": [
                            round(region.x / fw, 4),
                            round(region.y / fh, 4),
                            round(region.w / fw, 4),
                            round(region.h / fh, 4),
                        ],
                        "detector": "CenterFace",
                    },
                    region=region,
                    confidence=round(float(score), 3),
                )
            )
        findings.sort(key=lambda f: -(f.confidence or 0.0))
        return findings


DETECTOR = FaceDetector()
