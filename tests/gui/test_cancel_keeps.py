"""Cancel keeps what was found and offers "Check the rest" (issue 16 item 4)."""

from __future__ import annotations

from pathlib import Path

from tests.factories.gui_photos import plain_png, risky_jpeg
from tests.gui.helpers import row_named
from veil.gui.main_window import MainWindow
from veil.gui.states import Badge, RowState


def test_cancel_keeps_high_rows_high_and_check_the_rest_finishes(
    qtbot,
    held_window,
    tmp_path: Path,
) -> None:
    window: MainWindow
    window, pool = held_window
    risky_jpeg(tmp_path / "risky.jpg")
    plain_png(tmp_path / "plain.png")
    window.add_paths([tmp_path])
    qtbot.waitUntil(
        lambda: len(window.session.model.rows) == 2
        and all(r.state is RowState.CHECKING_PIXELS for r in window.session.model.rows),
        timeout=5000,
    )
    window.update_status()
    assert window.status_cancel.isVisibleTo(window)
    window.status_cancel.click()  # faces and marks never ran

    risky, plain = row_named(window, "risky.jpg"), row_named(window, "plain.png")
    assert risky.state is RowState.CANCELLED and plain.state is RowState.CANCELLED
    assert risky.badge is Badge.HIGH  # the location and the owner's name were read
    assert plain.badge is Badge.UNKNOWN  # nothing found, but faces were never looked for
    assert "faces and marks not checked" in risky.status
    window.update_status()
    assert "2 files were not fully checked" in window.status_label.text()
    assert "1 high" in window.status_label.text()
    assert window.status_resume.isVisibleTo(window)

    window.status_resume.click()
    assert risky.state is RowState.CHECKING_PIXELS and risky.badge is Badge.HIGH
    with qtbot.waitSignal(window.session.audits_finished, timeout=10_000):
        pool.release()
    assert risky.state is RowState.DONE and plain.state is RowState.DONE
    assert plain.badge is Badge.NONE and risky.badge is Badge.HIGH
    window.update_status()
    assert not window.status_resume.isVisibleTo(window)
