"""Save cleaned copies: destination, options, a plan before writing, Export, results.

Before anything is written the table shows, per photo, what the copy will remove and keep
and how much of it will be covered; the line above it counts the copies with more than a
third covered (with a button to look at them) and the HEIC photos that need converting.
Starting an export asks at most two questions, once each: convert or skip those HEIC
photos, and look at (or accept) the large covers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from veil.core.formats.rawsig import RAW_REFUSAL
from veil.core.model import ExportOptions, ExportResult
from veil.gui import dialogs
from veil.gui.export_tasks import ExportSummary, ExportTask, apply_conversion, export_available
from veil.gui.exporter import ExportController
from veil.gui.models.export_plan import PlanRow
from veil.gui.text import safe_text
from veil.gui.widgets import export_pane_layout, export_questions


def plan_counts(plans: list[PlanRow], button: str = "Export all") -> list[str]:
    """What ``button`` can promise: the photos the export will try ("ready to export", never
    "will be clean": a picture may still fail to decode) and those core says it will skip."""
    skipped = [p.skip for p in plans if p.skip]
    ready = len(plans) - len(skipped)
    parts = [f"{button}: {ready:,} {'photo' if ready == 1 else 'photos'} ready to export"]
    raws = sum(reason.startswith(RAW_REFUSAL) for reason in skipped)
    if raws:
        noun = "raw file" if raws == 1 else "raw files"
        parts.append(f"{raws} {noun} will be skipped (Veil doesn't rewrite raw files)")
    if len(skipped) > raws:
        other = len(skipped) - raws
        parts.append(f"{other} {'file' if other == 1 else 'files'} will be skipped (see Result)")
    return parts


class ExportPane(QWidget):
    """The export pane. ``keys_for(scope)`` gives the rows to export ("selected" / "all")."""

    message = Signal(str)
    #: Keys of photos the user wants to look at before exporting (large covers).
    look_requested = Signal(list)

    def __init__(
        self,
        controller: ExportController,
        keys_for: Callable[[str], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._keys_for = keys_for
        self.destination: Path | None = None
        self._name_note = ""
        self._large_keys: list[str] = []
        #: What the plan shown describes ("all" or "selected"; "" before the first plan).
        self._planned_scope = ""
        #: True while the table shows the last export's results (kept until the user
        #: changes an option, a box or the list; not wiped by switching tabs).
        self._showing_results = False
        #: Dialogs, replaced in tests (they block).
        self.ask_folder: Callable[[], Path | None] = self._ask_folder
        self.ask_convert: Callable[[int], str | None] = lambda n: export_questions.ask_convert(
            self, n
        )
        self.ask_large: Callable[[int], str | None] = lambda n: export_questions.ask_large_covers(
            self, n
        )
        self._build()
        session = controller.session
        self._replan = QTimer(self)
        self._replan.setSingleShot(True)
        self._replan.setInterval(300)
        self._replan.timeout.connect(self.refresh_plan)
        session.reports_updated.connect(lambda _k: self._plan_later(keep_results=True))
        session.redactions_changed.connect(lambda _k: self._plan_later())
        session.model.rowsRemoved.connect(lambda *_: self._plan_later())
        controller.started.connect(self._on_started)
        controller.progressed.connect(self._on_progress)
        controller.finished.connect(self._on_finished)
        self._set_running(False)
        if not export_available():
            for w in (self.export_all, self.export_selected):
                w.setEnabled(False)
            self._say("Saving cleaned copies is not available in this build.")

    def _build(self) -> None:
        export_pane_layout.build(self)

    def _say(self, text: str) -> None:
        """The summary line; hidden while empty so it takes no room at 700 px high."""
        self.summary.setText(text)
        self.summary.setVisible(bool(text))

    def options(self) -> ExportOptions:
        """The options as set in the pane (per-file redactions are added later)."""
        return self.form.options()

    def set_destination(self, folder: Path | None) -> None:
        """Use ``folder`` for the copies (never set by default)."""
        self.destination = folder
        self.folder_edit.setText("" if folder is None else safe_text(folder, 500))
        self.show_folder.setEnabled(False)

    def _ask_folder(self) -> Path | None:
        return dialogs.ask_folder(self, "Save cleaned copies to")

    def choose_folder(self) -> bool:
        """Ask for the destination; True when one is set."""
        folder = self.ask_folder()
        if folder is not None:
            self.set_destination(folder)
        return self.destination is not None

    # The plan shown before writing -------------------------------------------------------
    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self._plan_later(keep_results=True)

    def _plan_later(self, *, keep_results: bool = False) -> None:
        if self.controller.running or (keep_results and self._showing_results):
            return
        self._showing_results = False
        # A plan of 1,000 photos takes ~0.1 s: while photos are still being checked, at
        # most one every 1.5 s so the window stays responsive.
        self._replan.setInterval(1500 if self.controller.session.auditing else 300)
        if not self._replan.isActive():
            self._replan.start()

    def plan_scope(self) -> str:
        """The button the plan describes: "selected" when the user picked several rows (the
        list always has one selected once a file is checked, which means no choice), else
        "all". That button is also the one drawn as the main action."""
        return "selected" if len(self._keys_for("selected")) > 1 else "all"

    def selection_changed(self, *_: object) -> None:
        """The list's selection changed: the plan may now describe the other button (a plan
        of every photo is not made again for each row the user arrows through)."""
        if self.plan_scope() == "all" == self._planned_scope:
            return
        self._plan_later(keep_results=True)

    def _mark_primary(self, scope: str) -> None:
        primary, other = (
            (self.export_selected, self.export_all)
            if scope == "selected"
            else (self.export_all, self.export_selected)
        )
        if primary.objectName() == "PrimaryButton":
            return
        other.setObjectName("")
        primary.setObjectName("PrimaryButton")
        for button in (primary, other):  # the style sheet matches the name: apply it again
            button.style().unpolish(button)
            button.style().polish(button)

    def refresh_plan(self) -> None:
        """Show what the button the plan describes (:meth:`plan_scope`) would do, per photo,
        and count what needs a look."""
        if (
            self.controller.running
            or self._showing_results
            or not self.isVisible()
            or not export_available()
        ):
            return
        scope = self._planned_scope = self.plan_scope()
        self._mark_primary(scope)
        button = (self.export_selected if scope == "selected" else self.export_all).text()
        tasks, problem = self.controller.plan(
            self._keys_for(scope), None, self.options(), self.cover.isChecked(), beside=True
        )
        plans = self.controller.plans(tasks)
        self.controller.results.set_plan(plans)
        self._large_keys = [p.key for p in plans if p.large_cover]
        convert = sum(p.needs_conversion for p in plans)
        parts = [f"{button}: {problem}"] if problem else plan_counts(plans, button)
        if self._large_keys:
            parts.append(export_questions.large_cover_text(len(self._large_keys)))
        if convert:
            verb = "needs" if convert == 1 else "need"
            parts.append(f"{convert} HEIC {verb} converting to JPEG (you will be asked)")
        self.plan_note.setText(" · ".join(parts) if tasks or problem else "")
        self.look.setVisible(bool(self._large_keys))

    def plan_for(self, key: str) -> PlanRow | None:
        """One photo's plan with the options as set (the detail pane's line)."""
        return self.controller.plan_one(key, self.options(), self.cover.isChecked())

    # Exporting ----------------------------------------------------------------------------
    def start(self, scope: str) -> None:
        """Export the ``scope`` rows ("selected" or "all"), asking at most two questions."""
        if not export_available() or self.controller.running:
            return
        beside = self.beside.isChecked()
        if not beside and self.destination is None and not self.choose_folder():
            return
        tasks, problem = self.controller.plan(
            self._keys_for(scope),
            self.destination,
            self.options(),
            self.cover.isChecked(),
            beside=beside,
        )
        if problem:
            self._say(problem)
            self.message.emit(problem)
            return
        asked = self._ask_conversion(tasks)
        if asked is None:
            return
        tasks, skipped = asked
        large = [p.key for p in self.controller.plans(tasks) if p.large_cover]
        if large:
            choice = self.ask_large(len(large))
            if choice == "look":
                self.look_requested.emit(large)
            if choice != "export":
                return
        named = self.controller.revealing_names(tasks)
        self._name_note = ""
        if named and self.rename.currentData() == "keep":
            self._name_note = (
                f"{named} file {'name reveals' if named == 1 else 'names reveal'} something"
                " (a date, a name, a device): choose Neutral names to hide it."
            )
        self.controller.start(tasks, skipped)

    def _ask_conversion(
        self, tasks: tuple[ExportTask, ...]
    ) -> tuple[tuple[ExportTask, ...], tuple[ExportResult, ...]] | None:
        """Ask once about the HEIC photos that need converting: the tasks to run and the
        ones skipped, or None when the user cancelled."""
        plans = {p.key: p for p in self.controller.plans(tasks)}
        convert = {t.key for t in tasks if (p := plans.get(t.key)) and p.needs_conversion}
        if not convert:
            return tasks, ()
        return apply_conversion(tasks, convert, self.ask_convert(len(convert)))

    def open_destination(self) -> None:
        """Open the destination in the file manager (a local file:// URL: no network)."""
        if self.destination is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.destination)))

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel.setVisible(running)
        ok = export_available()
        self.export_all.setEnabled(ok and not running)
        self.export_selected.setEnabled(ok and not running)

    def _on_started(self, total: int) -> None:
        self._set_running(True)
        self._showing_results = True
        self._replan.stop()
        self.plan_note.setText("")
        self.look.hide()
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.setFormat(f"Saving 0 of {total}")
        self._say("")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.progress.setFormat(f"Saving {done} of {total}")

    def _on_finished(self, summary: ExportSummary) -> None:
        self._set_running(False)
        text = summary.text(self.controller.left_out)
        self._say(f"{text}\n{self._name_note}" if self._name_note else text)
        self.message.emit(f"Export finished: {text}")
        self.show_folder.setEnabled(self.destination is not None and not self.beside.isChecked())
        self.results.filter.setCurrentIndex(0)
