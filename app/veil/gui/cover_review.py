"""Stepping through the large covers before writing (issue 13: the export can no longer
black out a photo without the user having seen it).

The export pane asks about copies that will have more than a third of the picture covered;
"Look at them" starts a review here: the detail pane shows those photos one at a time as
their copies will be written ("What a recipient will see"), in the order the list shows
them, under the bar of :mod:`veil.gui.widgets.cover_steps` ("Large covers: 2 of 8",
Previous, Next, Done). Only the photo shown is selected, and the list scrolls to it; the
list keeps its filter, so the export's "all shown" still means what the user chose.
Done, or going back to the Export tab, ends the review: the recipient's view is put back
as it was and the Export tab is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QObject
from PySide6.QtWidgets import QAbstractItemView, QBoxLayout, QTableView, QWidget

from veil.gui.models.file_filter import RiskFilterProxy
from veil.gui.models.file_table import COL_NAME, ROW_ROLE, FileTableModel
from veil.gui.widgets.cover_steps import CoverStepBar
from veil.gui.widgets.detail import DetailPane

_SELECT_ROW = (
    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
)


class CoverReview(QObject):
    """One review at a time; :meth:`start` begins (or restarts) it, :meth:`done` ends it."""

    def __init__(
        self,
        table: QTableView,
        proxy: RiskFilterProxy,
        model: FileTableModel,
        detail: DetailPane,
        export_tab: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._table, self._proxy, self._model = table, proxy, model
        self._detail, self._export_tab = detail, export_tab
        self._keys: frozenset[str] = frozenset()
        self._recipient_before = False
        self.bar = CoverStepBar(detail)
        layout = detail.layout()
        assert isinstance(layout, QBoxLayout)
        layout.insertWidget(0, self.bar)  # above the tabs: on "What it reveals"
        self.bar.previous_clicked.connect(self.previous)
        self.bar.next_clicked.connect(self.next)
        self.bar.done_clicked.connect(self.done)
        table.selectionModel().currentRowChanged.connect(self._update)
        for signal in (proxy.layoutChanged, proxy.rowsRemoved, proxy.modelReset):
            signal.connect(self._update)  # sorted, filtered or removed: the count follows
        detail.tabs.currentChanged.connect(self._tab_changed)

    @property
    def active(self) -> bool:
        """True while the user steps through the large covers."""
        return bool(self._keys)

    def start(self, keys: list[str]) -> None:
        """Show the first of ``keys`` the list shows, as a recipient will see it."""
        if not self.active:
            self._recipient_before = self._detail.preview.recipient.isChecked()
        self._keys = frozenset(keys)
        rows = self._rows()
        if not rows:
            self._keys = frozenset()
            return
        self._detail.tabs.setCurrentIndex(0)
        self._go(rows[0][0])

    def next(self) -> None:
        """The next large cover down the list (from the row shown, whichever it is)."""
        current = self._table.currentIndex().row()
        after = [row for row, _key in self._rows() if row > current]
        if after:
            self._go(after[0])

    def previous(self) -> None:
        """The large cover before the row shown."""
        current = self._table.currentIndex().row()
        before = [row for row, _key in self._rows() if 0 <= row < current]
        if before:
            self._go(before[-1])

    def done(self) -> None:
        """End the review: the recipient's view as it was, and back to the Export tab."""
        if not self.active:
            return
        self._keys = frozenset()  # first: showing the Export tab calls back here
        self.bar.hide()
        self._detail.preview.recipient.setChecked(self._recipient_before)
        self._detail.tabs.setCurrentWidget(self._export_tab)

    def _rows(self) -> list[tuple[int, str]]:
        """(view row, key) of the review's photos the list shows, top to bottom."""
        found = []
        for key in self._keys:
            number = self._model.row_number(key)
            if number is None:
                continue  # taken off the list
            index = self._proxy.mapFromSource(self._model.index(number, COL_NAME))
            if index.isValid():
                found.append((index.row(), key))
        return sorted(found)

    def _go(self, row: int) -> None:
        index = self._proxy.index(row, COL_NAME)
        self._table.selectionModel().setCurrentIndex(index, _SELECT_ROW)
        self._table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        # After the row: the detail pane turns the recipient's view off for each new photo.
        self._detail.preview.recipient.setChecked(True)
        self._update()

    def _update(self, *_args: Any) -> None:
        """Say where the user is; end the review once none of its photos is listed."""
        if not self.active:
            return
        rows = self._rows()
        if not rows:
            self.done()
            return
        current = self._table.currentIndex()
        key = self._proxy.data(current, ROW_ROLE).key if current.isValid() else None
        number = next((n for n, (_row, k) in enumerate(rows, 1) if k == key), 0)
        row = current.row() if current.isValid() else -1
        self.bar.show_position(number, len(rows), rows[0][0] >= row, rows[-1][0] <= row)

    def _tab_changed(self, _index: int) -> None:
        if self._detail.tabs.currentWidget() is self._export_tab:
            self.done()  # the user went back to Export (not with Done)
