"""Train the mark CNN and write ``assets/models/marks_cnn.onnx``.

    nice -n 10 .venv/bin/python tools/train_marks_cnn.py [--shared ../shared] [--cv 3] [--eval]

Needs the ``train`` extra (torch, onnx). Deterministic on one machine (fixed seeds, 2 torch
threads): the same data gives the same weights.

1. Data (decoded once, cached in /tmp, :mod:`train_marks_cnn_data`): ``marks-train``'s real
   tattoos and people without one, the training half of the camera roll (``corpus`` +
   ``faces``) and warm textures made here, as hard negatives. Small tattoos and birthmarks
   composited on those people (:mod:`train_marks_cnn_synth`) are made and folded too, but
   today's recipe draws no batch from them (``MIX`` in :mod:`train_marks_cnn_fit`). Never
   ``../shared/marks``: that is the evaluation set (``--eval`` only scores on it).
2. Random 192 px crops at random scales, flips and colour jitter; an 8x8 cell mostly inside a
   tattoo box is a positive, cells on ``ignore`` boxes weigh nothing; focal loss
   (:mod:`train_marks_cnn_fit`).
3. ``--cv K``: grouped K-fold cross-validation over ``marks-train`` + its synthetic copies
   (a person's photos and the synthetic copies of a photo stay in one fold): cell AUC and
   the benchmark's region figures per threshold, plus the held-out roll half. Stage 1 (the
   cell map) only: the box head is not cross-validated here (the trees' grouped CV, stacked
   on fold CNNs of both stages, is what measures it).
4. One fit on everything: stage 1, then the box head (:mod:`train_marks_cnn_boxes`); export
   to ONNX, check OpenCV's DNN gives the torch numbers for both outputs.
5. ``--eval``: the shipped path (``marks_cnn.cell_probs`` + the box head's ``mark_boxes`` on
   OpenCV's DNN) on ``../shared/marks`` and the held-out roll half
   (:mod:`train_marks_cnn_eval`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(ROOT / "tools"))

import torch  # noqa: E402
import train_marks_cnn_fit as fitting  # noqa: E402
from train_marks_cnn_boxes import train_boxes  # noqa: E402
from train_marks_cnn_data import (  # noqa: E402
    Item,
    cached,
    grouped_folds,
    load_marks_train,
    load_roll,
)
from train_marks_cnn_net import check_cv2, export_onnx, parameters  # noqa: E402
from train_marks_cnn_synth import TEXTURES, composite, texture  # noqa: E402

SEED = 20261207
SYNTH_PER_NEGATIVE = 5
SYNTH_PER_REAL = 1
N_TEXTURES = 280
WORK = 512  # marks_cnn.WORK_SIDE


def _faces(rgb: np.ndarray) -> np.ndarray:
    """Face boxes (x0, y0, x1, y1) from the shipped face detector, to keep marks off faces."""
    from PIL import Image

    from veil.core.cancel import NEVER
    from veil.core.detectors import PixelContext, faces
    from veil.core.pixels import UprightImage

    img = Image.fromarray(rgb)
    found = faces.DETECTOR.detect(UprightImage(img, img.width, img.height, 1.0), NEVER,
                                  PixelContext())
    return np.array([(f.region.x, f.region.y, f.region.x + f.region.w, f.region.y + f.region.h)
                     for f in found if f.region], np.float32).reshape(-1, 4)


def make_synthetic(photos: list[Item]) -> list[Item]:
    """Composited marks on the skin of training photos (seeded, own recipe): several copies
    of each photo of a person without a tattoo, one of each real-tattoo photo (its own
    tattoos kept and boxed, the new marks placed off them)."""
    rng = np.random.default_rng(SEED + 1)
    out = []
    for item in photos:
        faces = _faces(item.rgb)
        copies = SYNTH_PER_NEGATIVE if item.kind == "negative" else SYNTH_PER_REAL
        own = [b[:4] for b in item.boxes]
        for k in range(copies):
            rgb, boxes = composite(item.rgb, faces, rng, int(rng.integers(1, 4)), own)
            if any(not b[4] for b in boxes):
                out.append(Item(f"synth{k}:{item.name}", "synthetic", item.group, rgb,
                                list(item.boxes) + boxes))
    return out


def make_textures() -> list[Item]:
    """Warm, busy textures with no person in them."""
    rng = np.random.default_rng(SEED + 2)
    out = []
    for i in range(N_TEXTURES):
        kind = TEXTURES[i % len(TEXTURES)]
        h, w = int(rng.integers(256, WORK + 1)), int(rng.integers(256, WORK + 1))
        out.append(Item(f"texture{i}:{kind}", "texture", f"texture{i}", texture(kind, h, w, rng)))
    return out


def load_all(shared: Path) -> tuple[list[Item], list[Item], list[Item]]:
    """(folded items: marks-train + synthetic, always-train items, held-out roll items)."""
    train = cached(f"marks-train-{WORK}", lambda: load_marks_train(shared))
    synth = cached(f"synth2-{WORK}-{SEED}", lambda: make_synthetic(train))
    roll_train = cached(f"roll-train-{WORK}", lambda: load_roll(shared, "train"))
    roll_held = cached(f"roll-held-{WORK}", lambda: load_roll(shared, "held"))
    textures = cached(f"textures-{WORK}-{SEED}", make_textures)
    return train + synth, roll_train + textures, roll_held


def describe(nums: dict[str, float]) -> str:
    """One line of figures."""
    return " ".join(f"{k}={v:.3f}" for k, v in nums.items())


def cross_validate(folded: list[Item], always: list[Item], held: list[Item], k: int,
                   runs: int, steps: int) -> None:
    """Grouped K-fold CV: cell AUC and the benchmark's numbers per threshold, unseen folds.

    ``runs`` < ``k`` evaluates only the first folds (each fold costs a whole training).
    """
    folds = grouped_folds(folded, k, SEED)
    runs = min(runs, k)
    heats: list[np.ndarray | None] = [None] * len(folded)
    roll_heats: list[list[np.ndarray]] = []
    for f in range(runs):
        t0 = time.perf_counter()
        train = [it for it, g in zip(folded, folds, strict=True) if g != f] + always
        net = fitting.train(train, SEED + f, steps)
        seen = [i for i, g in enumerate(folds) if g == f]
        for i in seen:
            heats[i] = fitting.heat(net, folded[i].rgb)
        roll_heats.append([fitting.heat(net, it.rgb) for it in held])
        auc = fitting.cell_auc([folded[i] for i in seen], [heats[i] for i in seen])
        print(f"  fold {f + 1}/{k}: {time.perf_counter() - t0:.0f} s, cell AUC {auc:.3f}",
              flush=True)
    # Synthetic copies of real-tattoo photos train, but are not scored: their real tattoos
    # would count as synthetic marks.
    seen = [i for i, h in enumerate(heats)
            if h is not None and not folded[i].name.split(":", 1)[-1].startswith("real__")
            or (h is not None and folded[i].kind != "synthetic")]
    items, hms = [folded[i] for i in seen], [heats[i] for i in seen]
    real = [j for j, it in enumerate(items) if it.kind in ("real", "negative")]
    print(f"grouped {k}-fold CV, {runs} fold(s) evaluated ({len(seen)} unseen images): cell AUC "
          f"{fitting.cell_auc(items, hms):.3f} (real+negative only "
          f"{fitting.cell_auc([items[j] for j in real], [hms[j] for j in real]):.3f})")
    for t in fitting.THRESHOLDS:
        nums = fitting.score(items, hms, t)  # type: ignore[arg-type]
        fa = np.mean([fitting.flagged(held, rh, t) for rh in roll_heats])
        print(f"  t={t:.2f} {describe(nums)} roll_heldout_flagged={fa:.3f}", flush=True)


def main() -> int:
    """Train (optionally cross-validate), export, check; optionally evaluate."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "models" / "marks_cnn.onnx")
    ap.add_argument("--cv", type=int, default=0, help="grouped K-fold CV first (K >= 2)")
    ap.add_argument("--cv-runs", type=int, default=99, help="evaluate only this many folds")
    ap.add_argument("--cv-steps", type=int, default=fitting.STEPS, help="steps per CV fit")
    ap.add_argument("--cv-only", action="store_true", help="report CV, write nothing")
    ap.add_argument("--steps", type=int, default=fitting.STEPS)
    ap.add_argument("--eval", action="store_true",
                    help="after export, score the shipped path on ../shared/marks + roll")
    args = ap.parse_args()
    # One thread: on this 2-core machine, shared with other jobs, two torch threads ran a step
    # 5-15x slower than one (0.6-2.7 s vs 0.15 s: each waits on the busy core). Also part
    # of determinism: a different thread count sums in a different order.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    t0 = time.perf_counter()
    folded, always, held = load_all(args.shared)
    counts = {k: sum(1 for i in folded + always if i.kind == k)
              for k in ("real", "negative", "synthetic", "roll", "texture")}
    print(f"data: {counts}, held-out roll {len(held)}, {time.perf_counter() - t0:.0f} s",
          flush=True)
    if args.cv >= 2:
        cross_validate(folded, always, held, args.cv, args.cv_runs, args.cv_steps)
    if args.cv_only:
        return 0
    net = train_boxes(fitting.train(folded + always, SEED, args.steps), folded + always, SEED)
    print(f"fit on all: {parameters(net)} parameters, {time.perf_counter() - t0:.0f} s",
          flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    export_onnx(net, args.out)
    diff = check_cv2(net, args.out, SEED)
    print(f"OpenCV DNN vs torch: max |diff| = {diff:.2e}")
    if diff > 1e-4:
        print("OpenCV disagrees with torch; the model would not behave as trained")
        return 1
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, sha256 {digest})")
    if args.eval:
        from train_marks_cnn_eval import evaluate_shipped

        evaluate_shipped(args.shared, fitting.THRESHOLDS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
