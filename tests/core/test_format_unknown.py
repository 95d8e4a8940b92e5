"""Files no handler reads get a one-line reason naming what they are (formats/unknown.py):
a WebM clip from a messenger or a renamed text file once said only "unrecognised content",
which leaves a person guessing whether Veil failed. The scan still reports them as unknown,
never clean, and the export skips them with the same words."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from veil.core.audit import audit_file
from veil.core.export import export_clean
from veil.core.formats.unknown import why_unsupported
from veil.core.model import ExportOptions, ExportStatus, Risk


def _webm(path: Path) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=64x48:rate=5", "-t", "1", "-c:v", "libvpx",
                    "-metadata", "title=Jane at home", str(path)], check=True, timeout=60)
    return path


def _bmp(path: Path) -> Path:
    Image.new("RGB", (8, 8), "red").save(path, "BMP")
    return path


@pytest.mark.parametrize(("make", "name", "words"), [
    (_webm, "clip.webm", "a WebM or MKV video, which Veil can't read yet"),
    (_bmp, "photo.jpg", "a BMP picture, which Veil can't read yet"),
    (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") and p, "scan.jpg",
     "a PDF document, not a picture"),
    (lambda p: p.write_text("hello, I am a text file\n") and p, "IMG_0001.jpg",
     "this file holds text, not a picture"),
    (lambda p: p.write_text("<!DOCTYPE html><html>x</html>") and p, "a.jpg",
     "this file holds a web page"),
])
def test_a_file_veil_cannot_read_is_named(
    tmp_path: Path, make: Callable[[Path], Path], name: str, words: str
) -> None:
    path = make(tmp_path / name)
    report = audit_file(path)
    assert not report.ok and report.risk is Risk.UNKNOWN
    assert report.error and report.error.startswith("not a supported image")  # the GUI's cue
    assert words in report.error and "\n" not in report.error
    result = export_clean(path, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.SKIPPED and words in (result.error or "")
    assert not (tmp_path / "out" / name).exists()


@pytest.mark.parametrize("head", [b"BMW photos from the trip", b"\x00\x01\x02\x03garbage\xff",
                                  b"RIFF\x10\x00\x00\x00WEBPVP8X"])
def test_what_it_cannot_name_stays_unrecognised(head: bytes) -> None:
    words = why_unsupported(head)
    assert "BMP" not in words and "video" not in words
    assert words.startswith("not a supported image")
