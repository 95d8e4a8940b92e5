"""Faces and marks still being checked are worded as running, not as "not checked".

While a scan's pixel checks were still running for a photo, the detail pane's plan line
said "Faces and marks were not checked. A copy …" and the Export table "Ready — faces and
marks not checked": read as Veil deciding not to look, when the checks were only on their
way. Now the line says "are still being checked" and the table "Ready — still checking
faces and marks" (its cell cut to "Ready — still checki…" at 1280x800 still tells the two
apart) until the checks end; Cancel turns them into "not checked" (the checks will not
run), and "Check the rest" back again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.gui.test_export_caution import CAUTION, colour, rows
from tests.gui.test_export_checks_later import checking, finish_checks, results, running_line
from tests.gui.test_export_shown_words import on_screen
from veil.gui.models.export_plan import PlanRow
from veil.gui.models.export_wording import caution, copy_line
from veil.gui.states import RowState

RUNNING = "Ready — still checking faces and marks"
STOPPED = "Ready — faces and marks not checked"


def both(words: str) -> dict[str, str]:
    return {"face.jpg": words, "plain.png": words}


def test_running_checks_say_so_until_cancel_stops_them(
    qtbot, held_window, tmp_path: Path
) -> None:
    window, pool = checking(qtbot, held_window, tmp_path)
    line = running_line(qtbot, window)
    window.detail.tabs.setCurrentWidget(window.export_pane)
    qtbot.waitUntil(lambda: results(window) == both(RUNNING), timeout=5000)
    # Still a caution: a copy written now has not been checked for faces or marks.
    assert {colour(window, r) for r in rows(window).values()} == {CAUTION}
    # Cut to the column at 1280x800, it must still differ from stopped checks' words.
    assert on_screen(window, rows(window)["face.jpg"]).startswith("Ready — still check")

    window.status_cancel.click()  # the checks will not run now: "not checked" is the truth
    qtbot.waitUntil(lambda: results(window) == both(STOPPED), timeout=5000)
    assert {colour(window, r) for r in rows(window).values()} == {CAUTION}
    window.detail.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: line.full_text().startswith(
        "Faces and marks were not checked. A copy removes "), timeout=5000)

    window.check_rest()  # they are on their way again
    assert all(r.state is RowState.CHECKING_PIXELS for r in window.session.model.rows)
    qtbot.waitUntil(lambda: line.full_text().startswith(
        "Faces and marks are still being checked. A copy removes "), timeout=5000)
    window.detail.tabs.setCurrentWidget(window.export_pane)
    qtbot.waitUntil(lambda: results(window) == both(RUNNING), timeout=5000)

    finish_checks(qtbot, window, pool)
    qtbot.waitUntil(lambda: results(window) == {
        "face.jpg": "Ready — will still show 1 face", "plain.png": "Ready"}, timeout=5000)
    window.detail.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: line.full_text().startswith("A copy leaves 1 face visible"))


def test_a_copy_written_while_the_checks_run_was_not_checked(
    qtbot, held_window, tmp_path: Path
) -> None:
    # Only the plan before writing waits for the checks: the copy itself was written
    # without them, so once written it says "not checked" until they end.
    from tests.gui.test_export_review import export

    window, pool = checking(qtbot, held_window, tmp_path)
    window.detail.tabs.setCurrentWidget(window.export_pane)
    qtbot.waitUntil(lambda: results(window) == both(RUNNING), timeout=5000)
    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()
    said = results(window)
    assert all(s.startswith("Faces and marks not checked — metadata removed") for s in
               said.values()), said
    finish_checks(qtbot, window, pool)


def test_the_words_of_a_plan_whose_checks_run() -> None:
    plan = PlanRow("k", Path("a.jpg"), ("location",), (), removed_items=1, covers=0,
                   covered_share=0.0, needs_conversion=False, unchecked=("marks",),
                   checking=True)
    assert copy_line(plan).startswith("Marks are still being checked. A copy removes 1 item")
    assert caution(plan, written=False) == "still checking marks"
    assert caution(plan) == "marks not checked"  # a copy written meanwhile was not
