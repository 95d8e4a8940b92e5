"""Conformance on real camera files (../shared/corpus) against exiftool, the independent reader.

Every disagreement names the file. Skips cleanly when ../shared or exiftool is absent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from veil.core.audit import audit_file
from veil.core.model import FileReport, FindingKind

IMAGE_SUFFIXES = {
    ".jpg", ".jpeg", ".mpo", ".png", ".webp", ".tif", ".tiff", ".dng", ".heic", ".heif", ".avif",
    ".gif",
}  # fmt: skip


def _corpus(shared: Path) -> list[Path]:
    root = shared / "corpus"
    if not root.is_dir():
        pytest.skip("../shared/corpus is absent")
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)


@cache
def _exiftool(root: str) -> dict[str, dict[str, Any]]:
    exe = shutil.which("exiftool")
    if exe is None:
        pytest.skip("exiftool is not installed")
    out = subprocess.run(
        [exe, "-j", "-G", "-n", "-r", root],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {str(Path(e["SourceFile"]).resolve()): e for e in json.loads(out)}


@cache
def _report(path: Path) -> FileReport:
    return audit_file(path, metadata_only=True)


def _details(report: FileReport, *kinds: FindingKind) -> str:
    """All text of the findings of ``kinds`` (summary + detail), for value look-ups."""
    parts = [
        f.summary + json.dumps(dict(f.detail), default=str)
        for f in report.findings
        if f.kind in kinds
    ]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> list[Path]:
    return _corpus(shared_dir)


@pytest.fixture(scope="module")
def exif(shared_dir: Path) -> dict[str, dict[str, Any]]:
    return _exiftool(str(shared_dir / "corpus"))


def test_every_readable_file_is_audited(corpus: list[Path], exif: dict[str, Any]) -> None:
    problems = []
    for path in corpus:
        report = _report(path)
        ours_ok = report.ok
        theirs = exif.get(str(path.resolve()), {})
        theirs_ok = "ExifTool:Error" not in theirs
        if theirs_ok and not ours_ok:
            problems.append(f"{path.name}: exiftool reads it, we say {report.error}")
        if not ours_ok and (not report.error or "\n" in report.error):
            problems.append(f"{path.name}: error without a one-line reason")
    assert not problems, "\n".join(problems)


def test_gps_agrees_with_exiftool(corpus: list[Path], exif: dict[str, Any]) -> None:
    problems = []
    for path in corpus:
        theirs = exif.get(str(path.resolve()), {})
        lat, lon = theirs.get("Composite:GPSLatitude"), theirs.get("Composite:GPSLongitude")
        report = _report(path)
        ours = [f for f in report.findings if f.kind is FindingKind.LOCATION and "lat" in f.detail]
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            if not any(
                abs(f.detail["lat"] - lat) < 1e-4 and abs(f.detail["lon"] - lon) < 1e-4
                for f in ours
            ):
                got = [(f.detail["lat"], f.detail["lon"]) for f in ours]
                problems.append(f"{path.name}: exiftool GPS {lat},{lon}; we found {got}")
        elif ours and not any(k.endswith(("GPSLatitude", "GPSPosition")) for k in theirs):
            problems.append(f"{path.name}: we report GPS exiftool does not see")
    assert not problems, "\n".join(problems)


def _serials(entry: dict[str, Any]) -> set[str]:
    found = set()
    for key, value in entry.items():
        name = key.split(":")[-1]
        # Every block exiftool reads (maker APPn blocks too: FLIR, InfiRay, PictureInfo).
        if (name.endswith("SerialNumber") or name == "ImageUniqueID") and not key.startswith(
            ("Composite:", "File:", "ExifTool:")
        ):
            text = str(value).strip()
            if text and text.strip("0 ") and name not in ("SerialNumberFormat",):
                found.add(text)
    return found


def test_serials_agree_with_exiftool(corpus: list[Path], exif: dict[str, Any]) -> None:
    problems = []
    for path in corpus:
        theirs = _serials(exif.get(str(path.resolve()), {}))
        text = _details(_report(path), FindingKind.DEVICE)
        missing = sorted(s for s in theirs if s not in text)
        if missing:
            problems.append(f"{path.name}: serials exiftool sees that we miss: {missing}")
    assert not problems, "\n".join(problems)


def _has(entry: dict[str, Any], *names: str) -> bool:
    return any(k.split(":")[-1] in names for k in entry)


def test_hidden_content_agrees_with_exiftool(corpus: list[Path], exif: dict[str, Any]) -> None:
    problems = []
    for path in corpus:
        theirs = exif.get(str(path.resolve()), {})
        report = _report(path)
        kinds = {f.kind for f in report.findings}
        # An empty thumbnail slot (length 0) holds nothing, so it is not something to report.
        thumb = _has(theirs, "ThumbnailImage", "ThumbnailTIFF") or (
            _has(theirs, "ThumbnailOffset") and theirs.get("EXIF:ThumbnailLength", 1) != 0
        )
        if thumb and FindingKind.THUMBNAIL not in kinds:
            problems.append(f"{path.name}: exiftool sees an EXIF thumbnail, we don't")
        if any(k.startswith("JUMBF:") for k in theirs) and FindingKind.PROVENANCE not in kinds:
            problems.append(f"{path.name}: exiftool sees C2PA/JUMBF, we don't")
        video = _has(theirs, "MotionPhotoVideo", "EmbeddedVideoFile", "MicroVideo")
        extra = theirs.get("MPF:NumberOfImages", 1)
        if (video or (isinstance(extra, int) and extra > 1)) and (
            FindingKind.EMBEDDED_MEDIA not in kinds
        ):
            problems.append(f"{path.name}: exiftool sees embedded images/video, we don't")
    assert not problems, "\n".join(problems)


def test_exif_camera_serial_number_agrees_with_exiftool(
    corpus: list[Path], exif: dict[str, Any]
) -> None:
    """IFD0 CameraSerialNumber (DNG 0xC62F) is read from EXIF itself, not only found because
    an XMP copy of the same number happens to be there too."""
    checked = 0
    problems = []
    for path in corpus:
        theirs = exif.get(str(path.resolve()), {}).get("EXIF:CameraSerialNumber")
        if theirs is None or not str(theirs).strip("0 "):
            continue
        checked += 1
        ours = {t.value for t in _report(path).tags if (t.group, t.name) == ("EXIF",
                                                                             "CameraSerialNumber")}
        if str(theirs).strip() not in ours:
            problems.append(f"{path.name}: exiftool EXIF:CameraSerialNumber {theirs}, we {ours}")
    assert not problems, "\n".join(problems)
    if not checked:
        pytest.skip("no file of the corpus carries EXIF:CameraSerialNumber")
