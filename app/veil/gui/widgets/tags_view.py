"""Every tag read from the selected file, with a filter box (the "All metadata" tab).

An empty table says why: no tag was read from the file, or none matches the filter (a
blank table alone looked like a fault).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from veil.core.model import Tag
from veil.gui.models.tags import TagFilterProxy, TagsModel
from veil.gui.widgets.findings_panel import plain_label

NO_TAGS = "No tag was read from this file."
NO_MATCH = "No tag matches the filter."


class TagsView(QWidget):
    """Every tag read, with a filter box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TagsModel(self)
        self.proxy = TagFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter tags (name or value)")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter tags")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(self._update_note)
        self.note = plain_label("", name="Muted")
        self.note.hide()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.resizeSection(0, 110)
        header.resizeSection(1, 190)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 10)
        layout.addWidget(self.filter)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self._read = False

    def show_tags(self, tags: tuple[Tag, ...] | None) -> None:
        """Show the tags read from a file; None: nothing read (yet), so nothing is claimed."""
        self._read = tags is not None
        self.model.set_tags(tags or ())
        self._update_note()

    def _update_note(self, *_args: object) -> None:
        if self._read and not self.model.rowCount():
            text = NO_TAGS
        elif self.model.rowCount() and not self.proxy.rowCount():
            text = NO_MATCH
        else:
            text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))
