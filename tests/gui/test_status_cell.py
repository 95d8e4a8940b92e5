"""The Status column reads whole at 1024x700 (it read "Partly che…", the rest in a tooltip)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyleOptionViewItem

from tests.gui.helpers import narrow_with_scroll_bar
from veil.core.audit import audit_file
from veil.gui.main_window import MainWindow
from veil.gui.models.export_wording import Caution
from veil.gui.models.file_row import FileRow
from veil.gui.models.file_table import COL_STATUS
from veil.gui.states import (
    CHECK_WORDS,
    PARTLY_CHECKED,
    SAVED_UNCHECKED_WORDS,
    STATUS_WORDS,
    RowState,
)
from veil.gui.widgets.status_cell import text_rect, wrapped_lines


def _cell_option(window: MainWindow, row: int) -> QStyleOptionViewItem:
    table = window.table
    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    option.rect = table.visualRect(window.proxy.index(row, COL_STATUS))
    option.widget = table
    option.font = table.font()
    return option


def test_every_status_reads_whole_in_a_1024_wide_window(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    narrow_with_scroll_bar(qtbot, window, tmp_path / "roll")  # the narrowest the column gets
    table, model = window.table, window.session.model
    header = table.horizontalHeader()
    assert header.sectionSize(COL_STATUS) < 100
    assert (window.width(), window.height()) == (1024, 700)

    # Rows as a long check leaves them: cancelled part-way, failed, exported.
    rows = model.rows
    rows[0].report = audit_file(rows[0].path, metadata_only=True)  # faces not looked at
    rows[0].set_audit_state(RowState.CANCELLED)  # Cancel then: partly checked
    rows[1].report = None
    rows[1].set_audit_state(RowState.CANCELLED)
    rows[2].set_audit_state(RowState.ERROR)
    rows[3].show_export(RowState.EXPORTED)
    rows[4].show_export(RowState.EXPORT_FAILED)
    rows[5].set_audit_state(RowState.CHECKING_PIXELS)
    rows[6].caution = Caution(unchecked=("faces", "marks"))  # saved after Cancel stopped them
    rows[6].show_export(RowState.EXPORTED)
    model.rows_changed(r.key for r in rows)
    delegate = table.status_delegate
    shown = set()
    for r in range(window.proxy.rowCount()):
        index = window.proxy.index(r, COL_STATUS)
        lines = delegate.lines(_cell_option(window, r), index)
        words = str(index.data())
        assert " ".join(lines) == words, (lines, words)  # whole: nothing elided
        # The sentence stays in the tooltip and for screen readers.
        sentence = index.data(Qt.ItemDataRole.AccessibleTextRole)
        assert sentence and sentence in str(index.data(Qt.ItemDataRole.ToolTipRole))
        shown.add(words)
    assert {"Partly checked (cancelled)", "Not checked (cancelled)", "Clean copy saved",
            "Saved — not checked"} <= shown

    # Every word the cell can say fits the cell at this width (three lines a row).
    option = _cell_option(window, 0)
    rect = text_rect(option)
    metrics = QFontMetrics(table.font())
    most = rect.height() // metrics.lineSpacing()
    assert most >= 2
    said = [*STATUS_WORDS.values(), PARTLY_CHECKED, f"{PARTLY_CHECKED} (cancelled)",
            *SAVED_UNCHECKED_WORDS.values()]
    for words in said:
        assert " ".join(wrapped_lines(words, metrics, rect.width(), most)) == words


def test_wrapped_lines_elide_only_what_does_not_fit() -> None:
    from PySide6.QtGui import QFont

    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance("Partly checked") + 2
    assert wrapped_lines("Partly checked (cancelled)", metrics, width, 3) == [
        "Partly checked",
        "(cancelled)",
    ]
    narrow = metrics.horizontalAdvance("one") + 2
    cut = wrapped_lines("one two three four five six", metrics, narrow, 2)
    assert len(cut) == 2 and cut[0] == "one" and cut[1].endswith("…")


def _saved(caution: Caution) -> FileRow:
    row = FileRow(Path("p.jpg"), "p", state=RowState.EXPORTED)
    row.caution = caution
    return row


def test_every_check_not_run_has_its_few_words(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The short words follow the checks that did not run, whatever the sentence says: they
    were looked up by the sentence, so a reworded one would silently show it cut instead."""
    names = tuple(CHECK_WORDS.values())
    combos = [names[:1], names[1:], names]  # as a plan lists them: in CHECK_WORDS order
    assert set(combos) == set(SAVED_UNCHECKED_WORDS)
    for unchecked in combos:
        row = _saved(Caution(unchecked=unchecked))
        assert row.status_word == SAVED_UNCHECKED_WORDS[unchecked]
        assert row.status == f"Copy saved — {' and '.join(unchecked)} not checked"
    monkeypatch.setattr(Caution, "text", lambda self, written=True: "reworded")
    assert _saved(Caution(unchecked=names)).status_word == "Saved — not checked"
    assert _saved(Caution(unchecked=names)).status == "Copy saved — reworded"


def test_a_copy_that_shows_a_face_says_so_in_the_cell() -> None:
    row = _saved(Caution(shows=("1 face",), unchecked=("marks",)))
    assert row.status_word == row.status == "Copy saved — still shows 1 face; marks not checked"
    assert _saved(Caution()).status_word == "Clean copy saved"
