"""audit_file / audit_paths: reports, risk rules, bad input failing alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories.basic import gps_serial_exif, make_jpeg, make_png
from veil.core.audit import audit_file, compute_risk
from veil.core.batch import audit_paths
from veil.core.model import CheckStatus, Finding, FindingKind, Risk, Severity
from veil.core.scan import Skipped


def _f(sev: Severity) -> Finding:
    return Finding(FindingKind.TIME, sev, "x", "EXIF")


def test_risk_is_highest_severity() -> None:
    checks = {"metadata": CheckStatus.DONE}
    assert compute_risk([_f(Severity.LOW), _f(Severity.HIGH)], checks, True) is Risk.HIGH
    assert compute_risk([_f(Severity.MEDIUM)], checks, False) is Risk.MEDIUM


def test_risk_none_only_when_everything_checked() -> None:
    done = {"metadata": CheckStatus.DONE, "faces": CheckStatus.DONE}
    assert compute_risk([], done, True) is Risk.NONE
    assert compute_risk([], done, False) is Risk.UNKNOWN
    for bad in (CheckStatus.NOT_AVAILABLE, CheckStatus.FAILED):
        assert compute_risk([], {**done, "faces": bad}, True) is Risk.UNKNOWN
    assert compute_risk([], {**done, "faces": CheckStatus.SKIPPED}, True) is Risk.NONE


def test_jpeg_with_gps_and_serial_is_high(tmp_path: Path) -> None:
    report = audit_file(make_jpeg(tmp_path / "a.jpg", exif=gps_serial_exif()), metadata_only=True)
    assert report.ok, report.error
    assert report.format == "jpeg"
    assert (report.width, report.height) == (64, 48)
    kinds = {f.kind for f in report.findings}
    assert {FindingKind.LOCATION, FindingKind.DEVICE, FindingKind.IDENTITY} <= kinds
    assert report.risk is Risk.HIGH
    loc = next(f for f in report.findings if f.kind is FindingKind.LOCATION)
    assert loc.detail["lat"] == pytest.approx(48.8584, abs=1e-3)
    assert loc.detail["lon"] == pytest.approx(2.2945, abs=1e-3)
    assert report.checks["faces"] is CheckStatus.SKIPPED


def test_plain_png_metadata_only_has_no_findings(tmp_path: Path) -> None:
    report = audit_file(make_png(tmp_path / "p.png"), metadata_only=True)
    assert report.ok, report.error
    assert report.findings == ()
    assert report.risk is Risk.NONE


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"hello, I am a text file\n", "not a supported image"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00", ""),  # truncated JPEG
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", ""),  # truncated PNG
    ],
)
def test_bad_files_fail_alone_with_a_reason(tmp_path: Path, content: bytes, needle: str) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(content)
    report = audit_file(bad)
    assert report.risk is Risk.UNKNOWN
    if report.ok:  # a handler may accept a truncated file as partly parsed: never "clean"
        assert report.notes
    else:
        assert report.error and "\n" not in report.error
        assert needle in report.error


def test_directory_and_missing_file(tmp_path: Path) -> None:
    assert "folder" in (audit_file(tmp_path).error or "")
    assert not audit_file(tmp_path / "nope.jpg").ok


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path: Path) -> None:
    p = make_png(tmp_path / "locked.png")
    p.chmod(0)
    assert "permission" in (audit_file(p).error or "")


def test_batch_goes_on_after_bad_file_and_reports_loops(tmp_path: Path) -> None:
    (tmp_path / "0-broken.jpg").write_bytes(b"\xff\xd8garbage")
    make_png(tmp_path / "1-good.png")
    (tmp_path / "-ver.png").write_bytes((tmp_path / "1-good.png").read_bytes())
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "loop").symlink_to(tmp_path)
    items = list(audit_paths([tmp_path], recursive=True, metadata_only=True))
    reports = [i for i in items if not isinstance(i, Skipped)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    names = sorted(r.path.name for r in reports)
    assert names == ["-ver.png", "0-broken.jpg", "1-good.png"]
    assert any("loop" in s.reason for s in skipped)
    assert next(r for r in reports if r.path.name == "1-good.png").ok


def test_pixel_detector_ids_match_the_detectors() -> None:
    from veil.core.detectors import PIXEL_DETECTOR_IDS, pixel_detectors

    assert tuple(d.id for d in pixel_detectors()) == PIXEL_DETECTOR_IDS


def test_worker_pool_gives_the_same_reports_in_order(tmp_path: Path) -> None:
    for i in range(20):
        if i % 3 == 0:
            make_jpeg(tmp_path / f"{i:02d}.jpg", exif=gps_serial_exif())
        elif i % 3 == 1:
            make_png(tmp_path / f"{i:02d}.png")
        else:
            (tmp_path / f"{i:02d}.jpg").write_bytes(b"broken")
    one = list(audit_paths([tmp_path], metadata_only=True, workers=1))
    two = list(audit_paths([tmp_path], metadata_only=True, workers=2))
    assert len(one) == 20
    assert [r.to_json() for r in one] == [r.to_json() for r in two]  # type: ignore[union-attr]
