"""A possible mark says "check this area": clicking its line zooms in on a box too small to
judge. On a 710x960 portrait at 1024x700 a 40x54 mark was a 5x7 px speck under its label."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from tests.gui.test_overlays import gradient_jpeg
from tests.gui.test_review import finding, open_first, show
from veil.core.model import FindingKind, Region
from veil.gui.main_window import MainWindow
from veil.gui.widgets.preview import CLOSE_ON_SCREEN, SMALL_ON_SCREEN

FACE = Region(212, 80, 326, 470)
MARK = Region(248, 557, 40, 54)


def test_clicking_a_tiny_mark_line_zooms_in_on_it(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.resize(1024, 700)
    photo = gradient_jpeg(tmp_path / "portrait.jpg", size=(710, 960))
    show(window, photo, finding(FindingKind.FACE, FACE, 0.95),
         finding(FindingKind.TATTOO, MARK, 0.87))
    open_first(qtbot, window)
    canvas, rows = window.detail.canvas, window.detail.findings.drawn_rows
    zooms: list[float] = []
    canvas.zoom_changed.connect(zooms.append)
    mark_before = canvas._to_widget(MARK)
    assert min(mark_before.width(), mark_before.height()) < SMALL_ON_SCREEN  # a speck

    qtbot.mouseClick(rows[0], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))  # the face: big
    assert canvas.zoom == 1.0 and zooms == []
    qtbot.mouseClick(rows[1], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))  # the mark
    assert canvas.selected == 1 and canvas.zoom > 1.0 and zooms == [canvas.zoom]
    seen = canvas._to_widget(MARK)
    assert min(seen.width(), seen.height()) >= CLOSE_ON_SCREEN - 1
    assert canvas.rect().contains(seen.center().toPoint())
    assert window.detail.preview.zoom_fit.text() == f"{canvas.zoom:.0%}"
    canvas.fit()  # "Fit" shows the whole picture again
    assert canvas.zoom == 1.0
