"""Batch export on several cores (the CLI's ``veil clean``): same results, same order.

Each file's work (clean, fsync, audit again, decode) is independent, so forked worker
processes run it side by side; results come back in input order. Workers ignore Ctrl-C:
the parent catches it and sets a shared cancel flag, so each worker stops at its next
checkpoint and deletes its own temp file (a killed worker could leave one behind).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from veil.core.cancel import CancelToken
from veil.core.cpu import idle_workers
from veil.core.errors import Cancelled
from veil.core.export.engine import batch_guard, export_planned
from veil.core.export.naming import SourceGuard
from veil.core.export.plan import BatchItem, plan_batch
from veil.core.model import ExportOptions, ExportResult
from veil.core.scan import Skipped

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event


class _SharedCancel(CancelToken):
    """A cancel token whose flag lives in shared memory, seen by every worker process."""

    __slots__ = ()

    def __init__(self, event: Event) -> None:  # noqa: D107 - same contract as the base
        self._event = event  # type: ignore[assignment]


_worker_cancel: CancelToken | None = None


def _init_worker(token: CancelToken) -> None:
    global _worker_cancel
    _worker_cancel = token
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(
    job: tuple[list[BatchItem | Skipped], Path, ExportOptions, SourceGuard],
) -> list[ExportResult]:
    """Clean one run of consecutive photos with the pipelined batch (its fsyncs overlap the
    next photos' work); a cancel returns the results of the copies already in place."""
    items, out_dir, options, guard = job
    assert _worker_cancel is not None
    done: list[ExportResult] = []
    with contextlib.suppress(Cancelled):
        done.extend(export_planned(items, out_dir, options, cancel=_worker_cancel, guard=guard))
    return done


#: Photos per task: big enough for a worker's fsyncs to overlap its next photos, small
#: enough that results stream and the workers stay evenly busy.
_CHUNK = 8


def _preload(plan: list[BatchItem | Skipped]) -> None:
    """Load what the workers will need once, in the parent: forked workers share it for free
    instead of each paying it again (pillow-heif's libraries when there is a HEIF/AVIF,
    the Pillow plugins Veil's formats need, the lazily imported cleaners, the place-name
    table of the location check). Pixel detectors are not needed: the export audits
    metadata only."""
    import importlib

    from PIL import Image

    from veil.core.metadata import gazetteer
    from veil.core.pixels import register_heif

    if any(isinstance(i, BatchItem) and _is_isobmff(i.source) for i in plan):
        register_heif()
    Image.preinit()
    for name in _LAZY_MODULES:
        importlib.import_module(name)
    with contextlib.suppress(ImportError, OSError, ValueError):  # names are a courtesy
        gazetteer.warm()


def _is_isobmff(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(8)[4:8] == b"ftyp"
    except OSError:
        return False


#: Modules the export imports on first use (each worker would import them again).
_LAZY_MODULES = (
    "PIL.TiffImagePlugin",
    "PIL.WebPImagePlugin",
    "veil.core.export.heif_proof",
    "veil.core.formats.heif_read",
    "veil.core.formats.heif_clean",
    "veil.core.formats.heif_build",
    "veil.core.formats.jpeg_clean",
    "veil.core.formats.png_clean",
    "veil.core.formats.webp_clean",
    "veil.core.formats.mp4",
    "veil.core.metadata.exif",
    "veil.core.metadata.xmp",
)


#: Below this many photos a pool costs more (fork, result passing, warm-up) than it saves.
MIN_POOL_BATCH = 16


def default_jobs(batch: int | None = None) -> int:
    """Worker processes worth starting for ``batch`` photos: the cores this process may use
    that other processes are not busy on, at most 4 (the work is mostly I/O beyond that),
    and 1 for a small batch. On a busy machine extra processes only add their start-up and
    warm-up CPU time to the same wall time, so the batch then runs in this process."""
    if batch is not None and batch < MIN_POOL_BATCH:
        return 1
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
    # Every worker protects every original of the batch, not only those of its own chunk.
    sources = [Path(s) for s in sources]
    plan = list(plan_batch(sources, out_dir, recursive=recursive))
    guard = batch_guard(plan, sources)
    jobs = default_jobs(len(plan)) if jobs is None else jobs
    if jobs <= 1 or len(plan) <= 1 or sys.platform != "linux":
        yield from export_planned(plan, out_dir, options, guard=guard)
        return
    _preload(plan)
    ctx = multiprocessing.get_context("fork")
    token = _SharedCancel(ctx.Event())
    jobs = min(jobs, len(plan))
    pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(token,))
    size = max(1, min(_CHUNK, len(plan) // (jobs * 4)))
    chunks = [plan[i : i + size] for i in range(0, len(plan), size)]
    try:
        for results in pool.imap(_work, ((chunk, out_dir, options, guard) for chunk in chunks)):
            yield from results
    except BaseException:  # Ctrl-C, or the consumer stopped early: stop cleanly
        token.cancel()
        pool.close()
        pool.join()
        raise
    pool.close()
    pool.join()
