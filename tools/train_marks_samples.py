"""Training samples for the mark scorer (dev tool, not shipped): candidates + features + labels.

Every image goes through the app's own path: decoded as the audit decodes it
(``load_upright`` at the detector's working side), faces from the shipped face detector,
candidates and features from :mod:`veil.core.detectors.marks_features`. Kinds:

* ``real`` / ``negative``: ``../shared/marks-train`` (``group`` from ``manifest.json``: one
  BIVTatt person stays on one side of every split);
* ``synthetic``: small tattoos and soft birthmarks composited on the skin of the
  marks-train people without a tattoo (:mod:`train_marks_cnn_synth`, own seed), JPEG-encoded
  once like a shared photo; each stays in its background photo's group;
* ``roll``: the training half of the ordinary photos (``../shared/corpus`` +
  ``../shared/faces``, :func:`veil.bench.marks.roll_half`); every candidate is a negative.

Each candidate also carries the mark CNN's view of it (:mod:`veil.core.detectors.marks_hybrid`).
For stacking to be honest, that view comes from a CNN that did not see the photo: two fold
models (``tools/train_marks_cnn.py --folds``; a photo's fold is a hash of its group, so one
person's photos and the composites on a photo share a fold) and each photo is read by the
model of the other fold.

``../shared/marks`` is never read here: it is the evaluation set.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from veil.bench.common import Truth, iou
from veil.bench.marks import roll_half, roll_paths
from veil.core.cancel import NEVER
from veil.core.detectors import PixelContext, faces, marks_cnn, marks_hybrid
from veil.core.detectors import marks_features as mf
from veil.core.detectors.dnn import read_onnx
from veil.core.detectors.marks import DETECTOR, face_boxes
from veil.core.detectors.marks_skin import skin_mask, skin_region
from veil.core.pixels import UprightImage, load_upright

CACHE = Path("/tmp/veil-marks-trees-cache")
SYNTH_SEED = 20261207
#: Composites per photo of a person without a tattoo: the scorer's only small, faint marks
#: (2 gave 135 marks, and grouped CV found 0.10 of them).
SYNTH_PER_NEGATIVE = 5
#: Candidates overlapping a mark by at least this are positives; below it, negatives (a
#: fragment or a whole-limb box is a false alarm the scorer must learn to rank lower).
MATCH_IOU = 0.3


FOLD_MODELS = Path("/tmp/veil-marks-cnn-folds")


def fold_of(group: str) -> int:
    """The CNN fold (0 or 1) of a group: a fixed hash, shared with the CNN's fold training."""
    return hashlib.sha256(group.encode()).digest()[0] % 2


class FoldCells:
    """Cell maps of the CNN that did not see a group: fold ``f`` photos go to model ``1-f``."""

    def __init__(self, folder: Path = FOLD_MODELS) -> None:
        # A missing fold (still training) leaves its photos out: half the data, for a look.
        self._nets = [read_onnx(folder / f"fold{f}.onnx") if (folder / f"fold{f}.onnx").is_file()
                      else None for f in (0, 1)]

    def usable(self, group: str) -> bool:
        """Whether the model that did not see ``group`` is there."""
        return self._nets[1 - fold_of(group)] is not None

    def __call__(self, group: str, rgb: np.ndarray) -> marks_cnn.CellMap:
        return marks_cnn.cell_probs(rgb, self._nets[1 - fold_of(group)])


@dataclass
class Sample:
    """One image's candidates (boxes in the image's working pixels) with labels."""

    name: str
    subset: str  # real | negative | synthetic | roll
    group: str
    has_face: bool
    truths: list[Truth]
    boxes: np.ndarray
    features: np.ndarray
    labels: np.ndarray


def _faces(image: UprightImage) -> np.ndarray:
    """Face boxes of the shipped detector, in ``image.image`` pixels, as the app passes them."""
    found = tuple(faces.DETECTOR.detect(image, NEVER, PixelContext()))
    return face_boxes(PixelContext(found), image)


_CELLS: FoldCells | None = None


def cells() -> FoldCells:
    """The fold models, loaded once."""
    global _CELLS
    if _CELLS is None:
        _CELLS = FoldCells()
    return _CELLS


def _sample(name: str, subset: str, group: str, rgb: np.ndarray, fboxes: np.ndarray,
            truths: list[Truth]) -> Sample:
    cands = marks_hybrid.propose(rgb, fboxes, cells()(group, rgb))
    boxes = cands.boxes.astype(np.float64) / cands.scale
    labels = np.zeros(len(boxes))
    for i, b in enumerate(boxes):
        if any(not t.ignore and iou(tuple(b), t.box) >= MATCH_IOU for t in truths):
            labels[i] = 1.0
        elif any(t.ignore and iou(tuple(b), t.box) >= MATCH_IOU for t in truths):
            labels[i] = -1.0  # on an ignore mark: neither right nor wrong, no weight
    return Sample(name, subset, group, len(fboxes) > 0, truths, boxes, cands.features, labels)


