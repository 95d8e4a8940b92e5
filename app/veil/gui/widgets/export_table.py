"""The export table with its filter, a details line for the current row, and Copy.

Rows are sortable by any column (Result sorts problems first) and filterable ("Problems
only"). The full reason of the current row is shown in a selectable details line and in
the tooltip; Ctrl+C or "Copy details" copies the selected rows (or every problem) as text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from veil.gui.models.export_results import (
    COL_KEPT,
    COL_REMOVED,
    COL_RESULT,
    COL_SAVED,
    DETAIL_ROLE,
    FILTERS,
    RANK_ROLE,
    ExportFilterProxy,
    ExportResultsModel,
)
from veil.gui.text import breakable
from veil.gui.widgets.findings_panel import plain_label

#: Each column's width when the table has room (the last one also takes what is left);
#: scaled down, 'Removed' keeps room for its header at 1024 px wide.
COLUMN_WIDTHS = (150, 210, 120, 110, 160)
#: No column is made narrower than this to fit (below it the table scrolls sideways).
MIN_COLUMN = 56
#: Narrower than this, "Saved as" stays hidden (its name is in the details line): at
#: 1024x700 (~390 px) the five columns left Result "Verifi…", "Skip…", "Faile…", and at
#: 1280x800 (~530 px) "Verified clea…" without its "· 2 areas covered".
SAVED_AS_ROOM = 600
#: Room beside a header's words (margins, the sort arrow's gap): narrower, they were cut
#: ('Removec' at 1024x700).
HEADER_PAD = 26


class ElideRight(QStyledItemDelegate):
    """Reasons and lists are cut at their end (the start says what happened)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight  # type: ignore[attr-defined]


