"""Drop files and folders on the real window; the table and detail pane show the truth."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.factories.gui_photos import photo_folder, plain_png, risky_jpeg
from tests.gui.helpers import drop_paths, row_named, select, wait_idle
from veil.core.model import CheckStatus, Risk
from veil.gui.states import Badge, RowState


def test_drop_files_and_folders_shows_risk_per_photo(qtbot, window, tmp_path: Path) -> None:
    files = photo_folder(tmp_path / "album")
    single = risky_jpeg(tmp_path / "single.jpg")
    assert window.stack.currentWidget() is window.drop_zone
    assert drop_paths(window.drop_zone, [tmp_path / "album", single])
    wait_idle(qtbot, window, rows=5)
    assert window.stack.currentWidget() is window.splitter

    assert row_named(window, "holiday.jpg").badge is Badge.HIGH
    assert row_named(window, "nested.jpg").badge is Badge.HIGH
    assert row_named(window, "single.jpg").badge is Badge.HIGH
    text = row_named(window, "notes.jpg")
    assert text.state is RowState.UNSUPPORTED
    assert text.badge is Badge.UNKNOWN  # never looks clean
    assert text.status == "Not a supported image"
    # Named like a photo: not "this kind of file" (JPEG is read), and never a clean look.
    assert text.summary == "Not checked: Veil doesn't recognise what this .jpg file holds"
    plain = row_named(window, "plain.png")
    assert plain.state is RowState.DONE and plain.report is not None
    # "None found" only when every check ran; a check that could not run is Unknown.
    all_ran = all(s is CheckStatus.DONE for s in plain.report.checks.values())
    assert plain.badge is (Badge.NONE if all_ran else Badge.UNKNOWN)
    assert plain.report.risk in (Risk.NONE, Risk.UNKNOWN)
    # Folder drops keep the layout relative to the dropped folder, for the export.
    assert row_named(window, "nested.jpg").relative_dir == Path("album") / "sub"
    assert files["risky"].exists()


def test_dropping_the_same_files_again_adds_no_rows(qtbot, window, tmp_path: Path) -> None:
    photo = risky_jpeg(tmp_path / "a.jpg")
    drop_paths(window.drop_zone, [photo])
    wait_idle(qtbot, window, rows=1)
    window.stack.setCurrentWidget(window.splitter)
    assert drop_paths(window.table.viewport(), [photo, tmp_path])  # drops onto the list too
    wait_idle(qtbot, window, rows=1)
    assert window.session.model.rowCount() == 1


def test_selecting_a_row_shows_findings_in_plain_words(qtbot, window, tmp_path: Path) -> None:
    photo_folder(tmp_path / "album")
    drop_paths(window.drop_zone, [tmp_path / "album"])
    wait_idle(qtbot, window, rows=4)
    select(window, "holiday.jpg")
    qtbot.waitUntil(lambda: "Where" in window.detail.findings.texts(), timeout=5000)
    texts = window.detail.findings.texts()
    joined = "\n".join(texts)
    for heading in ("Where", "When", "Device", "Who"):
        assert heading in texts
    assert "Paris" in joined  # the place, in words
    assert "0123456789" in joined  # the body serial
    assert "Jane Doe" in joined
    assert window.detail.badge.accessibleName() == "Risk: High"
    # The "All metadata" tab lists the tags and filters them.
    tags = window.detail.tags
    assert tags.proxy.rowCount() > 3
    tags.filter.setText("serial")
    assert 1 <= tags.proxy.rowCount() < tags.model.rowCount()
    values = [tags.proxy.index(r, 2).data() for r in range(tags.proxy.rowCount())]
    assert any("0123456789" in v for v in values)
    # Every label in the findings pane is plain text.
    body = window.detail.findings.widget()
    assert all(lb.textFormat() == Qt.TextFormat.PlainText for lb in body.findChildren(QLabel))


def test_filter_by_risk(qtbot, window, tmp_path: Path) -> None:
    photo_folder(tmp_path / "album")
    drop_paths(window.drop_zone, [tmp_path / "album"])
    wait_idle(qtbot, window, rows=4)
    combo = window.filter_combo
    combo.setCurrentIndex(combo.findText("High"))
    names = {window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())}
    assert names == {"holiday.jpg", "nested.jpg"}
    combo.setCurrentIndex(combo.findText("Unknown"))
    names = {window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())}
    assert "notes.jpg" in names and "holiday.jpg" not in names
    combo.setCurrentIndex(combo.findText("All photos"))
    assert window.proxy.rowCount() == 4


def test_an_empty_tag_table_says_why(qtbot, window, tmp_path: Path) -> None:
    # A photo with no metadata showed a bare, empty "All metadata" table: a fault?
    plain_png(tmp_path / "plain.png")
    risky_jpeg(tmp_path / "holiday.jpg")
    drop_paths(window.drop_zone, [tmp_path])
    wait_idle(qtbot, window, rows=2)
    tags = window.detail.tags
    window.detail.tabs.setCurrentIndex(1)  # All metadata
    select(window, "plain.png")
    assert tags.model.rowCount() == 0
    assert tags.note.isVisibleTo(window) and tags.note.text() == "No tag was read from this file."
    select(window, "holiday.jpg")
    assert tags.model.rowCount() > 3 and not tags.note.isVisibleTo(window)
    tags.filter.setText("no such tag anywhere")
    assert tags.proxy.rowCount() == 0 and tags.note.text() == "No tag matches the filter."
    tags.filter.clear()
    assert not tags.note.isVisibleTo(window)
    window.table.clearSelection()
    window.detail.show_row(None)  # nothing shown: nothing claimed
    assert not tags.note.isVisibleTo(window)