def _upright(path: Path) -> UprightImage | None:
    try:
        return load_upright(path, DETECTOR.max_side)
    except Exception:  # an unreadable sample photo is simply not used
        return None


def marks_train(shared: Path) -> tuple[list[Sample], list[tuple[str, str, np.ndarray, np.ndarray]]]:
    """marks-train samples, plus (name, group, rgb, faces) of its negatives for compositing."""
    folder = shared / "marks-train"
    notes = json.loads((folder / "annotations.json").read_text())
    groups = {e["file"]: e["group"] for e in json.loads((folder / "manifest.json").read_text())
              ["images"]}
    samples, backgrounds = [], []
    for name in sorted(notes):
        if not cells().usable("g:" + str(groups.get(name, name))):
            continue
        image = _upright(folder / "images" / name)
        if image is None:
            continue
        rgb = np.asarray(image.image.convert("RGB"))
        fboxes = _faces(image)
        s = image.scale
        truths = [Truth(tuple(v * s for v in m["box"]), bool(m["ignore"]))
                  for m in notes[name]["marks"]]
        group = "g:" + str(groups.get(name, name))
        samples.append(_sample(name, notes[name]["subset"], group, rgb, fboxes, truths))
        if notes[name]["subset"] == "negative":
            backgrounds.append((name, group, rgb, fboxes))
    return samples, backgrounds


def _bare_skin(work: np.ndarray, fboxes: np.ndarray) -> np.ndarray:
    """Skin (bool) as the app sees it, inside its skin region and mostly skin around
    (:func:`marks_features.ink_maps`' rule for where ink can be, blurred at full size)."""
    skin = skin_mask(work, fboxes)
    long_side = max(work.shape[:2])
    around = cv2.GaussianBlur(skin, (0, 0), 2 * mf.LOCAL_SIGMA * long_side)
    return ((skin > 0) & (around >= mf.MIN_SKIN_NEIGHBOURHOOD)
            & skin_region(skin, mf.ENCLOSE * long_side))


def synthetic(backgrounds: list[tuple[str, str, np.ndarray, np.ndarray]]) -> list[Sample]:
    """Composited marks on the people without a tattoo, each JPEG-encoded once (q 88)."""
    from train_marks_cnn_synth import composite

    rng = np.random.default_rng(SYNTH_SEED)
    out = []
    for name, group, rgb, fboxes in backgrounds:
        # Marks go where the app itself sees bare skin that ink can be on (as ../shared/marks
        # draws them inside bare-skin regions): the tool's own colour rule alone also takes
        # in brown clothing, where no candidate can ever be and a mark teaches nothing.
        work, factor = mf.to_work(rgb)
        allowed = _bare_skin(work, fboxes * factor)
        if factor < 1.0:
            allowed = cv2.resize(allowed.astype(np.uint8), rgb.shape[1::-1],
                                 interpolation=cv2.INTER_NEAREST) > 0
        for k in range(SYNTH_PER_NEGATIVE):
            made, boxes = composite(rgb, fboxes, rng, int(rng.integers(1, 4)), allowed=allowed)
            if not any(not b[4] for b in boxes):
                continue
            buf = io.BytesIO()
            Image.fromarray(made).save(buf, "JPEG", quality=88)
            made = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
            truths = [Truth(tuple(map(float, b[:4])), bool(b[4])) for b in boxes]
            out.append(_sample(f"synth{k}:{name}", "synthetic", group, made, fboxes, truths))
    return out


def roll(shared: Path, half: str) -> list[Sample]:
    """Ordinary photos of one roll half; every candidate is a negative."""
    out = []
    for path in roll_paths(shared):
        if roll_half(path) != half or not cells().usable(f"roll:{path.name}"):
            continue
        image = _upright(path)
        if image is None:
            continue
        fboxes = _faces(image)
        rgb = np.asarray(image.image.convert("RGB"))
        out.append(_sample(f"roll:{path.name}", "roll", f"roll:{path.name}", rgb, fboxes, []))
    return out


def _code_key() -> str:
    """Cached samples are only reused while the candidate/feature code is unchanged."""
    root = Path(marks_hybrid.__file__).parent
    h = hashlib.sha256()
    for name in ("marks_features.py", "marks_skin.py", "marks_ink.py", "marks_group.py",
                 "marks_describe.py", "faces.py", "marks_hybrid.py", "marks_cnn.py"):
        h.update((root / name).read_bytes())
    for f in (0, 1):
        if (FOLD_MODELS / f"fold{f}.onnx").is_file():
            h.update((FOLD_MODELS / f"fold{f}.onnx").read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:12]


def cached(key: str, build: Callable[[], list[Sample]]) -> list[Sample]:
    """``build()`` once per (key, code version); later runs read a pickle in /tmp."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{key}-{_code_key()}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    value = build()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)
    return value


def load_all(shared: Path) -> list[Sample]:
    """Every training sample: marks-train, composited marks, the roll's training half."""
    def build_train() -> list[Sample]:
        samples, backgrounds = marks_train(shared)
        return samples + synthetic(backgrounds)

    return cached("marks-train", build_train) + cached("roll-train", lambda: roll(shared, "train"))
