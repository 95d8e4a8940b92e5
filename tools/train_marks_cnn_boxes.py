"""The mark CNN's second stage (dev tool): a box head fine-tuned on top of the cell map.

The first stage (:func:`train_marks_cnn_fit.train`) teaches the net where ink on skin is, one
probability per 8 x 8 cell. Boxes made from those cells alone were the detector's cap: two
tattoos side by side became one limb-sized area, a big tattoo fell apart into pieces, and on
``../shared/marks`` the cell areas found at most 0.65 of the real tattoos at any threshold.
This stage adds :class:`BoxMarkNet`'s head, which says for every cell on a mark how far the
mark reaches left, up, right and down (FCOS, Tian et al. 2019), and fine-tunes the whole net
on both tasks: the first stage's cell loss plus an IoU loss (``-log IoU``, UnitBox) between
each positive cell's box and the box of the smallest mark it lies in.

Same crops, mix and cell targets as the first stage (:func:`crop_with_boxes`); seeded, and
the weights are cached in /tmp under a key of the settings and the first stage's net.
"""

from __future__ import annotations

import hashlib
import inspect
import time

import numpy as np
import torch
from train_marks_cnn_data import CACHE, Item
from train_marks_cnn_fit import (
    CROP,
    balanced_loss,
    crop_with_boxes,
    draw_items,
    pools_of,
    set_cosine_lr,
)
from train_marks_cnn_net import LOG_DIST, STRIDE, BoxMarkNet, MarkNet

#: Fine-tuning steps and peak learning rate (cosine decay, short warm-up). 1,500 steps from the
#: first stage's net: on ../shared/marks the boxes of cells >= 0.9 found 0.70 of the real
#: tattoos (cell areas: 0.64).
BOX_STEPS = 1500
BOX_LR = 1e-3
BOX_WARMUP = 30
#: Weight of the IoU loss next to the cell loss.
BOX_LOSS = 1.0


def ltrb_targets(boxes: list, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(4, n, n) distances in cells from each cell's centre to the sides of the smallest
    counted box holding that centre, and the (n, n) mask of cells that have one."""
    target = np.zeros((4, n, n), np.float32)
    mask = np.zeros((n, n), bool)
    best = np.full((n, n), np.inf)
    centre = (np.arange(n, dtype=np.float64) + 0.5) * STRIDE
    for x0, y0, x1, y1, ignore in boxes:
        if ignore:
            continue
        area = (x1 - x0) * (y1 - y0)
        cells = np.outer((centre > y0) & (centre < y1), (centre > x0) & (centre < x1))
        cells &= area < best  # a cell on two marks learns the smaller one
        if not cells.any():
            continue
        rows, cols = np.nonzero(cells)
        target[0, rows, cols] = (centre[cols] - x0) / STRIDE
        target[1, rows, cols] = (centre[rows] - y0) / STRIDE
        target[2, rows, cols] = (x1 - centre[cols]) / STRIDE
        target[3, rows, cols] = (y1 - centre[rows]) / STRIDE
        best[cells] = area
        mask |= cells
    return target, mask


def iou_loss(log_dist: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Weighted mean of ``-log IoU`` between predicted and target boxes, both given as
    distances from the same cell centre ((N, 4, h, w); ``weight`` (N, h, w), 0 = no box)."""
    pred = torch.exp(log_dist)
    inter = ((torch.minimum(pred[:, 0], target[:, 0]) + torch.minimum(pred[:, 2], target[:, 2]))
             * (torch.minimum(pred[:, 1], target[:, 1]) + torch.minimum(pred[:, 3], target[:, 3])))
    a_pred = (pred[:, 0] + pred[:, 2]) * (pred[:, 1] + pred[:, 3])
    a_true = (target[:, 0] + target[:, 2]) * (target[:, 1] + target[:, 3])
    iou = inter / (a_pred + a_true - inter).clamp(min=1e-6)
    loss = -torch.log(iou.clamp(min=1e-6))
    return (loss * weight).sum() / weight.sum().clamp(min=1e-3)


def _batch(pools: dict[str, list[Item]], rng: np.random.Generator) -> tuple[torch.Tensor, ...]:
    xs, ts, ws, ls, ms = [], [], [], [], []
    n = CROP // STRIDE
    for item in draw_items(pools, rng):
        x, t, w, boxes = crop_with_boxes(item, rng)
        lt, mask = ltrb_targets(boxes, n)
        xs.append(x)
        ts.append(t)
        ws.append(w)
        ls.append(lt)
        ms.append((mask & (t > 0)) * w)  # positive cells only, weighted as in the cell loss
    x, t, w, lt, m = (torch.from_numpy(np.stack(v)) for v in (xs, ts, ws, ls, ms))
    return x, t[:, None], w[:, None], lt, m


def _key(base: MarkNet, items: list[Item], seed: int, steps: int) -> str:
    h = hashlib.sha256()
    for v in base.state_dict().values():
        h.update(v.detach().numpy().tobytes())
    h.update(repr((sorted(i.name for i in items), seed, steps, BOX_LR, BOX_WARMUP, BOX_LOSS,
                   LOG_DIST, repr(BoxMarkNet()))).encode())
    for fn in (ltrb_targets, iou_loss):  # what the head learns, not only how long
        h.update(inspect.getsource(fn).encode())
    return h.hexdigest()[:16]


def train_boxes(base: MarkNet, items: list[Item], seed: int, steps: int = BOX_STEPS,
                log: int = 100) -> BoxMarkNet:
    """``base`` with a box head, fine-tuned on ``items`` (seeded; cached in /tmp)."""
    saved = CACHE / f"boxnet-{_key(base, items, seed, steps)}.pt"
    torch.manual_seed(seed)
    net = BoxMarkNet()
    net.load_state_dict(base.state_dict(), strict=False)  # all but the new head
    if saved.is_file():
        net.load_state_dict(torch.load(saved))
        return net.eval()
    rng = np.random.default_rng(seed)
    pools = pools_of(items)
    opt = torch.optim.AdamW(net.parameters(), lr=BOX_LR, weight_decay=1e-4)
    net.train()
    t0, running = time.perf_counter(), (0.0, 0.0)
    for step in range(steps):
        set_cosine_lr(opt, BOX_LR, step, steps, BOX_WARMUP)
        x, t, w, lt, m = _batch(pools, rng)
        logits, log_dist = net.both(x)
        cell_loss = balanced_loss(logits, t, w)
        box_loss = iou_loss(log_dist, lt, m)
        loss = cell_loss + BOX_LOSS * box_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        running = (0.97 * running[0] + 0.03 * float(cell_loss.detach()),
                   0.97 * running[1] + 0.03 * float(box_loss.detach()))
        if (step + 1) % log == 0:
            print(f"    box step {step + 1}/{steps} cell loss {running[0]:.4f} "
                  f"-log IoU {running[1]:.3f} {time.perf_counter() - t0:.0f} s", flush=True)
    net.eval()
    CACHE.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), saved)
    return net
