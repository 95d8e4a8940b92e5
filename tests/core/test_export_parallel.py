"""The parallel batch hands out the slow HEIC/AVIF first and still reports in input order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.factories import export as fx
from veil.core.export.parallel import _in_order, _tasks, export_batch_parallel
from veil.core.export.plan import BatchItem
from veil.core.model import ExportOptions, ExportResult, ExportStatus
from veil.core.scan import Skipped


def _item(path: Path, size: int, index: int) -> BatchItem:
    path.write_bytes(b"x" * size)
    return BatchItem(path, Path(), index)


def test_heavy_photos_go_first_one_per_task_largest_first(tmp_path: Path) -> None:
    plan: list[BatchItem | Skipped] = [
        _item(tmp_path / "a.jpg", 10, 1),
        _item(tmp_path / "b.heic", 300, 2),
        _item(tmp_path / "c.HEIC", 500, 3),
        _item(tmp_path / "d.heic", 300, 4),  # b's twin (same size): stays in its place
        Skipped(tmp_path / "e", "no such file or folder"),
        _item(tmp_path / "f.avif", 400, 5),
        _item(tmp_path / "g.png", 900, 6),
    ]
    tasks = _tasks(plan, jobs=2)
    assert tasks[:3] == [[2], [5], [1]]  # c (500), f (400), b (300)
    assert sorted(p for t in tasks for p in t) == list(range(len(plan)))  # each once
    assert [p for t in tasks[3:] for p in t] == [0, 3, 4, 6]  # the rest in order


def test_results_come_back_in_plan_order_whatever_finishes_first() -> None:
    tasks = [[2], [0, 1], [3]]

    def result(n: int) -> ExportResult:
        return ExportResult(source=Path(f"{n}"), output=None, status=ExportStatus.SKIPPED)

    finished = iter([(0, [result(2)]), (2, [result(3)]), (1, [result(0), result(1)])])
    assert [r.source.name for r in _in_order(tasks, finished)] == ["0", "1", "2", "3"]


def test_a_batch_with_heics_gives_the_same_results_on_two_workers(tmp_path: Path) -> None:
    pytest.importorskip("pillow_heif")
    src = tmp_path / "in"
    src.mkdir()
    heic = fx.dirty_heic(src / "b.heic")
    shutil.copyfile(heic, src / "d.heic")
    for name in ("a.jpg", "c.jpg", "e.jpg"):
        (src / name).write_bytes(fx.dirty_jpeg(trailer=False))
    (src / "f.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 10)  # broken: fails in place
    runs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        runs[jobs] = [
            (r.source.name, r.status, r.verified, r.output and r.output.relative_to(out))
            for r in export_batch_parallel([src], out, ExportOptions(), jobs=jobs)
        ]
        assert not list(out.rglob(".veil-*"))
    assert runs[1] == runs[2]
    assert [r[0] for r in runs[2]] == ["a.jpg", "b.heic", "c.jpg", "d.heic", "e.jpg", "f.jpg"]
    assert [r[2] for r in runs[2]] == [True] * 5 + [False]


def test_runs_shorten_towards_the_end() -> None:
    """Runs of consecutive photos get shorter as the batch nears its end, so the workers
    finish together; every photo is in exactly one run, in order."""
    from veil.core.export.parallel import _CHUNK_MAX, _CHUNK_MIN

    plan: list[BatchItem | Skipped] = [
        BatchItem(Path(f"{n}.jpg"), Path(), n + 1) for n in range(1000)
    ]
    sizes = [len(t) for t in _tasks(plan, jobs=2)]
    assert sizes[0] == _CHUNK_MAX and max(sizes[-3:]) <= _CHUNK_MIN
    assert all(a >= b for a, b in zip(sizes, sizes[1:], strict=False))
    assert [p for t in _tasks(plan, jobs=2) for p in t] == list(range(1000))


def test_only_the_parent_holds_the_originals_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers never move a copy (the parent does, guarding every original of the batch),
    so no task carries the batch's guard; the parent still refuses to overwrite an original
    of another task (here: a copy that would take an input's name)."""
    import pickle
    from multiprocessing import pool as mp_pool

    from veil.core.export.naming import SourceGuard

    sent: list[tuple] = []
    real = mp_pool.Pool.imap_unordered

    def spy(self, func, iterable, chunksize=1):  # type: ignore[no-untyped-def]
        jobs = list(iterable)
        sent.extend(jobs)
        return real(self, func, jobs, chunksize)

    monkeypatch.setattr(mp_pool.Pool, "imap_unordered", spy)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(20):
        (folder / f"p{i:02d}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    (folder / "photo-0020.jpg").write_bytes(fx.dirty_jpeg(trailer=False))  # wanted by #20
    before = {p.name: fx.sha256(p) for p in folder.iterdir()}
    options = ExportOptions(rename="neutral", overwrite=True)
    results = list(export_batch_parallel([folder], folder, options, jobs=2))
    assert len(sent) > 1
    assert not any(isinstance(part, SourceGuard) for job in sent for part in job)
    assert max(len(pickle.dumps(job)) for job in sent) < 8000
    assert {n: fx.sha256(folder / n) for n in before} == before  # no original replaced
    refused = [r for r in results if r.status is ExportStatus.FAILED]
    assert len(refused) == 1 and "being cleaned" in (refused[0].error or "")
    assert sum(r.verified for r in results) == 20


def _worker_gc() -> tuple[tuple[int, ...], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()


def test_workers_collect_garbage_less_often_than_the_parent(tmp_path: Path) -> None:
    """A worker freezes what it inherited and raises its collection thresholds; the parent
    (the CLI, a GUI) keeps Python's own."""
    import gc
    import multiprocessing
    import os

    from veil.core.cancel import NEVER
    from veil.core.export.parallel import _init_worker
    from veil.core.export.worker import WORKER_GC_THRESHOLDS

    before = gc.get_threshold()
    with multiprocessing.get_context("fork").Pool(
        1, initializer=_init_worker, initargs=(NEVER, os.getpid())
    ) as pool:
        threshold, frozen = pool.apply(_worker_gc)
    assert threshold == WORKER_GC_THRESHOLDS and frozen > 0
    assert gc.get_threshold() == before and WORKER_GC_THRESHOLDS[0] > before[0]


def _faults_of_a_second_big_block() -> tuple[int, int]:
    import resource

    size = 64 << 20
    block = bytearray(size)  # touched (zeroed), then freed
    del block
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = bytearray(size)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    del block
    return after - before, size // 4096


def test_a_worker_reuses_its_freed_memory_instead_of_faulting_it_in_again() -> None:
    """A HEIC decode's large blocks (36 MB of pixels) come back from the worker's heap the
    next time, not as fresh pages the kernel must fault in and zero again."""
    import multiprocessing
    import os

    from veil.core.cancel import NEVER
    from veil.core.export import worker
    from veil.core.export.parallel import _init_worker

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:  # Python's and glibc's defaults
        plain, pages = pool.apply(_faults_of_a_second_big_block)
    with ctx.Pool(1, initializer=_init_worker, initargs=(NEVER, os.getpid())) as pool:
        kept, _ = pool.apply(_faults_of_a_second_big_block)
        took = pool.apply(worker._keep_heap)
    if not took:
        pytest.skip("not glibc: malloc's thresholds can't be set here")
    assert plain > pages // 2  # fresh pages, faulted in one by one
    assert kept < pages // 10


@pytest.mark.parametrize("jobs", [1, 2])
def test_only_an_overwriting_batch_looks_at_its_originals_for_a_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The guard is asked only before replacing an existing file (--overwrite): a batch
    without it builds none (no stat of every original); with it, it still protects."""
    from veil.core.export import naming

    built: list[int] = []
    real = naming.SourceGuard.of.__func__  # type: ignore[attr-defined]

    def spy(cls, inputs, roots=()):  # type: ignore[no-untyped-def]
        inputs = list(inputs)
        built.append(len(inputs))
        return real(cls, inputs, roots)

    monkeypatch.setattr(naming.SourceGuard, "of", classmethod(spy))
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(20):
        (folder / f"p{i:02d}.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    plain = list(export_batch_parallel([folder], tmp_path / "out", ExportOptions(), jobs=jobs))
    assert sum(r.verified for r in plain) == 20 and built == []
    (folder / "photo-0020.jpg").write_bytes(fx.dirty_jpeg(trailer=False))  # wanted by #20
    options = ExportOptions(rename="neutral", overwrite=True)
    results = list(export_batch_parallel([folder], folder, options, jobs=jobs))
    assert built and max(built) == 21  # every original of the batch
    refused = [r for r in results if r.status is ExportStatus.FAILED]
    assert len(refused) == 1 and "being cleaned" in (refused[0].error or "")
