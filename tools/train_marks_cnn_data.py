"""Training images for the mark CNN (dev tool, not shipped): decoded, resized, cached in /tmp.

Every image is decoded as the app decodes it for the mark detector (``load_upright`` at the
detector's 640 px) and brought to the network's working size by the app's own
:func:`veil.core.detectors.marks_cnn.working_image`, kept as uint8 RGB with its boxes in
working pixels. Kinds:

* ``real`` / ``negative``: ``../shared/marks-train`` (boxes from ``annotations.json``,
  ``group`` from ``manifest.json`` so one person stays on one side of a split);
* ``synthetic``: small tattoos and soft birthmarks composited on the skin of the
  marks-train negatives (:mod:`train_marks_cnn_synth`, own seed; never ``../shared/marks``);
* ``roll``: ordinary photos of ``../shared/corpus`` + ``../shared/faces`` (hard negatives),
  only the half that ``veil.bench.marks.roll_half`` puts in training; the other half is held
  out for the roll false-alarm figure;
* ``texture``: warm, busy textures made here (foliage, brick, soil, stripes, fur, spots,
  wood), the false alarms of a "dark marks on warm colours" detector.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from veil.bench.marks import roll_half, roll_paths
from veil.core.detectors.marks_cnn import working_image
from veil.core.pixels import load_upright

CACHE = Path("/tmp/veil-marks-cnn-cache")
#: The mark detector's decode size (marks.MarkDetector.max_side): what the app hands the CNN.
DECODE_SIDE = 640

Box = tuple[float, float, float, float, bool]  # x0, y0, x1, y1, ignore
T = TypeVar("T")


@dataclass
class Item:
    """One training image: pixels at working size and boxes in working pixels."""

    name: str
    kind: str  # real | negative | synthetic | roll | texture
    group: str
    rgb: np.ndarray
    boxes: list[Box] = field(default_factory=list)


def decode(path: Path) -> tuple[np.ndarray, float] | None:
    """(working-size RGB, working pixels per full-size pixel), or None when undecodable."""
    try:
        up = load_upright(path, DECODE_SIDE)
    except Exception:  # unreadable sample files are simply not used
        return None
    rgb = np.asarray(up.image.convert("RGB"))
    work, k = working_image(rgb)
    return work, up.scale * k


def load_annotated(folder: Path, groups: dict[str, str] | None = None) -> list[Item]:
    """The photos of an annotated folder (``marks-train`` or ``marks``) with their boxes."""
    notes = json.loads((folder / "annotations.json").read_text())
    items = []
    for name in sorted(notes):
        got = decode(folder / "images" / name)
        if got is None:
            continue
        rgb, s = got
        boxes = [(m["box"][0] * s, m["box"][1] * s, m["box"][2] * s, m["box"][3] * s,
                  bool(m["ignore"])) for m in notes[name]["marks"]]
        group = "g:" + (groups or {}).get(name, name)
        items.append(Item(name, notes[name]["subset"], group, rgb, boxes))
    return items


def load_marks_train(shared: Path) -> list[Item]:
    """``marks-train``'s real and negative photos, grouped by person (``manifest.json``)."""
    folder = shared / "marks-train"
    manifest = json.loads((folder / "manifest.json").read_text())
    groups = {e["file"]: str(e["group"]) for e in manifest["images"]}
    return load_annotated(folder, groups)


def load_roll(shared: Path, half: str) -> list[Item]:
    """Roll photos of one half as negatives (``half``: 'train' or 'held')."""
    items = []
    for p in roll_paths(shared):
        if roll_half(p) != half:
            continue
        got = decode(p)
        if got is not None:
            items.append(Item(f"roll:{p.name}", "roll", f"roll:{p.name}", got[0]))
    return items


def cached(key: str, build: Callable[[], T]) -> T:
    """``build()`` once per key; later runs read the pickle (decoding is the slow part)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{key}.pkl"
    if path.is_file():
        value: T = pickle.loads(path.read_bytes())
        return value
    value = build()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)
    return value


def grouped_folds(items: list[Item], k: int, seed: int) -> list[int]:
    """Fold of each item; whole groups per fold, shuffled with the seed."""
    groups = sorted({i.group for i in items})
    order = np.random.default_rng(seed).permutation(len(groups))
    fold_of = {groups[g]: n % k for n, g in enumerate(order)}
    return [fold_of[i.group] for i in items]
