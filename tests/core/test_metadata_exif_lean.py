"""The lean EXIF decode of an export's source audit reads fewer tags but finds exactly
what the full decode finds: on made-up photos, on every file of ../shared (skipped when
absent), and in ``veil clean``'s ``removed`` lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.factories import export as fx
from tests.factories.basic import gps_serial_exif, make_jpeg
from veil.core.audit import audit_file, load_metadata
from veil.core.export import export_batch
from veil.core.metadata import Metadata, exif_lean
from veil.core.model import ExportOptions, FileReport
from veil.core.scan import Skipped, expand_paths

pytestmark = pytest.mark.skipif(not exif_lean.available(), reason="another exifread release")

#: What the detectors read of a file's metadata (everything but the display tag list).
_FIELDS = ("gps", "datetimes", "make", "model", "serials", "owners", "software", "texts",
           "thumbnail", "thumbnail_size", "orientation", "warnings", "flags", "places",
           "maker_note", "lens", "people", "xmp_history", "sidecars")


def _both(path: Path) -> tuple[FileReport, FileReport]:
    full = audit_file(path, metadata_only=True)
    with exif_lean.lean():
        lean = audit_file(path, metadata_only=True)
    return full, lean


def _same(path: Path) -> list[str]:
    """What differs between the full and the lean audit of ``path`` (empty: nothing)."""
    full, lean = _both(path)
    out = []
    if [(f.kind, f.severity, f.summary, f.source) for f in full.findings] != [
        (f.kind, f.severity, f.summary, f.source) for f in lean.findings
    ]:
        out.append("findings")
    out += [k for k in ("status", "error", "risk", "notes", "width", "height", "orientation")
            if getattr(full, k) != getattr(lean, k)]
    a = load_metadata(path)
    with exif_lean.lean():
        b = load_metadata(path)
    if isinstance(a, Metadata) and isinstance(b, Metadata):
        out += [k for k in _FIELDS if getattr(a, k) != getattr(b, k)]
        keys = ("EXIF:Make", "EXIF:Model", "EXIF:ExifImageWidth", "EXIF:ExifImageLength")
        out += [k for k in keys if a.values.get(k) != b.values.get(k)]
        out += [k for k in a.values if k.startswith("GPS:") and a.values[k] != b.values.get(k)]
    return out


def test_a_camera_photo_reads_fewer_tags_with_the_same_findings(tmp_path: Path) -> None:
    exif = gps_serial_exif()
    exif[0x010E] = "Holiday at the tower"  # ImageDescription
    exif.get_ifd(0x8769)[0x829A] = (1, 250)  # ExposureTime: read by nobody
    exif.get_ifd(0x8769)[0x9205] = (28, 10)  # MaxApertureValue: read by nobody
    photo = make_jpeg(tmp_path / "IMG_1.jpg", exif=exif)
    full, lean = _both(photo)
    kinds = {f.kind.value for f in full.findings}
    assert {"location", "time", "device", "identity"} <= kinds
    assert _same(photo) == []
    a, b = load_metadata(photo), None
    with exif_lean.lean():
        b = load_metadata(photo)
    assert isinstance(a, Metadata) and isinstance(b, Metadata)
    names = {t.name for t in a.tags} - {t.name for t in b.tags}
    assert {"ExposureTime", "MaxApertureValue"} <= names  # skipped: the decode is lean
    assert not exif_lean.active()  # only inside the block


def test_thumbnails_and_orientation_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "thumb.jpg"
    path.write_bytes(fx.dirty_jpeg(trailer=False))
    assert _same(path) == []
    full, _ = _both(path)
    assert "thumbnail" in {f.kind.value for f in full.findings}
    img = Image.new("RGB", (40, 30), (1, 2, 3))
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(tmp_path / "rot.jpg", exif=exif)
    assert _same(tmp_path / "rot.jpg") == []


def _shared_files(shared_dir: Path) -> list[Path]:
    roots = [shared_dir / "corpus", shared_dir / "faces"]
    if not all(r.is_dir() for r in roots):
        pytest.skip("../shared/corpus or ../shared/faces is not present")
    return [p for p in expand_paths(roots, recursive=True) if not isinstance(p, Skipped)]


@pytest.mark.slow
def test_every_shared_file_gets_the_same_findings(shared_dir: Path) -> None:
    files = _shared_files(shared_dir)
    assert len(files) > 100
    differ = {str(p): d for p in files if (d := _same(p))}
    assert differ == {}


@pytest.mark.slow
def test_clean_removes_the_same_kinds_lean_or_not(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``veil clean``'s ``removed`` list (the only use of its source audit) is the same as
    with the full decode, on every file of ../shared/corpus and ../shared/faces."""
    roots = [shared_dir / "corpus", shared_dir / "faces"]
    _shared_files(shared_dir)
    lean = {r.source: r.removed for r in export_batch(roots, tmp_path / "lean", ExportOptions())}
    monkeypatch.setattr(exif_lean, "available", lambda: False)  # the full decode
    full = {r.source: r.removed for r in export_batch(roots, tmp_path / "full", ExportOptions())}
    assert len(full) > 100 and lean == full
    assert sum(bool(v) for v in full.values()) > 50
