"""export safety: names, never clobbering, no partial files, cancel, bad destinations (a
batch: test_export_safety_batch)."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from tests.factories import export as fx
from veil.core.cancel import CancelToken
from veil.core.errors import Cancelled
from veil.core.export import engine as export_mod
from veil.core.export import export_batch, export_clean
from veil.core.formats.base import CleanOutcome
from veil.core.formats.jpeg import Jpeg
from veil.core.model import ExportOptions, ExportStatus, Region

OPTS = ExportOptions()


REAL_WRITE = Jpeg.write_clean


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    src = tmp_path / "in" / "IMG_2001.jpg"
    src.parent.mkdir()
    src.write_bytes(fx.dirty_jpeg(trailer=False))
    return src


# -- names ------------------------------------------------------------------------------


def test_rename_modes(photo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    neutral = export_clean(photo, out, ExportOptions(rename="neutral"), index=7)
    assert neutral.output == out / "photo-0007.jpg"
    rnd = export_clean(photo, out, ExportOptions(rename="random"))
    assert rnd.output is not None and re.fullmatch(r"[0-9a-f]{12}\.jpg", rnd.output.name)
    assert "IMG_2001" not in rnd.output.name


def test_existing_files_get_numbered_names_unless_overwrite(photo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "IMG_2001.jpg").write_bytes(b"someone else's file")
    first = export_clean(photo, out, OPTS)
    assert first.output == out / "IMG_2001 (1).jpg" and not first.unchanged
    # The same photo again: its clean copy is already there; no "(2)" pile-up.
    second = export_clean(photo, out, OPTS)
    assert second.output == out / "IMG_2001 (1).jpg" and second.unchanged and second.verified
    assert sorted(p.name for p in out.iterdir()) == ["IMG_2001 (1).jpg", "IMG_2001.jpg"]
    assert (out / "IMG_2001.jpg").read_bytes() == b"someone else's file"
    replaced = export_clean(photo, out, ExportOptions(overwrite=True))
    assert replaced.output == out / "IMG_2001.jpg"
    assert (out / "IMG_2001.jpg").read_bytes()[:2] == b"\xff\xd8"


def test_suffix_follows_the_written_format_not_the_name(tmp_path: Path) -> None:
    src = tmp_path / "actually_png.jpg"
    fx.gradient((20, 20)).save(src, format="PNG")
    result = export_clean(src, tmp_path / "out", OPTS)
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output == tmp_path / "out" / "actually_png.png"


def test_heic_converted_to_jpeg_gets_jpg_suffix(tmp_path: Path) -> None:
    pytest.importorskip("pillow_heif")
    src = fx.dirty_heic(tmp_path / "IMG_0001.HEIC")
    opts = ExportOptions(heic_to_jpeg=True, redactions=(Region(4, 4, 30, 30),))
    result = export_clean(src, tmp_path / "out", opts)
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output == tmp_path / "out" / "IMG_0001.jpg"
    assert result.output.read_bytes()[:2] == b"\xff\xd8" and not result.lossless


# -- the original is sacred -------------------------------------------------------------


def test_refuses_the_source_folder_with_kept_names(photo: Path) -> None:
    before = fx.sha256(photo)
    for opts in (OPTS, ExportOptions(overwrite=True)):
        result = export_clean(photo, photo.parent, opts)
        assert result.status is ExportStatus.FAILED and "own folder" in (result.error or "")
    assert fx.files_in(photo.parent) == ["IMG_2001.jpg"] and fx.sha256(photo) == before


def test_neutral_names_may_go_beside_the_original_without_touching_it(photo: Path) -> None:
    before = fx.sha256(photo)
    result = export_clean(photo, photo.parent, ExportOptions(rename="neutral", overwrite=True))
    assert result.status is ExportStatus.CLEANED
    assert result.output == photo.parent / "photo-0001.jpg" and fx.sha256(photo) == before


def test_output_gets_export_time_and_default_mode_not_the_source_ones(
    photo: Path, tmp_path: Path
) -> None:
    os.chmod(photo, 0o400)
    os.utime(photo, (1_000_000_000, 1_000_000_000))
    started = time.time()
    result = export_clean(photo, tmp_path / "out", OPTS)
    assert result.output is not None
    st = result.output.stat()
    assert st.st_mtime >= started - 2
    mask = os.umask(0)
    os.umask(mask)
    assert st.st_mode & 0o777 == 0o666 & ~mask


# -- failures leave nothing behind ------------------------------------------------------


def _fake_write(behaviour: str, cancel: CancelToken | None = None):
    def write_clean(src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any = None):
        data = src.read_bytes()
        if behaviour == "crash":
            dst.write(data[:100])
            raise RuntimeError("disk on fire")
        if behaviour == "copy":  # a buggy handler that leaves everything in
            dst.write(data)
            return CleanOutcome(removed=(), kept=(), lossless=True)
        if behaviour == "cancel":  # the user cancels while the real handler writes
            assert cancel is not None
            cancel.cancel()
            return REAL_WRITE(src, dst, options, pixels)
        raise AssertionError(behaviour)

    return write_clean


def test_handler_crash_fails_alone_and_leaves_no_file(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Jpeg, "write_clean", _fake_write("crash"))
    result = export_clean(photo, tmp_path / "out", OPTS)
    assert result.status is ExportStatus.FAILED and "disk on fire" in (result.error or "")
    assert result.output is None and fx.files_in(tmp_path / "out") == []


def test_unclean_output_is_deleted_and_the_leftover_named(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Jpeg, "write_clean", _fake_write("copy"))
    result = export_clean(photo, tmp_path / "out", OPTS)
    assert result.status is ExportStatus.FAILED and not result.verified
    assert "still contains" in (result.error or "")
    assert fx.files_in(tmp_path / "out") == []


def test_cancel_during_write_leaves_nothing(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = CancelToken()
    monkeypatch.setattr(Jpeg, "write_clean", _fake_write("cancel", token))
    with pytest.raises(Cancelled):
        export_clean(photo, tmp_path / "out", OPTS, cancel=token)
    assert fx.files_in(tmp_path / "out") == []


def test_cancelled_batch_stops_between_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veil.core.export import batch

    # Copies are made durable and moved a window at a time: a cancel lets the copies
    # already in place be reported, then stops before the next photo.
    monkeypatch.setattr(batch, "WINDOW", 2)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"p{i}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    token = CancelToken()
    seen = []
    with pytest.raises(Cancelled):
        for result in export_batch([folder], tmp_path / "out", OPTS, cancel=token):
            seen.append(result)
            token.cancel()
    assert len(seen) == 2 and fx.files_in(tmp_path / "out") == ["p0.jpg", "p1.jpg"]


def test_unwritable_destination_is_a_clear_error(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = export_clean(photo, tmp_path / "out", OPTS)
    assert result.status is ExportStatus.FAILED and "permission denied" in (result.error or "")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(photo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = export_clean(photo, out, OPTS)
    finally:
        out.chmod(0o700)
    assert result.status is ExportStatus.FAILED and "permission denied" in (result.error or "")


def test_destination_that_cannot_be_created(photo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = export_clean(photo, blocker / "out", OPTS)
    assert result.status is ExportStatus.FAILED and "cannot create" in (result.error or "")


@pytest.mark.parametrize("rel", ["../escape", "/abs"])
def test_relative_dir_cannot_escape_the_output_folder(
    photo: Path, tmp_path: Path, rel: str
) -> None:
    result = export_clean(photo, tmp_path / "out", OPTS, relative_dir=Path(rel))
    assert result.status is ExportStatus.FAILED and result.output is None
    assert fx.files_in(tmp_path) == ["in/IMG_2001.jpg"]


def test_full_disk_is_a_clear_error_and_leaves_nothing(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_mod.os, "fsync", full)
    result = export_clean(photo, tmp_path / "out", OPTS)
    assert result.status is ExportStatus.FAILED
    assert "No space left on device" in (result.error or "")
    assert fx.files_in(tmp_path / "out") == []
