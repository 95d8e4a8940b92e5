"""The mark CNN (dev tool): a small fully convolutional net, one score per 8x8 pixel cell.

Encoder to stride 32 with dilated convolutions at stride 16 (context: the skin around the
ink, a limb, a person), then nearest-neighbour upsampling with 1x1 projections and skip
additions back to stride 8. Only plain operators (Conv with BatchNorm folded at export,
ReLU, Resize nearest, Add, Sigmoid), so OpenCV's DNN module reads the ONNX file. Most
parameters sit at strides 16-32, where they cost little time; the stride 2-8 layers are
narrow because they are what the run time is made of.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from veil.core.detectors.marks_cnn import BOX_OUTPUT, PROB_OUTPUT

STRIDE = 8
#: The input's sides must be multiples of this (five stride-2 steps).
MULTIPLE = 32


def _conv(cin: int, cout: int, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


def _proj(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class MarkNet(nn.Module):
    """RGB in 0..1 (N, 3, H, W), H and W multiples of 32 -> mark probability (N, 1, H/8, W/8)."""

    def __init__(self) -> None:
        super().__init__()
        self.s2 = _conv(3, 16, 2)
        self.s4 = nn.Sequential(_conv(16, 24, 2), _conv(24, 24))
        self.s8 = nn.Sequential(_conv(24, 48, 2), _conv(48, 48))
        self.s16 = nn.Sequential(_conv(48, 80, 2), _conv(80, 80, dilation=2),
                                 _conv(80, 80, dilation=4))
        self.s32 = nn.Sequential(_conv(80, 96, 2), _conv(96, 96, dilation=2))
        self.up16 = _proj(96, 80)
        self.fuse16 = _conv(80, 80)
        self.up8 = _proj(80, 48)
        self.fuse8 = _conv(48, 48)
        self.head = nn.Conv2d(48, 1, 1)
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Probabilities: the exported graph ends in a sigmoid (training uses :meth:`logits`)."""
        return torch.sigmoid(self.logits(x))

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Per-cell logit (N, 1, H/8, W/8)."""
        return self.head(self.features(x))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The stride-8 features the heads read (N, 48, H/8, W/8)."""
        f8 = self.s8(self.s4(self.s2(x)))
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        u16 = self.fuse16(self.up16(self.upsample(f32)) + f16)
        return self.fuse8(self.up8(self.upsample(u16)) + f8)


#: The box head's distances (in cells, log) are clipped to this range: e^-3 .. e^5 cells,
#: a tenth of a cell to ~150 cells (the working image is at most 64 cells a side).
LOG_DIST = (-3.0, 5.0)


class BoxMarkNet(MarkNet):
    """:class:`MarkNet` plus a box head: per cell, the distances from the cell's centre to the
    left, top, right and bottom sides of the mark it lies on, in cells (FCOS-style).

    The cell map says *where* ink is; the box head says *which mark* a cell belongs to and how
    far it reaches, so a mark gets one box around all of it (the cell areas alone joined
    neighbouring tattoos into one limb-sized box, or cut a big one into pieces). Outputs:
    ``prob`` (N, 1, H/8, W/8) and ``box`` (N, 4, H/8, W/8).
    """

    def __init__(self) -> None:
        super().__init__()
        self.box = nn.Conv2d(48, 4, 1)
        nn.init.zeros_(self.box.weight)
        nn.init.constant_(self.box.bias, float(np.log(3.0)))  # start at a 6-cell box

    def both(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(cell logits, log distances) for training."""
        u8 = self.features(x)
        return self.head(u8), self.box(u8).clamp(*LOG_DIST)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # type: ignore[override]
        """(probabilities, distances in cells): what the exported graph returns."""
        logits, log_dist = self.both(x)
        return torch.sigmoid(logits), torch.exp(log_dist)


def parameters(net: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


def export_onnx(net: MarkNet, out: Path) -> None:
    """Write the net (eval mode, dynamic H/W) as ONNX opset 13, BatchNorm folded into Conv.

    Outputs ``prob`` and, for a :class:`BoxMarkNet`, ``box``."""
    net.eval()
    dummy = torch.zeros(1, 3, 384, 512)
    names = [PROB_OUTPUT, BOX_OUTPUT] if isinstance(net, BoxMarkNet) else [PROB_OUTPUT]
    axes = {"image": {2: "h", 3: "w"}, **{n: {2: "hh", 3: "ww"} for n in names}}
    torch.onnx.export(
        net, dummy, str(out), input_names=["image"], output_names=names, opset_version=13,
        dynamic_axes=axes, do_constant_folding=True, dynamo=False,
    )


def check_cv2(net: MarkNet, path: Path, seed: int) -> float:
    """Largest |OpenCV DNN - torch| over random inputs of a few sizes (the shipped path)."""
    import cv2

    cv_net = cv2.dnn.readNetFromONNX(str(path))
    rng = np.random.default_rng(seed)
    worst = 0.0
    for h, w in ((384, 512), (512, 352), (160, 224)):
        x = rng.random((1, 3, h, w), np.float32)
        with torch.no_grad():
            out = net(torch.from_numpy(x))
        refs = [t.numpy() for t in (out if isinstance(out, tuple) else (out,))]
        cv_net.setInput(x)
        gots = cv_net.forward([PROB_OUTPUT, BOX_OUTPUT][: len(refs)])
        for ref, got in zip(refs, gots, strict=True):
            if got.shape != ref.shape:
                return float("inf")
            # distances are in cells (up to ~150): compare them relative to their size
            worst = max(worst, float((np.abs(got - ref) / np.maximum(1.0, np.abs(ref))).max()))
    return worst
