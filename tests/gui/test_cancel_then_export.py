"""An export after Cancel saves copies; it neither finishes nor forgets the checks that
Cancel stopped ("Check the rest" stays offered, the plan says why it can't cover)."""

from __future__ import annotations

from pathlib import Path

from tests.factories.gui_photos import plain_png, risky_jpeg
from tests.gui.helpers import row_named
from tests.gui.test_export_review import export
from veil.gui.main_window import MainWindow
from veil.gui.states import Badge, RowState


def test_an_export_after_cancel_keeps_check_the_rest(
    qtbot, held_window, tmp_path: Path
) -> None:
    # Seen on a 2,184-file roll: Stop checking, untick Cover, Export all, Cancel the export.
    # Every row became 'Clean copy saved' or 'Checked', 'Stopped: 1,955 files were not
    # fully checked' and 'Check the rest' were gone for good, and ticking Cover again said
    # 'Some photos are still being checked for faces. Export when it finishes.' (nothing was).
    window: MainWindow
    window, pool = held_window
    (tmp_path / "album").mkdir()
    risky_jpeg(tmp_path / "album" / "risky.jpg")
    plain_png(tmp_path / "album" / "plain.png")
    window.add_paths([tmp_path / "album"])
    rows = window.session.model.rows
    qtbot.waitUntil(
        lambda: len(rows) == 2 and all(r.state is RowState.CHECKING_PIXELS for r in rows),
        timeout=5000,
    )
    window.status_cancel.click()  # faces and marks never ran
    risky, plain = row_named(window, "risky.jpg"), row_named(window, "plain.png")

    window.detail.tabs.setCurrentWidget(window.export_pane)
    pane = window.export_pane
    pane.cover.setChecked(False)
    export(qtbot, window, tmp_path / "out")
    assert risky.state is RowState.EXPORTED and plain.state is RowState.EXPORTED
    # Nobody looked for faces or marks: never "Clean copy saved".
    assert risky.status == "Copy saved — faces and marks not checked"
    assert risky.badge is Badge.HIGH and plain.badge is Badge.UNKNOWN  # never "None found"
    window.status.flash("")  # the counts, not 'Export finished'
    window.status._flash_until = 0.0
    window.update_status()
    assert "2 files were not fully checked" in window.status_label.text()
    assert window.status_resume.isVisibleTo(window)

    pane.cover.setChecked(True)
    qtbot.waitUntil(lambda: "not checked for faces" in pane.plan_note.text(), timeout=5000)
    assert "still being checked" not in pane.plan_note.text()

    window.status_resume.click()
    assert risky.state is RowState.CHECKING_PIXELS
    with qtbot.waitSignal(window.session.audits_finished, timeout=10_000):
        pool.release()
    assert risky.state is RowState.DONE and plain.state is RowState.DONE
    assert plain.badge is Badge.NONE
    window.update_status()
    assert not window.status_resume.isVisibleTo(window)
