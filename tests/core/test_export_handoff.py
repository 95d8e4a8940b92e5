"""The parallel batch: workers hand their verified copies to the parent, which makes each
task durable with one flush before any of its copies gets its name; workers never flush,
a failed flush fails that task's copies only, and no temp file is ever left behind."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.core.export import batch as batch_mod
from veil.core.export import engine as engine_mod
from veil.core.export import handoff
from veil.core.export.parallel import export_batch_parallel
from veil.core.model import ExportOptions, ExportStatus

OPTS = ExportOptions()


def _photos(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"p{i:02d}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    return folder


def _parts(folder: Path) -> list[Path]:
    return list(folder.rglob(".veil-*")) if folder.exists() else []


def _no_worker_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker (a forked copy of this process) that flushes fails its photo."""
    parent = os.getpid()

    def refuse(fds: Sequence[int]) -> None:
        if os.getpid() != parent:
            raise OSError(5, "a worker flushed")

    monkeypatch.setattr(batch_mod, "sync_files", refuse)
    monkeypatch.setattr(engine_mod, "sync_files", refuse)


def test_parent_flushes_each_copy_before_it_gets_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_worker_flush(monkeypatch)
    flushed: set[int] = set()  # inodes of temp files flushed (a move keeps the inode)
    calls = []
    real = handoff.flush

    def spy(handoffs: Sequence[handoff.Handoff]) -> None:
        assert all(h.tmp.name.startswith(".veil-") for h in handoffs)
        real(handoffs)
        flushed.update(os.stat(h.tmp).st_ino for h in handoffs)
        calls.append(os.getpid())

    monkeypatch.setattr(handoff, "flush", spy)
    out = tmp_path / "out"
    results = []
    for r in export_batch_parallel([_photos(tmp_path / "in", 20)], out, OPTS, jobs=2):
        assert r.status is ExportStatus.CLEANED and r.verified, r.error
        assert r.output is not None and os.stat(r.output).st_ino in flushed
        results.append(r)
    assert [r.source.name for r in results] == [f"p{i:02d}.jpg" for i in range(20)]
    assert calls and set(calls) == {os.getpid()}  # only the parent flushed
    assert 1 < len(calls) < 20  # once per task, not per photo
    assert not _parts(out)


def test_failed_flush_fails_that_task_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_worker_flush(monkeypatch)
    real = handoff.flush
    seen: list[int] = []

    def flaky(handoffs: Sequence[handoff.Handoff]) -> None:
        seen.append(len(handoffs))
        if len(seen) == 2:
            raise OSError(5, "Input/output error")
        real(handoffs)

    monkeypatch.setattr(handoff, "flush", flaky)
    out = tmp_path / "out"
    results = list(export_batch_parallel([_photos(tmp_path / "in", 20)], out, OPTS, jobs=2))
    failed = [r for r in results if r.status is ExportStatus.FAILED]
    assert len(failed) == seen[1]  # exactly the second task's copies
    assert all("Input/output error" in (r.error or "") and r.output is None for r in failed)
    good = [r for r in results if r.verified]
    assert len(good) == 20 - len(failed)
    assert sorted(p.name for p in out.iterdir()) == sorted(r.source.name for r in good)
    assert not _parts(out)


def test_stopping_early_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every photo after the first run of 8 (the first task) takes 50 ms more: the first
    # task is done and moved while the others are still in flight when the consumer stops
    # (without it a loaded machine could finish all 30 before the first result came back).
    from veil.core.export import parallel

    real_prepare = parallel.prepare

    def slow_after_the_first_task(source: Path, *args: object) -> object:
        if source.name >= "p08.jpg":
            time.sleep(0.05)
        return real_prepare(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "prepare", slow_after_the_first_task)  # forked: workers too
    out = tmp_path / "out"
    batch = export_batch_parallel([_photos(tmp_path / "in", 30)], out, OPTS, jobs=2)
    first = next(batch)
    batch.close()  # the consumer gives up while the workers have copies in flight
    assert first.status is ExportStatus.CLEANED and first.output is not None
    assert first.output.exists()
    assert not _parts(out)
    names = {p.name for p in out.iterdir()}
    assert first.output.name in names and len(names) < 30


def test_a_worker_far_ahead_of_the_parent_waits_instead_of_holding_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent flushes slowly (a busy disk): a worker never holds more than MAX_HELD
    temp files open; it waits for the parent, and every copy still comes out verified."""
    import time

    monkeypatch.setattr(handoff, "MAX_HELD", 8)  # a task of this batch holds 8 at most
    real_hold, real_flush = handoff.hold, handoff.flush

    def hold(pending: object) -> None:
        if len(handoff._held) >= handoff.MAX_HELD:
            raise AssertionError("a worker holds more than MAX_HELD copies")
        real_hold(pending)  # type: ignore[arg-type]

    def slow_flush(handoffs: Sequence[handoff.Handoff]) -> None:
        time.sleep(0.2)
        real_flush(handoffs)

    monkeypatch.setattr(handoff, "hold", hold)
    monkeypatch.setattr(handoff, "flush", slow_flush)
    out = tmp_path / "out"
    results = list(export_batch_parallel([_photos(tmp_path / "in", 40)], out, OPTS, jobs=2))
    assert [r.verified for r in results] == [True] * 40
    assert not _parts(out) and len(list(out.iterdir())) == 40
