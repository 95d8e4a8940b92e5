"""Scoring helpers shared by the detector benchmarks (faces, marks).

Boxes are ``(x1, y1, x2, y2)`` in full-size upright pixels, x2/y2 exclusive, as in the
``annotations.json`` files of ``../shared/faces`` and ``../shared/marks``. Scan regions
``[x, y, w, h]`` convert with :func:`region_to_box`.

Matching follows the sets' READMEs: detections are taken from the highest confidence down;
each pairs with the not-yet-paired counted truth box it overlaps most if IoU >= ``min_iou``;
an unpaired detection that overlaps an ``ignore`` box is set aside; any other is a false alarm.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Detection:
    """One detector output: a box and its confidence."""

    box: Box
    confidence: float


@dataclass(frozen=True, slots=True)
class Truth:
    """One annotated box; ``ignore`` boxes neither count as misses nor as false alarms."""

    box: Box
    ignore: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImageMatch:
    """The outcome of matching one image's detections to its truths.

    Attributes:
        found: per counted (non-ignore) truth, in input order, whether it was paired.
        counted: the counted truths, in the same order as ``found``.
        hits: detections paired with a counted truth.
        false_alarms: detections neither paired nor set aside on an ignore box.
        set_aside: detections dropped because they overlap an ignore box.
    """

    found: tuple[bool, ...]
    counted: tuple[Truth, ...]
    hits: int
    false_alarms: int
    set_aside: int


def region_to_box(region: Sequence[float]) -> Box:
    """``[x, y, w, h]`` (scan JSON) to ``(x1, y1, x2, y2)``."""
    x, y, w, h = (float(v) for v in region)
    return (x, y, x + w, y + h)


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes; 0.0 when either is empty."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def centre_inside(a: Box, b: Box) -> bool:
    """True when the centre of ``a`` lies inside ``b``."""
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] <= cx < b[2] and b[1] <= cy < b[3]


def match_image(
    detections: Iterable[Detection],
    truths: Iterable[Truth],
    *,
    min_iou: float = 0.3,
    ignore_by_centre: bool = True,
) -> ImageMatch:
    """Greedy matching of one image, highest confidence first.

    Args:
        detections: the detector's boxes with confidences.
        truths: annotated boxes, counted and ``ignore``.
        min_iou: the least IoU that pairs a detection with a truth.
        ignore_by_centre: also set aside a detection whose centre lies in an ignore box
            (the faces rule); without it only IoU >= ``min_iou`` does (the marks rule).
    """
    all_truths = list(truths)
    counted = [t for t in all_truths if not t.ignore]
    ignored = [t for t in all_truths if t.ignore]
    paired = [False] * len(counted)
    hits = false_alarms = set_aside = 0
    for det in sorted(detections, key=lambda d: -d.confidence):
        best, best_iou = -1, min_iou
        for i, truth in enumerate(counted):
            if paired[i]:
                continue
            overlap = iou(det.box, truth.box)
            if overlap >= best_iou:
                best, best_iou = i, overlap
        if best >= 0:
            paired[best] = True
            hits += 1
        elif any(
            iou(det.box, t.box) >= min_iou or (ignore_by_centre and centre_inside(det.box, t.box))
            for t in ignored
        ):
            set_aside += 1
        else:
            false_alarms += 1
    return ImageMatch(tuple(paired), tuple(counted), hits, false_alarms, set_aside)


@dataclass(slots=True)
class Tally:
    """Running totals over many images, with recall per tag."""

    found: int = 0
    counted: int = 0
    false_alarms: int = 0
    set_aside: int = 0
    tag_found: dict[str, int] = field(default_factory=dict)
    tag_counted: dict[str, int] = field(default_factory=dict)

    def add(self, match: ImageMatch) -> None:
        """Add one image's outcome."""
        self.found += sum(match.found)
        self.counted += len(match.counted)
        self.false_alarms += match.false_alarms
        self.set_aside += match.set_aside
        for ok, truth in zip(match.found, match.counted, strict=True):
            for tag in truth.tags:
                self.tag_counted[tag] = self.tag_counted.get(tag, 0) + 1
                self.tag_found[tag] = self.tag_found.get(tag, 0) + int(ok)

    def add_missed(self, truths: Iterable[Truth]) -> None:
        """Count every counted truth of an image that was not scanned (or errored) as missed."""
        self.add(match_image((), truths))

    @property
    def recall(self) -> float:
        """found / counted (1.0 when nothing was to be found)."""
        return self.found / self.counted if self.counted else 1.0

    @property
    def precision(self) -> float:
        """found / (found + false alarms) (1.0 when nothing was reported)."""
        total = self.found + self.false_alarms
        return self.found / total if total else 1.0

    def tag_recall(self) -> dict[str, tuple[int, int]]:
        """``tag -> (found, counted)``, sorted by tag."""
        return {t: (self.tag_found.get(t, 0), n) for t, n in sorted(self.tag_counted.items())}


def scan_json(paths: Sequence[Path], *, extra: Sequence[str] = ()) -> dict[str, dict[str, Any]]:
    """Run ``veil scan --json`` as a subprocess; file entries keyed by base name.

    Raises:
        RuntimeError: the scan printed no JSON document.
    """
    cmd = [sys.executable, "-m", "veil", "scan", "--json", *extra, *map(str, paths)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    try:
        doc = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"veil scan printed no JSON: {done.stderr.strip()[:300]}") from exc
    return {Path(entry["path"]).name: entry for entry in doc.get("files", [])}


def detections_of(entry: dict[str, Any], kinds: Iterable[str]) -> list[Detection]:
    """Detections of the given finding kinds in one scan JSON file entry."""
    wanted = set(kinds)
    found = []
    for f in entry.get("findings", []):
        if f.get("kind") in wanted and f.get("region"):
            conf = f.get("confidence")
            found.append(Detection(region_to_box(f["region"]), float(conf or 0.0)))
    return found
