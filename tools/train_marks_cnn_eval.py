"""The shipped mark CNN alone, scored as ``veil bench marks`` scores (dev tool).

The app's path exactly: ``load_upright`` at the mark detector's 640 px, then
:func:`veil.core.detectors.marks_cnn.cell_probs` (OpenCV DNN, the file in ``assets/``) and
its box head's boxes (:func:`~veil.core.detectors.marks_cnn.mark_boxes`; the cell areas of
:func:`~veil.core.detectors.marks_cnn.regions` for a model without one) as the only
detector, selected as the mark detector selects (none over half the picture, at most 6, a box
overlapping a stronger one by IoU > 0.3 or lying 60 % inside it dropped); boxes mapped to
full-size pixels and matched with the benchmark's rule (IoU >= 0.3, greedy by peak, ignore
marks neither missed nor false alarms). Figures per threshold, so the hybrid's operating
point can be picked: real recall / precision, synthetic recall, people without a tattoo
flagged (``../shared/marks`` negatives), held-out roll photos flagged, and ms per photo.

    nice -n 10 .venv/bin/python tools/train_marks_cnn_eval.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from veil.bench.common import Detection, Tally, Truth, iou, match_image  # noqa: E402
from veil.bench.marks import marks_scores, roll_half, roll_paths  # noqa: E402
from veil.core.detectors import marks_cnn  # noqa: E402
from veil.core.pixels import load_upright  # noqa: E402

DECODE_SIDE = 640  # marks.MarkDetector.max_side
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _maps(paths: Sequence[Path]) -> tuple[list[tuple[marks_cnn.CellMap, float] | None], list]:
    """(cell map and upright scale per path, or None if undecodable; ms per cell_probs)."""
    out: list[tuple[marks_cnn.CellMap, float] | None] = []
    times = []
    for p in paths:
        try:
            up = load_upright(p, DECODE_SIDE)
        except Exception:  # not a photo whose pixels can be checked: neither flagged nor clean
            out.append(None)
            continue
        rgb = np.asarray(up.image.convert("RGB"))
        t0 = time.perf_counter()
        cells = marks_cnn.cell_probs(rgb)
        times.append((time.perf_counter() - t0) * 1000)
        out.append((cells, up.scale))
    return out, times


def _dets(entry: tuple[marks_cnn.CellMap, float], threshold: float) -> list[Detection]:
    """The CNN alone as a detector: the box head's boxes (the cell areas for a model without
    one), at most 6, none over half the picture, none overlapping a stronger one by IoU > 0.3
    or mostly inside it (the figures in MODELS.md; the trees' stored rule is stricter)."""
    from veil.core.detectors.marks import MAX_BOX_SHARE, select

    cells, scale = entry
    found = (marks_cnn.mark_boxes(cells, threshold) if cells.dists is not None
             else marks_cnn.regions(cells, threshold))
    boxes = np.asarray([r.box for r in found], np.float64).reshape(-1, 4)
    peaks = np.asarray([r.peak for r in found], np.float64)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    peaks = np.where(area > MAX_BOX_SHARE * cells.width * cells.height, -1.0, peaks)
    keep = select(boxes, peaks, threshold, 0.3, 6, 0.6)
    return [Detection(tuple(v / scale for v in boxes[i]), float(peaks[i]))  # type: ignore[arg-type]
            for i in keep]


def _marks_maps(folder: Path) -> tuple[dict, list[str], list, list[float]]:
    notes = json.loads((folder / "annotations.json").read_text())
    names = sorted(notes)
    maps, times = _maps([folder / "images" / n for n in names])
    return notes, names, maps, times


def _score(notes: dict, names: list[str], maps: list, t: float) -> dict[str, float]:
    """The benchmark's numbers at threshold ``t``, plus the share of found marks whose best
    box has IoU >= 0.5 (issue 13's tightness aim)."""
    tallies = {"real": Tally(), "synthetic": Tally(), "negative": Tally()}
    neg = neg_fa = tight = hits = 0
    for name, entry in zip(names, maps, strict=True):
        truths = [Truth(tuple(m["box"]), bool(m["ignore"]))  # type: ignore[arg-type]
                  for m in notes[name]["marks"]]
        subset = notes[name]["subset"]
        if entry is None:
            tallies[subset].add_missed(truths)
            continue
        dets = _dets(entry, t)
        tallies[subset].add(match_image(dets, truths, ignore_by_centre=False))
        for truth in truths:
            best = max((iou(d.box, truth.box) for d in dets), default=0.0)
            if not truth.ignore and best >= 0.3:
                hits, tight = hits + 1, tight + (best >= 0.5)
        if subset == "negative":
            neg, neg_fa = neg + 1, neg_fa + bool(dets)
    return {**marks_scores(tallies, neg, neg_fa), "iou50_of_found": tight / max(1, hits)}


def cell_auc(notes: dict, names: list[str], maps: list) -> float:
    """ROC AUC of the cells of the real, synthetic and negative photos: a cell whose centre is
    inside a counted box is a mark, one inside an ignore box is left out."""
    from sklearn.metrics import roc_auc_score

    ys, ps = [], []
    for name, entry in zip(names, maps, strict=True):
        if entry is None:
            continue
        cells, scale = entry
        rows, cols = cells.probs.shape
        k = cells.scale * scale / marks_cnn.STRIDE  # full-size pixels -> cells
        cy, cx = np.mgrid[0:rows, 0:cols].astype(np.float32) + 0.5
        label = np.zeros((rows, cols), np.int8)
        for m in notes[name]["marks"]:
            x0, y0, x1, y1 = (v * k for v in m["box"])
            inside = (cx >= x0) & (cx < x1) & (cy >= y0) & (cy < y1)
            label[inside] = -1 if m["ignore"] else np.maximum(label[inside], 1)
        keep = label >= 0
        ys.append(label[keep])
        ps.append(cells.probs[keep])
    return float(roc_auc_score(np.concatenate(ys), np.concatenate(ps)))


def figures(folder: Path, threshold: float) -> dict[str, float]:
    """The benchmark's numbers for the shipped CNN alone on an annotated folder."""
    notes, names, maps, _ = _marks_maps(folder)
    return _score(notes, names, maps, threshold)


def evaluate_shipped(shared: Path, thresholds: Sequence[float] = THRESHOLDS) -> None:
    """Print the figures for ``../shared/marks`` and the held-out roll half per threshold."""
    notes, names, maps, times = _marks_maps(shared / "marks")
    roll = [p for p in roll_paths(shared) if roll_half(p) == "held"]
    roll_maps, roll_times = _maps(roll)
    all_t = np.array(times + roll_times)
    print(f"shipped CNN alone (OpenCV DNN, {marks_cnn.WORK_SIDE} px working side): "
          f"cell_probs {np.median(all_t):.1f} ms median, {all_t.mean():.1f} ms mean, "
          f"p90 {np.percentile(all_t, 90):.1f} ms over {len(all_t)} photos")
    checked = [m for m in roll_maps if m is not None]
    print(f"../shared/marks ({len(names)} images, cell AUC {cell_auc(notes, names, maps):.3f}) "
          f"and held-out roll half ({len(checked)} photos):")
    for t in thresholds:
        nums = _score(notes, names, maps, t)
        roll_fa = sum(bool(_dets(m, t)) for m in checked)
        print(f"  t={t:.2f} " + " ".join(f"{k}={v:.3f}" for k, v in nums.items())
              + f" roll_heldout_flagged={roll_fa}/{len(checked)}"
              + f" ({roll_fa / max(1, len(checked)):.3f})", flush=True)


def main() -> int:
    """Score the shipped model."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    if not (args.shared / "marks" / "annotations.json").is_file():
        print("../shared/marks not found")
        return 2
    evaluate_shipped(args.shared)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
