"""The list a camera-roll reviewer lives in (issue 16 items 2, 9 and 10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from tests.factories.gui_photos import not_an_image, plain_png, risky_jpeg
from tests.gui.helpers import darkest, drop_paths, narrow_with_scroll_bar, select, wait_idle
from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import COL_NAME, COL_STATUS, COL_SUMMARY, ROW_ROLE

NAMES = [
    "WhatsApp Image 2024-07-14 at 18.42.10.jpg",
    "WhatsApp Image 2024-07-14 at 18.42.11.jpg",
    "IMG_20230124_101500.jpg",
    "IMG_20230124_184210.jpg",
    "PXL_20240101_120000000.jpg",
    "zebra.png",
]


def _roll(root: Path) -> Path:
    root.mkdir()
    for name in NAMES:
        (plain_png if name.endswith(".png") else risky_jpeg)(root / name)
    return root


def _shown(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def test_names_elide_in_the_middle_and_the_column_stretches(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.add_paths([_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=len(NAMES))
    table, header = window.table, window.table.horizontalHeader()
    narrow = header.sectionSize(COL_NAME)
    window.resize(1600, 1000)
    QApplication.processEvents()
    wide = header.sectionSize(COL_NAME)
    assert wide > narrow >= 140  # it grows with the list
    # The user drags it; the new share is kept through the next resize.
    header.resizeSection(COL_NAME, wide + 120)
    window.resize(1280, 800)
    QApplication.processEvents()
    assert header.sectionSize(COL_NAME) > narrow + 60
    option = QStyleOptionViewItem()
    index = window.proxy.index(0, COL_NAME)
    table.itemDelegateForColumn(COL_NAME).initStyleOption(option, index)
    assert option.textElideMode is Qt.TextElideMode.ElideMiddle


def test_what_it_reveals_keeps_room_in_a_smaller_window(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # At 1024x700 the Name column's share left "What it reveals" 58 px: "Se…", "Lo…".
    window.add_paths([_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=len(NAMES))
    header = window.table.horizontalHeader()
    window.resize(1280, 800)
    QApplication.processEvents()
    assert header.sectionSize(COL_NAME) > 200  # room enough: Name keeps its share
    window.resize(1024, 700)
    QApplication.processEvents()
    assert header.sectionSize(COL_NAME) >= 140
    assert header.sectionSize(COL_SUMMARY) >= 100
    # Sized by hand, Name keeps the user's share even if the summary gets narrow.
    header.resizeSection(COL_NAME, 300)
    window.resize(1000, 700)
    QApplication.processEvents()
    assert header.sectionSize(COL_NAME) > 250


def test_headers_stay_whole_at_1024x700_with_a_scroll_bar(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from veil.gui.models.file_table import HEADERS

    # Seen by a hostile tester: with rows enough for a scroll bar, "What it reveals" was
    # ~95 px and its header read "What it rev" (the bar took its room after the fit).
    narrow_with_scroll_bar(qtbot, window, tmp_path / "roll")
    table = window.table
    header = table.horizontalHeader()
    # Drawn semibold (the style sheet's font-weight: 600) with 8 px padding each side and
    # the sort arrow beside the words.
    font = QFont(header.font())
    font.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetrics(font)
    for col in range(1, len(HEADERS)):
        need = metrics.horizontalAdvance(HEADERS[col]) + 16 + 10
        assert header.sectionSize(col) >= need, (HEADERS[col], header.sectionSize(col), need)
    # Without scrolling sideways.
    assert header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    # With room again, Status gets its usual width back.
    window.resize(1280, 800)
    QApplication.processEvents()
    assert header.sectionSize(COL_STATUS) == 132


def test_find_by_name_type_to_jump_and_end(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.add_paths([_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=len(NAMES))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.find_box
    qtbot.keyClicks(window.find_box, "whatsapp")
    assert sorted(_shown(window)) == NAMES[:2]
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.table
    window.find_box.clear()
    assert len(_shown(window)) == len(NAMES)

    window.table.setFocus()
    window.select_first()
    qtbot.keyClicks(window.table, "PXL")
    assert window.table.currentIndex().data(ROW_ROLE).name == "PXL_20240101_120000000.jpg"
    qtbot.keyClick(window.table, Qt.Key.Key_End)
    last = window.proxy.rowCount() - 1
    assert window.table.currentIndex().row() == last
    qtbot.keyClick(window.table, Qt.Key.Key_Home)
    assert window.table.currentIndex().row() == 0


def test_non_photos_are_listed_apart_and_failed_only_filter(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    roll = _roll(tmp_path / "roll")
    (roll / "notes.txt").write_text("shopping list\n")
    (roll / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (roll / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(60))
    not_an_image(roll / "broken.jpg")  # named like a photo: stays among the photos
    assert drop_paths(window.drop_zone, [roll])
    wait_idle(qtbot, window, rows=len(NAMES) + 4)
    window.update_status()
    shown = _shown(window)
    assert "notes.txt" not in shown and "Thumbs.db" not in shown and "broken.jpg" in shown
    assert window.status.apart.isVisibleTo(window)
    assert window.status.apart.text() == "3 files Veil doesn't check"
    assert "unknown" in window.status_label.text()  # broken.jpg; the 3 others are not counted
    assert "7 files" in window.status_label.text()

    window.status.apart.click()
    assert sorted(_shown(window)) == ["Thumbs.db", "notes.txt", "scan.pdf"]
    combo = window.filter_combo
    combo.setCurrentIndex(combo.findText("Failed only"))
    assert _shown(window) == ["broken.jpg"]
    combo.setCurrentIndex(combo.findText("All photos"))
    assert len(_shown(window)) == len(NAMES) + 1


def test_clear_list_empties_it_disables_export_and_undo_restores(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.add_paths([_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=len(NAMES))
    window.select_first()
    QApplication.processEvents()
    assert any(r.thumbnail is not None for r in window.session.model.rows)
    kept = list(window.session.model.rows)
    window.clear_action.trigger()
    assert window.session.model.rowCount() == 0
    assert window.stack.currentWidget() is window.drop_zone
    assert not window.export_action.isEnabled()
    assert not window.privacy_action.isEnabled()
    assert not window.clear_action.isEnabled()
    assert all(r.thumbnail is None for r in kept)  # memory is handed back at once
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert window.session.model.rowCount() == len(NAMES)
    assert window.export_action.isEnabled()
    assert not window.undo_action.isEnabled()


def test_takeout_location_under_where_and_broken_files_in_plain_words(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    import json

    from tests.gui.helpers import select

    roll = tmp_path / "roll"
    roll.mkdir()
    plain_png(roll / "IMG_1234.png")
    takeout = {"geoData": {"latitude": 48.8584, "longitude": 2.2945, "altitude": 35.0}}
    (roll / "IMG_1234.png.json").write_text(json.dumps(takeout))
    data = risky_jpeg(roll / "seed.jpg").read_bytes()
    (roll / "seed.jpg").unlink()
    (roll / "broken.jpg").write_bytes(data[:400])  # cut inside the coding tables
    assert drop_paths(window.drop_zone, [roll])
    wait_idle(qtbot, window, rows=2)

    select(window, "IMG_1234.png")
    findings = window.detail.findings
    qtbot.waitUntil(lambda: "Where" in findings.texts(), timeout=5000)
    texts = findings.texts()
    where = texts[texts.index("Where") :]
    listed = [t for t in where if "IMG_1234.png.json" in t]
    assert listed and "where it was taken" in listed[0]
    assert "Other" not in texts

    select(window, "broken.jpg")
    qtbot.waitUntil(lambda: any("cut short" in t for t in findings.texts()), timeout=5000)
    shown = " ".join(findings.texts())
    for jargon in ("Truncated File Read", "APP0", "segment", "marker", "not processed"):
        assert jargon not in shown


def test_a_list_the_search_empties_says_so(qtbot, window: MainWindow, tmp_path: Path) -> None:
    # Typing a name nothing matches left a blank white list: were the files lost?
    window.add_paths([_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=len(NAMES))
    table = window.table
    assert table.empty_text() == ""
    window.find_box.setText("no such name")
    QApplication.processEvents()
    assert window.proxy.rowCount() == 0
    assert table.empty_text() == "No file matches the search or the Show filter."
    assert darkest(table.viewport()) < 150  # the words are drawn
    window.find_box.clear()
    window.clear_list()  # no file at all: the drop zone says what to do, not the list
    assert table.empty_text() == "" and darkest(table.viewport()) > 200


def test_the_photo_the_detail_shows_is_marked_in_the_list(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # After a drop the list takes the focus and Qt makes its first row current without
    # selecting it: the detail pane showed that photo, and no row was marked for it.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    assert drop_paths(window.drop_zone, [_roll(tmp_path / "roll")])
    wait_idle(qtbot, window, rows=len(NAMES))
    qtbot.waitUntil(lambda: window.detail.key is not None, timeout=5000)
    assert window.selected_keys() == [window.detail.key]
    # The selected row leaves the view (here a search; also a file found to be no photo):
    # Qt moves the current row, which the detail pane shows, to a neighbour it leaves
    # unselected.
    select(window, "zebra.png")
    window.find_box.setText("IMG_")
    qtbot.waitUntil(lambda: window.detail.key is not None and "IMG_" in window.detail.key)
    qtbot.waitUntil(lambda: window.selected_keys() == [window.detail.key], timeout=2000)
