"""Export: cleaned, verified copies via :func:`veil.core.export.export_clean`, one at a time.

Runs on the session's 1-thread export pool with its own cancel token, so cancelling an
export never stops the audit (and the other way round). Per-file redactions are the boxes
the user accepted on the preview. The tasks, the summary and the worker loop are in
:mod:`veil.gui.export_tasks`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from veil.core.cancel import CancelToken
from veil.core.model import ExportOptions, ExportResult, ExportStatus, FileReport, FindingKind
from veil.gui.export_tasks import (
    BESIDE_SUFFIX,
    ExportSummary,
    ExportTask,
    export_available,
    run_tasks,
)
from veil.gui.models.export_plan import PlanRow, plan_row
from veil.gui.models.export_results import ExportResultsModel, is_verified
from veil.gui.redactions import accepted_regions
from veil.gui.session import AuditSession
from veil.gui.states import RowState

PRIO_EXPORT = 0


class ExportController(QObject):
    """Plans, runs and cancels exports; fills :class:`ExportResultsModel`."""

    started = Signal(int)  # files to export
    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # ExportSummary

    def __init__(self, session: AuditSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.results = ExportResultsModel(self)
        self.token = CancelToken()
        self._total = 0
        self._running = False
        #: Rows of the last plan left out because they are not readable photos.
        self.left_out = 0
        #: Core's skip reason per row key, with the report it was asked for (asked again
        #: when the row's report changes: the file may have been replaced).
        self._skips: dict[str, tuple[FileReport, str | None]] = {}

    @property
    def running(self) -> bool:
        """True while an export runs."""
        return self._running

    def plan(
        self,
        keys: list[str],
        out_dir: Path | None,
        options: ExportOptions,
        cover: bool,
        *,
        beside: bool = False,
        record: bool = True,
    ) -> tuple[tuple[ExportTask, ...], str | None]:
        """Tasks for ``keys``, or a plain reason why the export cannot start.

        ``beside``: save each copy in its photo's own folder as ``name.clean.ext``
        (``out_dir`` is then ignored); the original is never replaced. ``record``: remember
        how many rows were left out, for the summary (not for a one-photo preview).
        """
        listed = [r for k in keys if (r := self.session.model.row_for_key(k)) is not None]
        rows = [r for r in listed if r.report is not None and r.report.ok]
        if record:
            self.left_out = len(listed) - len(rows)
        if not rows:
            return (), "There are no checked photos to export."
        if beside:
            options = dataclasses.replace(options, name_suffix=BESIDE_SUFFIX)
        elif out_dir is None:
            return (), "Choose a folder for the cleaned copies."
        elif any(r.path.resolve().parent == out_dir.resolve() for r in rows):
            return (), "Choose another folder: the originals are in this one."
        unchecked = [r for r in rows if not r.full_report]
        if cover and unchecked:
            if any(r.state is RowState.CANCELLED for r in unchecked):
                return (), (
                    f"{len(unchecked)} photos were not checked for faces (cancelled). Add them"
                    " again to check them, or untick “Cover…” to export without covering."
                )
            return (), "Some photos are still being checked for faces. Export when it finishes."
        tasks = []
        for i, row in enumerate(rows, start=1):
            boxes = self.session.redactions.get(row.key, ()) if cover else ()
            opts = dataclasses.replace(options, redactions=accepted_regions(boxes))
            if beside:
                task = ExportTask(row.key, row.path, Path(), opts, i, row.path.parent)
            else:
                assert out_dir is not None
                task = ExportTask(row.key, row.path, row.relative_dir, opts, i, out_dir)
            tasks.append(task)
        return tuple(tasks), None

    def plans(self, tasks: tuple[ExportTask, ...]) -> list[PlanRow]:
        """What each task will remove, keep and cover (from its audit report)."""
        out = []
        for task in tasks:
            row = self.session.model.row_for_key(task.key)
            if row is not None and row.report is not None:
                skip = self._skip(task.key, task.source, row.report)
                out.append(plan_row(task.key, task.source, row.report, task.options, skip))
        return out

    def _skip(self, key: str, source: Path, report: FileReport) -> str | None:
        """Why the export will skip ``source`` (core's own rule, never a copy of it here)."""
        known = self._skips.get(key)
        if known is not None and known[0] is report:
            return known[1]
        from veil.core.export.refusal import planned_skip  # only with the export (see above)

        try:  # a raw file, or too large to clean (from the audit's size, as the export decides)
            reason = planned_skip(source, report)
        except OSError:  # unreadable now: the export will say so; nothing is promised
            reason = None
        self._skips[key] = (report, reason)
        return reason

    def plan_one(self, key: str, options: ExportOptions, cover: bool) -> PlanRow | None:
        """What exporting the photo ``key`` would do (the plan the export table shows), or
        None when it cannot be exported. While its faces are still being checked it is
        planned without covers rather than not at all."""
        if not export_available():
            return None
        tasks, problem = self.plan([key], None, options, cover, beside=True, record=False)
        if problem and cover:
            tasks, _ = self.plan([key], None, options, False, beside=True, record=False)
        plans = self.plans(tasks)
        return plans[0] if plans else None

    def revealing_names(self, tasks: tuple[ExportTask, ...]) -> int:
        """How many of ``tasks`` have a file name the audit flagged (e.g. a date or a name)."""
        count = 0
        for task in tasks:
            row = self.session.model.row_for_key(task.key)
            if row is not None and row.report is not None:
                count += any(f.kind is FindingKind.FILENAME for f in row.report.findings)
        return count

    def start(self, tasks: tuple[ExportTask, ...], skipped: tuple[ExportResult, ...] = ()) -> None:
        """Run ``tasks`` on the export pool; ``skipped`` (the user chose not to export them)
        are shown as results straight away."""
        if self._running or not (tasks or skipped):
            return
        self.token = CancelToken()
        self.results.set_plan(self.plans(tasks))
        self.results.append(list(skipped))
        self._total = len(tasks) + len(skipped)
        self._running = True
        for task in tasks:
            row = self.session.model.row_for_key(task.key)
            if row is not None:
                row.state = RowState.EXPORTING
        self.session.model.rows_changed(t.key for t in tasks)
        self.started.emit(self._total)
        self.session.start_job(
            "export",
            lambda cancel: run_tasks(tasks, cancel),
            PRIO_EXPORT,
            pool=self.session.export_pool,
            token=self.token,
            on_results=self._on_results,
            on_finished=self._on_finished,
        )

    def cancel(self) -> None:
        """Stop after the current file (core removes a half-written file itself)."""
        self.token.cancel()

    def _on_results(self, _job_id: int, batch: list[tuple[str, ExportResult]]) -> None:
        model = self.session.model
        for key, result in batch:
            row = model.row_for_key(key)
            if row is not None:
                row.export = result
                row.state = RowState.EXPORTED if is_verified(result) else RowState.EXPORT_FAILED
        model.rows_changed(key for key, _ in batch)
        self.results.append([r for _, r in batch])
        self.progressed.emit(len(self.results.results), self._total)

    def _on_finished(self, _job_id: int, cancelled: bool) -> None:
        self._running = False
        done_keys = set()
        for row in self.session.model.rows:
            if row.state is RowState.EXPORTING:  # never reached: back to its audit state
                row.state = RowState.DONE
                done_keys.add(row.key)
        self.session.model.rows_changed(done_keys)
        self.results.resort()  # failures first, now that all are in
        results = self.results.results
        verified = sum(1 for r in results if is_verified(r))
        skipped = sum(1 for r in results if r.status is ExportStatus.SKIPPED)
        failed = len(results) - verified - skipped
        self.finished.emit(ExportSummary(self._total, verified, failed, cancelled, skipped))
