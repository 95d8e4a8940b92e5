"""The export pane while an export runs and once it ended (the pane owns the widgets).

While it runs: the Export buttons are off, the progress bar counts the copies saved and
Cancel stops it; the plan's note and "Look at them" go (the table shows results from
now on). Once it ended: the summary line, with a note on the saved copies whose file
name reveals something, and "Show in folder" when a copy was saved in a chosen folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veil.gui.export_plans import saved_names_note
from veil.gui.export_tasks import ExportSummary, export_available

if TYPE_CHECKING:
    from veil.gui.widgets.export_pane import ExportPane


def set_running(pane: ExportPane, running: bool) -> None:
    """Show the progress and Cancel while running; the Export buttons only when not."""
    pane.progress.setVisible(running)
    pane.cancel.setVisible(running)
    ok = export_available()
    pane.export_all.setEnabled(ok and not running)
    pane.export_selected.setEnabled(ok and not running)


def started(pane: ExportPane, total: int) -> None:
    """An export of ``total`` copies started: the table shows its results from now on."""
    set_running(pane, True)
    pane._showing_results = True
    pane._replan.stop()
    pane._note("")
    pane.look.hide()
    pane.progress.setRange(0, total)
    pane.progress.setValue(0)
    pane.progress.setFormat(f"Saving 0 of {total:,}")
    pane._say("")


def progressed(pane: ExportPane, done: int, total: int) -> None:
    """``done`` of ``total`` copies are saved (or skipped, or failed)."""
    pane.progress.setValue(done)
    pane.progress.setFormat(f"Saving {done:,} of {total:,}")


def finished(pane: ExportPane, summary: ExportSummary) -> None:
    """The export ended (done or cancelled): say what it saved."""
    set_running(pane, False)
    say_summary(pane, summary)
    pane.message.emit(f"Export finished: {summary.text(pane.controller.left_out)}")
    # Nothing saved (every copy failed): an empty or unrelated folder is not worth opening.
    saved = summary.verified > 0
    beside = pane.beside.isChecked()
    pane.show_folder.setEnabled(saved and pane.destination is not None and not beside)
    pane.results.filter.setCurrentIndex(0)


def say_summary(pane: ExportPane, summary: ExportSummary) -> None:
    """The summary line of the export shown: what it saved, and the note on copies whose
    file name reveals something."""
    # The copies that still show a face or mark are counted once, in the first line (a
    # second line "1 copy shows a face or mark left uncovered" said it again).
    names = saved_names_note(pane.controller.results.results)
    pane._say("\n".join([summary.text(pane.controller.left_out, see_result=True),
                          *([names] if names else [])]))


def rows_removed(pane: ExportPane) -> None:
    """Rows left the list: plan again; once the list is empty the last export's summary and
    "Show in folder" go too (they told about files no longer listed, and read as if the next
    photo dropped had been saved)."""
    pane._plan_later()
    if pane.controller.running or pane.controller.session.model.rowCount():
        return
    if export_available():  # else the line says saving is not available: keep it
        pane._say("")
    pane.show_folder.setEnabled(False)
