"""Batch export on several cores (the CLI's ``veil clean``): same results, same order.

Each file's work (clean, audit again, decode) is independent, so forked worker processes
run it side by side on runs of consecutive photos, the few slow HEIC/AVIF first
(``_tasks``). A worker hands each run's verified copies back still in their locked temp
files; the parent makes the run durable with one flush and moves the copies to their names
(:mod:`veil.core.export.handoff`), so no worker waits on the disk. Results come back in
input order. Workers ignore
Ctrl-C: the parent catches it and sets a shared cancel flag, so each worker stops at its
next checkpoint and deletes its own temp file. Workers die with the parent (Linux
``PR_SET_PDEATHSIG``): a parent killed with -9 leaves no worker finishing its run and
printing tracebacks into a closed pipe; their temp files are removed by the next export.
How a worker sets itself up (also its garbage collector and ``malloc``): :mod:`.worker`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from veil.core.cancel import CancelToken
from veil.core.cpu import idle_workers, usable_cores
from veil.core.errors import Cancelled
from veil.core.export import decoded, handoff, worker
from veil.core.export.batch import (
    Snapshot,
    batch_guard,
    export_planned,
    finish_batch,
    prepare_folders,
)
from veil.core.export.commit import Pending
from veil.core.export.engine import prepare
from veil.core.export.handoff import Handoff
from veil.core.export.naming import SourceGuard
from veil.core.export.plan import BatchItem, plan_batch
from veil.core.export.preload import preload
from veil.core.formats.heif import Heif
from veil.core.model import ExportOptions, ExportResult, ExportStatus
from veil.core.scan import Skipped

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event


class _SharedCancel(CancelToken):
    """A cancel token whose flag lives in shared memory, seen by every worker process."""

    __slots__ = ()

    def __init__(self, event: Event) -> None:  # noqa: D107 - same contract as the base
        self._event = event  # type: ignore[assignment]


_worker_cancel: CancelToken | None = None


def _init_worker(token: CancelToken, parent: int) -> None:
    global _worker_cancel
    _worker_cancel = token
    worker.setup(parent)


#: What a worker's copies carry as the batch's originals: nothing, because a worker never
#: moves a copy to its name; the parent does, with the batch's own guard (handoff.commit).
_PARENT_GUARDS = SourceGuard()


def _work(
    job: tuple[int, list[BatchItem | Skipped], Path, ExportOptions, Snapshot],
) -> tuple[int, list[ExportResult | Handoff]]:
    """Clean and verify one task's photos: (the task's number, in its order each failed or
    skipped result or each verified copy handed to the parent, see
    :mod:`veil.core.export.handoff`). A cancelled task deletes its copies and returns none.
    """
    number, items, out_dir, options, snapshot = job
    cancel = _worker_cancel
    assert cancel is not None
    done: list[ExportResult | Handoff] = []
    try:
        # Close the copies of earlier tasks the parent has moved by now; wait while the
        # parent is far behind (a slow disk), so this worker never runs out of fds.
        handoff.wait_for_room(len(items), cancel)
        for item in items:
            cancel.raise_if_cancelled()
            if isinstance(item, Skipped):
                done.append(ExportResult(source=item.path, output=None,
                                         status=ExportStatus.SKIPPED, error=item.reason))
                continue
            entry = prepare(item.source, out_dir, options, cancel, item.index,
                            item.relative_dir, _PARENT_GUARDS,
                            snapshot.get(item.relative_dir))
            if isinstance(entry, Pending):
                handoff.hold(entry)
                done.append(handoff.hand_off(entry, item.relative_dir))
            else:
                done.append(entry)
    except Cancelled:  # the parent stops: nothing of this task will be committed
        handoff.drop_held(e for e in done if isinstance(e, Handoff))
        return number, []
    return number, done


#: Photos per task, at most and at least: a task is made durable with one flush, so larger
#: tasks mean fewer flushes; small enough that results stream and the workers stay evenly
#: busy to the end.
_CHUNK_MAX = 48
_CHUNK_MIN = 8


#: Suffixes whose copies may be decoded in full before they are called verified (~0.3 s
#: for a 12 MP HEIC, against ~2 ms for a JPEG): those not proven to keep their source's
#: picture items, or whose coded data do not walk sound (export.decode_check); a proven
#: one costs ~15 ms. Only a scheduling hint: nothing else reads it.
_HEAVY = frozenset(Heif.extensions)
#: Heavy photos handed out first, one per task, at most this many per worker.
_HEAVY_FIRST = 4


def _tasks(plan: list[BatchItem | Skipped], jobs: int) -> list[list[int]]:
    """The plan's positions, cut into tasks in the order they are handed out.

    A heavy photo (see ``_HEAVY``) met with a file size not seen before is its own task,
    largest first, ahead of everything else: the workers decode the few slow ones side by
    side at the start instead of one worker decoding a run of them while the other waits
    at the end (or for the same bytes: see :func:`veil.core.export.decoded.claim`). A
    twin of one of them (same size) stays in its place: by then its bytes have usually
    decoded once already. Everything else runs in order, in runs of consecutive photos
    that shorten towards the end.
    """
    first: list[tuple[int, int]] = []
    sizes: set[int] = set()
    for pos, item in enumerate(plan):
        if len(first) >= _HEAVY_FIRST * jobs:
            break
        if isinstance(item, BatchItem) and item.source.suffix.lower() in _HEAVY:
            try:
                size = item.source.stat().st_size
            except OSError:
                continue
            if size not in sizes:
                sizes.add(size)
                first.append((size, pos))
    early = {pos for _, pos in first}
    rest = [pos for pos in range(len(plan)) if pos not in early]
    tasks = [[pos] for _, pos in sorted(first, reverse=True)]
    at = 0
    while at < len(rest):
        # Guided: a share of what is left, so the last runs are short and both workers
        # finish together (one long run at the end would keep the other core idle).
        size = max(_CHUNK_MIN, min(_CHUNK_MAX, (len(rest) - at) // (jobs * 4)))
        tasks.append(rest[at : at + size])
        at += size
    return tasks


def _in_order(
    tasks: list[list[int]], finished: Iterator[tuple[int, list[ExportResult]]]
) -> Iterator[ExportResult]:
    """The results of ``finished`` tasks (any order) in plan order, each as soon as every
    result before it is in."""
    ready: dict[int, ExportResult] = {}
    due = 0
    for number, results in finished:
        ready.update(zip(tasks[number], results, strict=False))
        while due in ready:
            yield ready.pop(due)
            due += 1


def _job_snapshot(chunk: list[BatchItem | Skipped], snapshot: Snapshot) -> Snapshot:
    """Only the folders a task writes to travel to its worker."""
    wanted = {i.relative_dir for i in chunk if isinstance(i, BatchItem)}
    return {k: v for k, v in snapshot.items() if k in wanted}


#: Below this many photos a pool costs more (fork, result passing, warm-up) than it saves.
MIN_POOL_BATCH = 16
#: From this many photos every usable core gets a worker, busy machine or not: the fork
#: and warm-up cost is paid once against seconds of work, and on a shared machine two
#: runnable processes get a larger share of the CPU than one.
BIG_BATCH = 200


def default_jobs(batch: int | None = None) -> int:
    """Worker processes worth starting for ``batch`` photos, at most 4 (the work is mostly
    I/O beyond that): 1 for a small batch; every usable core for a big one; in between,
    the cores other processes are not busy on (there the start-up of extra processes would
    cost about what they save)."""
    if batch is not None and batch < MIN_POOL_BATCH:
        return 1
    if batch is not None and batch >= BIG_BATCH:
        return max(1, min(4, usable_cores()))
    return idle_workers(limit=4)


def export_batch_parallel(
    sources: Iterable[Path],
    out_dir: Path,
    options: ExportOptions,
    *,
    recursive: bool = True,
    jobs: int | None = None,
) -> Iterator[ExportResult]:
    """Like :func:`veil.core.export.export_batch`, on ``jobs`` worker processes (default:
    :func:`default_jobs`).

    Falls back to this process where ``fork`` is unavailable, for one job or one photo. Two
    inputs that want the same output name still never clobber each other (names are claimed
    atomically), but which one gets " (1)" may differ between runs.

    Raises:
        KeyboardInterrupt: after the workers stopped and removed their temp files.
    """
    # The whole plan first: folder listings must be taken before any copy lands in them.
    # Every copy is moved with the guard of every original of the batch, not only those of
    # its own task.
    sources = [Path(s) for s in sources]
    plan = list(plan_batch(sources, out_dir, recursive=recursive))
    snapshot = prepare_folders(plan, out_dir)
    jobs = default_jobs(len(plan)) if jobs is None else jobs
    if jobs <= 1 or len(plan) <= 1 or sys.platform != "linux":
        guard = batch_guard(plan, sources, overwrite=options.overwrite)
        yield from export_planned(plan, out_dir, options, guard=guard, snapshot=snapshot)
        finish_batch(out_dir)
        return
    preload(plan)
    ctx = multiprocessing.get_context("fork")
    token = _SharedCancel(ctx.Event())
    decoded.share(ctx.Lock())  # a duplicate photo is decoded once per run, not per worker
    jobs = min(jobs, len(plan))
    pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(token, os.getpid()))
    tasks = _tasks(plan, jobs)
    jobs_out = (
        (number, items, out_dir, options, _job_snapshot(items, snapshot))
        for number, items in enumerate([plan[pos] for pos in task] for task in tasks)
    )
    finished = pool.imap_unordered(_work, jobs_out)
    try:
        # Only the parent moves copies, so only it needs the originals' guard (two stats a
        # photo): made while the workers clean their first photos, and not sent with every
        # task (~20 kB pickled for each on a 2,000-photo roll).
        guard = batch_guard(plan, sources, overwrite=options.overwrite)
        # Each task's copies are flushed and moved here, in the parent, as the task comes
        # in: the workers go on cleaning meanwhile.
        committed = (
            (number, handoff.commit(entries, guard, snapshot)) for number, entries in finished
        )
        yield from _in_order(tasks, committed)
    except BaseException:  # Ctrl-C, or the consumer stopped early: stop cleanly
        token.cancel()
        pool.close()
        pool.join()
        # Tasks finished but not taken yet: their copies will never be moved.
        with contextlib.suppress(Exception):
            for _, entries in finished:
                handoff.discard(entries)
        raise
    finally:
        decoded.unshare()
    pool.close()  # every task is in: the workers exit while the batch's last flush runs
    finish_batch(out_dir)
    pool.join()
