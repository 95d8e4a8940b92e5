"""Faces and marks are "not detected", never "not there" (issue 13: a mark is a question).

The detectors can miss a face or a tattoo (tattoo recall ~0.68). A photo of several tattoos
the detector missed showed the green "None found" and "No identifying metadata, faces or
marks found" in the list, the detail pane and the status bar. The metadata verdict (read in
full) keeps its green badge; the words, the badge's tooltip and the findings pane say that
faces and marks were only not detected, and to look at the photo before sharing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.factories.gui_photos import plain_png, risky_jpeg
from tests.gui.helpers import drop_paths, row_named, select, wait_idle
from tests.gui.test_overlays import gradient_jpeg
from tests.gui.test_review import finding, open_first, show
from veil.core.explain import DETECTION_CAVEAT
from veil.core.model import FindingKind, Region
from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import COL_RISK, COL_SUMMARY
from veil.gui.models.findings import NO_MARK_DETECTED, NONE_DETECTED, NOTHING_FOUND
from veil.gui.states import Badge

CAVEAT = "detection can miss them — look before sharing"
TIP = "automatic detection can miss tattoos, birthmarks and faces"


def _texts(window: MainWindow) -> str:
    shown = [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]
    return "\n".join(shown)


def _cell(window: MainWindow, col: int, role: Qt.ItemDataRole) -> str:
    return str(window.proxy.index(0, col).data(role) or "")


def test_nothing_found_says_faces_and_marks_were_not_detected(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, tmp_path: Path) -> None:
    assert drop_paths(window.table.viewport(), [plain_png(tmp_path / "plain.png")])
    wait_idle(qtbot, window, rows=1)
    select(window, "plain.png")
    QApplication.processEvents()
    row = row_named(window, "plain.png")
    assert row.badge is Badge.NONE  # the metadata's verdict: read in full, nothing found
    assert row.summary == ("No identifying metadata · no faces or marks detected "
                           f"({CAVEAT})")
    # The detail pane and the status bar catch up on their own timers.
    qtbot.waitUntil(lambda: "none found in metadata" in _texts(window), timeout=5000)
    qtbot.waitUntil(lambda: row.summary in _texts(window), timeout=5000)  # the detail line
    shown = _texts(window)
    assert "faces or marks found" not in shown and "every check ran" not in shown
    assert "none found in metadata, no faces or marks detected" in shown  # the status bar
    texts = window.detail.findings.texts()
    assert NOTHING_FOUND in texts and DETECTION_CAVEAT in texts
    # The green pill's tooltip, in the list and in the detail pane, carries the caveat.
    assert TIP in _cell(window, COL_RISK, Qt.ItemDataRole.ToolTipRole)
    assert TIP in window.detail.badge.toolTip()
    assert CAVEAT in _cell(window, COL_SUMMARY, Qt.ItemDataRole.ToolTipRole)


def test_metadata_findings_say_no_face_or_mark_was_detected(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, tmp_path: Path) -> None:
    assert drop_paths(window.table.viewport(), [risky_jpeg(tmp_path / "risky.jpg")])
    wait_idle(qtbot, window, rows=1)
    select(window, "risky.jpg")
    QApplication.processEvents()
    assert row_named(window, "risky.jpg").badge is Badge.HIGH
    qtbot.waitUntil(lambda: NONE_DETECTED in window.detail.findings.texts(), timeout=5000)
    assert not window.detail.badge.toolTip()  # "High" needs no caveat
    assert _cell(window, COL_RISK, Qt.ItemDataRole.ToolTipRole) == ""


def test_a_mark_line_says_possible_once(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                        tmp_path: Path) -> None:
    mark = finding(FindingKind.TATTOO, Region(300, 200, 40, 30), 0.9)
    words = "Possible tattoo or birthmark — check this area (lower right)"
    show(window, gradient_jpeg(tmp_path / "mark.jpg"), dataclasses.replace(mark, summary=words))
    open_first(qtbot, window)
    texts = window.detail.findings.texts()
    assert "Possible mark 1 — tattoo or birthmark — check this area (lower right)" in texts
    assert not any("Possible mark 1 — Possible" in t for t in texts)
    assert NONE_DETECTED not in texts  # a mark is listed: no "none detected"


def test_a_face_with_no_mark_detected_says_marks_can_be_missed(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, tmp_path: Path) -> None:
    # A portrait: the face is listed, the mark check found nothing. A missed tattoo matters
    # most on a photo of a person, and the pane said nothing about marks at all.
    face = finding(FindingKind.FACE, Region(100, 80, 60, 70), 0.95)
    show(window, gradient_jpeg(tmp_path / "face.jpg"), face)
    open_first(qtbot, window)
    texts = window.detail.findings.texts()
    assert NO_MARK_DETECTED in texts and NONE_DETECTED not in texts
    mark = finding(FindingKind.TATTOO, Region(300, 200, 40, 30), 0.9)
    show(window, gradient_jpeg(tmp_path / "both.jpg"), face, mark)
    select(window, "both.jpg")
    qtbot.waitUntil(lambda: any("Possible mark 1" in t for t in window.detail.findings.texts()),
                    timeout=5000)
    assert NO_MARK_DETECTED not in window.detail.findings.texts()
