"""Verified copies handed from a worker process to the parent, which makes them durable and
moves them: the workers never wait on the disk.

A worker cleans and verifies a task's photos into their locked temp files (see
:func:`veil.core.export.engine.prepare`) and returns, for each verified copy, a
:class:`Handoff` that names its temp file; it keeps the file's fd, and so its ``flock``,
open (:func:`hold`) until the parent has moved the file (:func:`release_moved`). The
parent flushes each task's copies with one ``syncfs`` per file system they are on, then
moves each to its final name (:func:`commit`), as the one-process batch does per window
(:mod:`veil.core.export.batch`): no copy gets its name, and no result says "verified",
before its bytes are on disk. Meanwhile the worker is already cleaning its next task
instead of waiting for that flush (~20 ms a task on a quiet disk, far more on a busy one).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from veil.core.cancel import CancelToken
from veil.core.export.commit import Pending, finish
from veil.core.export.naming import SourceGuard
from veil.core.export.place import Existing
from veil.core.export.sync import syncfs, syncfs_available
from veil.core.model import ExportResult

__all__ = [
    "Handoff", "commit", "discard", "drop_held", "flush", "hand_off", "hold", "release_moved",
    "wait_for_room",
]


@dataclass(frozen=True, slots=True)
class Handoff:
    """A verified copy in a worker's locked temp file, for the parent to flush and move.

    The same fields as :class:`~veil.core.export.commit.Pending` but the fd (which stays in
    the worker), the guard and the folder snapshot (the parent has the batch's own)."""

    tmp: Path
    folder: Path
    relative_dir: Path  # the snapshot of names this copy's folder held before the batch
    stem: str
    suffix: str
    overwrite: bool
    source: Path
    result: ExportResult  # the CLEANED result, without its output path yet
    tail: str = ""


#: This worker's copies handed to the parent and not known to be moved yet (fds still open).
_held: list[Pending] = []


def _max_held() -> int:
    """Open temp files a worker may hold: a quarter of its file limit, 64 to 512 (a parent
    slower than its workers, on a busy disk, must not run a worker out of fds)."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        return 256
    return 512 if soft == resource.RLIM_INFINITY else max(64, min(512, soft // 4))


#: At most this many copies held by one worker (a task is at most 48: see ``parallel``).
MAX_HELD = _max_held()
#: How often a worker at ``MAX_HELD`` looks whether the parent has moved copies.
_POLL_S = 0.005


def wait_for_room(count: int, cancel: CancelToken) -> None:
    """Before a task of ``count`` photos: wait until the parent has moved enough held copies
    that this task's fit under ``MAX_HELD`` (the parent moves every task it gets, so room
    always comes; ``count`` never exceeds ``MAX_HELD``).

    Raises:
        Cancelled: while waiting.
    """
    release_moved()
    while _held and len(_held) + count > MAX_HELD:
        cancel.raise_if_cancelled()
        time.sleep(_POLL_S)
        release_moved()


def hand_off(pending: Pending, relative_dir: Path) -> Handoff:
    """The parent's view of ``pending``; the worker keeps its fd open (:func:`hold`)."""
    assert pending.result is not None
    return Handoff(
        tmp=pending.tmp,
        folder=pending.folder,
        relative_dir=relative_dir,
        stem=pending.stem,
        suffix=pending.suffix,
        overwrite=pending.overwrite,
        source=pending.source,
        result=pending.result,
        tail=pending.tail,
    )


def hold(pending: Pending) -> None:
    """Keep ``pending``'s fd (and lock) open in this worker until the parent moved it."""
    _held.append(pending)


def release_moved() -> None:
    """Close the fds of held copies whose temp name is gone: the parent moved them (or
    deleted them after a failed flush). A temp file still there stays locked: the parent
    has not committed it yet, and the next export must not take it for a stale one."""
    keep = []
    for pending in _held:
        if os.path.lexists(pending.tmp):
            keep.append(pending)
        else:
            pending.close()
    _held[:] = keep


def drop_held(handoffs: Iterable[Handoff]) -> None:
    """Delete (and stop holding) these copies of this worker: a cancelled task's."""
    gone = {h.tmp for h in handoffs}
    keep = []
    for pending in _held:
        if pending.tmp in gone:
            pending.discard()
        else:
            keep.append(pending)
    _held[:] = keep


def flush(handoffs: Sequence[Handoff]) -> None:
    """Make the copies' bytes durable: one ``syncfs`` per file system they are on, or an
    ``fsync`` of each where ``syncfs`` does not exist.

    Raises:
        OSError: a flush failed; none of these copies may be called safe.
    """
    if not syncfs_available():
        for h in handoffs:
            fd = os.open(h.tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return
    devices: set[int] = set()
    for folder in dict.fromkeys(h.folder for h in handoffs):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            dev = os.fstat(fd).st_dev
            if dev not in devices:
                devices.add(dev)
                syncfs(fd)
        finally:
            os.close(fd)


def _pending(h: Handoff, guard: SourceGuard, existing: Existing | None) -> Pending:
    # No fd on this side (the worker holds it): close() is a no-op, discard() deletes.
    return Pending(h.tmp, -1, h.folder, h.stem, h.suffix, h.overwrite, h.source,
                   result=h.result, guard=guard, existing=existing, tail=h.tail, closed=True)


def commit(
    entries: Sequence[ExportResult | Handoff],
    guard: SourceGuard,
    snapshot: dict[Path, Existing],
    flusher: Callable[[Sequence[Handoff]], None] | None = None,
) -> list[ExportResult]:
    """One task's results in its order: its copies flushed together (``flusher``, default
    :func:`flush`), then each moved to its final name. A failed flush fails (and deletes)
    every copy of the task."""
    handoffs = [e for e in entries if isinstance(e, Handoff)]
    error: OSError | None = None
    if handoffs:
        try:
            (flusher or flush)(handoffs)
        except OSError as exc:
            error = exc
    out: list[ExportResult] = []
    for entry in entries:
        if not isinstance(entry, Handoff):
            out.append(entry)
            continue
        pending = _pending(entry, guard, snapshot.get(entry.relative_dir))
        out.append(pending.fail(error) if error is not None else finish(pending))
    return out


def discard(entries: Iterable[ExportResult | Handoff]) -> None:
    """Delete the temp files of copies that will never be committed (cancel, early stop)."""
    for entry in entries:
        if isinstance(entry, Handoff):
            with contextlib.suppress(OSError):
                entry.tmp.unlink()
