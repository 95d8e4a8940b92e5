"""The file list: one row per dropped file, over frozen :class:`FileReport` values.

Rows live on the GUI thread only. Workers never touch the model: the session applies their
results in batches (insert, then one ``dataChanged`` span per flush), which keeps a sorted
proxy and 5,000 rows cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QPixmap

from veil.gui.models.file_row import FileRow
from veil.gui.states import (
    BADGE_TIPS,
    BADGES,
    CAUTION_COLOUR,
    CLEAN_COLOUR,
    FAILED_COLOUR,
    FINISHED,
    Badge,
    RowState,
)
from veil.gui.text import rich_escaped

AnyIndex = QModelIndex | QPersistentModelIndex

#: Custom roles.
BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3

COL_THUMB, COL_NAME, COL_RISK, COL_SUMMARY, COL_STATUS = range(5)
HEADERS = ("", "Name", "Risk", "What it reveals", "Status")
THUMB_SIZE = 44
#: Thumbnails kept in memory (most recently decoded); older ones are decoded again if shown.
THUMB_BUDGET = 800
#: Status-bar count words where the badge's own word would claim too much ("1 none found"
#: of a screenshot showing an address): what was checked, and faces and marks only "not
#: detected" (the detectors can miss them; the findings pane says so).
COUNT_WORDS = {Badge.NONE: "none found in metadata, no faces or marks detected"}


class FileTableModel(QAbstractTableModel):
    """Rows of :class:`FileRow`; columns thumbnail, name, risk, summary, status."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[FileRow] = []
        self._by_key: dict[str, int] = {}
        self.previews_hidden = False
        self._thumbed: dict[str, None] = {}  # keys holding a thumbnail, oldest first
        #: Called (once per row) when a visible row wants its thumbnail decoded.
        self.thumbnail_wanted: Callable[[FileRow], None] | None = None

    # Qt API -------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_THUMB:
                return "Thumbnail"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == BADGE_ROLE:
            return row.badge
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole and col == COL_THUMB:
            return self._thumbnail(row)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_RISK:
            tip = BADGE_TIPS.get(row.badge)
            return rich_escaped(tip, 600) if tip else None
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_NAME, COL_SUMMARY, COL_STATUS):
            # Tool tips guess rich text: escape and force it (file names are hostile too).
            return rich_escaped(_tip(row, col), 600)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            if row.state in (RowState.ERROR, RowState.EXPORT_FAILED):
                return QColor(FAILED_COLOUR)
            if row.state is RowState.EXPORTED:
                # A copy that still shows a face or mark, or was not checked for them, is a
                # caution, never the clean green.
                return QColor(CAUTION_COLOUR if row.caution else CLEAN_COLOUR)
        if role == Qt.ItemDataRole.SizeHintRole and col == COL_THUMB:
            return QSize(THUMB_SIZE + 12, THUMB_SIZE + 8)
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_STATUS:
            return row.status
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_RISK:
            return f"Risk: {BADGES[row.badge].word}"
        return None

    def _display(self, row: FileRow, col: int) -> str | None:
        if col == COL_NAME:
            return row.name
        if col == COL_RISK:
            return BADGES[row.badge].word
        if col == COL_SUMMARY:
            return row.summary
        if col == COL_STATUS:
            return row.status_word  # the sentence is its tooltip
        return None

    def sort_key(self, index: AnyIndex) -> Any:
        """The sort key of a cell (the same as its SORT_ROLE data)."""
        return self._sort_key(self._rows[index.row()], index.column())

    def _sort_key(self, row: FileRow, col: int) -> Any:
        return row.sort_keys()[col] if 0 <= col < len(HEADERS) else row.name

    def _thumbnail(self, row: FileRow) -> QPixmap | None:
        if self.previews_hidden:
            return None
        if row.thumbnail is None:
            if (
                not row.thumbnail_requested
                and self.thumbnail_wanted is not None
                and row.report is not None
                and row.report.ok
            ):
                row.thumbnail_requested = True
                self.thumbnail_wanted(row)
            return None
        return row.pixmap()

    # Session API ------------------------------------------------------------------------
    @property
    def rows(self) -> list[FileRow]:
        """The rows (read-only by convention; change them through the methods below)."""
        return self._rows

    def row_for_key(self, key: str) -> FileRow | None:
        """The row whose resolved path is ``key``."""
        i = self._by_key.get(key)
        return None if i is None else self._rows[i]

    def row_number(self, key: str) -> int | None:
        """The model row of ``key``."""
        return self._by_key.get(key)

    def add_rows(self, rows: list[FileRow]) -> list[FileRow]:
        """Append rows whose key is new; returns the rows actually added."""
        fresh: list[FileRow] = []
        for row in rows:
            if row.key not in self._by_key and all(r.key != row.key for r in fresh):
                fresh.append(row)
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for i, row in enumerate(fresh):
                self._rows.append(row)
                self._by_key[row.key] = first + i
            self.endInsertRows()
        return fresh

    def rows_changed(self, keys: Iterable[str], *, status_only: bool = False) -> None:
        """Tell views that these rows changed (one signal per contiguous run).

        ``status_only``: only the Status column changed (an export's progress): the list,
        sorted by another column, is not sorted again (3,000 rows turning "Saving…" at the
        start of an export re-sorted it for ~0.1 s).
        """
        numbers = sorted({self._by_key[k] for k in keys if k in self._by_key})
        first_col = COL_STATUS if status_only else 0
        last_col = COL_STATUS if status_only else len(HEADERS) - 1
        for start, end in _runs(numbers):
            self.dataChanged.emit(self.index(start, first_col), self.index(end, last_col))

    def remove_keys(self, keys: Iterable[str]) -> None:
        """Remove rows from the list (never touches the files)."""
        numbers = sorted({self._by_key[k] for k in keys if k in self._by_key})
        for start, end in reversed(list(_runs(numbers))):
            self.beginRemoveRows(QModelIndex(), start, end)
            for row in self._rows[start : end + 1]:
                self._thumbed.pop(row.key, None)
            del self._rows[start : end + 1]
            self.endRemoveRows()
        self._by_key = {row.key: i for i, row in enumerate(self._rows)}

    def store_thumbnail(self, row: FileRow, image: QImage) -> None:
        """Keep ``row``'s thumbnail, forgetting the oldest beyond :data:`THUMB_BUDGET`.

        Memory stays flat over 5,000 rows; nothing is ever written to disk.
        """
        row.set_thumbnail(image)
        self._thumbed.pop(row.key, None)
        self._thumbed[row.key] = None
        while len(self._thumbed) > THUMB_BUDGET:
            old_key = next(iter(self._thumbed))
            del self._thumbed[old_key]
            old = self.row_for_key(old_key)
            if old is not None:
                old.set_thumbnail(None)
                old.thumbnail_requested = False

    def set_previews_hidden(self, hidden: bool) -> None:
        """Privacy screen: hide or show every thumbnail at once."""
        self.previews_hidden = hidden
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_THUMB),
                self.index(len(self._rows) - 1, COL_THUMB),
                [Qt.ItemDataRole.DecorationRole],
            )

    def risk_counts(self) -> str:
        """ "2 high · 1 medium · 3 unknown": the most urgent badges, for the status bar."""
        counts: dict[Badge, int] = {}
        for row in self._rows:
            if not row.not_for_veil:  # listed apart: "3 files Veil doesn't check"
                counts[row.badge] = counts.get(row.badge, 0) + 1
        order = (Badge.HIGH, Badge.MEDIUM, Badge.UNKNOWN, Badge.LOW, Badge.NONE)
        parts = [f"{counts[b]:,} {COUNT_WORDS.get(b, BADGES[b].word.lower())}"
                 for b in order if counts.get(b)]
        return " · ".join(parts)

    def count_apart(self) -> int:
        """Files that are not photos at all (documents, Thumbs.db): listed apart."""
        return sum(1 for r in self._rows if r.not_for_veil)

    def count_state(self, state: RowState) -> int:
        """How many rows are in ``state``."""
        return sum(1 for r in self._rows if r.state is state)

    def count_stopped(self) -> int:
        """How many rows' checks were stopped (Cancel), exported since or not."""
        return sum(1 for r in self._rows if r.audit_state is RowState.CANCELLED)

    def progress(self) -> tuple[int, int]:
        """(rows whose audit finished, all rows)."""
        done = sum(1 for r in self._rows if r.audit_state in FINISHED)
        return done, len(self._rows)


def _runs(numbers: list[int]) -> Iterable[tuple[int, int]]:
    """Contiguous (start, end) runs of sorted integers."""
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:  # type: ignore[operator]
            prev = n
        else:
            yield start, prev  # type: ignore[misc]
            start = prev = n
    if start is not None:
        yield start, prev  # type: ignore[misc]



def _tip(row: FileRow, col: int) -> object:
    """A cell's full text, which its column may cut: the path, the summary or the status
    ("Partly checked: faces and marks could not run", "Clean copy failed: <why>")."""
    if col == COL_NAME:
        return row.path
    return row.summary if col == COL_SUMMARY else row.status
