"""Fitting and scoring the mark CNN (dev tool): crops, cell targets, the loop, the figures."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator

import cv2
import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812
from train_marks_cnn_data import CACHE, Item
from train_marks_cnn_net import STRIDE, MarkNet

from veil.bench.common import Detection, Tally, Truth, match_image
from veil.bench.marks import marks_scores
from veil.core.detectors.marks_cnn import CellMap, network_input, regions

CROP = 192  # 24 x 24 cells; multiple of the net's 32
BATCH = 24
STEPS = 3200
LR = 3e-3
WARMUP = 60
#: Share of each batch drawn from each kind of image. No composited marks (second recipe):
#: with them the net fired on every small dark spot (alone on ../shared/marks: precision
#: 0.10 at 0.9, 68 % of no-tattoo photos flagged), and the tree scorer, which sees the ink
#: candidates itself, found as few small marks (grouped CV synthetic 0.10 with it, 0.09
#: without). This recipe (no composites, 3,200 steps, BOX_POWER 0.5) landed together with
#: twice the composites for the tree scorer (tools/train_marks_samples.py); with both, the
#: stacked detector's grouped CV rose from 0.476 / 0.649 / synthetic 0.104 to 0.492 / 0.672 /
#: 0.219 at 0.75. Neither change was measured alone.
MIX = {"real": 0.40, "synthetic": 0.0, "negative": 0.15, "roll": 0.20, "texture": 0.25}
#: Share of crops of an image with marks that are placed over one of them.
MARK_CENTRED = 0.6
#: Scale jitter (log-uniform) around the working size.
SCALE = (0.7, 1.4)
#: Weight of a positive cell: POS_WEIGHT x cells ** (BOX_POWER - 1), so a box weighs
#: cells ** BOX_POWER in all (a full-frame BIVTatt box of ~2,000 cells must not drown a
#: birthmark's 2 cells); the outer ring of a box of 4+ cells a side weighs BORDER of that,
#: and in a box of more than BIG_BOX cells a cell without ink weighs PLAIN of that
#: (annotators' boxes are loose: a whole arm around a small tattoo).
POS_WEIGHT = 1.0
BOX_POWER = 0.5
BIG_BOX = 24
PLAIN = 0.2
#: Ink cells (:func:`ink_cells`): black-hat (0..1 grey) above this, or this much darker
#: than the picture's 75th-percentile grey.
INK_HAT = 0.10
INK_DARKER = 0.25
BORDER = 0.3
#: The positives' share of the loss; the focal exponent.
POS_SHARE = 0.5
GAMMA = 1.0
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _cover(a0: float, a1: float, n: int) -> np.ndarray:
    """Share of each of ``n`` cells (along one axis, crop pixels) inside [a0, a1)."""
    lo = np.arange(n, dtype=np.float32) * STRIDE
    return (np.clip(a1, lo, lo + STRIDE) - np.clip(a0, lo, lo + STRIDE)) / STRIDE


def ink_cells(img: np.ndarray, n_rows: int, n_cols: int) -> np.ndarray:
    """Cells (bool) holding dark fine detail (black-hat of the grey image) or clearly darker
    than the picture's skin level: where ink can be inside a loose box."""
    gray = img.mean(axis=2).astype(np.float32)
    if gray.max() > 1.5:
        gray = gray / 255.0
    hat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT,
                           cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (11, 11)))
    size = (n_cols * STRIDE, n_rows * STRIDE)
    hat = cv2.resize(hat, size) if hat.shape[::-1] != size else hat
    gray = cv2.resize(gray, size) if gray.shape[::-1] != size else gray
    cell_hat = hat.reshape(n_rows, STRIDE, n_cols, STRIDE).max(axis=(1, 3))
    cell_gray = gray.reshape(n_rows, STRIDE, n_cols, STRIDE).mean(axis=(1, 3))
    return (cell_hat > INK_HAT) | (cell_gray < float(np.percentile(gray, 75)) - INK_DARKER)


