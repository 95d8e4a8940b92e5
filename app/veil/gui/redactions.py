"""Boxes the export will cover: detected faces/marks (accepted or rejected) and drawn ones.

Pure values: the preview edits them, the session stores them per file, and the export turns
the accepted ones into :attr:`ExportOptions.redactions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from veil.core.covers import covered_by_default
from veil.core.formats.video import VIDEO_FORMATS
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
    """A numbered box ("Face 1", "Possible mark 2") for every face/mark finding with a
    region, ticked as core's :func:`~veil.core.covers.covered_by_default` says.

    Faces start covered (a missed face identifies someone); a possible mark is a question
    and starts covered only when it is confident and small, so a false box over most of the
    frame never blacks out an export the user did not look at.
    """
    boxes = []
    counts: dict[FindingKind, int] = {}
    for i, finding in enumerate(report.findings):
        if finding.kind in PIXEL_KINDS and finding.region is not None:
            r = finding.region
            if r.w > 0 and r.h > 0:
                counts[finding.kind] = counts.get(finding.kind, 0) + 1
                label = f"{_LABELS[finding.kind]} {counts[finding.kind]}"
                covered = covered_by_default(finding, report.width or 0, report.height or 0)
                boxes.append(OverlayBox(r, covered, finding.kind.value, label, i))
    return tuple(boxes)


def can_cover(report: FileReport | None) -> bool:
    """False for a video: faces in clips are not checked and the export copies a clip's
    frames as they are (it covers nothing in them), so no box may be drawn or ticked."""
    return report is None or (report.format or "").lower() not in VIDEO_FORMATS


def drawn_label(boxes: Iterable[OverlayBox]) -> str:
    """The label for the next box the user draws ("Your box 1", "Your box 2", ...)."""
    used = {b.label for b in boxes if b.origin == "drawn"}
    n = 1
    while f"Your box {n}" in used:
        n += 1
    return f"Your box {n}"


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


_NOUNS = {"face": ("face", "faces"), "tattoo": ("possible mark", "possible marks")}


#: The end of :func:`cover_counts` while the export's "Cover the faces and marks" is off.
NOT_COVERING = "none covered: covering is off in the Export tab"
#: The end of :func:`cover_counts` when the export will write no copy, before its reason.
NO_COPY = "no copy will be written"


def cover_counts(boxes: Iterable[OverlayBox], covering: bool = True, no_copy: str = "") -> str:
    """How many boxes of each kind there are and how many the copy covers, in plain words:
    "7 faces, 6 covered · 1 possible mark, 0 covered · 2 boxes you drew, 2 covered".
    Not ``covering`` (the export's option is off), the copy covers none whatever is ticked:
    "7 faces · 1 possible mark — none covered: …" ("6 covered" was not what it shows).
    ``no_copy``: why the export, as set, writes no copy at all (the plan's words, e.g. "an
    animation can't be covered"): "1 face — no copy will be written (an animation …)"."""
    tally: dict[str, list[int]] = {}
    for box in boxes:
        n = tally.setdefault(box.origin, [0, 0])
        n[0] += 1
        n[1] += box.accepted
    parts = []
    for origin in ("face", "tattoo", "drawn"):
        if origin in tally:
            total, covered = tally[origin]
            one, many = _NOUNS.get(origin, ("box you drew", "boxes you drew"))
            counted = f"{total} {one if total == 1 else many}"
            parts.append(f"{counted}, {covered} covered" if covering and not no_copy else counted)
    if no_copy and parts:
        return " · ".join(parts) + f" — {NO_COPY} ({no_copy})"
    if not covering and parts:
        return " · ".join(parts) + " — " + NOT_COVERING
    return " · ".join(parts)
