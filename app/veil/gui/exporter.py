"""Export: cleaned, verified copies via :func:`veil.core.export.export_clean`, one at a time.

What an export will do is planned first, off the GUI thread (:mod:`veil.gui.planner`).

Runs on the session's 1-thread export pool with its own cancel token, so cancelling an
export never stops the audit (and the other way round). Per-file redactions are the boxes
the user accepted on the preview. The tasks, the summary and the worker loop are in
:mod:`veil.gui.export_tasks`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from veil.core.cancel import CancelToken
from veil.core.model import ExportOptions, ExportResult, ExportStatus, Region
from veil.gui.export_plans import ExportPlan
from veil.gui.export_tasks import ExportSummary, ExportTask, export_available, run_tasks
from veil.gui.models.export_plan import PlanRow, rechecked, shows_face
from veil.gui.models.export_results import ExportResultsModel
from veil.gui.models.export_row import is_verified
from veil.gui.models.export_wording import copy_caution
from veil.gui.planner import ExportPlanner
from veil.gui.session import AuditSession
from veil.gui.states import PENDING_STATES, RowState

PRIO_EXPORT = 0


class ExportController(QObject):
    """Plans, runs and cancels exports; fills :class:`ExportResultsModel`."""

    started = Signal(int)  # files to export
    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # ExportSummary
    #: The finished export's summary counted again: faces and marks of its photos were
    #: checked after the copies were planned (see :meth:`_checks_landed`).
    recounted = Signal(object)  # ExportSummary

    def __init__(self, session: AuditSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.results = ExportResultsModel(self)
        self.token = CancelToken()
        self._total = 0
        self._running = False
        #: Per photo of the last export: its plan and the areas its copy covers, to say
        #: what the copy shows once its faces and marks are checked (:meth:`_checks_landed`).
        self._copies: dict[str, tuple[PlanRow, tuple[Region, ...]]] = {}
        self._cancelled = False  # how the last export ended, for its summary
        #: Rows of the last plan left out because they are not readable photos.
        self.left_out = 0
        #: Plans exports off the GUI thread (and, for one photo or a test, on it).
        self.planner = ExportPlanner(session, self)
        session.reports_updated.connect(self._checks_landed)

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
        """Tasks for ``keys``, or a plain reason why the export cannot start, planned on the
        calling thread (the pane plans off it, through :attr:`planner`).

        ``beside``: save each copy in its photo's own folder as ``name.clean.ext``
        (``out_dir`` is then ignored); the original is never replaced. ``record``: remember
        how many rows were left out, for the summary (not for a one-photo preview).
        """
        choices = self.planner.choices("all", keys, out_dir, options, cover, beside)
        plan = self.planner.plan_now(choices)
        if record:
            self.left_out = plan.left_out
        return plan.tasks, plan.problem

    def plan_one(
        self,
        key: str,
        options: ExportOptions,
        cover: bool,
        deliver: Callable[[PlanRow | None], None],
    ) -> tuple[bool, PlanRow | None]:
        """What exporting the photo ``key`` would do (the plan the export table shows; None:
        it cannot be exported), as ``(True, row)`` when made at once; ``(False, None)`` when
        the plan must read the file: it is made off the GUI thread and handed to ``deliver``
        (:meth:`ExportPlanner.plan_one`). While its faces are still being checked it is
        planned without covers rather than not at all."""
        if not export_available():
            return True, None
        choices = self.planner.choices("one", [key], None, options, cover, True)

        def landed(plan: ExportPlan | None) -> None:
            deliver(plan.rows[0] if plan is not None and plan.rows else None)

        plan = self.planner.plan_one(choices, landed)
        if plan is None:
            return False, None
        return True, plan.rows[0] if plan.rows else None

    def start(
        self,
        tasks: tuple[ExportTask, ...],
        skipped: tuple[ExportResult, ...] = (),
        rows: tuple[PlanRow, ...] = (),
        left_out: int = 0,
    ) -> None:
        """Run ``tasks`` on the export pool; ``skipped`` (the user chose not to export them)
        are shown as results straight away. ``rows``: the plan of ``tasks`` (the table
        shows it until each result lands); ``left_out``: listed rows that are not readable
        photos, for the summary."""
        if self._running or not (tasks or skipped):
            return
        self.token = CancelToken()
        self.left_out = left_out
        self.results.set_plan(list(rows))
        # What each copy will still show (faces, marks left uncovered), or was not checked
        # for: its file list row says so once saved, instead of "Clean copy saved".
        regions = {t.key: t.options.redactions for t in tasks}
        self._copies = {r.key: (r, regions.get(r.key, ())) for r in rows}
        self.results.append(list(skipped))
        self._total = len(tasks) + len(skipped)
        self._running = True
        for task in tasks:
            row = self.session.model.row_for_key(task.key)
            if row is not None:
                row.show_export(RowState.EXPORTING)
        self.session.model.rows_changed((t.key for t in tasks), status_only=True)
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
                verified = is_verified(result)
                row.export = result
                made = self._copies.get(key)
                row.caution = copy_caution(made[0] if verified and made else None)
                row.show_export(
                    RowState.EXPORTED
                    if verified
                    else RowState.EXPORT_SKIPPED
                    if result.status is ExportStatus.SKIPPED
                    else RowState.EXPORT_FAILED
                )
        model.rows_changed((key for key, _ in batch), status_only=True)
        self.results.append([r for _, r in batch])
        self.progressed.emit(len(self.results.results), self._total)

    def _on_finished(self, _job_id: int, cancelled: bool) -> None:
        self._running = False
        self._cancelled = cancelled
        done_keys = set()
        for row in self.session.model.rows:
            if row.state is RowState.EXPORTING:  # never reached: back to its audit state
                row.resume_checks(row.checks_state or RowState.DONE)
                done_keys.add(row.key)
        self.session.model.rows_changed(done_keys, status_only=True)
        self.results.resort()  # failures first, now that all are in
        self.finished.emit(self._summary())

    def _summary(self) -> ExportSummary:
        """The last export counted from its results and their plans."""
        results = self.results.results
        verified = sum(1 for r in results if is_verified(r))
        skipped = sum(1 for r in results if r.status is ExportStatus.SKIPPED)
        failed = len(results) - verified - skipped
        unchanged = sum(1 for r in results if is_verified(r) and r.unchanged)
        plans = [e.plan for e in self.results.entries() if e.result and is_verified(e.result)]
        shows = sum(1 for p in plans if p and p.uncovered)
        # Counted once: a copy that shows a face is counted as showing it, checked or not.
        unchecked = sum(1 for p in plans if p and p.unchecked and not p.uncovered)
        covered = sum(1 for p in plans if p and p.covers)  # black boxes in the picture
        marks_only = sum(1 for p in plans if p and p.uncovered and not shows_face(p))
        return ExportSummary(self._total, verified, failed, self._cancelled, skipped,
                             unchanged, shows, unchecked, covered, marks_only)

    def _checks_landed(self, keys: list[str]) -> None:
        """Faces and marks were checked for photos of the last export whose copies were
        planned without them (an export started while they ran, "Cover" unticked; "Check
        the rest" after Cancel): what each copy shows is known now. Its plan, its file list
        Status and the summary say so; "not checked" stayed after the checks had run (and
        "Saved — not checked" on a copy now known to show a face, or to show none)."""
        model, changed = self.session.model, []
        for key in keys:
            made, row = self._copies.get(key), model.row_for_key(key)
            if made is None or not made[0].unchecked or row is None or row.report is None:
                continue  # nothing was unknown about this copy (or it left the list)
            pending = row.audit_state in PENDING_STATES  # or Cancel stopped them
            plan = rechecked(made[0], row.report, made[1], checking=pending)
            if plan == made[0]:
                continue
            self._copies[key] = (plan, made[1])
            self.results.replan(made[0], plan)
            if row.state is RowState.EXPORTED and row.export and is_verified(row.export):
                row.caution = copy_caution(plan)
                changed.append(key)
        if changed:
            model.rows_changed(changed, status_only=True)
            if not self._running:
                self.recounted.emit(self._summary())
