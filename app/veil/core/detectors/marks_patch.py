"""The small-mark patch net: a second look at a small candidate's own pixels.

Small tattoos and birthmarks (a symbol or a word on a neck, a mole-sized birthmark) cover a
few hundred pixels; the whole-photo mark CNN (:mod:`marks_cnn`) sees them as one or two of
its 8 x 8 cells and the trees' hand-made features cannot tell a drawn star from an ear, a
nostril or a shadow. This tiny CNN (``assets/models/marks_patch.onnx``, ~60k parameters,
trained from scratch by ``tools/train_marks_patch.py``; see ``assets/models/MODELS.md``)
looks at a :data:`SIDE` x SIDE crop around one small candidate (twice the box's long side,
so it sees the skin around it) and says how likely it is a mark. The tree model combines it
with its small scorer (:meth:`veil.core.detectors.marks_model.TreeModel.score`), and asks
only for the few candidates that could pass at all, so a photo costs ~1-3 crops.

Pure numpy/OpenCV on OpenCV's DNN module (never onnxruntime: it phones home, issue 12).
"""

from __future__ import annotations

import importlib.util

import numpy as np

from veil.core.assets import asset_path
from veil.core.detectors.dnn import NetPool

MODEL_PARTS = ("models", "marks_patch.onnx")
#: The crop's side in pixels, as trained.
SIDE = 32
#: The crop covers this many times the candidate box's long side (context: the skin around).
CONTEXT = 2.0
#: ... and at least this many pixels of the image the candidates were found on.
MIN_CROP = 12.0

_NETS = NetPool(lambda: asset_path(*MODEL_PARTS), "small-mark model")


def available() -> bool:
    """True when OpenCV is installed and the model file is present."""
    return importlib.util.find_spec("cv2") is not None and asset_path(*MODEL_PARTS) is not None


def crop(rgb: np.ndarray, box: np.ndarray | tuple[float, ...]) -> np.ndarray:
    """The SIDE x SIDE uint8 RGB crop the net reads for ``box`` (x0, y0, x1, y1 in ``rgb``
    pixels): a square centred on the box, :data:`CONTEXT` times its long side, borders
    mirrored. The training tool uses this very function."""
    import cv2

    x0, y0, x1, y1 = (float(v) for v in box[:4])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    side = max(MIN_CROP, CONTEXT * max(x1 - x0, y1 - y0))
    src = np.array([[cx - side / 2, cy - side / 2], [cx + side / 2, cy - side / 2],
                    [cx - side / 2, cy + side / 2]], np.float32)
    dst = np.array([[0, 0], [SIDE, 0], [0, SIDE]], np.float32)
    matrix = cv2.getAffineTransform(src, dst)
    shrink = cv2.INTER_AREA if side > SIDE else cv2.INTER_LINEAR
    return cv2.warpAffine(rgb, matrix, (SIDE, SIDE), flags=shrink,
                          borderMode=cv2.BORDER_REFLECT)


def blob(crops: np.ndarray) -> np.ndarray:
    """(n, SIDE, SIDE, 3) uint8 crops as the net's float32 NCHW input (centred on 0)."""
    return np.ascontiguousarray(crops.transpose(0, 3, 1, 2), np.float32) / 255.0 - 0.5


def patch_probs(rgb: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """The net's probability that each of ``boxes`` (n x 4, ``rgb`` pixels) is a mark.

    Raises:
        RuntimeError: the model file is missing.
    """
    if len(boxes) == 0:
        return np.zeros(0, np.float64)
    crops = np.stack([crop(rgb, b) for b in boxes])
    with _NETS.borrow() as net:
        net.setInput(blob(crops))
        logits = np.asarray(net.forward(), np.float64).reshape(-1)
    return 1.0 / (1.0 + np.exp(-logits))
