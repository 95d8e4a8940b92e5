"""Video audit of tracks that reveal where: GoPro telemetry and its GPS fix, positions in
text tracks, Apple timed metadata."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.factories.isobmff import box
from tests.factories.video import make_clip, telemetry_clip
from veil.core.audit import audit_file
from veil.core.model import FindingKind, Severity


def test_telemetry_track_records_where(tmp_path: Path) -> None:
    report = audit_file(telemetry_clip(tmp_path), metadata_only=True)
    where = [f for f in report.findings if f.kind is FindingKind.LOCATION]
    assert where and where[0].summary == (
        "A track records where it was filmed (GoPro GPMF telemetry)")
    assert where[0].severity is Severity.HIGH


def test_gopro_gps_fix_is_read(tmp_path: Path) -> None:
    report = audit_file(telemetry_clip(tmp_path, gpmf=(51.500729, -0.124625, 20.0)),
                        metadata_only=True)
    where = [f for f in report.findings if f.kind is FindingKind.LOCATION]
    assert where[0].summary.startswith("Shows where it was filmed: 51.5007 N, 0.1246 W")
    assert where[0].source == "GoPro GPMF"
    assert any(f.summary.startswith("A track records where") for f in where)


def test_apple_timed_metadata_keys_decide_the_finding() -> None:
    from veil.core.formats.isobmff import Box
    from veil.core.formats.video.movie import TELEMETRY, TIMED, Track, _mebx_keys

    def keyd(name: str) -> bytes:
        return box(struct.pack(">I", 1), box("keyd", b"mdta" + name.encode()))

    entry = box("mebx", bytes(8) + box("keys", keyd("com.apple.quicktime.still-image-time")))
    keys = _mebx_keys(bytes(8) + entry)
    assert keys == ["com.apple.quicktime.still-image-time"]
    track = Track(Box("trak", 0, 8, 8), sample_format="mebx", meta_keys=keys)
    assert track.role == TIMED
    track.meta_keys.append("com.apple.quicktime.location.ISO6709")
    assert track.role == TELEMETRY
    assert Track(Box("trak", 0, 8, 8), sample_format="mebx").role == TELEMETRY  # unknown: assume


def test_labelled_position_in_a_text_track(tmp_path: Path) -> None:
    srt = tmp_path / "dji.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,500\nF/2.8, SS 1000, ISO 100 "
                   "[latitude: 48.858400] [longitude: 2.294500] [rel_alt: 30.0]\n\n")
    clip = make_clip(tmp_path / "DJI_0002.mp4", inputs=("-i", str(srt)),
                     extra=("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "mov_text"))
    where = [f for f in audit_file(clip, metadata_only=True).findings
             if f.kind is FindingKind.LOCATION]
    assert where[0].summary.startswith("Shows where it was filmed: 48.8584 N, 2.2945 E")
    assert where[0].source == "Text track"


@pytest.mark.parametrize("pad", ["", "x" * 13])
def test_labelled_text_track_position_whatever_the_sample_length(tmp_path: Path,
                                                                 pad: str) -> None:
    """Hostile retest of issue 17: a tx3g sample starts with its 2-byte length; a length of
    48..57 or 65..122 bytes is an ASCII letter or digit ('0' for 48), which glued to
    'latitude' defeated the word boundary, so the labelled DJI position was missed."""
    text = f"latitude: 48.8584 longitude: 2.2945 SN{pad}"
    srt = tmp_path / "gps.srt"
    srt.write_text(f"1\n00:00:00,000 --> 00:00:01,500\n{text}\n\n")
    clip = make_clip(tmp_path / "drone.mp4", inputs=("-i", str(srt)),
                     extra=("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "mov_text"))
    report = audit_file(clip, metadata_only=True)
    where = [f.summary for f in report.findings if f.kind is FindingKind.LOCATION]
    assert any(s.startswith("Shows where it was filmed: 48.8584 N, 2.2945 E") for s in where), \
        (len(text), where)
