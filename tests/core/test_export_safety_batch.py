"""export safety in a batch: the folder layout kept, a bad file fails alone, no input is ever
replaced, inputs that are not photos (missing, a folder, a named pipe) are skipped."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.factories import export as fx
from veil.core.export import engine as export_mod
from veil.core.export import export_batch, export_clean
from veil.core.model import ExportOptions, ExportStatus


def test_batch_keeps_layout_and_bad_files_fail_alone(tmp_path: Path) -> None:
    root = tmp_path / "holiday"
    (root / "day2").mkdir(parents=True)
    (root / "a.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (root / "day2" / "b.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (root / "day2" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00\x10Exif" + b"\x00" * 5)
    (root / "notes.txt").write_text("hello")
    before = {p: fx.sha256(p) for p in root.rglob("*") if p.is_file()}
    results = {r.source.name: r for r in export_batch([root], tmp_path / "out", ExportOptions())}
    assert results["a.jpg"].output == tmp_path / "out" / "a.jpg"
    assert results["b.jpg"].output == tmp_path / "out" / "day2" / "b.jpg"
    assert results["broken.jpg"].status is ExportStatus.FAILED and results["broken.jpg"].error
    assert results["notes.txt"].status is ExportStatus.SKIPPED
    assert fx.files_in(tmp_path / "out") == ["a.jpg", "day2/b.jpg"]
    assert {p: fx.sha256(p) for p in before} == before


def test_output_folder_inside_the_input_is_not_cleaned_again(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    for name in ("a.jpg", "b.jpg"):
        (root / name).write_bytes(fx.dirty_jpeg(trailer=False))
    results = list(export_batch([root], root / "clean", ExportOptions(rename="neutral")))
    assert [r.status for r in results] == [ExportStatus.CLEANED] * 2
    assert fx.files_in(root / "clean") == ["photo-0001.jpg", "photo-0002.jpg"]


def test_missing_input_is_skipped_with_reason(tmp_path: Path) -> None:
    results = list(export_batch([tmp_path / "nope.jpg"], tmp_path / "out", ExportOptions()))
    assert len(results) == 1 and results[0].status is ExportStatus.SKIPPED
    assert "no such file" in (results[0].error or "")
    shutil.rmtree(tmp_path / "out", ignore_errors=True)


def test_reader_bug_fails_one_file_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.jpg", "b.jpg"):
        (folder / name).write_bytes(fx.dirty_jpeg(trailer=False))
    real = export_mod.audit_file

    def buggy(path: Path, **kw: Any):
        if path.name == "a.jpg":
            raise AttributeError("'Collector' object has no attribute 'x'")
        return real(path, **kw)

    monkeypatch.setattr(export_mod, "audit_file", buggy)
    results = list(export_batch([folder], tmp_path / "out", ExportOptions()))
    assert [r.status for r in results] == [ExportStatus.FAILED, ExportStatus.CLEANED]
    assert "internal error" in (results[0].error or "")


def test_overwrite_spares_every_original_of_the_batch(tmp_path: Path) -> None:
    """Inputs in two folders; --out is the second one (reached through a symlink). Neither
    the other input, nor a non-input file in a source folder, is replaced."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (b / "photo-0001.jpg").write_bytes(fx.dirty_jpeg(trailer=False))  # an input too
    (b / "photo-0002.jpg").write_bytes(b"not an input, but in a source folder")
    link = tmp_path / "b-link"
    link.symlink_to(b, target_is_directory=True)
    before = {p: fx.sha256(p) for p in (*a.iterdir(), *b.iterdir())}
    opts = ExportOptions(rename="neutral", overwrite=True)
    results = list(export_batch([a / "x.jpg", b / "photo-0001.jpg"], link, opts))
    assert {p: fx.sha256(p) for p in before} == before
    assert [r.status for r in results] == [ExportStatus.FAILED, ExportStatus.FAILED]
    assert "one of the photos being cleaned" in (results[0].error or "")
    assert "folder of photos being cleaned" in (results[1].error or "")
    assert not list(b.glob(".veil-*"))
    # A file outside every source folder is still replaced on request.
    out = tmp_path / "out"
    out.mkdir()
    (out / "photo-0001.jpg").write_bytes(b"old copy")
    (replaced,) = list(export_batch([a / "x.jpg"], out, opts))
    assert replaced.status is ExportStatus.CLEANED and replaced.output == out / "photo-0001.jpg"
    assert (out / "photo-0001.jpg").read_bytes()[:2] == b"\xff\xd8"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_skipped_not_waited_on(tmp_path: Path) -> None:
    """export_clean (the window's one-photo export) opened the file before looking at it:
    a named pipe made it wait for a writer forever. Now it is skipped with the batch's
    reason, and a folder still is too."""
    import subprocess
    import sys

    pipe = tmp_path / "photo.jpg"
    os.mkfifo(pipe)
    code = (
        "from pathlib import Path; from veil.core.export import export_clean; "
        "from veil.core.model import ExportOptions; "
        f"r = export_clean(Path({str(pipe)!r}), Path({str(tmp_path / 'out')!r}), "
        "ExportOptions()); print(r.status.value, '|', r.error)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.strip() == "skipped | not a regular file (a pipe, socket or device)"
    folder = export_clean(tmp_path, tmp_path / "out2", ExportOptions())
    assert folder.status is ExportStatus.SKIPPED and "folder" in (folder.error or "")
    gone = export_clean(tmp_path / "nope.jpg", tmp_path / "out3", ExportOptions())
    assert gone.status is ExportStatus.FAILED and "cannot read the file" in (gone.error or "")
