"""A screenshot showing names and an address as text is not "Nothing identifying found".

Veil reads metadata and looks for faces and marks; it reads no text drawn in a picture. Such
a PNG said "Nothing identifying found" in the list, the detail pane and the findings pane,
and "1 none found" in the status bar. Each now says what was checked, and the findings pane
(where the user decides to share) says once that text in the picture is not read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel

from tests.factories.gui_photos import text_screenshot
from tests.gui.helpers import drop_paths, row_named, wait_idle
from veil.core.explain import PICTURE_TEXT
from veil.gui.main_window import MainWindow
from veil.gui.states import Badge


def shown_texts(window: MainWindow) -> list[str]:
    """Every visible label's text in the window, and the status bar's."""
    return [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]


def test_screenshot_with_text_says_what_was_checked(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    shot = text_screenshot(tmp_path / "chat.png")
    assert drop_paths(window.table.viewport(), [shot])
    wait_idle(qtbot, window, rows=1)
    window.table.selectRow(0)
    QApplication.processEvents()
    row = row_named(window, "chat.png")
    assert row.badge is Badge.NONE  # no metadata, no face: the checks themselves found nothing
    # The detail pane and the status bar catch up on their own timers.
    qtbot.waitUntil(lambda: row.summary in shown_texts(window), timeout=5000)
    qtbot.waitUntil(lambda: "none found" in "".join(shown_texts(window)), timeout=5000)
    texts = shown_texts(window)
    joined = "\n".join(texts)
    assert "Nothing identifying" not in joined
    assert "nothing identifying" not in joined.lower()
    assert row.summary.startswith("No identifying metadata · no faces or marks detected")
    assert row.summary in texts  # the detail pane's line under the name
    # Said once, in the findings pane, where the user decides whether to share.
    assert texts.count(PICTURE_TEXT) == 1
    assert PICTURE_TEXT in window.detail.findings.texts()
    status = window.statusBar().findChildren(QLabel)
    assert any("1 none found in metadata, no faces or marks detected" in s.text() for s in status)
