"""The file list view: sorted by risk, badges painted, thumbnails, never ResizeToContents.

Names are elided in the middle (``IMG_20230124_…_184210.jpg`` keeps the time that tells
two photos apart); the Name column can be dragged wider and otherwise keeps its share of
the list's width. Typing a name's first letters jumps to it; Home and End go to the first
and last rows. A list the search or the Show filter empties says so (a blank list looked
like lost files).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFocusEvent, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from veil.gui.models.file_filter import (
    KIND_APART,
    KIND_FAILED,
    KIND_PARTIAL,
    KIND_PHOTOS,
    RiskFilterProxy,
)
from veil.gui.models.file_table import (
    COL_NAME,
    COL_RISK,
    COL_STATUS,
    COL_SUMMARY,
    COL_THUMB,
    THUMB_SIZE,
)
from veil.gui.states import Badge
from veil.gui.style import MUTED
from veil.gui.widgets.badges import BadgeDelegate
from veil.gui.widgets.status_cell import StatusDelegate
from veil.gui.widgets.thumb_cell import ThumbnailDelegate

#: The "Show" choices: (label, badges shown or None for all, kind of rows).
FILTERS: tuple[tuple[str, frozenset[Badge] | None, str], ...] = (
    ("All photos", None, KIND_PHOTOS),
    ("Needs attention", frozenset({Badge.HIGH, Badge.MEDIUM, Badge.UNKNOWN}), KIND_PHOTOS),
    ("High", frozenset({Badge.HIGH}), KIND_PHOTOS),
    ("Medium", frozenset({Badge.MEDIUM}), KIND_PHOTOS),
    ("Low", frozenset({Badge.LOW}), KIND_PHOTOS),
    ("Unknown", frozenset({Badge.UNKNOWN}), KIND_PHOTOS),
    ("None found", frozenset({Badge.NONE}), KIND_PHOTOS),
    ("Still checking", frozenset({Badge.CHECKING}), KIND_PHOTOS),
    ("Partly checked", None, KIND_PARTIAL),
    ("Failed only", None, KIND_FAILED),
    ("Files Veil doesn't check", None, KIND_APART),
)
#: Drawn in an emptied list (files are listed, none passes the search or the Show filter).
NOTHING_SHOWN = "No file matches the search or the Show filter."
#: Share of the list's width the Name column takes until the user drags it.
NAME_SHARE = 0.34
NAME_MIN = 140
#: Width "What it reveals" keeps before the Name column gives way (down to NAME_MIN), until
#: the user sizes Name by hand: at 1024 px the share alone left it 58 px ("Se…", "Lo…").
SUMMARY_MIN = 140
#: Status's usual width; below that, it gives way (down to its header's width) so "What it
#: reveals" keeps its header whole: at 1024x700 with a scroll bar it read "What it rev".
STATUS_WIDTH = 132
#: Room beside a header's words: the style sheet's 8 px padding each side and the sort arrow.
HEADER_PAD = 32


class MiddleElideDelegate(QStyledItemDelegate):
    """Draws text elided in the middle (the start and the end of a file name both count)."""

    def initStyleOption(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle  # type: ignore[attr-defined]


class FileListView(QTableView):
    """A QTableView configured for the file list (multi-select, sortable, drop target)."""

    help_requested = Signal()

    def __init__(self, proxy: RiskFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Kept typed: model() is a plain QAbstractItemModel to the type checker.
        self._proxy = proxy
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
        header.setMinimumSectionSize(48)
        for col, width in (
            (COL_THUMB, THUMB_SIZE + 16),
            (COL_NAME, 220),
            (COL_RISK, 126),
            (COL_STATUS, STATUS_WIDTH),
        ):
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_THUMB, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.name_share = NAME_SHARE
        self.name_dragged = False  # the user sized Name: their share wins over SUMMARY_MIN
        self.status_width = STATUS_WIDTH  # as the user last sized it
        self._sizing = False
        header.sectionResized.connect(self._section_resized)
        self.setItemDelegateForColumn(COL_THUMB, ThumbnailDelegate(self))
        self.setItemDelegateForColumn(COL_NAME, MiddleElideDelegate(self))
        self.setItemDelegateForColumn(COL_RISK, BadgeDelegate(self))
        self.status_delegate = StatusDelegate(self)
        self.setItemDelegateForColumn(COL_STATUS, self.status_delegate)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setAccessibleName("Photos")

    # The Name column: stretches with the list, resizable by hand ----------------------------
    def _section_resized(self, section: int, _old: int, new: int) -> None:
        if self._sizing:
            return
        if section == COL_NAME and self.viewport().width() > 0:
            self.name_share = min(0.8, max(0.1, new / self.viewport().width()))
            self.name_dragged = True
        elif section == COL_STATUS:
            self.status_width = new

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # The viewport, not the view: a vertical scroll bar shown once rows fill the list
        # narrows it without resizing the view (it took "What it reveals" down to 95 px).
        if event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().viewportEvent(event)

    def _fit_columns(self) -> None:
        """Name keeps its share of the width; short of room it gives way (down to NAME_MIN)
        so "What it reveals" keeps SUMMARY_MIN and its header whole, then Status gives way
        (its words elide, a tooltip holds them) down to its header's width."""
        self._sizing = True
        header = self.horizontalHeader()
        room = self.viewport().width()
        width = round(room * self.name_share)
        status = self.status_width
        if not self.name_dragged:
            summary = max(SUMMARY_MIN, self._header_width(COL_SUMMARY))
            fixed = header.sectionSize(COL_THUMB) + header.sectionSize(COL_RISK) + summary
            status = max(self._header_width(COL_STATUS), min(status, room - fixed - NAME_MIN))
            width = min(width, room - fixed - status)
        header.resizeSection(COL_STATUS, status)
        header.resizeSection(COL_NAME, max(NAME_MIN, width))
        self._sizing = False

    def _header_width(self, col: int) -> int:
        """The narrowest width that shows ``col``'s header whole (drawn semibold)."""
        font = QFont(self.horizontalHeader().font())
        font.setWeight(QFont.Weight.DemiBold)
        text = str(self.model().headerData(col, Qt.Orientation.Horizontal) or "")
        return QFontMetrics(font).horizontalAdvance(text) + HEADER_PAD

    def empty_text(self) -> str:
        """What the list says in place of rows ("" while it shows rows, or has none)."""
        proxy = self._proxy
        if proxy.rowCount() or not proxy.sourceModel().rowCount():
            return ""
        return NOTHING_SHOWN

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        text = self.empty_text()
        if text:
            painter = QPainter(self.viewport())
            painter.setPen(QColor(MUTED))
            area = self.viewport().rect().adjusted(16, 32, -16, 0)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            painter.drawText(area, int(flags | Qt.TextFlag.TextWordWrap), text)
            painter.end()

    # The row the detail pane shows (the current one) is marked ------------------------------
    # Qt leaves a current row unselected in two cases, and the detail pane then showed a photo
    # no row was marked for: on focus (after a drop) it makes the first row current without
    # selecting it, and when the selected rows leave the view (a file found to be no photo
    # leaves "All photos") it moves the current row to a neighbour, selecting nothing.
    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        had_current = self.currentIndex().isValid()
        super().focusInEvent(event)
        if not had_current:
            self._mark_current()

    def rowsAboutToBeRemoved(  # noqa: N802 - Qt's name
        self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int
    ) -> None:
        if self.selectionModel().hasSelection():
            QTimer.singleShot(0, self, self._mark_current)  # once Qt has moved the current
        super().rowsAboutToBeRemoved(parent, start, end)

    def _mark_current(self) -> None:
        current = self.currentIndex()
        if current.isValid() and not self.selectionModel().hasSelection():
            flag = QItemSelectionModel.SelectionFlag
            self.selectionModel().select(current, flag.Select | flag.Rows)

    # Keyboard ---------------------------------------------------------------------------------
    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt's name
        """Type-to-jump always searches file names, whatever column has the focus.

        "?" is not searched for: it opens the shortcuts window (the view takes printable
        keys before any shortcut sees them).
        """
        if search == "?":
            self.help_requested.emit()
            return
        current = self.currentIndex()
        if current.isValid() and current.column() != COL_NAME:
            self.selectionModel().setCurrentIndex(
                current.siblingAtColumn(COL_NAME),
                self.selectionModel().SelectionFlag.NoUpdate,
            )
        elif not current.isValid() and self.model().rowCount():
            self.selectionModel().setCurrentIndex(
                self.model().index(0, COL_NAME), self.selectionModel().SelectionFlag.NoUpdate
            )
        super().keyboardSearch(search)

    def moveCursor(  # noqa: N802 - Qt's name
        self, action: QAbstractItemView.CursorAction, modifiers: Any
    ) -> QModelIndex:
        """Home and End go to the first and the last row (not the row's first/last cell)."""
        rows = self.model().rowCount()
        column = max(COL_NAME, self.currentIndex().column())
        if action is QAbstractItemView.CursorAction.MoveHome and rows:
            return self.model().index(0, column)
        if action is QAbstractItemView.CursorAction.MoveEnd and rows:
            return self.model().index(rows - 1, column)
        return super().moveCursor(action, modifiers)
