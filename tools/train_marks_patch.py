"""Train the small-mark patch net (dev tool; needs the ``train`` extra: torch, onnx).

    nice -n 10 .venv/bin/python tools/train_marks_patch.py        # after tools/train_marks.py
    nice -n 10 .venv/bin/python tools/train_marks_patch.py --cv   # + grouped CV (~1 h, 2 cores)

Data: every candidate under ``train_marks_small.SMALL_MAX_AREA`` of the picture in the
tree scorer's own training samples (``train_marks_samples.load_all``: marks-train, the
composited marks, the roll's training half; never ``../shared/marks``), as the
``marks_patch.crop`` the app reads; a candidate on a mark (IoU >= 0.3) is a positive
(~930 of ~83,000). The samples are rebuilt exactly as ``train_marks_samples`` makes them,
keeping each image.

The shipped model is an ensemble: :data:`SEEDS` nets of the same recipe, their logits
averaged in one ONNX graph. Single nets varied a lot from seed to seed (AUC on the unseen
small candidates of ../shared/marks 0.947-0.973; the ensemble of three 0.973, and its
combination with the small trees 0.988 against 0.977 for the trees alone). Tried and
dropped: 280 drawn warm textures and 12 extra composites per photo, jittered, as more
training crops (nets of AUC 0.888-0.934 on the same candidates: the jittered crops did not
look like the candidates the app proposes).

``--cv``: five grouped folds (person groups), each fold's ensemble trained without it,
give every training crop an out-of-fold probability; the combination with the small trees
(a patch weight or a stack of the two, and the small threshold) is chosen by grouped CV on
those (``train_marks_patch_cv``) and written into ``assets/models/marks_trees.json`` (trees
unchanged). Without ``--cv``, ``--weight`` and ``--small-threshold`` set a patch weight. One torch
thread per net, two nets at a time, fixed seeds.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
import train_marks_samples as tms
from torch import nn
from train_marks_small import is_small

from veil.core.detectors import marks_patch

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "assets" / "models" / "marks_patch.onnx"
SEED = 20261207
#: The ensemble's nets (one seed each).
SEEDS = (SEED, SEED + 1, SEED + 2)
#: Optimiser steps per net (128 crops each, a quarter of them positives): ~5 min on one core.
STEPS = 3000
BATCH = 128
WIDTH = 16
#: Grouped folds of ``--cv`` (a hash of the person group).
FOLDS = 5
#: Bump when the patch data changes (the cache is keyed by it and the samples' code).
DATA_VERSION = 3


class PatchNet(nn.Module):
    """Six 3x3 conv + BatchNorm + ReLU layers (stride 2 every second), global mean, linear:
    one logit per crop. ~60k parameters."""

    def __init__(self, w: int = WIDTH) -> None:
        super().__init__()

        def block(i: int, o: int, stride: int) -> list[nn.Module]:
            return [nn.Conv2d(i, o, 3, stride, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]

        self.features = nn.Sequential(*block(3, w, 1), *block(w, w, 2), *block(w, 2 * w, 1),
                                      *block(2 * w, 2 * w, 2), *block(2 * w, 4 * w, 1),
                                      *block(4 * w, 4 * w, 2))
        self.head = nn.Linear(4 * w, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean((2, 3)))


class Ensemble(nn.Module):
    """The nets' mean logit: what ships, as one graph."""

    def __init__(self, nets: list[PatchNet]) -> None:
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        total = self.nets[0](x)
        for net in self.nets[1:]:
            total = total + net(x)
        return total * (1.0 / len(self.nets))


@contextlib.contextmanager
def _keeping_images(store: dict[int, np.ndarray]) -> Iterator[None]:
    """While active, every sample ``train_marks_samples`` builds leaves its image in
    ``store`` (by the sample's id): the crops need the pixels the candidates came from."""
    original = tms._sample

    def keep(name, subset, group, rgb, fboxes, truths):  # type: ignore[no-untyped-def]
        sample = original(name, subset, group, rgb, fboxes, truths)
        store[id(sample)] = rgb
        return sample

    tms._sample = keep
    try:
        yield
    finally:
        tms._sample = original


def patch_data(shared: Path) -> dict[str, np.ndarray]:
    """Crops of every small candidate with label, group and (sample name, candidate index).
    Cached in ``train_marks_samples.CACHE`` under the samples' code key."""
    def build() -> dict[str, np.ndarray]:
        images: dict[int, np.ndarray] = {}
        with _keeping_images(images):
            samples, backgrounds = tms.marks_train(shared)
            samples += tms.synthetic(backgrounds) + tms.roll(shared, "train")
        crops, labels, groups, names, index = [], [], [], [], []
        for s in samples:
            if len(s.features) == 0:
                continue
            for i in np.flatnonzero(is_small(s)):
                crops.append(marks_patch.crop(images[id(s)], s.boxes[i]))
                labels.append(s.labels[i])
                groups.append(s.group)
                names.append(s.name)
                index.append(int(i))
        return {"x": np.stack(crops), "y": np.array(labels), "group": np.array(groups),
                "name": np.array(names), "index": np.array(index)}

    return tms.cached(f"patches{DATA_VERSION}", build)  # type: ignore[arg-type]


