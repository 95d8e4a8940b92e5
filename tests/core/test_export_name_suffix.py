"""Saving next to the original with a name suffix: photo.jpg -> photo.clean.jpg, never the
original's name, never replacing a file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from tests.factories.basic import gps_serial_exif
from veil.core.export import export_clean
from veil.core.export.naming import valid_name_suffix
from veil.core.model import ExportOptions, ExportStatus


def photo(path: Path) -> Path:
    Image.new("RGB", (64, 48), (90, 120, 150)).save(path, quality=90, exif=gps_serial_exif())
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_suffix_saves_beside_the_original_and_never_replaces_a_file(tmp_path: Path) -> None:
    src = photo(tmp_path / "photo.jpg")
    before = digest(src)
    options = ExportOptions(name_suffix=".clean")
    first = export_clean(src, tmp_path, options)
    assert first.verified, first.error
    assert first.output == tmp_path / "photo.clean.jpg"
    # Again, unchanged: the same clean copy is already there (no duplicate is piled up).
    second = export_clean(src, tmp_path, options)
    assert second.output == tmp_path / "photo.clean.jpg" and second.unchanged
    # A different file under that name is never replaced: a free name is taken.
    (tmp_path / "photo.clean.jpg").write_bytes(b"not this photo's copy")
    third = export_clean(src, tmp_path, options)
    assert third.output == tmp_path / "photo.clean (1).jpg" and not third.unchanged
    assert (tmp_path / "photo.clean.jpg").read_bytes() == b"not this photo's copy"
    assert digest(src) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "photo.clean (1).jpg",
        "photo.clean.jpg",
        "photo.jpg",
    ]


def test_without_a_suffix_the_own_folder_is_still_refused(tmp_path: Path) -> None:
    src = photo(tmp_path / "photo.jpg")
    result = export_clean(src, tmp_path, ExportOptions())
    assert result.status is ExportStatus.FAILED and "own folder" in (result.error or "")


@pytest.mark.parametrize("suffix", ["/x", "..", "a/../b", "\\clean", "x" * 40, " clean"])
def test_a_suffix_that_could_leave_the_folder_is_refused(tmp_path: Path, suffix: str) -> None:
    assert not valid_name_suffix(suffix)
    src = photo(tmp_path / "photo.jpg")
    result = export_clean(src, tmp_path, ExportOptions(name_suffix=suffix))
    assert result.status is ExportStatus.FAILED and "suffix" in (result.error or "")
    assert [p.name for p in tmp_path.iterdir()] == ["photo.jpg"]


def test_a_255_byte_name_keeps_its_suffix_and_never_takes_the_original_name(
    tmp_path: Path,
) -> None:
    src = photo(tmp_path / ("a" * 251 + ".jpg"))  # 255 bytes, the longest ext4 takes
    before = digest(src)
    result = export_clean(src, tmp_path, ExportOptions(name_suffix=".clean"))
    assert result.verified, result.error
    assert result.output is not None and result.output.name.endswith("a.clean.jpg")
    assert len(result.output.name.encode()) == 255 and result.output != src
    assert digest(src) == before
