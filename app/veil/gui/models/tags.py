"""The "All metadata" tab: every tag read from the selected file, filterable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from veil.core.model import Tag
from veil.gui.models.row_list import AnyIndex, RowListModel
from veil.gui.text import safe_text

HEADERS = ("Group", "Tag", "Value")
#: A tag value is shown up to this length (the rest is elided with a count).
VALUE_LIMIT = 300


class TagsModel(RowListModel[tuple[str, str, str]]):
    """Rows of (group, name, value); every value is hostile text, cleaned and capped."""

    HEADERS = HEADERS

    def set_tags(self, tags: tuple[Tag, ...]) -> None:
        """Show these tags (cleaned once here, not on every paint)."""
        self.beginResetModel()
        self._items = [
            (safe_text(t.group, 60), safe_text(t.name, 80), safe_text(t.value, VALUE_LIMIT))
            for t in tags
        ]
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row(index)
        if row is not None and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return row[index.column()]
        return None


class TagFilterProxy(QSortFilterProxyModel):
    """Case-insensitive substring filter over group, tag name and value."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)  # any column
