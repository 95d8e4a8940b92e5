"""Durability once per window: a copy is on disk before it gets its name, a batch flushes
once per window (not per photo), a failed flush fails only its window's copies, and
batches keep input order and never leave a temp file behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.core.export import batch as batch_mod
from veil.core.export import engine as engine_mod
from veil.core.export import export_batch, export_clean
from veil.core.export import sync as sync_mod
from veil.core.model import ExportOptions, ExportStatus

OPTS = ExportOptions()


def _all_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _photos(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"p{i}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    return folder


def test_copy_is_synced_whole_before_it_gets_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    seen: list[tuple[list[int], list[str]]] = []
    real = sync_mod.sync_files

    def spy(fds: list[int]) -> None:
        seen.append(([os.fstat(fd).st_size for fd in fds], _all_files(out)))
        real(fds)

    monkeypatch.setattr(engine_mod, "sync_files", spy)
    src = _photos(tmp_path / "in", 1) / "p0.jpg"
    result = export_clean(src, out, OPTS)
    assert result.status is ExportStatus.CLEANED and result.output is not None
    [([size], files)] = seen
    assert size == result.output.stat().st_size  # the whole copy, not a part of it
    assert len(files) == 1 and files[0].startswith(".veil-") and files[0].endswith(".part")
    assert _all_files(out) == ["p0.jpg"]


def test_a_batch_flushes_once_per_window_not_per_photo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    calls: list[tuple[int, list[str]]] = []
    real = sync_mod.sync_files

    def spy(fds: list[int]) -> None:
        calls.append((len(fds), _all_files(out)))
        real(fds)

    monkeypatch.setattr(batch_mod, "sync_files", spy)
    monkeypatch.setattr(os, "fsync", lambda fd: pytest.fail("one fsync per photo"))
    monkeypatch.setattr(batch_mod, "WINDOW", 4)
    results = list(export_batch([_photos(tmp_path / "in", 10)], out, OPTS))
    assert [r.status for r in results] == [ExportStatus.CLEANED] * 10
    assert [n for n, _ in calls] == [4, 4, 2]
    # Each window is flushed while its copies are still hidden temp files.
    for n, (count, files) in enumerate(calls):
        named = [f for f in files if not f.startswith(".veil-")]
        assert len(named) == 4 * n and len(files) - len(named) == count


def test_failed_flush_fails_that_window_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sync_mod.sync_files
    calls = []

    def flaky(fds: list[int]) -> None:
        calls.append(len(fds))
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real(fds)

    monkeypatch.setattr(batch_mod, "sync_files", flaky)
    monkeypatch.setattr(batch_mod, "WINDOW", 2)
    results = list(export_batch([_photos(tmp_path / "in", 5)], tmp_path / "out", OPTS))
    assert [r.source.name for r in results] == [f"p{i}.jpg" for i in range(5)]
    assert [r.status for r in results] == [
        ExportStatus.CLEANED,
        ExportStatus.CLEANED,
        ExportStatus.FAILED,
        ExportStatus.FAILED,
        ExportStatus.CLEANED,
    ]
    assert "Input/output error" in (results[2].error or "") and results[2].output is None
    assert _all_files(tmp_path / "out") == ["p0.jpg", "p1.jpg", "p4.jpg"]


def test_batch_stopped_early_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_mod, "WINDOW", 2)
    batch = export_batch([_photos(tmp_path / "in", 6)], tmp_path / "out", OPTS)
    first = next(batch)
    batch.close()  # the consumer gives up with copies waiting in the window
    assert first.status is ExportStatus.CLEANED
    files = _all_files(tmp_path / "out")
    assert not [f for f in files if f.endswith(".part")]
    assert "p0.jpg" in files and len(files) < 6


def test_sync_files_reports_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fd = os.open(tmp_path / "f", os.O_CREAT | os.O_WRONLY)
    try:
        sync_mod.sync_files([fd, fd])  # several: one syncfs
        monkeypatch.setattr(os, "fsync", lambda _: (_ for _ in ()).throw(OSError(28, "full")))
        with pytest.raises(OSError, match="full"):
            sync_mod.sync_files([fd])
    finally:
        os.close(fd)
    with pytest.raises(OSError):
        sync_mod.syncfs(-1)  # EBADF surfaces as OSError, never silently


def test_pool_on_every_core_for_a_big_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.core.export import parallel as par

    monkeypatch.setattr(par, "usable_cores", lambda: 2)
    from veil.core import cpu

    monkeypatch.setattr(cpu, "usable_cores", lambda: 4)
    monkeypatch.setattr(cpu, "busy_cores", lambda: 0)
    assert par.default_jobs(par.MIN_POOL_BATCH - 1) == 1
    assert par.default_jobs(par.BIG_BATCH - 1) == 4
    monkeypatch.setattr(cpu, "busy_cores", lambda: 9)
    assert par.default_jobs(par.BIG_BATCH - 1) == 1  # medium batch, busy machine
    assert par.default_jobs(par.BIG_BATCH) == 2  # big batch: both usable cores
    monkeypatch.undo()
    assert 1 <= par.default_jobs(500) <= 4
