"""The export's default for each pixel finding (veil.core.detectors.marks_policy)."""

from __future__ import annotations

from veil.core.detectors.marks_policy import (
    NEVER_FRACTION,
    SMALL_FRACTION,
    cover_by_default,
    default_redactions,
)
from veil.core.model import FileReport, Finding, FindingKind, Region, Risk, Severity


def _mark(fraction: float, confident: bool, kind: FindingKind = FindingKind.TATTOO) -> Finding:
    side = int(round(1000 * fraction ** 0.5))
    return Finding(kind, Severity.MEDIUM, "Possible tattoo or birthmark — check this area",
                   "pixels", {"box_fraction": fraction, "confident": confident},
                   Region(0, 0, side, side), 0.9 if confident else 0.55)


def test_marks_are_covered_by_default_only_when_confident_and_small() -> None:
    assert cover_by_default(_mark(0.02, True))
    assert cover_by_default(_mark(SMALL_FRACTION, True))
    assert not cover_by_default(_mark(0.02, False))
    assert not cover_by_default(_mark(0.2, True))
    for frac in (NEVER_FRACTION + 0.01, 0.6, 1.0):  # never, whatever the score
        assert not cover_by_default(_mark(frac, True))
    # Faces stay covered; metadata findings have no box to cover.
    assert cover_by_default(_mark(0.6, False, FindingKind.FACE))
    assert not cover_by_default(Finding(FindingKind.LOCATION, Severity.HIGH, "GPS", "EXIF"))
    no_fraction = Finding(FindingKind.TATTOO, Severity.MEDIUM, "x", "pixels",
                          {"confident": True}, Region(0, 0, 5, 5), 0.9)
    assert not cover_by_default(no_fraction)  # unknown size: not ticked


def test_default_redactions_keep_faces_and_small_confident_marks() -> None:
    face = _mark(0.05, True, FindingKind.FACE)
    small, large = _mark(0.01, True), _mark(0.5, True)
    report = FileReport(path=__import__("pathlib").Path("x.jpg"), status="ok", error=None,
                        format="jpeg", width=1000, height=1000, orientation=1, risk=Risk.MEDIUM,
                        findings=(face, small, large))
    assert default_redactions(report) == (face.region, small.region)
