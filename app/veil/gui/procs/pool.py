"""``AuditProcesses``: audit tasks run in worker processes, results come back in batches.

Why processes: audits are Python work, and worker *threads* share the window's GIL, so a
busy roll made the event loop wait (123-167 ms stalls). Fresh processes (never forked:
the window has Qt threads) each hold one socket; the window watches the pipes with socket
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
import os
import socket
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

import veil
from veil.core.model import FileReport, Risk
from veil.gui.procs.child import AuditResult

#: A worker that dies before it is ready this many times in a row is not started again.
MAX_FAILED_STARTS = 3
START_FAILED = "Veil's checker could not start, so this file was not checked"

CRASH_REASON = "Veil's checker stopped while reading this file (it may be damaged)"
#: A worker's chunk ended in an exception (a bug outside core's per-file boundary).
FAILED_REASON = "Veil could not check this file (internal error: {})"


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
    failure: str = field(default="", compare=False)  # the worker's "failed" reason


def _child_env() -> dict[str, str]:
    """The window's environment, with the folder holding ``veil`` first on the path."""
    env = dict(os.environ)
    root = str(Path(veil.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _readable_slot(owner: AuditProcesses, worker: _Worker) -> Callable[..., None]:
    """The notifier's slot, holding the pool and the worker only weakly.

    Why: the notifier is the pool's Qt child, and a slot kept by Qt holds its Python
    references for as long as the notifier lives. Were they strong, deleting a dead worker's
    notifier (``deleteLater``) could drop the last reference to a pool nobody else holds; the
    pool's C++ destructor would then delete that same notifier again, mid-destruction
    ("pure virtual method called", SIGBUS or SIGSEGV in the event loop).
    """
    owner_ref, worker_ref = weakref.ref(owner), weakref.ref(worker)

    def readable(*_: object) -> None:
        pool, live = owner_ref(), worker_ref()
        if pool is not None and live is not None:
            pool._readable(live)

    return readable


class _Worker:
    """One worker process, its socket, and the task it is running.

    Started as ``python -m veil.gui.procs FD`` (not multiprocessing's spawn, which
    would run the window's own ``__main__`` again in every worker); the child holds the only
    other end of the socket pair, so either side's death ends the other's reads.
    """

    def __init__(self, owner: AuditProcesses) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "veil.gui.procs", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=_child_env(),
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.task: _Task | None = None
        self.ready = False
        self.closed = False
        self.notifier = QSocketNotifier(self.conn.fileno(), QSocketNotifier.Type.Read, owner)
        self.notifier.activated.connect(_readable_slot(owner, self))

    @property
    def pid(self) -> int:
        return self.process.pid

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.notifier.setEnabled(False)
        # Drop the connection now, while the pool is surely alive (a closed worker's
        # notifier never needs to call back), then delete the notifier on the event loop.
        self.notifier.activated.disconnect()
        self.notifier.deleteLater()
        self.conn.close()

    def stop(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the process to end, then kill it."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(1.0)


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
        self._failed_starts = 0
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
        return [w.pid for w in self._workers]

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
        deadline = time.monotonic() + max(0.0, timeout_ms / 1000)
        for worker in self._workers:
            worker.stop(max(0.0, deadline - time.monotonic()))
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
            task, worker.task = worker.task, None
            if task is not None and task.failure and not msg[2]:
                # A bug around core's per-file boundary (audit_file) ended the chunk.
                self._requeue(task, FAILED_REASON.format(task.failure))
            else:
                self.task_done.emit(msg[1], bool(msg[2]))
        elif kind == "failed":
            self.failed.emit(msg[2])
            if worker.task is not None:
                worker.task.failure = msg[2]
        elif kind == "ready":
            worker.ready = True
            if self.is_ready:
                self.ready.emit()

    def _requeue(self, task: _Task, reason: str | None) -> None:
        """Error the first file of ``task`` without a result with ``reason`` (results come in
        chunk order, so that is the one it stopped on; None: no file is suspect), queue the
        rest, so no row is left "Checking…"."""
        left = [(k, p) for k, p in task.chunk if k not in task.done_keys]
        if left and reason is not None:
            key, path = left.pop(0)
            self.results.emit([AuditResult(key, task.full, task.generation, _error(path, reason))])
        if left:
            heapq.heappush(self._queue, _Task(task.sort, task.task_id, left, task.full,
                                              task.generation))
        else:
            self.task_done.emit(task.task_id, False)

    def _lost(self, worker: _Worker) -> None:
        """A worker died: error the file it was on, queue the rest, start a new worker."""
        worker.close()
        worker.stop(0.5)
        index = self._workers.index(worker)
        task = worker.task
        if self._closed:
            return
        self._failed_starts = 0 if worker.ready else self._failed_starts + 1
        if self._failed_starts >= MAX_FAILED_STARTS:
            self._give_up(index, task)
            return
        self._workers[index] = _Worker(self)
        if task is not None:  # died reading its first file left, if it was ready: the suspect
            self._requeue(task, CRASH_REASON if worker.ready else None)
        self._dispatch()

    def _give_up(self, index: int, task: _Task | None) -> None:
        """Workers cannot even start (a broken install): say so for every waiting file."""
        del self._workers[index]
        if self._workers:
            if task is not None:
                heapq.heappush(self._queue, task)
            self._dispatch()
            return
        self.failed.emit(START_FAILED)
        tasks = [*([task] if task is not None else []), *self._queue]
        self._queue.clear()
        for t in tasks:
            left = [(k, p) for k, p in t.chunk if k not in t.done_keys]
            self.results.emit([AuditResult(k, t.full, t.generation, _error(p, START_FAILED))
                               for k, p in left])
            self.task_done.emit(t.task_id, False)


def _error(path: Path, reason: str) -> FileReport:
    return FileReport(path, "error", reason, None, None, None, None, Risk.UNKNOWN)

