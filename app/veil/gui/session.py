"""``AuditSession``: owns the pools, the cancel token and the models; starts every job.

Flow: ``add_paths`` expands paths in a job (de-duplicated by resolved path) -> a fast
metadata-only audit per file (high priority) -> the full audit with pixel checks (low
priority) replaces it. Results from workers are buffered and applied to the model by a
timer every ``FLUSH_MS``, so the GUI thread does a little work often, never a lot at once.

Apart from this module: starting jobs and routing their reports by job id
(:mod:`veil.gui.job_routing`), handing out audits (:mod:`veil.gui.audit_queue`), what
results do to rows (:mod:`veil.gui.row_updates`), thumbnails and previews
(:mod:`veil.gui.pictures`), list edits (:mod:`veil.gui.list_edits`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from veil.core.cancel import CancelToken
from veil.core.model import FileReport
from veil.gui import audit_queue, list_edits, memory, row_updates
from veil.gui.audit_queue import AUDIT_KINDS, PRIO_SCAN
from veil.gui.job_routing import JobRouter
from veil.gui.jobs import AuditResult, PreviewPicture, default_pool, scan_items, warm_up
from veil.gui.list_edits import Removed
from veil.gui.models.file_table import FileRow, FileTableModel
from veil.gui.pictures import Pictures
from veil.gui.procs.pool import AuditProcesses
from veil.gui.redactions import OverlayBox
from veil.gui.states import RowState
from veil.gui.workers import Job, Pool

FLUSH_MS = 60
#: Most worker results applied per flush: bounds the GUI thread's work per tick (~30 ms).
FLUSH_MAX_ITEMS = 50


class AuditSession(QObject):
    """The window's engine room. Everything here runs on the GUI thread except job bodies."""

    ready = Signal()  # the engine's modules are loaded (first results will come fast)
    rows_added = Signal(int)
    reports_updated = Signal(list)  # keys whose report changed, or checks stopped/resumed
    audits_finished = Signal()  # nothing left to scan or audit
    picture_ready = Signal(object)  # Picture for the preview
    redactions_changed = Signal(str)  # key: its boxes changed (found by the checks, or edited)
    #: key: the user edited its boxes (not emitted for the boxes its checks found).
    boxes_edited = Signal(str)
    job_failed = Signal(str)

    def __init__(
        self,
        analysis_pool: Pool | None = None,
        export_pool: Pool | None = None,
        parent: QObject | None = None,
        processes: bool | None = None,
    ) -> None:
        """``processes``: audit in worker processes (default when no ``analysis_pool`` is
        given, i.e. in the app); otherwise audits run as jobs on ``analysis_pool`` (tests
        pass a synchronous pool for deterministic runs)."""
        super().__init__(parent)
        # Leave one core for the window itself.
        self.analysis_pool: Pool = analysis_pool or default_pool(QThread.idealThreadCount() - 1)
        self.export_pool: Pool = export_pool or default_pool(1)
        # Folder walks get their own thread: a 5,000-file walk must not hold up the audits.
        self.scan_pool: Pool = analysis_pool if analysis_pool is not None else default_pool(1)
        self.model = FileTableModel(self)
        self.pictures = Pictures(self)
        self.model.thumbnail_wanted = self.pictures.want_thumbnail
        self.cancel_token = CancelToken()
        self.generation = 0
        self.redactions: dict[str, tuple[OverlayBox, ...]] = {}
        self._pending: list[Any] = []
        self._busy = False
        # Jobs report through the router's one signals object, the session's Qt child.
        # The receivers are the session's own slots (a QObject on the GUI thread: emits are
        # queued to it, and dropped once it is deleted); they hand over to the router.
        self.jobs = JobRouter(self)
        self.jobs.signals.results.connect(self._on_results)
        self.jobs.signals.finished.connect(self._on_finished)
        self.jobs.signals.failed.connect(self._on_failed)
        self._flush = QTimer(self)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self.flush)
        self.is_ready = False
        self._flushing = False
        self._warm_thread = False
        self.procs: AuditProcesses | None = None
        if processes is None:
            # Workers are started with an inherited socket (POSIX); elsewhere, threads.
            processes = analysis_pool is None and os.name == "posix"
        if processes:
            self.procs = AuditProcesses(parent=self)
            self.procs.results.connect(self._on_proc_results)
            self.procs.task_done.connect(lambda _id, _c: self._schedule_flush())
            self.procs.failed.connect(self.job_failed)
            self.procs.ready.connect(self._check_ready)
        # The window's own process loads the engine too (thumbnails, previews, exports).
        self.start_job("warmup", warm_up, PRIO_SCAN + 1, on_finished=self._warmed)

    def _warmed(self, _job_id: int, _cancelled: bool) -> None:
        self._warm_thread = True
        self._check_ready()

    def _check_ready(self) -> None:
        if self.is_ready or not self._warm_thread:
            return
        if self.procs is None or self.procs.is_ready:
            self.is_ready = True
            memory.keep_out_of_collections()  # the engine's modules: now, not mid-check
            self.ready.emit()

    def _on_proc_results(self, batch: list[AuditResult]) -> None:
        self._pending.extend(batch)
        self._schedule_flush()

    # Jobs ---------------------------------------------------------------------------------
    def start_job(
        self,
        kind: str,
        work: Callable[[CancelToken], Any],
        priority: int,
        pool: Pool | None = None,
        token: CancelToken | None = None,
        on_results: Callable[[int, list[Any]], None] | None = None,
        on_finished: Callable[[int, bool], None] | None = None,
    ) -> Job | None:
        """Start ``work`` as a job; it is registered *before* it starts, so nothing is missed.

        Results go to ``on_results`` when given, else into the session's flush buffer;
        ``on_finished`` is called after the session has taken the job off its list. After
        :meth:`shutdown` nothing starts (None): the session may be deleted before it ends.
        """
        if self.jobs.closed:  # e.g. a thumbnail that the window's last paint asked for
            return None
        if kind in AUDIT_KINDS:
            self._busy = True  # before the start: a synchronous pool finishes it inside
        return self.jobs.start(
            kind,
            work,
            priority,
            pool or self.analysis_pool,
            token or self.cancel_token,
            on_results,
            on_finished,
        )

    def _on_results(self, job_id: int, batch: list[Any]) -> None:
        self.jobs.route_results(job_id, batch, self._take_results)

    def _take_results(self, batch: list[Any]) -> None:
        """Results of a job started without ``on_results``: into the flush buffer."""
        for item in batch:
            if isinstance(item, PreviewPicture):  # skips the queue: it is what you look at
                if item.picture.key == self.pictures.preview_key:
                    self.picture_ready.emit(item.picture)
            else:
                self._pending.append(item)
        self._schedule_flush()

    def _on_finished(self, job_id: int, cancelled: bool) -> None:
        # The flush runs once the job is off the list: it may be the last one auditing.
        self.jobs.route_finished(job_id, cancelled, self._schedule_flush)

    def _schedule_flush(self) -> None:
        """Apply at once after a quiet spell (first results show fast), then every FLUSH_MS."""
        if not self._flush.isActive():
            self._flush.start()
            if not self._flushing:
                self.flush()

    def _on_failed(self, _job_id: int, reason: str) -> None:
        self.job_failed.emit(reason)

    @property
    def flushed(self) -> bool:
        """True when no worker result waits to be applied to the rows."""
        return not self._pending

    @property
    def scanning(self) -> bool:
        """True while a folder walk is still finding files."""
        return self.jobs.any_running(("scan",))

    @property
    def auditing(self) -> bool:
        """True while a scan or audit job is queued or running."""
        if self.procs is not None and self.procs.busy:
            return True
        return self.jobs.any_running(AUDIT_KINDS)

    # Adding files ---------------------------------------------------------------------------
    def add_paths(self, paths: Iterable[Path]) -> None:
        """Expand and audit ``paths`` (files and folders) in the background."""
        roots = [Path(p) for p in paths]
        if not roots:
            return
        self.new_generation()  # after a Cancel, new work gets a fresh token
        self.start_job(
            "scan", lambda cancel: scan_items(roots, cancel), PRIO_SCAN, pool=self.scan_pool
        )

    def show_report(self, path: Path, report: FileReport) -> None:
        """Add (or update) a row with a finished report, as if audited (tests, benchmarks)."""
        key = str(Path(path).resolve())
        self.model.add_rows([FileRow(Path(path), key, state=RowState.READING)])
        self._pending.append(AuditResult(key, True, self.generation, report))
        self.flush()
        self.rows_added.emit(0)

    def mark_busy(self) -> None:
        """Audits were handed out: ``audits_finished`` follows once all are done."""
        self._busy = True

    # Applying results (GUI thread, timer) ----------------------------------------------------
    def flush(self) -> None:
        """Apply buffered worker results to the model in one go."""
        self._flushing = True
        try:
            self._apply(self._pending[:FLUSH_MAX_ITEMS])
        finally:
            self._flushing = False

    def _apply(self, pending: list[Any]) -> None:
        del self._pending[: len(pending)]
        updates = row_updates.apply_results(self, pending)
        recheck, changed = updates.recheck, updates.changed
        added = self.model.add_rows(updates.new_rows)
        if added:
            self.rows_added.emit(len(added))
        self.audit_rows([r for r in added if r.state is RowState.QUEUED] + recheck, full=False)
        if updates.pixel_next:
            self.audit_rows(updates.pixel_next, full=True)
        if changed:
            self.model.rows_changed(changed + [r.key for r in recheck])
            self.reports_updated.emit(changed)
            memory.keep_out_of_collections()  # reports: full collections skip them
        if not self._pending:
            self._flush.stop()
        if self._busy and not self.auditing and not self._pending:
            self._busy = False
            self.audits_finished.emit()

    # Cancel / remove / shutdown ----------------------------------------------------------------
    def cancel_audits(self) -> None:
        """Stop scanning and auditing; unfinished rows say "Not checked (cancelled)"."""
        self.cancel_token.cancel()
        # Queued scans and audits leave the job table now and never run (clearing the
        # pools instead would also drop queued thumbnails and previews, which survive a
        # Cancel, and leave every cleared job listed as running). Running ones stop at
        # their next item and no longer count (mark_cancelled).
        self.jobs.drop_queued(AUDIT_KINDS)
        if self.procs is not None:
            self.procs.cancel(self.generation)
        self.jobs.mark_cancelled(AUDIT_KINDS)
        row_updates.cancel_rows(self)
        self._busy = False
        self.audits_finished.emit()

    def check_rest(self) -> int:
        """Resume after Cancel (see :func:`list_edits.check_rest`)."""
        return list_edits.check_rest(self)

    def remove(self, keys: Iterable[str]) -> Removed:
        """Take rows off the list, for one Undo (see :func:`list_edits.remove`)."""
        return list_edits.remove(self, keys)

    def restore(self, removed: Removed) -> int:
        """Undo a removal (see :func:`list_edits.restore`)."""
        return list_edits.restore(self, removed)

    def new_generation(self) -> None:
        """After a Cancel, new work gets a fresh token and a new generation."""
        if self.cancel_token.cancelled:
            self.cancel_token = CancelToken()
            self.generation += 1

    def audit_rows(self, rows: list[FileRow], *, full: bool) -> None:
        """Queue audits of ``rows`` (metadata only unless ``full``)."""
        audit_queue.queue_audits(self, rows, full=full)

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Cancel everything and wait (bounded) for running jobs, e.g. on window close."""
        # From now on nothing starts: the session may be deleted (with its window) soon.
        pools = (self.scan_pool, self.analysis_pool, self.export_pool)
        self.jobs.shutdown(pools, self.cancel_token, self.procs, timeout_ms)

    # Pictures ----------------------------------------------------------------------------------
    def request_picture(self, key: str, max_side: int) -> None:
        """Decode the preview of ``key`` off the GUI thread; ``picture_ready`` delivers it."""
        self.pictures.request_preview(key, max_side)

    # Redactions ------------------------------------------------------------------------------
    def set_redactions(self, key: str, boxes: tuple[OverlayBox, ...]) -> None:
        """The user edited the boxes of ``key`` (accepted, rejected, resized, drawn)."""
        self.redactions[key] = tuple(boxes)
        self.redactions_changed.emit(key)
        self.boxes_edited.emit(key)
