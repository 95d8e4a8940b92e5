"""``JobRouter``: a session's started jobs, and where what they report goes (by job id).

Lifetime rules, each of which fixed a crash (tests/gui/test_job_lifetime.py):

- Every job reports through one :class:`JobSignals`, a Qt child of the session made on the
  GUI thread. A job never owns a QObject: the pool deletes a finished job on its pool
  thread, where a QObject dying with it could still be mid-delivery on the GUI thread.
- Results and ``finished`` carry the job id; the router looks the job up and calls the
  callbacks it was started with. The signals' receivers stay the session's own slots
  (bound methods of a QObject living on the GUI thread), so Qt queues every emit to the GUI
  thread and drops what still arrives once the session is deleted. That is why the router
  is a plain object the session calls, never a receiver itself: a lambda or a plain
  object's method as receiver would still run, into the deleted session.
- A queued job leaves the table when it is dropped (Cancel, shutdown) only if its
  :class:`~veil.gui.workers.JobClaim` says no pool thread has started it; the job then
  never runs nor reports. A running job is never dropped: it reports ``finished`` itself.
  (Jobs silently cleared from a pool's queue would stay listed, "running", for good.)
- Nothing starts after :meth:`JobRouter.shutdown` (the session may be deleted before it
  ends).
- A job still running when shutdown's bounded wait ends keeps the signals alive: they
  leave the session for :data:`_OUTLIVED` instead of dying under the job's next emit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject

from veil.core.cancel import CancelToken
from veil.gui.workers import Job, JobSignals, Pool, RunningJob

if TYPE_CHECKING:
    from veil.gui.procs.pool import AuditProcesses

#: Job signals of sessions closed while a job still ran (see JobRouter.shutdown).
_OUTLIVED: list[JobSignals] = []


class JobRouter:
    """Starts jobs on the GUI thread and routes their reports; every method runs there."""

    def __init__(self, owner: QObject) -> None:
        """``owner`` (the session) becomes the parent of :attr:`signals`; the owner connects
        its own slots to them, which call :meth:`route_results` and :meth:`route_finished`."""
        # Every job reports through this one object, the session's Qt child: a job never
        # owns a QObject (one would die with its job on the pool thread, where Qt may still
        # be delivering its queued signals on the GUI thread: a crash).
        self.signals = JobSignals(owner)
        #: Jobs started and not yet heard finish, by job id.
        self.running: dict[int, RunningJob] = {}
        #: Set by :meth:`shutdown`: from then on nothing starts.
        self.closed = False

    def start(
        self,
        kind: str,
        work: Callable[[CancelToken], Any],
        priority: int,
        pool: Pool,
        token: CancelToken,
        on_results: Callable[[int, list[Any]], None] | None = None,
        on_finished: Callable[[int, bool], None] | None = None,
    ) -> Job | None:
        """Start ``work`` on ``pool``; it is registered *before* it starts, so nothing it
        reports is missed (a synchronous pool runs it inside ``start``). None once closed."""
        if self.closed:
            return None
        job = Job(work, token, self.signals)
        self.running[job.job_id] = RunningJob(kind, on_results, on_finished, job.claim)
        pool.start(job, priority)
        return job

    def route_results(
        self, job_id: int, batch: list[Any], default: Callable[[list[Any]], None]
    ) -> None:
        """Hand ``batch`` to its job's ``on_results`` when it has one, else to ``default``."""
        running = self.running.get(job_id)
        if running is not None and running.on_results is not None:
            running.on_results(job_id, batch)
            return
        default(batch)

    def route_finished(self, job_id: int, cancelled: bool, then: Callable[[], None]) -> None:
        """Take the job off the list, run ``then`` (which sees it gone), then its
        ``on_finished``."""
        running = self.running.pop(job_id, None)
        then()
        if running is not None and running.on_finished is not None:
            running.on_finished(job_id, cancelled)

    def any_running(self, kinds: Collection[str]) -> bool:
        """True while a job of one of ``kinds`` is queued or running."""
        return any(r.kind in kinds for r in self.running.values())

    def drop_queued(self, kinds: Collection[str] | None, *, report: bool = True) -> int:
        """Drop the jobs of ``kinds`` (None: every kind) that no pool thread has started:
        they leave the table and will never run. With ``report``, each one's ``on_finished``
        is then called once, with cancelled=True (as for a job cancelled before it ran).
        Returns how many were dropped."""
        dropped = [
            (job_id, running)
            for job_id, running in self.running.items()
            if (kinds is None or running.kind in kinds)
            and running.claim is not None
            and running.claim.drop()
        ]
        for job_id, _ in dropped:  # all off the table before any callback runs
            del self.running[job_id]
        if report:
            for job_id, running in dropped:
                if running.on_finished is not None:
                    running.on_finished(job_id, True)
        return len(dropped)

    def mark_cancelled(self, kinds: Collection[str]) -> None:
        """Jobs of ``kinds`` count as "cancelled" from now on (until their ``finished``)."""
        for running in self.running.values():
            if running.kind in kinds:
                running.kind = "cancelled"

    def shutdown(
        self,
        pools: tuple[Pool, ...],
        cancel: CancelToken,
        processes: AuditProcesses | None,
        timeout_ms: int,
    ) -> None:
        """Start nothing more, cancel ``cancel``, drop the queued jobs (unreported: the
        window is closing) and empty the queues of ``pools``, stop ``processes``, then wait
        (bounded) for the running jobs; if one outlives the wait, the signals it emits into
        are kept alive."""
        self.closed = True  # before anything else: e.g. a late thumbnail request
        cancel.cancel()
        self.drop_queued(None, report=False)
        for pool in pools:
            pool.clear()
        if processes is not None:
            processes.shutdown(timeout_ms)
        for pool in pools:
            pool.waitForDone(timeout_ms)
        if any(pool.activeThreadCount() for pool in pools):
            self._keep_signals_alive()

    def _keep_signals_alive(self) -> None:
        """A job outlived the bounded wait: the object it emits into must outlive it too.

        The signals leave the session (whose deletion with the window would take them while
        the job still emits) for a module-level list: a small leak, only when a close timed
        out. Once the session is gone, Qt drops whatever they still send.
        """
        signals = self.signals
        if shiboken6.isValid(signals) and signals.parent() is not None:
            signals.setParent(None)
            _OUTLIVED.append(signals)
