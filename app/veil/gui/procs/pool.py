"""``AuditProcesses``: audit tasks run in worker processes, results come back in batches.

Why processes: audits are Python work, and worker *threads* share the window's GIL, so a
busy roll made the event loop wait (123-167 ms stalls). Spawned processes (never forked:
the window has Qt threads) each hold one pipe; the window watches the pipes with socket
notifiers, so results arrive as ordinary events and nothing blocks. Only frozen values
(paths, keys, :class:`FileReport`) cross the pipe.

One task per worker at a time; queued tasks wait here, highest priority first, so a
metadata pass is never stuck behind pixel checks and Cancel simply drops the queue. A worker
that dies (a decoder crash) is replaced: the file it was reading gets an error row, the rest
of its task is queued again.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from veil.core.model import FileReport, Risk
from veil.gui.procs.child import AuditResult, serve

CRASH_REASON = "Veil's checker stopped while reading this file (it may be damaged)"


def default_workers() -> int:
    """One process per core but one (the window keeps a core), at least one, at most four."""
    return max(1, min((os.cpu_count() or 2) - 1, 4))


@dataclass(order=True)
class _Task:
    sort: tuple[int, int]  # (-priority, sequence): highest priority, then oldest first
    task_id: int = field(compare=False)
    chunk: list[tuple[str, Path]] = field(compare=False)
    full: bool = field(compare=False)
    generation: int = field(compare=False)
    done_keys: set[str] = field(default_factory=set, compare=False)
    cancelled: bool = field(default=False, compare=False)


class _Worker:
    """One worker process, its pipe, and the task it is running."""

    def __init__(self, owner: AuditProcesses) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child_end = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=serve, args=(child_end,), daemon=True, name="veil-audit")
        self.process.start()
        child_end.close()  # only the child holds its end: its death ends our reads
        self.task: _Task | None = None
        self.ready = False
        self.notifier = QSocketNotifier(self.conn.fileno(), QSocketNotifier.Type.Read, owner)
        self.notifier.activated.connect(lambda *_: owner._readable(self))

    def close(self) -> None:
        self.notifier.setEnabled(False)
        self.notifier.deleteLater()
        self.conn.close()


class AuditProcesses(QObject):
    """A pool of audit worker processes driven from the GUI thread."""

    results = Signal(list)  # [AuditResult, ...]
    task_done = Signal(int, bool)  # task id, cancelled
    failed = Signal(str)  # a bug in a worker (not a bad file)
    ready = Signal()  # every worker has loaded the engine

    def __init__(self, workers: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._queue: list[_Task] = []
        self._closed = False
        self._workers = [_Worker(self) for _ in range(workers or default_workers())]

    # API ------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a task is queued or running (a cancelled one no longer counts)."""
        return bool(self._queue) or any(
            w.task is not None and not w.task.cancelled for w in self._workers
        )

    @property
    def is_ready(self) -> bool:
        """True once every worker has loaded the engine."""
        return all(w.ready for w in self._workers)

    def pids(self) -> list[int]:
        """Process ids of the workers (tests check they die with the window)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def submit(
        self, chunk: list[tuple[str, Path]], full: bool, generation: int, priority: int
    ) -> int:
        """Queue an audit of ``chunk``; results arrive through :attr:`results`."""
        task_id = next(self._ids)
        heapq.heappush(self._queue, _Task((-priority, task_id), task_id, chunk, full, generation))
        self._dispatch()
        return task_id

    def cancel(self, generation: int) -> None:
        """Drop queued tasks of ``generation`` or older and stop the running ones soon."""
        dropped = [t for t in self._queue if t.generation <= generation]
        self._queue = [t for t in self._queue if t.generation > generation]
        heapq.heapify(self._queue)
        for worker in self._workers:
            if worker.task is not None and worker.task.generation <= generation:
                worker.task.cancelled = True
                self._send(worker, ("cancel", generation))
        for task in dropped:
            self.task_done.emit(task.task_id, True)

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop every worker: ask, wait (bounded), then kill what is left."""
        if self._closed:
            return
        self._closed = True
        self._queue.clear()
        for worker in self._workers:
            self._send(worker, ("cancel", 1 << 62))
            self._send(worker, None)
        deadline = max(0.0, timeout_ms / 1000)
        for worker in self._workers:
            worker.process.join(deadline / max(1, len(self._workers)))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1.0)
            worker.close()

    # Internals ------------------------------------------------------------------------------
    def _send(self, worker: _Worker, msg: Any) -> None:
        with contextlib.suppress(OSError, ValueError):  # gone: _readable replaces it
            worker.conn.send(msg)

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not self._queue:
                return
            if worker.task is None:
                task = heapq.heappop(self._queue)
                worker.task = task
                self._send(worker, ("task", task.task_id, task.chunk, task.full, task.generation))

    def _readable(self, worker: _Worker) -> None:
        try:
            while worker.conn.poll():
                self._handle(worker, worker.conn.recv())
        except (EOFError, OSError):
            self._lost(worker)
            return
        self._dispatch()

    def _handle(self, worker: _Worker, msg: tuple[Any, ...]) -> None:
        kind = msg[0]
        if kind == "results":
            if worker.task is not None:
                worker.task.done_keys.update(r.key for r in msg[2])
            self.results.emit(msg[2])
        elif kind == "done":
            worker.task = None
            self.task_done.emit(msg[1], bool(msg[2]))
        elif kind == "failed":
            self.failed.emit(msg[2])
        elif kind == "ready":
            worker.ready = True
            if self.is_ready:
                self.ready.emit()

    def _lost(self, worker: _Worker) -> None:
        """A worker died: error the file it was on, queue the rest, start a new worker."""
        worker.close()
        worker.process.join(0.5)
        index = self._workers.index(worker)
        task = worker.task
        if self._closed:
            return
        self._workers[index] = _Worker(self)
        if task is not None:
            left = [(k, p) for k, p in task.chunk if k not in task.done_keys]
            if left:
                key, path = left[0]
                report = FileReport(
                    path, "error", CRASH_REASON, None, None, None, None, Risk.UNKNOWN
                )
                self.results.emit([AuditResult(key, task.full, task.generation, report)])
            if left[1:]:
                rest = _Task(task.sort, task.task_id, left[1:], task.full, task.generation)
                heapq.heappush(self._queue, rest)
            else:
                self.task_done.emit(task.task_id, False)
        self._dispatch()
