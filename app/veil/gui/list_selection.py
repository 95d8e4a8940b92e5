"""Which rows of the file list the user means, and selecting rows for them.

Rows are named by key (a row's resolved path), in the order the list shows them (sorted
and filtered by ``proxy``); nothing here holds on to a row.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QTableView

from veil.gui.models.file_filter import RiskFilterProxy
from veil.gui.models.file_table import COL_NAME, ROW_ROLE, FileTableModel

_ROWS = QItemSelectionModel.SelectionFlag.Rows


def selected_keys(table: QTableView, proxy: RiskFilterProxy) -> list[str]:
    """Keys of the selected rows, in view order."""
    rows = table.selectionModel().selectedRows()
    return [proxy.data(i, ROW_ROLE).key for i in sorted(rows, key=lambda i: i.row())]


def shown_keys(proxy: RiskFilterProxy) -> list[str]:
    """Keys of every row the filter shows, in view order."""
    return [proxy.data(proxy.index(r, 0), ROW_ROLE).key for r in range(proxy.rowCount())]


def select_keys(
    table: QTableView, proxy: RiskFilterProxy, model: FileTableModel, keys: list[str]
) -> QModelIndex | None:
    """Select exactly the shown rows of ``keys``; the first becomes current (without
    changing the selection) and is scrolled into view. Returns it, or None if none is shown."""
    selection = table.selectionModel()
    selection.clearSelection()
    first = None
    for key in keys:
        number = model.row_number(key)
        index = None if number is None else proxy.mapFromSource(model.index(number, COL_NAME))
        if index is not None and index.isValid():
            selection.select(index, QItemSelectionModel.SelectionFlag.Select | _ROWS)
            if first is None:
                first = index
    if first is not None:
        selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        table.scrollTo(first)
    return first


def select_first(table: QTableView, proxy: RiskFilterProxy) -> None:
    """Select the top row (as sorted) and make it current."""
    if proxy.rowCount():
        index = proxy.index(0, COL_NAME)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | _ROWS
        table.selectionModel().setCurrentIndex(index, flags)
