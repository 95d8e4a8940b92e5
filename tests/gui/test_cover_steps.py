"""'Look at them' steps through the large covers one by one (issue 13: the export can no
longer black out a photo without the user having seen it): each copy as it will be written,
"Large covers: 2 of 4", Previous / Next (buttons and keys), Done back to Export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests.gui.test_export_review import show_export_tab, with_face
from tests.gui.test_overlays import gradient_jpeg
from veil.core.model import Region
from veil.gui import list_selection
from veil.gui.main_window import MainWindow

SMALL, LARGE = Region(10, 10, 40, 40), Region(20, 20, 300, 220)
#: Of 12 photos, these have more than a third of the picture covered.
LARGE_AT = (2, 5, 6, 10)


def roll(window: MainWindow, tmp_path: Path) -> list[str]:
    """12 photos with a face each, 4 of them large; the large ones' keys in list order."""
    for n in range(12):
        path = gradient_jpeg(tmp_path / f"p{n:02}.jpg")
        with_face(window, path, LARGE if n in LARGE_AT else SMALL)
    large = {str((tmp_path / f"p{n:02}.jpg").resolve()) for n in LARGE_AT}
    return [k for k in list_selection.shown_keys(window.proxy) if k in large]


def look(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Export all, answering "Look at them"."""
    show_export_tab(qtbot, window)
    pane = window.export_pane
    pane.ask_folder = lambda: tmp_path / "out"
    (tmp_path / "out").mkdir()
    pane.ask_large = lambda _n: "look"
    pane.start("all")


def press(qtbot, window: MainWindow, key: QKeySequence.StandardKey) -> None:  # type: ignore[no-untyped-def]
    qtbot.keySequence(window.table, QKeySequence(key))  # Alt+Right here (Linux)


def test_look_at_them_steps_through_each_large_cover_once_in_list_order(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    large = roll(window, tmp_path)
    size = window.size()
    look(qtbot, window, tmp_path)
    bar = window.cover_review.bar
    assert list((tmp_path / "out").iterdir()) == []  # nothing written
    assert bar.isVisible() and window.detail.tabs.currentIndex() == 0

    seen, said = [], []
    for step in range(len(large)):
        # Only the photo shown is selected, and it is shown as its copy will be written.
        assert window.selected_keys() == [window.detail.key]
        assert window.detail.canvas.recipient_view
        seen.append(window.detail.key)
        said.append(bar.position.text())
        assert bar.previous.isEnabled() == (step > 0)
        assert bar.next.isEnabled() == (step < len(large) - 1)
        if step < len(large) - 1:
            qtbot.mouseClick(bar.next, Qt.MouseButton.LeftButton)
    assert seen == large  # each once, top to bottom
    assert said == [f"Large covers: {n} of 4" for n in range(1, 5)]
    qtbot.mouseClick(bar.next, Qt.MouseButton.LeftButton)  # off at the last: stays
    assert window.detail.key == large[-1]
    assert window.size() == size

    qtbot.mouseClick(bar.previous, Qt.MouseButton.LeftButton)
    assert window.detail.key == large[2] and bar.position.text() == "Large covers: 3 of 4"

    qtbot.mouseClick(bar.done, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and not window.cover_review.active
    assert window.detail.tabs.currentWidget() is window.export_pane
    assert not window.detail.canvas.recipient_view  # put back as it was
    assert window.size() == size


def test_the_keys_step_and_a_row_clicked_in_between_is_said(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    large = roll(window, tmp_path)
    look(qtbot, window, tmp_path)
    bar = window.cover_review.bar
    press(qtbot, window, QKeySequence.StandardKey.Forward)
    assert window.detail.key == large[1] and bar.position.text() == "Large covers: 2 of 4"
    press(qtbot, window, QKeySequence.StandardKey.Forward)
    press(qtbot, window, QKeySequence.StandardKey.Back)
    assert window.detail.key == large[1]

    # The user clicks a photo that is not one of them: said; Next goes on from there.
    shown = list_selection.shown_keys(window.proxy)
    other = next(k for k in shown[shown.index(large[1]) :] if k not in large)
    window.table.selectRow(shown.index(other))
    assert window.detail.key == other
    assert bar.position.text() == "Large covers: 4 (the photo shown is not one of them)"
    following = next(k for k in shown[shown.index(other) :] if k in large)
    press(qtbot, window, QKeySequence.StandardKey.Forward)
    assert window.detail.key == following

    # Going back to Export by the tab ends the review too.
    window.detail.tabs.setCurrentWidget(window.export_pane)
    assert not bar.isVisible() and not window.cover_review.active
