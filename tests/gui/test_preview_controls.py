"""The preview's controls (zoom, what a recipient will see) work only on a picture."""

from __future__ import annotations

from pathlib import Path

from tests.factories.gui_photos import risky_jpeg
from tests.gui.helpers import darkest, drop_paths, select, wait_idle
from veil.gui.main_window import MainWindow


def test_controls_are_off_without_a_picture_and_never_move(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # A text file or an empty selection offered zoom buttons, "What a recipient will see"
    # and "Click a box to cover it" for a grey "No preview" area.
    box = window.detail.preview
    controls = (box.recipient, box.zoom_out, box.zoom_fit, box.zoom_in, box.hint)
    assert not any(c.isEnabled() for c in controls)  # nothing shown yet
    risky_jpeg(tmp_path / "photo.jpg")
    (tmp_path / "notes.txt").write_text("not a photo\n")
    drop_paths(window.drop_zone, [tmp_path])
    wait_idle(qtbot, window, rows=2)
    select(window, "photo.jpg")
    qtbot.waitUntil(lambda: window.detail.canvas.has_picture, timeout=10_000)
    assert all(c.isEnabled() for c in controls)
    places = [c.geometry() for c in controls]
    window.show_apart()
    select(window, "notes.txt")
    qtbot.waitUntil(lambda: not box.zoom_in.isEnabled(), timeout=5000)
    assert not any(c.isEnabled() for c in controls)
    assert [c.geometry() for c in controls] == places  # off, not hidden: no layout jump
    # And they look it (the check box and the hint kept their dark text).
    assert darkest(box.recipient) > 120 and darkest(box.hint) > 120
    window.filter_combo.setCurrentIndex(0)  # all photos
    select(window, "photo.jpg")
    qtbot.waitUntil(lambda: box.zoom_in.isEnabled(), timeout=10_000)
    assert darkest(box.recipient) < 80 and darkest(box.hint) < 120
