"""The window's chrome as a user sees it: title bar, tool bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication

from tests.factories.gui_photos import risky_jpeg
from tests.gui.helpers import darkest, drop_paths, wait_idle
from veil.gui.main_window import MainWindow
from veil.gui.widgets.shortcuts_dialog import ShortcutsDialog
from veil.gui.window_actions import shortcut_actions


def test_tool_buttons_that_do_nothing_yet_look_it(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # An empty list: Export and Hide previews are off, but were drawn as dark as Add photos.
    bar = window.tool_bar
    export = bar.widgetForAction(window.export_action)
    add = bar.widgetForAction(window.add_photos_action)
    assert not export.isEnabled() and add.isEnabled()
    assert darkest(add) < 80
    assert darkest(export) > 120
    assert darkest(bar.widgetForAction(window.privacy_action)) > 120
    assert drop_paths(window.drop_zone, [risky_jpeg(tmp_path / "a.jpg")])
    wait_idle(qtbot, window, 1)
    assert export.isEnabled() and darkest(export) < 80


def test_titles_name_veil_once(qtbot, window: MainWindow) -> None:
    # On Linux and Windows Qt appends " — <display name>" to a title not ending with it:
    # "Veil — see what your photos reveal" became "Veil — see what … reveal — Veil".
    name = QGuiApplication.applicationDisplayName()
    assert name == "Veil"
    dialog = ShortcutsDialog(shortcut_actions(window), window)
    qtbot.addWidget(dialog)
    for title in (window.windowTitle(), dialog.windowTitle()):
        assert title.endswith(f" — {name}") and title.count(name) == 1, title
