"""Nothing a file contains changes the window's size (issue 16 item 1)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.factories.gui_photos import plain_png, risky_jpeg
from tests.gui.helpers import drop_paths, select, wait_idle
from veil.gui.main_window import MainWindow

LONG = "WhatsApp Image 2024-07-14 at 18.42.10 " + "très-long-nom_" * 11 + "_END.jpg"


def _roll(folder: Path) -> Path:
    folder.mkdir()
    assert len(LONG) >= 200
    risky_jpeg(folder / LONG)
    risky_jpeg(folder / ("B" * 190 + "_end.jpg"))
    plain_png(folder / "short.png")
    risky_jpeg(folder / "IMG_20240714_184210.jpg")
    return folder


def test_a_200_character_name_leaves_the_window_width_alone(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    assert drop_paths(window.drop_zone, [_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=4)
    QApplication.processEvents()
    width, divider = window.width(), window.splitter.sizes()
    assert window.minimumSizeHint().width() < 1000

    window.table.setFocus()
    window.select_first()
    for _ in range(window.proxy.rowCount() + 1):  # arrow through every row, past the end
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
        QApplication.processEvents()
        assert window.width() == width
        assert window.splitter.sizes() == divider
        assert window.minimumSizeHint().width() < 1000

    select(window, LONG)
    QApplication.processEvents()
    header = window.detail.name
    assert header.full_text() == LONG
    assert header.is_elided()
    shown = header.text()
    assert shown.startswith("WhatsApp") and shown.endswith("END.jpg") and "…" in shown
    assert LONG in header.toolTip()
    assert header.textFormat() is Qt.TextFormat.PlainText
    header.copy_full_text()
    assert QApplication.clipboard().text() == LONG
    assert window.width() == width


def test_the_divider_keeps_the_users_share_through_resizes(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.add_paths([_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=4)
    splitter = window.splitter
    splitter.moveSplitter(500, 1)  # the user drags the divider
    QApplication.processEvents()
    share = splitter.sizes()[0] / sum(splitter.sizes())
    assert abs(splitter.ratio - share) < 0.01
    window.resize(1600, 1000)
    QApplication.processEvents()
    select(window, LONG)
    QApplication.processEvents()
    assert abs(splitter.sizes()[0] / sum(splitter.sizes()) - share) < 0.02
    window.resize(1000, 700)
    QApplication.processEvents()
    assert window.width() == 1000
    assert abs(splitter.sizes()[0] / sum(splitter.sizes()) - share) < 0.02