def cell_targets(boxes: list, n_rows: int, n_cols: int,
                 ink: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(target, weight) per cell for boxes in the grid's pixels.

    A cell is positive when at least half of it is inside a counted box (the best cell of a
    box smaller than a cell); cells partly inside a box and cells on ``ignore`` boxes carry
    no loss. Each box weighs about cells^0.25 in all (:data:`BOX_POWER`); in a box of more
    than BIG_BOX cells, cells without ``ink`` (plain skin in a loose box) weigh PLAIN of that.
    """
    target = np.zeros((n_rows, n_cols), np.float32)
    weight = np.ones((n_rows, n_cols), np.float32)
    dont = np.zeros((n_rows, n_cols), bool)
    pos_w = np.zeros((n_rows, n_cols), np.float32)
    for x0, y0, x1, y1, ignore in boxes:
        cov = np.outer(_cover(y0, y1, n_rows), _cover(x0, x1, n_cols))
        if ignore:
            dont |= cov > 0
            continue
        pos = cov >= 0.5
        if not pos.any() and cov.max() >= 0.2:
            pos = cov >= cov.max() * 0.999
        dont |= (cov > 0.2) & ~pos
        if not pos.any():
            continue
        cells = max(1.0, (x1 - x0) * (y1 - y0) / STRIDE**2)
        cell_w = np.full(pos.shape, POS_WEIGHT * cells ** (BOX_POWER - 1), np.float32)
        rows, cols = np.nonzero(pos)
        if rows.max() - rows.min() >= 3 and cols.max() - cols.min() >= 3:
            ring = pos & ~cv2.erode(pos.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
            cell_w[ring] *= BORDER
        if ink is not None and cells > BIG_BOX:
            cell_w[~ink] *= PLAIN
        target[pos] = 1.0
        pos_w[pos] = np.maximum(pos_w[pos], cell_w[pos])
    weight[dont & (target == 0)] = 0.0
    weight[target > 0] = pos_w[target > 0]
    return target, weight


def _crop(item: Item, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(image 3xCxC float 0..1, target, weight) of one random crop of ``item``."""
    return crop_with_boxes(item, rng)[:3]  # type: ignore[return-value]


def crop_with_boxes(
    item: Item, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """:func:`_crop` plus the item's boxes in the crop's pixels (flipped with it; a box cut by
    the crop keeps its whole extent, so a box head learns where the whole mark ends)."""
    s = math.exp(rng.uniform(math.log(SCALE[0]), math.log(SCALE[1])))
    h0, w0 = item.rgb.shape[:2]
    w, h = max(CROP, round(w0 * s)), max(CROP, round(h0 * s))
    sx, sy = w / w0, h / h0
    img = cv2.resize(item.rgb, (w, h), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    boxes = [(b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy, b[4]) for b in item.boxes]
    keep = [b for b in boxes if not b[4]]
    if keep and rng.random() < MARK_CENTRED:
        b = keep[int(rng.integers(len(keep)))]
        cx, cy = rng.uniform(b[0], b[2]), rng.uniform(b[1], b[3])
        x0 = int(np.clip(cx - rng.uniform(0.2, 0.8) * CROP, 0, w - CROP))
        y0 = int(np.clip(cy - rng.uniform(0.2, 0.8) * CROP, 0, h - CROP))
    else:
        x0, y0 = int(rng.integers(0, w - CROP + 1)), int(rng.integers(0, h - CROP + 1))
    out = img[y0:y0 + CROP, x0:x0 + CROP].astype(np.float32) / 255.0
    n = CROP // STRIDE
    moved = [(b[0] - x0, b[1] - y0, b[2] - x0, b[3] - y0, b[4]) for b in boxes]
    target, weight = cell_targets(moved, n, n, ink_cells(out, n, n))
    if rng.random() < 0.5:
        out, target, weight = out[:, ::-1], target[:, ::-1], weight[:, ::-1]
        moved = [(CROP - b[2], b[1], CROP - b[0], b[3], b[4]) for b in moved]
    # Exposure, contrast and white balance; now and then a little blur (soft phone photos).
    gain = rng.uniform(0.6, 1.2) * rng.uniform(0.9, 1.1, 3).astype(np.float32)
    out = np.clip((out - 0.5) * rng.uniform(0.75, 1.25) + 0.5, 0, 1) * gain
    if rng.random() < 0.2:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.2))
    out = out + rng.normal(0, 0.01, out.shape).astype(np.float32)
    return (np.ascontiguousarray(np.clip(out, 0, 1).transpose(2, 0, 1)),
            np.ascontiguousarray(target), np.ascontiguousarray(weight), moved)


def draw_items(pools: dict[str, list[Item]], rng: np.random.Generator) -> Iterator[Item]:
    """A batch's :data:`BATCH` items, one at a time: each crop's kind by :data:`MIX` among the
    kinds present, then an item of that kind. Lazy, so each item's crop draws its own random
    numbers before the next item is drawn."""
    kinds = [k for k in MIX if pools.get(k)]
    p = np.array([MIX[k] for k in kinds])
    for _ in range(BATCH):
        pool = pools[kinds[int(rng.choice(len(kinds), p=p / p.sum()))]]
        yield pool[int(rng.integers(len(pool)))]


def _batch(pools: dict[str, list[Item]], rng: np.random.Generator) -> tuple[torch.Tensor, ...]:
    crops = [_crop(item, rng) for item in draw_items(pools, rng)]
    x, t, w = (np.stack(c) for c in zip(*crops, strict=True))
    return torch.from_numpy(x), torch.from_numpy(t)[:, None], torch.from_numpy(w)[:, None]


def balanced_loss(logits: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Balanced focal binary cross-entropy: positives and negatives each averaged over their
    own weight (marks are ~1 % of the cells: a plain average taught the first runs to say
    "no mark" everywhere), each cell's term scaled by (1 - p_true) ** GAMMA so that cells
    already right (flat skin, sky) weigh little. (An extra term on the hardest 2 % of the
    negatives made the net give up: every cell at the constant 1/3.)"""
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    focal = (1 - torch.exp(-bce)) ** GAMMA * bce
    pos_w, neg_w = weight * target, weight * (1 - target)
    pos = (focal * pos_w).sum() / pos_w.sum().clamp(min=1e-3)
    neg = (focal * neg_w).sum() / neg_w.sum().clamp(min=1e-3)
    return POS_SHARE * pos + (1 - POS_SHARE) * neg


def settings_key(items: list[Item], seed: int, steps: int) -> str:
    """A key of everything a fit depends on (the weights are cached under it)."""
    src = repr((sorted(i.name for i in items), seed, steps, CROP, BATCH, LR, WARMUP,
                sorted(MIX.items()), MARK_CENTRED, SCALE, POS_WEIGHT, BOX_POWER, BIG_BOX, PLAIN,
                INK_HAT, INK_DARKER, BORDER, POS_SHARE, GAMMA,
                repr(MarkNet())))
    return hashlib.sha256(src.encode()).hexdigest()[:16]


def pools_of(items: list[Item]) -> dict[str, list[Item]]:
    """``items`` by kind (a batch draws each crop's kind by :data:`MIX`, then an item)."""
    pools: dict[str, list[Item]] = {}
    for it in items:
        pools.setdefault(it.kind, []).append(it)
    return pools


def set_cosine_lr(opt: torch.optim.Optimizer, peak: float, step: int, steps: int,
                  warmup: int) -> float:
    """Set and return the learning rate of ``step``: cosine decay from ``peak`` after a
    linear warm-up of ``warmup`` steps."""
    lr = peak * 0.5 * (1 + math.cos(math.pi * step / steps)) * min(1.0, (step + 1) / warmup)
    for g in opt.param_groups:
        g["lr"] = lr
    return lr


def train(items: list[Item], seed: int, steps: int = STEPS, log: int = 100) -> MarkNet:
    """A fresh net fitted on ``items`` (seeded: same items, seed and settings, same net).

    The weights are cached in /tmp under :func:`settings_key`, so a rerun does not retrain.
    """
    saved = CACHE / f"net-{settings_key(items, seed, steps)}.pt"
    torch.manual_seed(seed)  # before the net exists: its initial weights come from this seed
    net = MarkNet()
    if saved.is_file():
        net.load_state_dict(torch.load(saved))
        return net.eval()
    rng = np.random.default_rng(seed)
    pools = pools_of(items)
    opt = torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=1e-4)
    net.train()
    t0, running = time.perf_counter(), None
    for step in range(steps):
        lr = set_cosine_lr(opt, LR, step, steps, WARMUP)
        x, t, w = _batch(pools, rng)
        logits = net.logits(x)
        loss = balanced_loss(logits, t, w)
        opt.zero_grad()
        loss.backward()
        opt.step()
        value = float(loss.detach())
        running = value if running is None else 0.97 * running + 0.03 * value
        if (step + 1) % log == 0:  # is it learning? mean p on this batch's marks / the rest
            p = torch.sigmoid(logits.detach())
            on, off = p[(t > 0) & (w > 0)], p[(t == 0) & (w > 0)]
            print(f"    step {step + 1}/{steps} loss {running:.4f} lr {lr:.5f} "
                  f"p(mark) {float(on.mean()) if on.numel() else float('nan'):.2f} "
                  f"p(other) {float(off.mean()):.2f} "
                  f"other>0.5 {float((off > 0.5).float().mean()):.3f} "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
    net.eval()
    CACHE.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), saved)
    return net


def heat(net: MarkNet, rgb: np.ndarray) -> np.ndarray:
    """The cell probabilities of a working-size image, as the app pads and cuts them."""
    h, w = rgb.shape[:2]
    with torch.no_grad():
        out = net(torch.from_numpy(network_input(rgb)))
    prob = (out[0] if isinstance(out, tuple) else out).numpy()[0, 0]  # a box net: (prob, box)
    return prob[: -(-h // STRIDE), : -(-w // STRIDE)]


def cell_auc(items: list[Item], heats: list[np.ndarray]) -> float:
    """ROC AUC of cells: positive = mostly in a counted box; partial/ignored cells left out."""
    from sklearn.metrics import roc_auc_score

    ys, ps = [], []
    for it, hm in zip(items, heats, strict=True):
        t, w = cell_targets(it.boxes, *hm.shape)
        keep = w > 0
        ys.append(t[keep])
        ps.append(hm[keep])
    y, p = np.concatenate(ys), np.concatenate(ps)
    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")


def detections(item: Item, hm: np.ndarray, threshold: float) -> list[Detection]:
    """The boxes :func:`regions` makes of ``item``'s heat map (working pixels)."""
    h, w = item.rgb.shape[:2]
    return [Detection(r.box, r.peak) for r in regions(CellMap(hm, 1.0, w, h), threshold)]


def score(items: list[Item], heats: list[np.ndarray], threshold: float) -> dict[str, float]:
    """The benchmark's numbers (IoU >= 0.3, greedy; ``veil bench marks``'s rule)."""
    tallies = {"real": Tally(), "synthetic": Tally(), "negative": Tally()}
    neg = neg_fa = 0
    for it, hm in zip(items, heats, strict=True):
        dets = detections(it, hm, threshold)
        truths = [Truth((b[0], b[1], b[2], b[3]), b[4]) for b in it.boxes]
        tallies[it.kind].add(match_image(dets, truths, ignore_by_centre=False))
        if it.kind == "negative":
            neg += 1
            neg_fa += bool(dets)
    return marks_scores(tallies, neg, neg_fa)


def flagged(items: list[Item], heats: list[np.ndarray], threshold: float) -> float:
    """Share of ``items`` with any box."""
    hits = sum(bool(detections(it, hm, threshold)) for it, hm in zip(items, heats, strict=True))
    return hits / max(1, len(items))
