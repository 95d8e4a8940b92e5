"""Two fold models of the mark CNN, for stacking the tree scorer on it (dev tool).

    nice -n 10 .venv/bin/python tools/train_marks_folds.py --fold 0   # and --fold 1

Same data and recipe as ``tools/train_marks_cnn.py`` (whose model ships), but each model
leaves out one fold of photos: a photo's fold is a fixed hash of its group
(:func:`train_marks_samples.fold_of`: one person's photos, and the marks composited on a
photo, share a fold; the roll's training half is folded too). ``tools/train_marks.py`` then
describes every training photo with the CNN that did not see it, so the trees learn how far
to trust the CNN on photos it has never seen. Writes ``fold<k>.onnx`` to
:data:`train_marks_samples.FOLD_MODELS`. The two folds can train at the same time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(ROOT / "tools"))

import torch  # noqa: E402
import train_marks_cnn_fit as fitting  # noqa: E402
from train_marks_cnn import SEED, load_all  # noqa: E402
from train_marks_cnn_boxes import train_boxes  # noqa: E402
from train_marks_cnn_net import check_cv2, export_onnx  # noqa: E402
from train_marks_samples import FOLD_MODELS, fold_of  # noqa: E402


def main() -> int:
    """Train and export one fold model."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--fold", type=int, choices=(0, 1), required=True)
    ap.add_argument("--steps", type=int, default=fitting.STEPS)
    args = ap.parse_args()
    torch.set_num_threads(1)  # as train_marks_cnn.py: deterministic, and fair on 2 cores
    torch.use_deterministic_algorithms(True)
    t0 = time.perf_counter()
    folded, always, _held = load_all(args.shared)
    roll = [i for i in always if i.kind == "roll"]
    textures = [i for i in always if i.kind != "roll"]
    items = [i for i in folded + roll if fold_of(i.group) != args.fold] + textures
    net = train_boxes(fitting.train(items, SEED + 100 + args.fold, args.steps), items,
                      SEED + 100 + args.fold)
    FOLD_MODELS.mkdir(parents=True, exist_ok=True)
    out = FOLD_MODELS / f"fold{args.fold}.onnx"
    export_onnx(net, out)
    diff = check_cv2(net, out, SEED)
    print(f"fold {args.fold}: {len(items)} images, {time.perf_counter() - t0:.0f} s, "
          f"OpenCV vs torch {diff:.1e}, wrote {out}")
    return 0 if diff <= 1e-4 else 1


if __name__ == "__main__":
    raise SystemExit(main())
