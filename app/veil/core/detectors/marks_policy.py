"""Whether an export covers a pixel finding by default: one rule for ``veil clean`` and the window.

Faces are covered by default (a missed face identifies someone). A possible mark is a
question, and a wrong cover can black out half a photo, so a mark starts ticked only when
the detector is confident AND its box is small (<= :data:`SMALL_FRACTION` of the picture);
a box over :data:`NEVER_FRACTION` is never ticked by default, whatever the score. The user
can always tick or untick a box; this is only where the export starts.

API (all pure, no Qt)::

    cover_by_default(finding) -> bool          # one finding
    default_redactions(report) -> tuple[Region, ...]   # what to cover when the user says nothing

Mark findings carry ``detail["box_fraction"]`` (box area / picture area), ``detail["confident"]``
and ``detail["cover_by_default"]`` (this rule's answer, for JSON consumers).
"""

from __future__ import annotations

from veil.core.model import FileReport, Finding, FindingKind, Region

#: A confident mark is ticked by default only up to this share of the picture.
SMALL_FRACTION = 0.15
#: Over this share of the picture a mark is never ticked by default.
NEVER_FRACTION = 0.40


def box_fraction(region: Region, width: int, height: int) -> float:
    """The box's area as a share of the picture's (0..1)."""
    if width <= 0 or height <= 0:
        return 1.0
    return min(1.0, max(0, region.w) * max(0, region.h) / float(width * height))


def cover_by_default(finding: Finding) -> bool:
    """True when an export should start with this finding covered (see the module doc)."""
    if finding.region is None or finding.region.w <= 0 or finding.region.h <= 0:
        return False
    if finding.kind is FindingKind.FACE:
        return True
    if finding.kind is not FindingKind.TATTOO:
        return False
    try:
        fraction = float(finding.detail.get("box_fraction", 1.0))
    except (TypeError, ValueError):
        return False
    if fraction > NEVER_FRACTION:
        return False
    return bool(finding.detail.get("confident", False)) and fraction <= SMALL_FRACTION


def default_redactions(report: FileReport) -> tuple[Region, ...]:
    """The regions to cover in ``report``'s photo when the user has not chosen."""
    return tuple(f.region for f in report.findings
                 if f.region is not None and cover_by_default(f))
