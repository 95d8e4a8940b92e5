"""Faces and marks checked after the plan or the copy: the words follow.

The detail pane's plan line, the export table and the file list all said "not checked" for a
photo whose pixel checks were still running. Once the checks finish, each must say what is
known now. Before, a copy exported with "Cover" unticked while the checks ran kept
"Saved — not checked" in the file list after its face had been found (or none had), and the
finished checks' boxes wiped the export's results off the table, though its summary line
still pointed at them ("see Result").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.factories.basic import gps_serial_exif
from tests.factories.faces import astronaut
from tests.factories.gui_photos import plain_png
from tests.gui.helpers import select
from tests.gui.test_export_caution import CAUTION, OK, colour, rows
from tests.gui.test_export_review import cell, export
from tests.gui.test_export_shown_words import status_cell
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT
from veil.gui.states import RowState


def checking(qtbot, held_window, tmp_path: Path) -> tuple[MainWindow, object]:  # type: ignore[no-untyped-def]
    """A portrait (face.jpg: one face, GPS) and a plain PNG listed at 1280x800, their
    metadata read and their faces and marks still being checked (held), "Cover" unticked
    (else no export can start before the checks end)."""
    window, pool = held_window
    window.resize(1280, 800)
    (tmp_path / "album").mkdir()
    astronaut().save(tmp_path / "album" / "face.jpg", quality=92, exif=gps_serial_exif())
    plain_png(tmp_path / "album" / "plain.png")
    window.add_paths([tmp_path / "album"])
    listed = window.session.model.rows
    qtbot.waitUntil(lambda: len(listed) == 2 and all(
        r.state is RowState.CHECKING_PIXELS for r in listed), timeout=5000)
    window.export_pane.cover.setChecked(False)
    return window, pool


def running_line(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    """face.jpg selected, its plan line once it says the checks are still running."""
    select(window, "face.jpg")
    line = window.detail.copy_line
    qtbot.waitUntil(lambda: line.full_text().startswith(
        "Faces and marks are still being checked. A copy removes "), timeout=5000)
    return line


def results(window: MainWindow) -> dict[str, str]:
    """The export table's Result cell per photo."""
    return {name: str(cell(window, r, COL_RESULT)) for name, r in rows(window).items()}


def finish_checks(qtbot, window: MainWindow, pool) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.session.audits_finished, timeout=20_000):
        pool.release()
    assert all(r.full_report for r in window.session.model.rows)


def test_the_plan_line_and_the_plan_follow_the_checks(
    qtbot, held_window, tmp_path: Path
) -> None:
    window, pool = checking(qtbot, held_window, tmp_path)
    line = running_line(qtbot, window)
    window.detail.tabs.setCurrentWidget(window.export_pane)  # the line is hidden meanwhile
    qtbot.waitUntil(lambda: results(window) == {
        "face.jpg": "Ready — still checking faces and marks",
        "plain.png": "Ready — still checking faces and marks"}, timeout=5000)

    finish_checks(qtbot, window, pool)
    qtbot.waitUntil(lambda: results(window) == {
        "face.jpg": "Ready — will still show 1 face", "plain.png": "Ready"}, timeout=5000)
    assert line.text().startswith("A copy leaves 1 face visible")
    window.detail.tabs.setCurrentIndex(0)
    qtbot.waitUntil(line.isVisible)
    assert line.text().startswith("A copy leaves 1 face visible")
    select(window, "plain.png")
    qtbot.waitUntil(lambda: line.text() == "A clean copy has nothing flagged to remove.")


def test_a_copy_saved_before_its_checks_ended_says_what_they_found(
    qtbot, held_window, tmp_path: Path
) -> None:
    window, pool = checking(qtbot, held_window, tmp_path)
    window.detail.tabs.setCurrentWidget(window.export_pane)
    qtbot.waitUntil(lambda: len(results(window)) == 2, timeout=5000)
    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()
    assert all(r.verified for r in window.exporter.results.results)
    assert status_cell(window, "face.jpg") == ("Saved — not checked", CAUTION)
    summary = window.export_pane.summary
    assert summary.text().startswith("0 verified clean · 2 not checked for faces or marks")

    finish_checks(qtbot, window, pool)
    qtbot.wait(1700)  # past the pane's plan timer (1.5 s while checking): results stay
    QApplication.processEvents()
    # The copies are what they were; what they show is known now.
    said = results(window)
    assert said["face.jpg"].startswith("Still shows 1 face — metadata removed, verified"), said
    assert said["plain.png"].startswith("Verified clean"), said
    at = rows(window)
    assert colour(window, at["face.jpg"]) == CAUTION
    assert colour(window, at["plain.png"]) == OK
    assert status_cell(window, "face.jpg") == ("Copy saved — still shows 1 face", CAUTION)
    assert status_cell(window, "plain.png") == ("Clean copy saved", OK)
    assert summary.text().splitlines()[0] == (
        "1 verified clean · 1 still shows a face (see Result)")
