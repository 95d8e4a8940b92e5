"""The file list view: sorted by risk, badges painted, thumbnails, never ResizeToContents."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from veil.gui.models.file_table import (
    COL_NAME,
    COL_RISK,
    COL_STATUS,
    COL_SUMMARY,
    COL_THUMB,
    THUMB_SIZE,
    RiskFilterProxy,
)
from veil.gui.states import Badge
from veil.gui.widgets.badges import BadgeDelegate

#: The risk filter's choices: (label, badges shown; None = all).
FILTERS: tuple[tuple[str, frozenset[Badge] | None], ...] = (
    ("All photos", None),
    ("Needs attention", frozenset({Badge.HIGH, Badge.MEDIUM, Badge.UNKNOWN})),
    ("High", frozenset({Badge.HIGH})),
    ("Medium", frozenset({Badge.MEDIUM})),
    ("Low", frozenset({Badge.LOW})),
    ("Unknown", frozenset({Badge.UNKNOWN})),
    ("None found", frozenset({Badge.NONE})),
    ("Still checking", frozenset({Badge.CHECKING})),
)


class FileListView(QTableView):
    """A QTableView configured for the file list (multi-select, sortable, drop target)."""

    def __init__(self, proxy: RiskFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.sortByColumn(COL_RISK, Qt.SortOrder.DescendingOrder)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list; arrows move between rows
        self.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(THUMB_SIZE + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never ResizeToContents
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col, width in (
            (COL_THUMB, THUMB_SIZE + 16),
            (COL_NAME, 140),
            (COL_RISK, 138),
            (COL_STATUS, 150),
        ):
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_THUMB, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.setItemDelegateForColumn(COL_RISK, BadgeDelegate(self))
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setAccessibleName("Photos")
