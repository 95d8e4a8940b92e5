"""``Job``: a QRunnable that runs a core callable or generator on a pool thread.

Only frozen values cross threads: a job's generator yields frozen core objects (reports,
results, paths) or a QImage made in the worker, and the job hands them to the GUI thread
through ``JobSignals`` (queued connections). A generator's results are sent in batches,
at most one signal per ``BATCH_SECONDS``, so 5,000 results never flood the event loop.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, Signal

from veil.core.cancel import CancelToken
from veil.core.errors import Cancelled

#: Longest a worker holds results before sending them to the GUI thread.
BATCH_SECONDS = 0.05

_ids = itertools.count(1)


class JobSignals(QObject):
    """Signals of one job. Emitted from the worker thread, received on the GUI thread."""

    results = Signal(int, list)  # job id, batch of frozen values
    finished = Signal(int, bool)  # job id, cancelled
    failed = Signal(int, str)  # job id, one-line reason (a bug, not a bad file)


class JobClaim:
    """Who gets a queued job first: a pool thread about to run it, or the GUI thread dropping
    it (Cancel, shutdown). Exactly one wins, so a dropped job never runs nor reports, and a
    job that runs is never dropped: it reports ``finished`` itself."""

    __slots__ = ("_lock", "_state")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "queued"

    def start(self) -> bool:
        """On the pool thread, first thing in ``run``: False if the job was dropped."""
        return self._take("running")

    def drop(self) -> bool:
        """On the GUI thread: False if a pool thread has started the job already."""
        return self._take("dropped")

    def _take(self, state: str) -> bool:
        with self._lock:
            if self._state != "queued":
                return False
            self._state = state
            return True


@dataclass(slots=True)
class RunningJob:
    """What the GUI thread keeps of a started job until its ``finished`` arrives."""

    kind: str  # "scan", "metadata", "pixels", "thumb", "preview", "export"; "cancelled"
    on_results: Callable[[int, list[Any]], None] | None = None
    on_finished: Callable[[int, bool], None] | None = None
    #: Shared with the job: lets the GUI thread drop it while no pool thread has taken it.
    claim: JobClaim | None = None


class Job(QRunnable):
    """Run ``work(cancel)``; a returned iterable is streamed in batches.

    ``work`` gets the job's :class:`CancelToken` and returns either a single value (sent as
    a batch of one) or an iterable (sent in batches as it is consumed). The job stops at
    the next item once the token is cancelled.

    ``signals`` belongs to the GUI thread and must outlive the job (results carry the job
    id, so one object serves every job). A job never makes its own: the pool deletes a
    finished job on its own thread, and a QObject dying with it there could be mid-delivery
    on the GUI thread.

    A job dropped through its :attr:`claim` before a pool thread took it does nothing when
    it runs (the GUI thread has reported it already).
    """

    def __init__(
        self,
        work: Callable[[CancelToken], Any],
        cancel: CancelToken,
        signals: JobSignals,
    ) -> None:
        super().__init__()
        self.job_id = next(_ids)
        self.signals = signals
        self._work = work
        self._cancel = cancel
        self.claim = JobClaim()
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on a pool thread
        if not self.claim.start():
            return  # dropped while queued: the GUI thread took it off its table
        sig, jid = self.signals, self.job_id
        if self._cancel.cancelled:
            sig.finished.emit(jid, True)
            return
        try:
            out = self._work(self._cancel)
            if isinstance(out, Iterable) and not isinstance(out, (str, bytes)):
                self._stream(out)
            else:
                sig.results.emit(jid, [out])
        except Cancelled:
            sig.finished.emit(jid, True)
            return
        except Exception as exc:  # a bug in a job must not kill the thread or the window
            sig.failed.emit(jid, f"{type(exc).__name__}: {exc}")
        sig.finished.emit(jid, self._cancel.cancelled)

    def _stream(self, items: Iterable[Any]) -> None:
        batch: list[Any] = []
        last = time.monotonic() - BATCH_SECONDS  # the first item goes out at once: latency
        for item in items:
            batch.append(item)
            now = time.monotonic()
            if now - last >= BATCH_SECONDS:
                self.signals.results.emit(self.job_id, batch)
                batch, last = [], now
            if self._cancel.cancelled:
                break
        if batch:
            self.signals.results.emit(self.job_id, batch)
        close = getattr(items, "close", None)
        if close is not None:  # a generator left early runs its cleanup now, in this thread
            close()


class Pool(Protocol):
    """What a session needs of a thread pool (QThreadPool, or a synchronous one in tests)."""

    def start(self, runnable: QRunnable, priority: int = 0) -> None: ...  # noqa: D102

    def clear(self) -> None: ...  # noqa: D102

    def waitForDone(self, msecs: int = -1) -> bool: ...  # noqa: D102

    def activeThreadCount(self) -> int: ...  # noqa: D102
