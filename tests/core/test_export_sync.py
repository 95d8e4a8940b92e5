"""fsync on a helper thread: a copy is on disk before it gets its name, a failed fsync fails
that copy only, batches keep input order and never leave a temp file behind."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.core.export import export_batch, export_clean
from veil.core.export.sync import BackgroundSync
from veil.core.model import ExportOptions, ExportStatus

OPTS = ExportOptions()
REAL_FSYNC = os.fsync


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
    seen: list[tuple[int, list[str]]] = []

    def spy(fd: int) -> None:
        seen.append((os.fstat(fd).st_size, _all_files(out)))
        REAL_FSYNC(fd)

    monkeypatch.setattr(os, "fsync", spy)
    src = _photos(tmp_path / "in", 1) / "p0.jpg"
    result = export_clean(src, out, OPTS)
    assert result.status is ExportStatus.CLEANED and result.output is not None
    [(size, files)] = seen
    assert size == result.output.stat().st_size  # the whole copy, not a part of it
    assert len(files) == 1 and files[0].startswith(".veil-") and files[0].endswith(".part")
    assert _all_files(out) == ["p0.jpg"]


def test_failed_fsync_fails_that_copy_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def flaky(fd: int) -> None:
        if os.fstat(fd).st_size and threading.current_thread().name == "veil-fsync":
            flaky.calls += 1  # type: ignore[attr-defined]
            if flaky.calls == 2:  # type: ignore[attr-defined]
                raise OSError(5, "Input/output error")
        REAL_FSYNC(fd)

    flaky.calls = 0  # type: ignore[attr-defined]
    monkeypatch.setattr(os, "fsync", flaky)
    folder = _photos(tmp_path / "in", 3)
    results = list(export_batch([folder], tmp_path / "out", OPTS))
    assert [r.source.name for r in results] == ["p0.jpg", "p1.jpg", "p2.jpg"]
    assert [r.status for r in results] == [
        ExportStatus.CLEANED,
        ExportStatus.FAILED,
        ExportStatus.CLEANED,
    ]
    assert "Input/output error" in (results[1].error or "") and results[1].output is None
    assert _all_files(tmp_path / "out") == ["p0.jpg", "p2.jpg"]


def test_batch_order_holds_when_early_copies_sync_slowly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []

    def slow_first(fd: int) -> None:
        size = os.fstat(fd).st_size
        if not synced:
            time.sleep(0.2)  # the first copy's disk write is slow; the others overtake it
        synced.append(size)
        REAL_FSYNC(fd)

    monkeypatch.setattr(os, "fsync", slow_first)
    folder = _photos(tmp_path / "in", 4)
    results = list(export_batch([folder], tmp_path / "out", OPTS))
    assert [r.source.name for r in results] == [f"p{i}.jpg" for i in range(4)]
    assert all(r.status is ExportStatus.CLEANED and r.output for r in results)
    assert _all_files(tmp_path / "out") == [f"p{i}.jpg" for i in range(4)]


def test_batch_stopped_early_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(fd: int) -> None:
        time.sleep(0.05)
        REAL_FSYNC(fd)

    monkeypatch.setattr(os, "fsync", slow)
    folder = _photos(tmp_path / "in", 6)
    batch = export_batch([folder], tmp_path / "out", OPTS)
    first = next(batch)
    batch.close()  # the consumer gives up with copies still waiting for their fsync
    assert first.status is ExportStatus.CLEANED
    files = _all_files(tmp_path / "out")
    assert not [f for f in files if f.endswith(".part")]
    assert "p0.jpg" in files and len(files) < 6


def test_background_sync_reports_errors_and_closes_the_fd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fd = os.open(tmp_path / "f", os.O_CREAT | os.O_WRONLY)
    monkeypatch.setattr(os, "fsync", lambda _: (_ for _ in ()).throw(OSError(28, "full")))
    sync = BackgroundSync(fd)
    with pytest.raises(OSError, match="full"):
        sync.wait()
    assert sync.done()
    with pytest.raises(OSError):
        os.fstat(fd)  # closed by the helper


def test_pool_only_for_a_large_batch_on_idle_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.core import cpu
    from veil.core.export import parallel as par

    monkeypatch.setattr(cpu, "usable_cores", lambda: 4)
    monkeypatch.setattr(cpu, "busy_cores", lambda: 0)
    assert par.default_jobs(par.MIN_POOL_BATCH - 1) == 1
    assert par.default_jobs(500) == 4
    monkeypatch.setattr(cpu, "busy_cores", lambda: 3)
    assert par.default_jobs(500) == 1
    monkeypatch.setattr(cpu, "busy_cores", lambda: 9)
    assert par.default_jobs(500) == 1
    monkeypatch.undo()
    assert cpu.busy_cores() >= 0 and 1 <= par.default_jobs(500) <= 4
