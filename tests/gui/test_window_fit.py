"""The window's first size fits the screen it opens on, frame included."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt

from veil.gui.app import FRAME_ROOM, WINDOW_SIZE, show_fitted
from veil.gui.main_window import MainWindow


def _window(qtbot, sync_session) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(sync_session)
    qtbot.addWidget(win)
    return win


@pytest.mark.parametrize("width, height", [(1280, 800), (1366, 768), (1280, 720)])
def test_a_small_screen_gets_a_maximized_window(
    qtbot, sync_session, width: int, height: int
) -> None:
    # Seen under Xvfb 1280x800 with openbox: the 1280x800 window plus its title bar ran
    # off the bottom of the screen, hiding the status line ("Checking 60 of 2,184 files")
    # and its Cancel button.
    win = _window(qtbot, sync_session)
    show_fitted(win, QRect(0, 0, width, height))
    assert win.windowState() & Qt.WindowState.WindowMaximized
    # Un-maximized, it still fits with its frame.
    assert win.normalGeometry().width() + FRAME_ROOM.width() <= width
    assert win.normalGeometry().height() + FRAME_ROOM.height() <= height


def test_a_large_screen_gets_the_usual_size(qtbot, sync_session) -> None:
    win = _window(qtbot, sync_session)
    show_fitted(win, QRect(0, 0, 1920, 1080))
    assert not win.windowState() & Qt.WindowState.WindowMaximized
    assert win.size() == WINDOW_SIZE
