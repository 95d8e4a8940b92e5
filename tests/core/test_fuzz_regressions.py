"""Crashes ``tools/fuzz_files.py`` found, each rebuilt here from a factory file and the
mutation that broke it: the reader now says what is wrong with the file (or reads what it
can) instead of letting a stray exception reach ``audit_file``'s last-resort net."""

from __future__ import annotations

from pathlib import Path

from tests.factories.webp import chunk, pillow_webp, riff, split
from veil.core.audit import audit_file
from veil.core.formats.webp_exif import UNUSABLE, orientation_tag


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