class ExportTable(QWidget):
    """Table + filter + details line over an :class:`ExportResultsModel`."""

    #: Keys of rows the user wants to look at (double-click on a planned row).
    look_requested = Signal(list)

    def __init__(self, model: ExportResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = ExportFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show export rows")
        for text, _ in FILTERS:
            self.filter.addItem(text)
        self.filter.currentIndexChanged.connect(lambda i: self.proxy.set_rank(FILTERS[i][1]))
        self.copy = QPushButton("Copy details")
        self.copy.setToolTip("Copy the selected rows, or every problem, as text")
        self.copy.clicked.connect(self.copy_details)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_RESULT, Qt.SortOrder.AscendingOrder)  # problems first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # names keep their end
        self._elide_right = ElideRight(self.table)
        for col in (COL_RESULT, COL_REMOVED, COL_KEPT):
            self.table.setItemDelegateForColumn(col, self._elide_right)
        self.table.setAccessibleName("Export results")
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never ResizeToContents
        header.setStretchLastSection(True)
        #: True once the user sized a column: then the columns are left as the user set them.
        self.user_sized = False
        self._fitting = False
        self._header_pressed = False  # a mouse button is down on the header
        header.viewport().installEventFilter(self)
        header.sectionResized.connect(self._section_resized)
        # "Saved as" stays empty until something is saved: hidden until then, so the
        # columns that say something get its room.
        for signal in (model.modelReset, model.rowsInserted, model.dataChanged):
            signal.connect(self._show_saved_as)
        self._show_saved_as()
        self.table.viewport().installEventFilter(self)
        self.table.doubleClicked.connect(self._double_clicked)
        # The view would copy one cell on Ctrl+C: copy whole rows' details instead.
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.details = plain_label("", name="Muted")
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.details.setAccessibleName("Details of the selected row")
        top = QHBoxLayout()
        top.addWidget(plain_label("Show", wrap=False))
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        model.modelReset.connect(lambda: self.details.setText(""))

    def _section_resized(self, *_: object) -> None:
        # Only a drag on the header is the user's: Qt resizes sections itself too (the
        # stretched last one, a hidden column shown again).
        if self._header_pressed and not self._fitting:
            self.user_sized = True

    def _show_saved_as(self, *_: object) -> None:
        # Only when some copy's name differs from its photo's (renamed, "photo (1).jpg",
        # .clean.jpg, HEIC to JPEG): else it repeats the Photo column and cut Result to
        # "Verified clean …" at 1280x800. A failed or skipped copy has no output: an export
        # where every copy failed showed an all-dash column and cut 'Failed: cannot…' short.
        saved = any(e.result is not None and e.result.output is not None
                    and e.result.output.name != e.result.source.name
                    for e in self.model.entries())
        saved = saved and self.table.viewport().width() >= SAVED_AS_ROOM
        if self.table.isColumnHidden(COL_SAVED) == saved:
            self.table.setColumnHidden(COL_SAVED, not saved)
            self.fit_columns()

    def fit_columns(self) -> None:
        """Give the shown columns their usual widths, scaled down to the table's width when
        it is narrower (a 1024-wide window's pane: 'Kept' was only reachable by scrolling
        sideways). Once the user sizes a column by hand, nothing is changed."""
        if self.user_sized:
            return
        shown = [c for c in range(len(COLUMN_WIDTHS)) if not self.table.isColumnHidden(c)]
        room = self.table.viewport().width()
        wanted = sum(COLUMN_WIDTHS[c] for c in shown)
        scale = min(1.0, room / wanted) if wanted and room > 0 else 1.0
        header = self.table.horizontalHeader()
        floors = {c: self._header_width(c) for c in shown}
        widths = {c: max(floors[c], int(COLUMN_WIDTHS[c] * scale)) for c in shown}
        # A header kept whole takes its room from the columns above their own floor.
        over = sum(widths.values()) - room
        spare = {c: widths[c] - floors[c] for c in shown}
        if over > 0 and room > 0 and sum(spare.values()) > 0:
            total = sum(spare.values())
            for c in shown:
                widths[c] -= min(spare[c], -(-over * spare[c] // total))
        self._fitting = True
        try:
            for col in shown:
                header.resizeSection(col, widths[col])
        finally:
            self._fitting = False

    def _header_width(self, col: int) -> int:
        """The narrowest width that shows ``col``'s header whole."""
        text = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
        metrics = self.table.horizontalHeader().fontMetrics()
        return max(MIN_COLUMN, metrics.horizontalAdvance(text) + HEADER_PAD)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        text = str(current.data(DETAIL_ROLE) or "") if current.isValid() else ""
        # Breakable: a long name or reason wraps instead of widening the window.
        self.details.setText(breakable(text))

    def _double_clicked(self, index: QModelIndex) -> None:
        entry = self.model.entries()[self.proxy.mapToSource(index).row()]
        if entry.plan is not None and entry.result is None:
            self.look_requested.emit([entry.plan.key])

    def detail_lines(self, rows: list[int] | None = None) -> list[str]:
        """Details of the given view rows; default: selected rows, else every problem."""
        if rows is None:
            rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        if not rows:
            rows = [
                r
                for r in range(self.proxy.rowCount())
                if self.proxy.index(r, 0).data(RANK_ROLE) == 0
            ]
        return [str(self.proxy.index(r, 0).data(DETAIL_ROLE)) for r in rows]

    def copy_details(self) -> str:
        """Copy :meth:`detail_lines` to the clipboard; returns the text."""
        text = "\n".join(self.detail_lines())
        QGuiApplication.clipboard().setText(text)
        return text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._show_saved_as()  # fits the columns when it shows or hides "Saved as"
            self.fit_columns()
            return False
        if watched is self.table.horizontalHeader().viewport() and event.type() in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
        ):
            self._header_pressed = event.type() == QEvent.Type.MouseButtonPress
            return False
        if (
            watched is self.table
            and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
        ):
            if event.type() == QEvent.Type.KeyPress:
                self.copy_details()
            event.accept()
            return True
        return super().eventFilter(watched, event)
