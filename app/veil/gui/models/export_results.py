"""Per-file export results: "Verified clean" or the reason it failed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from veil.core.model import ExportResult, ExportStatus
from veil.gui.assets import icon
from veil.gui.models.row_list import AnyIndex, RowListModel
from veil.gui.text import rich_escaped, safe_text

HEADERS = ("Photo", "Result", "Saved as")


def result_text(result: ExportResult) -> str:
    """The words for one result; "Verified clean" only for a cleaned *and* verified file."""
    if result.status is ExportStatus.CLEANED and result.verified:
        return "Verified clean" + ("" if result.lossless else " (re-encoded)")
    if result.status is ExportStatus.CLEANED:
        return "Saved, but not verified"
    if result.status is ExportStatus.SKIPPED:
        return safe_text(f"Skipped: {result.error or 'no reason given'}", 200)
    return safe_text(f"Failed: {result.error or 'no reason given'}", 200)


def is_verified(result: ExportResult) -> bool:
    """True for a cleaned and verified copy."""
    return result.status is ExportStatus.CLEANED and result.verified


class ExportResultsModel(RowListModel[ExportResult]):
    """One row per exported file, in the order they finished."""

    HEADERS = HEADERS

    @property
    def results(self) -> list[ExportResult]:
        """Results so far (read-only by convention)."""
        return self._items

    def clear(self) -> None:
        """Forget previous results (a new export started)."""
        self.beginResetModel()
        self._items = []
        self.endResetModel()

    def append(self, results: list[ExportResult]) -> None:
        """Add a batch of results."""
        if not results:
            return
        first = len(self._items)
        self.beginInsertRows(QModelIndex(), first, first + len(results) - 1)
        self._items.extend(results)
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        result = self._row(index)
        if result is None:
            return None
        col = index.column()
        ok = is_verified(result)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return safe_text(result.source.name, 160)
            if col == 1:
                return result_text(result)
            if col == 2:
                return safe_text(result.output.name, 160) if result.output else "—"
        if role == Qt.ItemDataRole.DecorationRole and col == 1:
            return icon("verified-dark" if ok else "failed-dark")
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return QColor("#1E6B34" if ok else "#B3261E")
        if role == Qt.ItemDataRole.ToolTipRole and col in (0, 2):
            path = result.source if col == 0 else result.output
            return rich_escaped(path, 600) if path else None
        return None
