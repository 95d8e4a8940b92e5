"""Boxes the export will cover: detected faces/marks (accepted or rejected) and drawn ones.

Pure values: the preview edits them, the session stores them per file, and the export turns
the accepted ones into :attr:`ExportOptions.redactions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from veil.core.model import PIXEL_KINDS, FileReport, FindingKind, Region


@dataclass(frozen=True, slots=True)
class OverlayBox:
    """One box on the preview, in full-size upright pixels.

    Attributes:
        region: where it is.
        accepted: True when the export will cover it.
        origin: "face", "tattoo" (detected) or "drawn" (by the user).
        label: short words shown on the box.
        finding: index of the finding in ``report.findings`` it came from (-1 if drawn).
    """

    region: Region
    accepted: bool
    origin: str
    label: str
    finding: int = -1

    def with_region(self, region: Region) -> OverlayBox:
        """The same box moved/resized to ``region``."""
        return OverlayBox(region, self.accepted, self.origin, self.label, self.finding)

    def toggled(self) -> OverlayBox:
        """The same box, covered <-> not covered."""
        return OverlayBox(self.region, not self.accepted, self.origin, self.label, self.finding)


_LABELS = {FindingKind.FACE: "Face", FindingKind.TATTOO: "Possible mark"}


def boxes_from_report(report: FileReport) -> tuple[OverlayBox, ...]:
    """A box for every face/mark finding with a region; all accepted (covered) by default.

    Covering is the safe default: a missed face identifies someone, an extra box only hides
    a patch, and the user can reject it with one click.
    """
    boxes = []
    for i, finding in enumerate(report.findings):
        if finding.kind in PIXEL_KINDS and finding.region is not None:
            r = finding.region
            if r.w > 0 and r.h > 0:
                label = _LABELS[finding.kind]
                boxes.append(OverlayBox(r, True, finding.kind.value, label, i))
    return tuple(boxes)


def accepted_regions(boxes: Iterable[OverlayBox]) -> tuple[Region, ...]:
    """The regions the export covers."""
    return tuple(b.region for b in boxes if b.accepted)


def clamp_region(x: float, y: float, w: float, h: float, width: int, height: int) -> Region:
    """A region normalised to positive size and clamped inside a ``width`` x ``height`` image."""
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    x0 = max(0, min(width, round(x)))
    y0 = max(0, min(height, round(y)))
    x1 = max(x0, min(width, round(x + w)))
    y1 = max(y0, min(height, round(y + h)))
    return Region(x0, y0, x1 - x0, y1 - y0)
