"""Crashes ``tools/fuzz_files.py`` found, each rebuilt here from a factory file and the
mutation that broke it: the reader now says what is wrong with the file (or reads what it
can) instead of letting a stray exception reach ``audit_file``'s last-resort net."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from tests.factories.basic import make_png
from tests.factories.webp import chunk, pillow_webp, riff, split
from veil.core.audit import audit_file
from veil.core.errors import CorruptFile
from veil.core.export import export_clean
from veil.core.formats.webp_exif import UNUSABLE, orientation_tag
from veil.core.model import ExportOptions, ExportStatus


def _no_internal_error(path: Path) -> None:
    for metadata_only in (True, False):
        report = audit_file(path, metadata_only=metadata_only)
        assert "internal error" not in (report.error or ""), report.error
        assert not any("internal error" in n for n in report.notes)


def test_webp_exif_cut_inside_its_tiff_header(tmp_path: Path) -> None:
    # Fuzzed: the EXIF chunk's length set to 7, so the TIFF header ends before IFD0's
    # offset (struct.error in webp_exif.orientation_tag).
    assert orientation_tag(b"II*\0\x08\0\0") == UNUSABLE
    assert orientation_tag(b"Exif\0\0MM\0*") == UNUSABLE
    base = pillow_webp(exif=b"Exif\0\0II*\0\x08\0\0\0\0\0\0\0")
    parts = [chunk(k, b"II*\0\x08\0\0" if k == "EXIF" else v) for k, v in split(base)]
    assert any(p.startswith(b"EXIF\x07\0\0\0") for p in parts)
    path = tmp_path / "cut.webp"
    path.write_bytes(riff(parts))
    _no_internal_error(path)


def _with_rational(tiff: bytes, tag: int, num: int, den: int) -> bytes:
    """``tiff`` (little-endian, as Pillow writes it) with IFD0's RATIONAL ``tag`` set."""
    ifd = struct.unpack_from("<I", tiff, 4)[0]
    for i in range(struct.unpack_from("<H", tiff, ifd)[0]):
        at = ifd + 2 + 12 * i
        if struct.unpack_from("<H", tiff, at)[0] == tag:
            value = struct.unpack_from("<I", tiff, at + 8)[0]
            out = bytearray(tiff)
            out[value:value + 8] = struct.pack("<II", num, den)
            return bytes(out)
    raise AssertionError(f"no tag {tag}")


@pytest.mark.parametrize("num_den", [(0, 0), (0xFFFFFFFF, 0)])
def test_tiff_with_a_broken_resolution_is_cleaned_without_it(
    tmp_path: Path, num_den: tuple[int, int]
) -> None:
    # Fuzzed: a corpus GeoTIFF whose XResolution became 0/0. Pillow reads NaN (or inf), and
    # its writer raised "Error setting from dictionary": the export failed as an
    # "internal error while cleaning" instead of writing a copy without the resolution.
    buf = io.BytesIO()
    Image.new("RGB", (24, 16), (90, 120, 160)).save(buf, "TIFF", dpi=(72, 72))
    src = tmp_path / "res.tif"
    src.write_bytes(_with_rational(buf.getvalue(), 282, *num_den))
    res = export_clean(src, tmp_path / "out", ExportOptions())
    assert res.status is ExportStatus.CLEANED, res.error
    assert res.output is not None and res.output.exists()


def test_an_export_failure_reason_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fuzzed: a corpus HEIC with a damaged ispe box; pillow-heif's "Security
    # limit exceeded: ..." message ends in a line break, which reached the result's reason.
    from veil.core.formats.png import Png

    def write_clean(cls: type, *_: object, **__: object) -> None:
        raise CorruptFile("cannot decode the pixels: Memory allocation error: limit\n")

    monkeypatch.setattr(Png, "write_clean", classmethod(write_clean))
    res = export_clean(make_png(tmp_path / "p.png"), tmp_path / "out", ExportOptions())
    assert res.status is ExportStatus.FAILED
    assert res.error is not None and "\n" not in res.error and res.error.endswith("limit")
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]  # nothing left
