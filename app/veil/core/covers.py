"""Which faces and marks a cleaned copy covers unless the user says otherwise, and how much
of the picture the covers take.

One rule wherever a default cover is decided (the window's "Cover" ticks; the
``cover_by_default`` of a mark finding, in ``veil scan --json`` too), so an export can never
black out a photo by surprise. ``veil clean`` covers nothing: it reads metadata only and has
no cover option (its text and ``--json`` say so); :func:`default_regions` is for a front end
without a review step (none uses it yet). The rule: a face is covered (a missed face
identifies someone); a possible mark is a *question* — it starts covered only when the
detector is confident and its box is small, and a box over :data:`NEVER_BY_DEFAULT` of the
picture is never covered without the user asking (false alarms on fur, flowers and rooms
are large boxes).
"""

from __future__ import annotations

from collections.abc import Iterable

from veil.core.model import FileReport, Finding, FindingKind, Region
from veil.core.redact import padded_box

#: A possible mark starts covered only when its detector called it ``detail["confident"]``
#: (the detector knows its own calibrated threshold) or, for a finding without that field,
#: at or above this score (0..1) ...
MARK_CONFIDENT = 0.80
#: ... and only when its box is at most this fraction of the picture's area.
MARK_SMALL = 0.15
#: A possible mark whose box is over this fraction of the picture is never covered by default.
#: Faces are not bound by it: a close-up face is still a face; the export's large-cover
#: question (:data:`LARGE_COVER`) shows such a copy before it is written.
NEVER_BY_DEFAULT = 0.40
#: A copy with more than this fraction of its picture covered is worth a look before writing.
LARGE_COVER = 1 / 3
#: Padding the export adds around each box (:attr:`ExportOptions.redaction_padding`).
DEFAULT_PADDING = 0.10


def box_fraction(region: Region, width: int, height: int) -> float:
    """The share of a ``width`` x ``height`` picture that ``region`` takes (0..1, unpadded)."""
    if width <= 0 or height <= 0:
        return 0.0
    w = max(0, min(region.x + region.w, width) - max(region.x, 0))
    h = max(0, min(region.y + region.h, height) - max(region.y, 0))
    return (w * h) / (width * height)


def covered_by_default(finding: Finding, width: int | None, height: int | None) -> bool:
    """True when ``finding``'s box should start ticked "Cover" (``width`` x ``height``: the
    upright picture, as in :attr:`FileReport.width`).

    Faces: always (unless empty), whatever their size: a missed face identifies someone,
    and a copy covered over :data:`LARGE_COVER` is shown to the user before it is written.
    Possible marks: only a confident, small box — confident as the detector's own
    ``detail["confident"]`` says when present, else ``confidence >=``
    :data:`MARK_CONFIDENT` — and never one over :data:`NEVER_BY_DEFAULT` of the picture, so
    one false mark box cannot blank a photo.
    """
    region = finding.region
    if region is None or region.w <= 0 or region.h <= 0:
        return False
    if finding.kind is FindingKind.FACE:
        # Every reported face, whatever its score: no cut was found that spares false faces
        # without dropping real ones (2026-12-07). Counted faces in ../shared/faces all scored
        # >= 0.408, but just above the detector's 0.35 real faces outnumber false ones: in
        # 0.35-0.40 the faces set held 3 background heads and no false face, the boxes seen
        # by eye on ../shared/marks + marks-train ~8 real (a chin and lips at 0.399) and 4
        # false, the corpus 1 false (a kitchen HEIC, 0.353). False faces spread from 0.353 to
        # 0.677 (a dog 0.559, a violin scroll 0.637) among 12 counted faces in 0.40-0.68.
        return True
    if finding.kind is not FindingKind.TATTOO:
        return False
    if not width or not height:
        return False  # no size: cannot tell a small box from a whole-frame one
    fraction = box_fraction(region, width, height)
    if fraction > NEVER_BY_DEFAULT:
        return False
    return is_confident(finding) and fraction <= MARK_SMALL


def is_confident(finding: Finding) -> bool:
    """The detector's own ``detail["confident"]`` when it gave one (a bool), else whether
    ``finding.confidence`` reaches :data:`MARK_CONFIDENT`."""
    flag = finding.detail.get("confident") if finding.detail else None
    if isinstance(flag, bool):
        return flag
    return (finding.confidence or 0.0) >= MARK_CONFIDENT


def default_regions(report: FileReport) -> tuple[Region, ...]:
    """The boxes a copy of ``report``'s photo covers when nobody reviewed them (for a
    front end without a review step, e.g. a future ``veil clean --cover``)."""
    return tuple(
        f.region
        for f in report.findings
        if f.region is not None and covered_by_default(f, report.width, report.height)
    )


def covered_fraction(
    regions: Iterable[Region], width: int, height: int, padding: float = DEFAULT_PADDING
) -> float:
    """The share of the picture the export's covers take: the union of the padded boxes
    (:func:`veil.core.redact.padded_box`, the same geometry :func:`~veil.core.redact.cover`
    fills), so overlapping boxes are not counted twice."""
    if width <= 0 or height <= 0:
        return 0.0
    boxes = [padded_box(r, padding, width, height) for r in regions if r.w > 0 and r.h > 0]
    boxes = [b for b in boxes if b[2] > b[0] and b[3] > b[1]]
    if not boxes:
        return 0.0
    # Exact union by sweeping the distinct x edges (a photo has at most a few dozen boxes).
    xs = sorted({b[0] for b in boxes} | {b[2] for b in boxes})
    area = 0
    for left, right in zip(xs, xs[1:], strict=False):
        spans = sorted((b[1], b[3]) for b in boxes if b[0] <= left and b[2] >= right)
        covered, top, bottom = 0, None, None
        for y0, y1 in spans:
            if bottom is None or y0 > bottom:
                if bottom is not None and top is not None:
                    covered += bottom - top
                top, bottom = y0, y1
            else:
                bottom = max(bottom, y1)
        if bottom is not None and top is not None:
            covered += bottom - top
        area += covered * (right - left)
    return area / (width * height)