def fit(x: np.ndarray, y: np.ndarray, seed: int = SEED) -> PatchNet:
    """A net trained on crops ``x`` (labels ``y``: > 0 mark, 0 not; < 0 left out)."""
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    keep = y >= 0
    x, y = x[keep], y[keep]
    net = PatchNet()
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=STEPS)
    pos, neg = np.flatnonzero(y > 0), np.flatnonzero(y == 0)
    net.train()
    for step in range(STEPS):
        # A quarter positives: there are ~90 negatives to each positive.
        rows = np.concatenate([rng.choice(pos, BATCH // 4), rng.choice(neg, BATCH - BATCH // 4)])
        xb = torch.from_numpy(marks_patch.blob(x[rows]))
        if rng.random() < 0.5:  # a mark is a mark mirrored or turned
            xb = xb.flip(3)
        xb = torch.rot90(xb, int(rng.integers(4)), (2, 3))
        exposure = 1 + 0.2 * (rng.random((BATCH, 1, 1, 1)) - 0.5)  # each crop its own
        xb = xb * torch.from_numpy(exposure.astype(np.float32))
        target = torch.from_numpy((y[rows] > 0).astype(np.float32))
        loss = nn.functional.binary_cross_entropy_with_logits(net(xb)[:, 0], target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 1000 == 0:
            print(f"  seed {seed} step {step} loss {loss.item():.3f}", flush=True)
    return net.eval()


_TRAIN: tuple[np.ndarray, np.ndarray] | None = None


def _fit_seed(seed: int) -> PatchNet:
    assert _TRAIN is not None
    return fit(*_TRAIN, seed)


def fit_all(x: np.ndarray, y: np.ndarray, seeds: tuple[int, ...] = SEEDS) -> Ensemble:
    """The ensemble of one net per seed, two trained at a time (one per core; forked
    workers read the crops from this process, and torch runs one thread here so forking
    it is safe)."""
    global _TRAIN
    _TRAIN = (x, y)
    try:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            nets = list(pool.map(_fit_seed, seeds))
    finally:
        _TRAIN = None
    return Ensemble(nets).eval()


@torch.no_grad()
def predict(net: nn.Module, x: np.ndarray) -> np.ndarray:
    """The net's probabilities for crops ``x``."""
    out = [torch.sigmoid(net(torch.from_numpy(marks_patch.blob(x[i:i + 2048]))))[:, 0].numpy()
           for i in range(0, len(x), 2048)]
    return np.concatenate(out).astype(np.float64) if out else np.zeros(0)


def group_fold(group: str) -> int:
    """A person group's ``--cv`` fold."""
    return hashlib.sha256(group.encode()).digest()[2] % FOLDS


def out_of_fold(data: dict[str, np.ndarray]) -> np.ndarray:
    """Each training crop's probability from the fold ensemble that did not see its group."""
    fold = np.array([group_fold(str(g)) for g in data["group"]])
    oof = np.zeros(len(fold))
    for f in range(FOLDS):
        print(f"fold {f}", flush=True)
        net = fit_all(data["x"][fold != f], data["y"][fold != f])
        oof[fold == f] = predict(net, data["x"][fold == f])
    return oof


def cached_out_of_fold(data: dict[str, np.ndarray]) -> np.ndarray:
    """:func:`out_of_fold`, cached like the crops (their key, plus this recipe's code, seeds
    and steps: a net trained otherwise must not leave its q behind): ~45 min the first time.
    The patch tool's ``--cv`` and ``train_marks_quality`` read the same scores."""
    recipe = hashlib.sha256(Path(__file__).read_bytes()
                            + Path(marks_patch.__file__).read_bytes()).hexdigest()[:8]
    key = f"patch-oof{DATA_VERSION}-{FOLDS}-{STEPS}-{'-'.join(map(str, SEEDS))}-{recipe}"
    return tms.cached(key, lambda: out_of_fold(data))  # type: ignore[arg-type, return-value]


def export(net: nn.Module, path: Path, check: np.ndarray) -> float:
    """Write ``net`` as ONNX (logits, dynamic batch) and return the largest probability
    difference between torch and OpenCV's DNN on the crops ``check``."""
    from veil.core.detectors.dnn import read_onnx

    dummy = torch.zeros(1, 3, marks_patch.SIDE, marks_patch.SIDE)
    torch.onnx.export(net, dummy, str(path), input_names=["crop"], output_names=["logit"],
                      dynamic_axes={"crop": {0: "n"}, "logit": {0: "n"}}, opset_version=13,
                      dynamo=False)
    cv = read_onnx(path)
    cv.setInput(marks_patch.blob(check))
    mine = 1 / (1 + np.exp(-np.asarray(cv.forward(), np.float64).reshape(-1)))
    return float(np.abs(mine - predict(net, check)).max())


def main() -> int:
    import argparse

    import train_marks_patch_cv as cv

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv", action="store_true", help="choose the weight by grouped CV")
    ap.add_argument("--weight", type=float, help="ship this patch weight")
    ap.add_argument("--small-threshold", type=float, help="... with this small threshold")
    args = ap.parse_args()
    if not args.cv and (args.weight is None or args.small_threshold is None):
        ap.error("give --cv, or both --weight and --small-threshold")
    torch.set_num_threads(1)
    shared = ROOT.parent / "shared"
    data = patch_data(shared)
    print(f"{len(data['y'])} small candidates, {int((data['y'] > 0).sum())} on marks",
          flush=True)
    choice = cv.Choice(args.weight or 0.0, args.small_threshold or 0.0)
    if args.cv:
        choice = cv.choose(shared, data, cached_out_of_fold(data))
    print("shipped ensemble", flush=True)
    net = fit_all(data["x"], data["y"])
    diff = export(net, MODEL, data["x"][:4096])
    print(f"OpenCV DNN vs torch: {diff:.2e}; {MODEL.name} sha256 "
          f"{hashlib.sha256(MODEL.read_bytes()).hexdigest()} ({MODEL.stat().st_size:,} bytes)")
    cv.write_choice(choice)
    return 0


if __name__ == "__main__":
    sys.exit(main())
