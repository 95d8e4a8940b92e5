"""Save cleaned copies: destination, options, a plan before writing, Export, results.

Before anything is written the table shows, per photo, what the copy will remove and keep
and how much of it will be covered; the line above it counts the copies with more than a
third covered (with a button to look at them) and the HEIC photos that need converting.
Starting an export asks at most two questions, once each: convert or skip those HEIC
photos, and look at (or accept) the large covers.

Plans are made off the GUI thread (:class:`~veil.gui.planner.ExportPlanner`): the line says
"counting…" meanwhile, a newer plan supersedes an older one, and an Export click acts only on
a plan made from the choices as they are when it lands (else it plans again).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from veil.core.model import ExportOptions
from veil.gui import dialogs
from veil.gui.export_plans import ExportPlan, PlanChoices
from veil.gui.export_tasks import ExportSummary, export_available
from veil.gui.exporter import ExportController
from veil.gui.models.export_plan import PlanRow
from veil.gui.text import safe_text
from veil.gui.widgets import export_pane_layout, export_pane_run, export_questions

#: A plan still being made after this long says "counting…" in the pane.
COUNTING_AFTER_MS = 150


class ExportPane(export_pane_layout.PaneWidgets):
    """The export pane. ``keys_for(scope)`` gives the rows to export ("selected" / "all")."""

    message = Signal(str)
    #: Keys of photos to show (a planned row double-clicked); large covers: covers_requested.
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
        self._large_keys: list[str] = []
        #: What the plan shown describes ("all" or "selected"; "" before the first plan).
        self._planned_scope = ""
        #: The button clicked whose export waits for its plan ("all"/"selected"), or None.
        self._export_scope: str | None = None
        self.planner = controller.planner
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
        # "counting…" only when a plan takes a while: a quick one never blinks the line.
        self._counting = QTimer(self)
        self._counting.setSingleShot(True)
        self._counting.setInterval(COUNTING_AFTER_MS)
        self._counting.timeout.connect(lambda: self._show_counting(self._planned_scope))
        session.reports_updated.connect(lambda _k: self._plan_later(keep_results=True))
        # A box the user edited makes the last export's results stale; boxes found by the
        # checks do not (an export with "Cover" unticked may finish before its checks):
        # reports_updated plans again then, unless the table shows results.
        session.boxes_edited.connect(lambda _k: self._plan_later())
        session.model.rowsRemoved.connect(lambda *_: export_pane_run.rows_removed(self))
        controller.started.connect(self._on_started)
        controller.progressed.connect(self._on_progress)
        controller.finished.connect(self._on_finished)
        controller.recounted.connect(self._on_recounted)
        export_pane_run.set_running(self, False)
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
        # Plans are made off the GUI thread, but a plan of 1,000 photos still costs ~0.1 s
        # of a core: while photos are still being checked, at most one every 1.5 s.
        # Only an idle timer is set: setInterval restarts a running one, so with results
        # landing more often than every 1.5 s no plan was made for the whole check (the note
        # kept saying "“Check the rest” checks them" while they were being checked).
        if not self._replan.isActive():
            self._replan.setInterval(1500 if self.controller.session.auditing else 300)
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

    def _button(self, scope: str) -> str:
        return (self.export_selected if scope == "selected" else self.export_all).text()

    def _choices(self, scope: str, *, export: bool = False) -> PlanChoices:
        """The choices as set now: for the plan shown (copies beside each photo, so no
        folder is needed yet), or for an Export click (``export``: the folder as set)."""
        beside = self.beside.isChecked() or not export
        out_dir = None if beside else self.destination
        return self.planner.choices(
            scope, self._keys_for(scope), out_dir, self.options(), self.cover.isChecked(), beside
        )

    def _note(self, text: str) -> None:
        """The line above the table; hidden while empty, like the summary line."""
        self.plan_note.setText(text)
        self.plan_note.setVisible(bool(text))

    def _show_counting(self, scope: str) -> None:
        self._note(f"{self._button(scope)}: counting…")
        self.look.hide()

    def refresh_plan(self) -> None:
        """Plan what the button the plan describes (:meth:`plan_scope`) would do, off the GUI
        thread; :meth:`_show_plan` shows it per photo and counts what needs a look."""
        if (
            self.controller.running
            or self._showing_results
            or self._export_scope is not None  # its own plan comes first
            or not self.isVisible()
            or not export_available()
        ):
            return
        scope = self._planned_scope = self.plan_scope()
        export_pane_layout.mark_primary(self, scope)
        self.planner.request("shown", self._choices(scope), self._show_plan)
        if self.planner.pending("shown") and not self._counting.isActive():
            self._counting.start()

    def _show_plan(self, plan: ExportPlan | None) -> None:
        self._counting.stop()
        if plan is None or self.controller.running or self._showing_results:
            self._note("")
            return
        rows = plan.rows
        self.controller.results.set_plan(list(rows))
        self._large_keys = [p.key for p in rows if p.large_cover]
        self._note(export_questions.plan_note(plan, self._button(plan.request.choices.scope)))
        self.look.setVisible(bool(self._large_keys))

    def plan_for(
        self, key: str, deliver: Callable[[PlanRow | None], None]
    ) -> tuple[bool, PlanRow | None]:
        """One photo's plan with the options as set (the detail pane's line): ``(True,
        plan)``, or ``(False, None)`` and ``deliver`` gets it once made off the GUI thread
        (see ``ExportController.plan_one``)."""
        return self.controller.plan_one(key, self.options(), self.cover.isChecked(), deliver)

    # Exporting ----------------------------------------------------------------------------
    def start(self, scope: str) -> None:
        """Export the ``scope`` rows ("selected" or "all") once their plan is made (off the
        GUI thread), asking at most two questions."""
        if not export_available() or self.controller.running:
            return
        if not self.beside.isChecked() and self.destination is None and not self.choose_folder():
            return
        self._export_scope = scope  # a second click replaces the first
        self.planner.forget("shown")
        self._counting.stop()
        self._plan_export()

    def _plan_export(self) -> None:
        scope = self._export_scope
        assert scope is not None
        self.planner.request("export", self._choices(scope, export=True), self._export_planned)
        if self.planner.pending("export"):  # a click is answered at once
            self._show_counting(scope)
            self.cancel.show()  # a plan of thousands of files on a slow disk takes a while

    def cancel_export(self) -> None:
        """Cancel: stop the export, or the plan it waits for (nothing is written then)."""
        if self._export_scope is None:
            self.controller.cancel()
            return
        self._export_scope = None
        self.planner.forget("export")
        self.cancel.hide()
        self._note("")
        self._plan_later(keep_results=True)

    def _export_planned(self, plan: ExportPlan | None) -> None:
        """The clicked button's plan: act on it only if the choices are still those it was
        made from (an option, a box or the list may have changed since the click)."""
        scope = self._export_scope
        if scope is None or self.controller.running:
            return
        if plan is not None and plan.request.choices != self._choices(scope, export=True):
            self._plan_export()  # stale: never export what the pane no longer says
            return
        self._export_scope = None
        self.cancel.hide()  # shown again if the export starts
        if plan is None or plan.problem:
            problem = (plan.problem if plan else None) or "The export could not be planned."
            self._say(problem)
            self.message.emit(problem)
            self._plan_later(keep_results=True)
            return
        # The questions count this plan's photos: the table and its note show the same ones
        # (the plan shown was maybe the other button's: one row selected, "Export selected").
        self._showing_results, self._planned_scope = False, scope
        self._show_plan(plan)
        if self._export(plan) is None:  # the user cancelled a question
            self._plan_later(keep_results=True)

    def _export(self, plan: ExportPlan) -> bool | None:
        """Ask the questions ``plan`` needs, then start it; None when the user cancelled."""
        answered = export_questions.settle(plan, self.ask_convert, self.ask_large)
        if isinstance(answered, list):  # the user wants to look at these first
            self.covers_requested.emit(answered)
            return None
        if answered is None:
            return None
        tasks, skipped, rows = answered
        self.controller.start(tasks, skipped, rows, plan.left_out)
        return True

    def open_destination(self) -> None:
        """Open the destination in the file manager (a local file:// URL: no network)."""
        if self.destination is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.destination)))

    # While it runs and once it ended (export_pane_run) ---------------------------------
    def _on_started(self, total: int) -> None:
        export_pane_run.started(self, total)

    def _on_progress(self, done: int, total: int) -> None:
        export_pane_run.progressed(self, done, total)

    def _on_finished(self, summary: ExportSummary) -> None:
        export_pane_run.finished(self, summary)

    def _on_recounted(self, summary: ExportSummary) -> None:
        if self._showing_results:  # its results are still shown: their summary follows
            export_pane_run.say_summary(self, summary)
