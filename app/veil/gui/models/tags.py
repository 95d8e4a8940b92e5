"""The "All metadata" tab: every tag read from the selected file, filterable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from veil.core.model import Tag
from veil.gui.text import safe_text

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Group", "Tag", "Value")
#: A tag value is shown up to this length (the rest is elided with a count).
VALUE_LIMIT = 300


class TagsModel(QAbstractTableModel):
    """Rows of (group, name, value); every value is hostile text, cleaned and capped."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_tags(self, tags: tuple[Tag, ...]) -> None:
        """Show these tags (cleaned once here, not on every paint)."""
        self.beginResetModel()
        self._rows = [
            (safe_text(t.group, 60), safe_text(t.name, 80), safe_text(t.value, VALUE_LIMIT))
            for t in tags
        ]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._rows[index.row()][index.column()]
        return None


class TagFilterProxy(QSortFilterProxyModel):
    """Case-insensitive substring filter over group, tag name and value."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)  # any column
