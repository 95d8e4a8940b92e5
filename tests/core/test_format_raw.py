"""Camera raw containers: audited read-only (serials, owners, previews), refused by the
cleaner. Fixtures are built from the documented layouts; exiftool, where installed, must
read the same identifying values (conformance)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import raw as fr
from tests.factories.damage import damaged_copies
from veil.core import formats
from veil.core.audit import audit_file
from veil.core.export import export_clean
from veil.core.model import ExportOptions, ExportStatus, FileReport, Risk


def exiftool(path: Path, numeric: bool = True) -> dict[str, str]:
    tool = shutil.which("exiftool")
    if tool is None:
        pytest.skip("exiftool not installed")
    flags = ["-n"] if numeric else []
    out = subprocess.run([tool, "-j", "-G1", *flags, str(path)], capture_output=True,
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
    "cr3": ("x.cr3", fr.cr3), "crw": ("x.crw", fr.crw), "raf": ("x.raf", fr.raf),
    "rw2": ("x.rw2", fr.rw2), "mrw": ("x.mrw", fr.mrw), "x3f": ("x.x3f", fr.x3f),
    "orf": ("x.orf", fr.orf),
}
#: Per format: (a value Veil must report, the exiftool tag that holds the same value).
IDENTITY = {
    "crw": [("EXIF:BodySerialNumber", "CanonRaw:SerialNumber", "0560012345"),
            ("EXIF:CameraOwnerName", "CanonRaw:OwnerName", "Jane Doe")],
    "raf": [("MakerNote:InternalSerialNumber", "FujiFilm:InternalSerialNumber",
             "FF02B4123456 5A3531303930380512")],
    "rw2": [("MakerNote:InternalSerialNumber", "Panasonic:InternalSerialNumber",
             "WX1234567890")],
    "mrw": [("EXIF:Artist", "IFD0:Artist", "Jane Doe")],
    "orf": [("EXIF:BodySerialNumber", "ExifIFD:SerialNumber", "BHP212345")],
    "x3f": [("EXIF:BodySerialNumber", "SigmaRaw:SerialNumber", "2204567"),
            ("EXIF:ImageUniqueID", "SigmaRaw:ImageUniqueID", "02204567a1b2c3d4e5f60718293a4b5c"),
            ("X3F text:CameraName", "SigmaRaw:CameraName", "Jane's SD14")],
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
    assert (report.width, report.height) == (8192, 5464)
    values = {f"{t.group}:{t.name}": t.value for t in report.tags}
    assert values["EXIF:BodySerialNumber"] == "012345678901"
    assert values["EXIF:CameraOwnerName"] == "Jane Doe"
    assert values["EXIF:Model"] == "Canon EOS R5"
    assert any(v == "1234567" for k, v in values.items() if k.startswith("MakerNote"))
    kinds = {f.kind.value for f in report.findings}
    assert {"location", "device"} <= kinds, kinds
    scan = formats.Cr3.read(io.BytesIO(fr.cr3()), len(fr.cr3()))
    previews = sorted(e.note for e in scan.embedded)
    assert previews == ["CR3 full-size JPEG", "CR3 preview", "CR3 thumbnail"]
    assert report.risk is Risk.HIGH
    ref = exiftool(report.path)
    assert ref["ExifIFD:SerialNumber"] == "012345678901"
    assert ref["Canon:SerialNumber"] == "1234567"
    assert abs(float(ref["GPS:GPSLatitude"]) - 48.8584) < 1e-3


@pytest.mark.parametrize("fmt", sorted(IDENTITY))
def test_identity_matches_exiftool(tmp_path: Path, fmt: str) -> None:
    name, build = CASES[fmt]
    report = audit(tmp_path, name, build())
    assert report.status == "ok" and report.format == fmt, report.error
    values = {f"{t.group}:{t.name}": t.value for t in report.tags}
    for ours, _, expected in IDENTITY[fmt]:
        assert values.get(ours) == expected, (ours, values)
    assert report.risk is Risk.HIGH and report.checks["metadata"].value == "done"
    if fmt not in ("mrw", "orf"):  # every other fixture carries a JPEG preview
        assert any(f.kind.value == "thumbnail" for f in report.findings)
    ref = exiftool(report.path, numeric=False)
    for _, theirs, expected in IDENTITY[fmt]:
        assert ref.get(theirs) == expected, (theirs, ref)


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_damaged_raws_give_one_plain_reason_or_a_partial_report(fmt: str) -> None:
    from veil.core.errors import CorruptFile

    _, build = CASES[fmt]
    data = build()
    handler = formats.detect(data[:64])
    assert handler is not None
    for cut in range(16, len(data), max(1, len(data) // 60)):
        part = data[:cut]
        try:
            scan = handler.read(io.BytesIO(part), len(part))
        except CorruptFile:
            continue
        assert not scan.complete or scan.embedded or scan.exif, cut
    for damaged in damaged_copies(data, seed=7, rounds=60, start=8):
        with contextlib.suppress(CorruptFile):  # anything else escaping is a bug
            handler.read(io.BytesIO(damaged), len(damaged))


def test_cr3_canon_blocks_not_decoded_block_none_and_a_cnth_jpeg_is_a_preview() -> None:
    from tests.factories.isobmff import box

    cnth = box("CNTH", box("CNDA", fr.small_jpeg((64, 48))))
    data = fr.cr3(extra_canon=cnth)
    scan = formats.Cr3.read(io.BytesIO(data), len(data))
    assert "Canon thumbnail" in {e.note for e in scan.embedded}
    assert [w for w in scan.warnings if "camera raw" not in w] == []
    data = fr.cr3(extra_canon=box("CNOQ", b"owner=Jane"))
    scan = formats.Cr3.read(io.BytesIO(data), len(data))
    assert not scan.complete and any("'CNOQ'" in w for w in scan.warnings)


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_a_raw_is_never_none_found(fmt: str) -> None:
    """Its picture is sensor data: faces and marks in it are never checked."""
    _, build = CASES[fmt]
    data = build()
    handler = formats.detect(data[:64])
    assert handler is not None
    scan = handler.read(io.BytesIO(data), len(data))
    assert not scan.complete and any("camera raw" in w for w in scan.warnings)


def test_crw_user_comment_is_text_but_the_file_description_is_not() -> None:
    data = fr.crw()
    scan = formats.Crw.read(io.BytesIO(data), len(data))
    assert scan.comments == ("my comment",)


def test_x3f_imager_board_id_goes_to_camera_serial_number() -> None:
    """Written as IFD0 CameraSerialNumber (0xc62f); naming it is the EXIF decoder's job."""
    from veil.core.formats.tiffwalk import bytes_reader, walk_tiff

    data = fr.x3f()
    scan = formats.X3f.read(io.BytesIO(data), len(data))
    (payload,) = scan.exif
    info = walk_tiff(bytes_reader(payload), len(payload))
    assert info is not None
    ifd0 = info.ifd("IFD0")
    assert ifd0 is not None and 0xC62F in ifd0.entries
    entry = ifd0.entries[0xC62F]
    assert payload[entry.value_offset : entry.value_offset + 8] == b"00012345"


def test_a_full_scan_says_faces_are_not_checked_in_a_raw(tmp_path: Path) -> None:
    from veil.core.model import CheckStatus

    path = tmp_path / "x.cr3"
    path.write_bytes(fr.cr3())
    report = audit_file(path, metadata_only=False)
    assert report.checks["faces"] is CheckStatus.NOT_AVAILABLE
    assert not any("cannot identify" in n for n in report.notes), report.notes
