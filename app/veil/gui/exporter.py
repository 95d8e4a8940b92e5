"""Export: cleaned, verified copies via :func:`veil.core.export.export_clean`, one at a time.

Runs on the session's 1-thread export pool with its own cancel token, so cancelling an
export never stops the audit (and the other way round). Per-file redactions are the boxes
the user accepted on the preview.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from veil.core.cancel import CancelToken
from veil.core.errors import Cancelled
from veil.core.model import ExportOptions, ExportResult, ExportStatus, FindingKind
from veil.gui.models.export_plan import PlanRow, plan_row
from veil.gui.models.export_results import ExportResultsModel, is_verified
from veil.gui.redactions import accepted_regions
from veil.gui.session import AuditSession
from veil.gui.states import RowState

PRIO_EXPORT = 0
#: Added to a copy's name when it is saved next to its original (photo.clean.jpg).
BESIDE_SUFFIX = ".clean"


def export_available() -> bool:
    """True when the core export engine is present in this build."""
    try:
        from veil.core.export import export_clean  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class ExportTask:
    """One file to export, with its own options (redactions), neutral-name index and
    destination root (the chosen folder, or the photo's own folder with a name suffix)."""

    key: str
    source: Path
    relative_dir: Path
    options: ExportOptions
    index: int
    out_dir: Path


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """How an export run ended."""

    total: int
    verified: int
    failed: int
    cancelled: bool
    skipped: int = 0

    def text(self, left_out: int = 0) -> str:
        """One line: "990 verified clean · 3 skipped · 5 failed" (and what was left out)."""
        parts = [f"{self.verified} verified clean"]
        if left_out:
            noun = "file" if left_out == 1 else "files"
            parts.append(f"{left_out} {noun} left out (not a readable photo)")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.cancelled:
            done = self.verified + self.failed + self.skipped
            parts.append(f"cancelled ({self.total - done} not saved)")
        return " · ".join(parts)


#: The reason shown for a HEIC the user chose not to convert.
SKIPPED_HEIC = "not converted: you chose to skip HEIC photos that need converting to JPEG"


def apply_conversion(
    tasks: tuple[ExportTask, ...], convert: set[str], choice: str | None
) -> tuple[tuple[ExportTask, ...], tuple[ExportResult, ...]] | None:
    """The tasks to run and the results of those skipped, after the user's answer about the
    ``convert`` keys: "convert" (allow HEIC -> JPEG for them), "skip" (leave them out, each
    reported as skipped) or None (cancel the export: None)."""
    if choice == "convert":
        allow = [
            dataclasses.replace(t, options=dataclasses.replace(t.options, heic_to_jpeg=True))
            if t.key in convert
            else t
            for t in tasks
        ]
        return tuple(allow), ()
    if choice == "skip":
        skipped = tuple(
            ExportResult(t.source, None, ExportStatus.SKIPPED, error=SKIPPED_HEIC)
            for t in tasks
            if t.key in convert
        )
        return tuple(t for t in tasks if t.key not in convert), skipped
    return None


def run_tasks(
    tasks: tuple[ExportTask, ...], cancel: CancelToken
) -> Iterator[tuple[str, ExportResult]]:
    """Export each task in turn (worker thread); a crash on one file fails that file only.

    First, once per destination folder, the temp files that killed exports left there are
    deleted, as ``veil clean`` does (one still being written, its lock held, is kept).
    """
    from veil.core.export import export_clean
    from veil.core.export.commit import remove_stale_parts

    for folder in dict.fromkeys(t.out_dir / t.relative_dir for t in tasks):
        cancel.raise_if_cancelled()
        remove_stale_parts(folder)
    for task in tasks:
        cancel.raise_if_cancelled()
        try:
            result = export_clean(
                task.source,
                task.out_dir,
                task.options,
                cancel=cancel,
                index=task.index,
                relative_dir=task.relative_dir,
            )
        except Cancelled:
            raise
        except Exception as exc:  # one bad file must not end the batch
            result = ExportResult(task.source, None, ExportStatus.FAILED, error=str(exc))
        yield task.key, result


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
                out.append(plan_row(task.key, task.source, row.report, task.options))
        return out

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
