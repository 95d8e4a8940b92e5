"""``veil gui --screenshot``: the window at 1280x800 after audits, first row selected."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from tests.factories.gui_photos import photo_folder
from veil.gui.app import run_app


def test_screenshot_saves_the_window_after_audits(qapp, tmp_path: Path) -> None:
    photo_folder(tmp_path / "album")
    out = tmp_path / "shot.png"
    assert run_app([tmp_path / "album"], screenshot=out) == 0
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
