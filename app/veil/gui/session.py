"""``AuditSession``: owns the pools, the cancel token and the models; starts every job.

Flow: ``add_paths`` expands paths in a job (de-duplicated by resolved path) -> a fast
metadata-only audit per file (high priority) -> the full audit with pixel checks (low
priority) replaces it. Results from workers are buffered and applied to the model by a
timer every ``FLUSH_MS``, so the GUI thread does a little work often, never a lot at once.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer, Signal

from veil.core.cancel import CancelToken
from veil.core.model import FileReport
from veil.core.scan import Skipped
from veil.gui import list_edits
from veil.gui.imaging import Picture
from veil.gui.jobs import (
    AuditResult,
    PreviewPicture,
    ScanItem,
    audit_chunk,
    default_pool,
    scan_items,
    warm_up,
)
from veil.gui.list_edits import Removed
from veil.gui.models.file_table import FileRow, FileTableModel
from veil.gui.pictures import Pictures
from veil.gui.procs.pool import AuditProcesses
from veil.gui.redactions import OverlayBox, boxes_from_report
from veil.gui.states import RowState
from veil.gui.workers import Job, JobSignals, Pool, RunningJob

FLUSH_MS = 60
#: Job signals of sessions closed while a job still ran (see AuditSession.shutdown).
_OUTLIVED: list[JobSignals] = []
#: Most worker results applied per flush: bounds the GUI thread's work per tick (~30 ms).
FLUSH_MAX_ITEMS = 50
METADATA_CHUNK = 16  # files per metadata-only job: small, so the first rows show fast
PIXEL_CHUNK = 4  # files per pixel job: small, so Cancel and previews are not held up
PRIO_PREVIEW, PRIO_METADATA, PRIO_THUMB, PRIO_PIXELS, PRIO_SCAN = 4, 3, 2, 1, 5


class AuditSession(QObject):
    """The window's engine room. Everything here runs on the GUI thread except job bodies."""

    ready = Signal()  # the engine's modules are loaded (first results will come fast)
    rows_added = Signal(int)
    reports_updated = Signal(list)  # keys whose report changed
    audits_finished = Signal()  # nothing left to scan or audit
    picture_ready = Signal(object)  # Picture for the preview
    redactions_changed = Signal(str)  # key
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
        self._jobs: dict[int, RunningJob] = {}
        self._pending: list[Any] = []
        self._busy = False
        # Every job reports through this one object, the session's Qt child: a job never
        # owns a QObject (one would die with its job on the pool thread, where Qt may still
        # be delivering its queued signals on the GUI thread: a crash).
        self._shared_signals = JobSignals(self)
        self._shared_signals.results.connect(self._on_results)
        self._shared_signals.finished.connect(self._on_finished)
        self._shared_signals.failed.connect(self._on_failed)
        self._flush = QTimer(self)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self.flush)
        self.is_ready = False
        self._flushing = False
        self._warm_thread = False
        self._closed = False
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
        if self._closed:  # e.g. a thumbnail that the window's last paint asked for
            return None
        job = Job(work, token or self.cancel_token, self._shared_signals)
        self._jobs[job.job_id] = RunningJob(kind, on_results, on_finished)
        if kind in ("scan", "metadata", "pixels"):
            self._busy = True
        (pool or self.analysis_pool).start(job, priority)
        return job

    def _on_results(self, job_id: int, batch: list[Any]) -> None:
        running = self._jobs.get(job_id)
        if running is not None and running.on_results is not None:
            running.on_results(job_id, batch)
            return
        for item in batch:
            if isinstance(item, PreviewPicture):  # skips the queue: it is what you look at
                if item.picture.key == self.pictures.preview_key:
                    self.picture_ready.emit(item.picture)
            else:
                self._pending.append(item)
        self._schedule_flush()

    def _on_finished(self, job_id: int, cancelled: bool) -> None:
        running = self._jobs.pop(job_id, None)
        self._schedule_flush()
        if running is not None and running.on_finished is not None:
            running.on_finished(job_id, cancelled)

    def _schedule_flush(self) -> None:
        """Apply at once after a quiet spell (first results show fast), then every FLUSH_MS."""
        if not self._flush.isActive():
            self._flush.start()
            if not self._flushing:
                self.flush()

    def _on_failed(self, _job_id: int, reason: str) -> None:
        self.job_failed.emit(reason)

    @property
    def scanning(self) -> bool:
        """True while a folder walk is still finding files."""
        return any(r.kind == "scan" for r in self._jobs.values())

    @property
    def auditing(self) -> bool:
        """True while a scan or audit job is queued or running."""
        if self.procs is not None and self.procs.busy:
            return True
        return any(r.kind in ("scan", "metadata", "pixels") for r in self._jobs.values())

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

    def _audit(self, rows: list[FileRow], *, full: bool) -> None:
        size = PIXEL_CHUNK if full else METADATA_CHUNK
        gen = self.generation
        for i in range(0, len(rows), size):
            chunk = [(r.key, r.path) for r in rows[i : i + size]]
            if self.procs is not None:
                self._busy = True
                self.procs.submit(chunk, full, gen, PRIO_PIXELS if full else PRIO_METADATA)
                continue
            self.start_job(
                "pixels" if full else "metadata",
                functools.partial(audit_chunk, chunk, full, gen),
                PRIO_PIXELS if full else PRIO_METADATA,
            )

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
        new_rows: list[FileRow] = []
        recheck: list[FileRow] = []
        changed: list[str] = []
        pixel_next: list[FileRow] = []
        for item in pending:
            if isinstance(item, ScanItem):
                existing = self.model.row_for_key(item.key)
                if existing is None:
                    new_rows.append(FileRow(item.path, item.key, item.relative_dir))
                elif existing.state is RowState.CANCELLED:
                    existing.state = RowState.QUEUED
                    recheck.append(existing)
            elif isinstance(item, Skipped):
                key = f"skipped:{item.path}"
                new_rows.append(FileRow(item.path, key, state=RowState.ERROR, reason=item.reason))
            elif isinstance(item, AuditResult):
                row = self._apply_audit(item)
                if row is not None:
                    changed.append(row.key)
                    if not item.full and row.state is RowState.CHECKING_PIXELS:
                        pixel_next.append(row)
            elif isinstance(item, Picture):
                self.pictures.apply_thumbnail(item, changed)
        if self.cancel_token.cancelled:  # found by a walk that Cancel stopped: not checked
            for row in new_rows:
                if row.state is RowState.QUEUED:
                    row.state = RowState.CANCELLED
        added = self.model.add_rows(new_rows)
        if added:
            self.rows_added.emit(len(added))
        self._audit([r for r in added if r.state is RowState.QUEUED] + recheck, full=False)
        if pixel_next:
            self._audit(pixel_next, full=True)
        if changed:
            self.model.rows_changed(changed + [r.key for r in recheck])
            self.reports_updated.emit(changed)
            # Reports are acyclic and freed by reference counting; without this, Python's
            # full collections walk every report ever received (a 2,000-photo roll: ~200 ms
            # pauses mid-check). Frozen objects are still freed when their last reference
            # goes; list_edits.release_memory unfreezes before collecting.
            gc.freeze()
        if not self._pending:
            self._flush.stop()
        if self._busy and not self.auditing and not self._pending:
            self._busy = False
            self.audits_finished.emit()

    def _apply_audit(self, result: AuditResult) -> FileRow | None:
        row = self.model.row_for_key(result.key)
        if row is None or (row.full_report and not result.full):
            return None  # removed from the list, or an older (metadata-only) answer
        stale = result.generation != self.generation
        if stale and not result.full:
            return None  # cancelled since: keep the honest "not checked" state
        report = result.report
        row.report = report
        row.full_report = result.full
        if report.status != "ok":
            unsupported = "not a supported image" in (report.error or "").lower()
            row.state = RowState.UNSUPPORTED if unsupported else RowState.ERROR
        elif result.full:
            row.state = RowState.DONE
            # Boxes the user drew while faces were still being looked for are kept.
            drawn = tuple(b for b in self.redactions.get(row.key, ()) if b.finding < 0)
            self.redactions[row.key] = boxes_from_report(report) + drawn
            self.redactions_changed.emit(row.key)
        elif row.state is not RowState.CANCELLED:
            row.state = RowState.CHECKING_PIXELS
        return row

    # Cancel / remove / shutdown ----------------------------------------------------------------
    def cancel_audits(self) -> None:
        """Stop scanning and auditing; unfinished rows say "Not checked (cancelled)"."""
        self.cancel_token.cancel()
        self.analysis_pool.clear()
        self.scan_pool.clear()
        if self.procs is not None:
            self.procs.cancel(self.generation)
        for running in self._jobs.values():
            if running.kind in ("scan", "metadata", "pixels"):
                running.kind = "cancelled"
        changed = []
        for row in self.model.rows:
            if row.thumbnail is None:
                row.thumbnail_requested = False  # queued thumbnail jobs were dropped too
            if row.state in (RowState.QUEUED, RowState.READING, RowState.CHECKING_PIXELS):
                row.state = RowState.CANCELLED
                changed.append(row.key)
        self.model.rows_changed(changed)
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
        self._audit(rows, full=full)

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Cancel everything and wait (bounded) for running jobs, e.g. on window close."""
        self._closed = True
        self.cancel_token.cancel()
        pools = (self.scan_pool, self.analysis_pool, self.export_pool)
        for pool in pools:
            pool.clear()
        if self.procs is not None:
            self.procs.shutdown(timeout_ms)
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
        signals = self._shared_signals
        if shiboken6.isValid(signals) and signals.parent() is not None:
            signals.setParent(None)
            _OUTLIVED.append(signals)

    # Pictures ----------------------------------------------------------------------------------
    def request_picture(self, key: str, max_side: int) -> None:
        """Decode the preview of ``key`` off the GUI thread; ``picture_ready`` delivers it."""
        self.pictures.request_preview(key, max_side)

    # Redactions ------------------------------------------------------------------------------
    def set_redactions(self, key: str, boxes: tuple[OverlayBox, ...]) -> None:
        """The user edited the boxes of ``key`` (accepted, rejected, resized, drawn)."""
        self.redactions[key] = tuple(boxes)
        self.redactions_changed.emit(key)
