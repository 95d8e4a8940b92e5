"""A picture no decoder can read finishes its row like any other (issue 12 item 2): the row
must not stay on "Checking for faces..." and says the pixel checks could not run."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.factories.gui_photos import risky_jpeg
from tests.factories.undecodable import avif_garbled_planes, jpeg_truncated_exif
from tests.gui.helpers import drop_paths, row_named, wait_idle
from veil.core.model import CheckStatus, Risk
from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import COL_NAME, COL_STATUS
from veil.gui.states import RowState


def test_undecodable_rows_finish(qtbot, window: MainWindow, tmp_path: Path) -> None:
    paths = [avif_garbled_planes(tmp_path / "a.avif"), jpeg_truncated_exif(tmp_path / "b.jpg")]
    drop_paths(window.drop_zone, paths)
    wait_idle(qtbot, window, rows=2)
    for path in paths:
        row = row_named(window, path.name)
        assert row.state is RowState.DONE, (path.name, row.state)
        assert row.report is not None
        assert row.report.checks["faces"] is CheckStatus.FAILED
        assert row.report.risk is not Risk.NONE


def _status_cell(window: MainWindow, name: str) -> str:
    """The Status column's text for ``name``, as the table view shows it."""
    proxy = window.proxy
    for r in range(proxy.rowCount()):
        if proxy.index(r, COL_NAME).data() == name:
            return str(proxy.index(r, COL_STATUS).data())
    raise AssertionError(f"no row {name!r} in the view")


def test_status_says_which_checks_could_not_run(qtbot, window: MainWindow, tmp_path: Path) -> None:
    bad = avif_garbled_planes(tmp_path / "garbled.avif")
    good = risky_jpeg(tmp_path / "fine.jpg")
    drop_paths(window.drop_zone, [bad, good])
    wait_idle(qtbot, window, rows=2)
    row = row_named(window, bad.name)
    assert row.state is RowState.DONE
    assert row.report is not None and row.report.checks["marks"] is CheckStatus.FAILED
    # Never plain "Checked" when the pixel checks failed; the same words as Cancel's state
    # (the cell says "Partly checked", its tooltip why).
    assert _status_cell(window, bad.name) == "Partly checked"
    assert row.status == "Partly checked: faces and marks could not run"
    assert row_named(window, good.name).state is RowState.DONE
    assert _status_cell(window, good.name) == "Checked"  # every check ran


def test_a_status_the_column_cuts_is_whole_in_its_tool_tip(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # At 1280x800 the Status column showed "Partly checked …", and had no tool tip; it
    # now shows "Partly checked", the sentence in the tool tip.
    bad = avif_garbled_planes(tmp_path / "garbled <b>x.avif")
    drop_paths(window.drop_zone, [bad])
    wait_idle(qtbot, window, rows=1)
    index = window.proxy.index(0, COL_STATUS)
    text = "Partly checked: faces and marks could not run"
    assert index.data() == "Partly checked"
    width = window.table.fontMetrics().horizontalAdvance(text)
    assert width > window.table.horizontalHeader().sectionSize(COL_STATUS)  # would be cut
    assert index.data(Qt.ItemDataRole.ToolTipRole) == f"<p>{text}</p>"
    name_tip = window.proxy.index(0, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;x.avif" in name_tip  # still escaped: names are hostile


def test_a_folder_link_loop_is_no_unreadable_photo(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # A folder holding a link to its parent ('loop/up -> ..'): core skips the folder the
    # second time, nothing missed ('veil scan' lists it under skipped, exit code unchanged).
    # The window listed 'up' among the photos as 'Could not be read', Unknown, counted in
    # the status bar's unknowns and in 'Failed only'.
    roll = tmp_path / "roll"
    (roll / "loop").mkdir(parents=True)
    (roll / "loop" / "up").symlink_to("..")
    risky_jpeg(roll / "photo.jpg")
    assert drop_paths(window.drop_zone, [roll])
    wait_idle(qtbot, window, rows=2)
    window.update_status()
    up = row_named(window, "up")
    assert up.not_for_veil and up.status != "Could not be read"
    assert "unknown" not in window.status_label.text(), window.status_label.text()
    assert "1 file ·" in window.status_label.text()
    shown = [window.proxy.index(r, COL_NAME).data() for r in range(window.proxy.rowCount())]
    assert shown == ["photo.jpg"]
    combo = window.filter_combo
    combo.setCurrentIndex(combo.findText("Failed only"))
    assert window.proxy.rowCount() == 0


def _shown(window: MainWindow) -> list[str]:
    return sorted(window.proxy.index(r, COL_NAME).data() for r in range(window.proxy.rowCount()))


def test_not_fully_checked_photos_can_be_listed_apart(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # A photo whose pixels could not be decoded got a badge from its metadata alone (Medium,
    # say), like the fully checked rows around it; it was in no filter but "All photos"
    # ("Unknown" is a badge, "Failed only" files that could not be read at all).
    bad = avif_garbled_planes(tmp_path / "garbled.avif")
    good = risky_jpeg(tmp_path / "fine.jpg")
    drop_paths(window.drop_zone, [bad, good])
    wait_idle(qtbot, window, rows=2)
    combo = window.filter_combo
    combo.setCurrentIndex(combo.findText("Partly checked"))
    assert _shown(window) == [bad.name]
    combo.setCurrentIndex(combo.findText("Failed only"))
    assert _shown(window) == []


def test_checks_still_running_or_cancelled_in_the_not_fully_checked_filter(
    qtbot, held_window, tmp_path: Path
) -> None:
    from tests.gui.test_export_checks_later import checking

    window, _pool = checking(qtbot, held_window, tmp_path)
    combo = window.filter_combo
    combo.setCurrentIndex(combo.findText("Partly checked"))
    assert _shown(window) == []  # still checking: that filter has its own entry
    window.status_cancel.click()  # the checks will not run now
    qtbot.waitUntil(lambda: _shown(window) == ["face.jpg", "plain.png"], timeout=5000)


def test_the_detail_pane_says_once_why_faces_and_marks_were_not_checked(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """A damaged picture's pane said it three times ("Faces: the check failed on this
    file.", "Tattoos and marks: the check failed on this file.", "Faces and marks not
    checked: the picture could not be opened: ..."), and the preview's line a fourth time
    with the decoder's words: it says once what happened and what it means."""
    from tests.gui.helpers import select

    bad = avif_garbled_planes(tmp_path / "garbled.avif")
    drop_paths(window.drop_zone, [bad])
    wait_idle(qtbot, window, rows=1)
    select(window, bad.name)
    lead = "The picture data is damaged, so Veil could not look at the picture itself"
    qtbot.waitUntil(lambda: any(t.startswith(lead) for t in window.detail.findings.texts()),
                    timeout=5_000)
    texts = window.detail.findings.texts()
    assert not any("check failed" in t for t in texts), texts
    assert sum("faces and marks" in t.lower() for t in texts if "checked" in t) == 1, texts
    assert sum("Decoding of color planes failed" in t for t in texts) == 1, texts  # the reason
    assert "The preview stored in the file was not compared with the picture either." in texts
