"""Camera raw containers: audited read-only (serials, owners, previews), refused by the
cleaner. Fixtures are built from the documented layouts; exiftool, where installed, must
read the same identifying values (conformance)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import raw as fr
from veil.core import formats
from veil.core.audit import audit_file
from veil.core.export import export_clean
from veil.core.model import ExportOptions, ExportStatus, FileReport, Risk


def exiftool(path: Path) -> dict[str, str]:
    tool = shutil.which("exiftool")
    if tool is None:
        pytest.skip("exiftool not installed")
    out = subprocess.run([tool, "-j", "-G1", "-n", str(path)], capture_output=True,
                         text=True, check=True).stdout
    return {k: str(v) for k, v in json.loads(out)[0].items()}


def audit(tmp_path: Path, name: str, data: bytes) -> FileReport:
    path = tmp_path / name
    path.write_bytes(data)
    return audit_file(path, metadata_only=True)


def serials(report: FileReport) -> set[str]:
    return {str(f.detail.get("value", "")) for f in report.findings} | {
        t.value for t in report.tags}


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "cr3": ("x.cr3", fr.cr3),
}


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_raw_is_sniffed_by_content_and_refused_by_the_cleaner(tmp_path: Path, fmt: str) -> None:
    name, build = CASES[fmt]
    data = build()
    handler = formats.detect(data[:64])
    assert handler is not None and handler.name == fmt
    src = tmp_path / ("renamed.jpg")  # the name is never trusted
    src.write_bytes(data)
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.SKIPPED
    assert "raw files are not cleaned: export a JPEG from your raw editor" in result.error
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cr3_serials_owner_gps_and_previews(tmp_path: Path) -> None:
    report = audit(tmp_path, "x.cr3", fr.cr3())
    assert report.status == "ok" and report.format == "cr3", report.error
    values = {f"{t.group}:{t.name}": t.value for t in report.tags}
    assert values["EXIF:BodySerialNumber"] == "012345678901"
    assert values["EXIF:CameraOwnerName"] == "Jane Doe"
    assert values["EXIF:Model"] == "Canon EOS R5"
    assert any(v == "1234567" for k, v in values.items() if k.startswith("MakerNote"))
    kinds = {f.kind.value for f in report.findings}
    assert {"location", "device"} <= kinds, kinds
    scan = formats.Cr3.read(io.BytesIO(fr.cr3()), len(fr.cr3()))
    previews = sorted(e.note for e in scan.embedded)
    assert previews == ["CR3 preview", "CR3 thumbnail"]
    assert report.risk is Risk.HIGH
    ref = exiftool(report.path)
    assert ref["ExifIFD:SerialNumber"] == "012345678901"
    assert ref["Canon:SerialNumber"] == "1234567"
    assert abs(float(ref["GPS:GPSLatitude"]) - 48.8584) < 1e-3
