"""The default-cover rule (faces yes; marks only confident and small; nothing huge) and the
covered share of a picture."""

from __future__ import annotations

import pytest

from veil.core.covers import (
    MARK_CONFIDENT,
    box_fraction,
    covered_by_default,
    covered_fraction,
)
from veil.core.model import Finding, FindingKind, Region, Severity


def mark(region: Region, confidence: float) -> Finding:
    return Finding(
        FindingKind.TATTOO, Severity.MEDIUM, "m", "pixels", region=region, confidence=confidence
    )


def detector_mark(fraction: float, confident: bool, score: float) -> Finding:
    """A mark as the detector reports it: a square box of ``fraction`` of a 1000x1000 picture
    and its own ``detail["confident"]`` (which may disagree with the score's fallback)."""
    side = int(round(1000 * fraction**0.5))
    detail = {"box_fraction": fraction, "confident": confident}
    return Finding(FindingKind.TATTOO, Severity.MEDIUM, "m", "pixels", detail,
                   Region(0, 0, side, side), score)


def face(region: Region) -> Finding:
    return Finding(FindingKind.FACE, Severity.HIGH, "f", "pixels", region=region, confidence=0.6)


def test_a_confident_small_mark_starts_covered() -> None:
    assert covered_by_default(mark(Region(10, 10, 100, 100), 0.95), 1000, 1000)  # 1 %


def test_a_mark_over_15_percent_or_unsure_is_a_question() -> None:
    assert not covered_by_default(mark(Region(0, 0, 400, 400), 0.99), 1000, 1000)  # 16 %
    assert not covered_by_default(mark(Region(10, 10, 100, 100), MARK_CONFIDENT - 0.01), 1000, 1000)
    assert covered_by_default(mark(Region(0, 0, 375, 400), 0.99), 1000, 1000)  # exactly 15 %


def test_nothing_over_40_percent_is_covered_by_default_but_faces_are() -> None:
    assert not covered_by_default(mark(Region(0, 0, 900, 800), 1.0), 1000, 1000)
    assert covered_by_default(face(Region(0, 0, 900, 800)), 1000, 1000) is True
    assert covered_by_default(face(Region(5, 5, 10, 10)), None, None)


def test_no_size_or_empty_box_is_never_covered_by_default() -> None:
    assert not covered_by_default(mark(Region(10, 10, 10, 10), 0.99), None, None)
    assert not covered_by_default(face(Region(10, 10, 0, 10)), 100, 100)
    metadata = Finding(FindingKind.LOCATION, Severity.HIGH, "gps", "EXIF")
    assert not covered_by_default(metadata, 100, 100)


def test_box_fraction_clips_to_the_picture() -> None:
    assert box_fraction(Region(50, 50, 100, 100), 100, 100) == pytest.approx(0.25)
    assert box_fraction(Region(0, 0, 10, 10), 0, 10) == 0.0


def test_covered_fraction_is_the_union_of_padded_boxes() -> None:
    # Two identical boxes count once; padding 0 gives the plain area.
    boxes = [Region(0, 0, 50, 100), Region(0, 0, 50, 100)]
    assert covered_fraction(boxes, 100, 100, padding=0) == pytest.approx(0.5)
    # Overlapping boxes: 50x100 and 100x50 overlap in 50x50 -> 0.75.
    assert covered_fraction(
        [Region(0, 0, 50, 100), Region(0, 0, 100, 50)], 100, 100, padding=0
    ) == pytest.approx(0.75)
    # Padding 10 % of a 20x20 box in the middle: 24x24.
    assert covered_fraction([Region(40, 40, 20, 20)], 100, 100) == pytest.approx(0.0576)
    assert covered_fraction([], 100, 100) == 0.0


def test_default_regions_of_a_report_follow_the_rule() -> None:
    from pathlib import Path

    from veil.core.covers import default_regions
    from veil.core.model import FileReport, Risk

    findings = (
        face(Region(0, 0, 10, 10)),
        mark(Region(20, 20, 10, 10), 0.95),
        mark(Region(0, 0, 90, 90), 0.99),
        mark(Region(50, 50, 10, 10), 0.5),
    )
    report = FileReport(Path("x.jpg"), "ok", None, "jpeg", 100, 100, 1, Risk.HIGH, findings)
    assert default_regions(report) == (Region(0, 0, 10, 10), Region(20, 20, 10, 10))


def test_the_detectors_own_confident_flag_wins_over_the_score() -> None:
    # The detector knows its calibrated threshold: its flag decides, the score is a fallback.
    assert covered_by_default(detector_mark(0.02, True, 0.55), 1000, 1000)
    assert not covered_by_default(detector_mark(0.02, False, 0.99), 1000, 1000)
    # The 15 % and 40 % limits hold whatever the flag says.
    assert covered_by_default(detector_mark(0.15, True, 0.9), 1000, 1000)
    assert not covered_by_default(detector_mark(0.2, True, 0.9), 1000, 1000)
    for fraction in (0.41, 0.6, 1.0):
        assert not covered_by_default(detector_mark(fraction, True, 1.0), 1000, 1000)
    # Unknown picture size: a mark is never ticked, even a confident one.
    assert not covered_by_default(detector_mark(0.02, True, 0.99), None, None)
    assert not covered_by_default(detector_mark(0.02, True, 0.99), 0, 1000)
    # A non-bool flag is not trusted: the score decides.
    odd = Finding(FindingKind.TATTOO, Severity.MEDIUM, "m", "pixels", {"confident": "yes"},
                  Region(0, 0, 10, 10), 0.5)
    assert not covered_by_default(odd, 1000, 1000)


def test_a_face_over_40_percent_and_metadata_findings() -> None:
    big_face = Finding(FindingKind.FACE, Severity.HIGH, "f", "pixels", {"confident": False},
                       Region(0, 0, 775, 775), 0.55)  # 60 %, not confident: still covered
    assert covered_by_default(big_face, 1000, 1000)
    gps = Finding(FindingKind.LOCATION, Severity.HIGH, "GPS", "EXIF", {"confident": True})
    assert not covered_by_default(gps, 1000, 1000)


def test_default_regions_use_the_detectors_flags() -> None:
    from pathlib import Path

    from veil.core.covers import default_regions
    from veil.core.model import FileReport, Risk

    big_face = face(Region(0, 0, 224, 224))
    small, large = detector_mark(0.01, True, 0.9), detector_mark(0.5, True, 0.9)
    unsure = detector_mark(0.01, False, 0.95)
    report = FileReport(Path("x.jpg"), "ok", None, "jpeg", 1000, 1000, 1, Risk.MEDIUM,
                        (big_face, small, large, unsure))
    assert default_regions(report) == (big_face.region, small.region)
