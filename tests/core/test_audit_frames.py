"""Frames nobody looked at are never "nothing found" (audit.py): an animation's faces and
marks are looked for in its first frame only, and a video's not at all. A GIF whose face
appears in frame 2 said "nothing identifying found (every block read, every check ran)",
and so did a silent clip with no metadata, while the window said "Unknown"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.factories.video import make_clip
from veil.core.audit import audit_file
from veil.core.model import CheckStatus, Risk


def _animation(path: Path, fmt: str, frames: int = 3) -> Path:
    blank = Image.new("RGB", (96, 128), (200, 200, 200))
    later = [Image.new("RGB", (96, 128), (40 * i, 90, 160)) for i in range(1, frames)]
    kw = {"loop": 0} if fmt == "GIF" else {}
    blank.save(path, fmt, save_all=True, append_images=later, duration=200, **kw)
    return path


@pytest.mark.parametrize(("name", "fmt"), [("a.gif", "GIF"), ("a.webp", "WEBP"),
                                           ("a.png", "PNG")])
def test_an_animation_with_nothing_in_its_first_frame_is_unknown(
    tmp_path: Path, name: str, fmt: str
) -> None:
    report = audit_file(_animation(tmp_path / name, fmt))
    assert report.ok, report.error
    assert report.risk is Risk.UNKNOWN
    assert report.checks["faces"] is CheckStatus.SKIPPED
    assert any("first frame only (this is an animation of 3 frames)" in n for n in report.notes)


@pytest.mark.parametrize(("name", "fmt"), [("a.gif", "GIF"), ("a.webp", "WEBP"),
                                           ("a.png", "PNG")])
def test_a_still_in_an_animation_format_is_checked_in_full(
    tmp_path: Path, name: str, fmt: str
) -> None:
    path = tmp_path / name
    Image.new("RGB", (96, 128), (200, 200, 200)).save(path, fmt)
    report = audit_file(path)
    assert report.risk is Risk.NONE and report.notes == ()
    assert report.checks["faces"] is CheckStatus.DONE


def test_metadata_only_still_says_none_for_an_animation(tmp_path: Path) -> None:
    report = audit_file(_animation(tmp_path / "a.gif", "GIF"), metadata_only=True)
    assert report.risk is Risk.NONE  # the caller asked for no pixel checks


def test_a_silent_clip_without_metadata_is_unknown_not_clean(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.mp4", sound=False, fmt="mp4",
                     extra=("-map_metadata", "-1", "-fflags", "+bitexact",
                            "-flags:v", "+bitexact"))
    report = audit_file(clip)
    assert report.findings == () and report.risk is Risk.UNKNOWN
    proc = subprocess.run([sys.executable, "-m", "veil", "scan", str(clip)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "every check ran" not in proc.stdout and "UNKNOWN" in proc.stdout
