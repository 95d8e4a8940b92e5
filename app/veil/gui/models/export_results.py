"""The export table: before writing, what each copy will remove and keep; after, "Verified
clean" or the full reason it failed. Sortable (failures first) and filterable.

One row per photo. :meth:`ExportResultsModel.set_plan` fills the rows with plans; each
result then lands on its photo's row (or a new row when there was no plan).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from veil.core.model import ExportResult
from veil.gui.assets import icon
from veil.gui.models.export_plan import PlanRow
from veil.gui.models.export_row import DETAIL_LIMIT, ExportEntry, is_verified, result_text
from veil.gui.models.row_list import AnyIndex, RowListModel
from veil.gui.states import CAUTION_COLOUR, CLEAN_COLOUR, FAILED_COLOUR
from veil.gui.text import rich_escaped, safe_text

HEADERS = ("Photo", "Result", "Removed", "Kept", "Saved as")
COL_PHOTO, COL_RESULT, COL_REMOVED, COL_KEPT, COL_SAVED = range(5)
#: Sort key of a row: problems first (0), then photos to look at (1), then good ones (2).
RANK_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row's full reason / details, one line, untruncated beyond
#: :data:`~veil.gui.models.export_row.DETAIL_LIMIT`.
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
FILTERS = (("All photos", None), ("Problems only", 0), ("Verified only", 2))
#: The Result cell's colour by rank: red (no copy), the table's caution amber (a copy to look
#: at, or that still shows a face or mark), green (all well).
ROW_COLOURS = (FAILED_COLOUR, CAUTION_COLOUR, CLEAN_COLOUR)
#: Its icon once written, by rank: a verified copy still showing something gets the caution
#: sign, never the green "verified" shield.
ROW_ICONS = ("failed-dark", "caution-dark", "verified-dark")


def _count(items: tuple[str, ...]) -> str:
    return f"{len(items)}: {', '.join(items)}" if items else "0"



class ExportResultsModel(RowListModel[ExportEntry]):
    """One row per photo: its plan, then its result."""

    HEADERS = HEADERS

    @property
    def results(self) -> list[ExportResult]:
        """Results so far, in the order they finished."""
        return list(self._done)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._done: list[ExportResult] = []
        self._by_source: dict[str, int] = {}
        self._order: tuple[int, Qt.SortOrder] = (COL_RESULT, Qt.SortOrder.AscendingOrder)

    def entries(self) -> list[ExportEntry]:
        """Every row (read-only by convention)."""
        return self._items

    def clear(self) -> None:
        """Forget previous plans and results."""
        self.set_plan([])

    def set_plan(self, plans: list[PlanRow]) -> None:
        """Show these plans (a new export is about to start, or the list changed)."""
        self.beginResetModel()
        self._items = [ExportEntry(p) for p in plans]
        self._items.sort(key=self._key(self._order[0]), reverse=self._reversed())
        self._done = []
        self._index_sources()
        self.endResetModel()

    def _index_sources(self) -> None:
        self._by_source = {
            str(e.plan.source): i for i, e in enumerate(self._items) if e.plan is not None
        }

    def _reversed(self) -> bool:
        return self._order[1] == Qt.SortOrder.DescendingOrder

    def _key(self, column: int) -> Any:
        if column == COL_RESULT:
            return lambda e: (e.rank(), e.name.lower())
        return lambda e: self._display(e, column).lower()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with one key per row (a proxy's lessThan calls back into Python
        twice per comparison: 0.9 s for 1,000 rows). Result sorts problems first."""
        if not 0 <= column < len(HEADERS):
            return
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = {id(e): i for i, e in enumerate(self._items)}
        self._items.sort(key=self._key(column), reverse=self._reversed())
        after = {before[id(e)]: i for i, e in enumerate(self._items)}
        old = self.persistentIndexList()
        new = [self.index(after.get(i.row(), i.row()), i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self._index_sources()
        self.layoutChanged.emit()

    def resort(self) -> None:
        """Sort again by the last order (when an export ends: failures come first)."""
        self.sort(*self._order)

    def append(self, results: list[ExportResult]) -> None:
        """Put each result on its photo's row (a new row when it had no plan)."""
        fresh = []
        for result in results:
            self._done.append(result)
            row = self._by_source.get(str(result.source))
            if row is not None and self._items[row].result is None:
                self._items[row].result = result
                left, right = self.index(row, 0), self.index(row, len(HEADERS) - 1)
                self.dataChanged.emit(left, right)
            else:
                fresh.append(ExportEntry(None, result))
        if fresh:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._items.extend(fresh)
            self.endInsertRows()

    def replan(self, old: PlanRow, plan: PlanRow) -> None:
        """Show ``plan`` on the row that shows ``old`` (the same photo's plan, made again
        once its faces and marks were checked: what its copy shows is known now). A row
        showing another plan since (a new one, for the next export) is left alone."""
        row = self._by_source.get(str(plan.source))
        if row is None or self._items[row].plan is not old:
            return
        self._items[row].plan = plan
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self._row(index)
        if entry is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, col)
        if role == RANK_ROLE:
            return entry.rank()
        if role == DETAIL_ROLE:
            return entry.detail()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, col)
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_RESULT:
            # The whole sentence for screen readers, whatever the cell shows: at 1280x800
            # it reads "Ready — will still sho…" (the tooltip has it too).
            return self._sentence(entry)
        if col == COL_RESULT and role in (
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            rank = entry.rank()
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(ROW_COLOURS[rank])
            if entry.result is not None:
                return icon(ROW_ICONS[rank])
        return None

    @staticmethod
    def _display(entry: ExportEntry, col: int) -> str:
        if col == COL_PHOTO:
            return entry.name
        if col == COL_RESULT:
            return entry.status()
        if col in (COL_REMOVED, COL_KEPT):
            if entry.result is not None and not is_verified(entry.result):
                return "—"  # nothing was written
            if entry.result is None and entry.plan is not None and entry.plan.blocked:
                return "—"  # nothing will be written (a raw file): not "removes 0"
            return _count(entry.removed() if col == COL_REMOVED else entry.kept())
        output = entry.result.output if entry.result else None
        return safe_text(output.name, 160) if output else "—"

    @staticmethod
    def _sentence(entry: ExportEntry) -> str:
        """The Result cell's whole sentence (the cell is cut to its column's width)."""
        if entry.result is not None:
            return result_text(entry.result, DETAIL_LIMIT, entry.plan, which=True)
        return entry.status()

    @classmethod
    def _tooltip(cls, entry: ExportEntry, col: int) -> str | None:
        if col == COL_RESULT:
            return rich_escaped(cls._sentence(entry), DETAIL_LIMIT)
        if col in (COL_REMOVED, COL_KEPT):
            # The Removed cell names plain kinds; its tooltip adds the blocks they were in.
            text = entry.removed_text() if col == COL_REMOVED else ", ".join(entry.kept())
            return rich_escaped(text, DETAIL_LIMIT) if text else None
        path = (
            entry.result.source
            if entry.result and col == COL_PHOTO
            else (entry.plan.source if entry.plan and col == COL_PHOTO else None)
        )
        if col == COL_SAVED and entry.result is not None:
            path = entry.result.output
        return rich_escaped(path, 600) if path else None


class ExportFilterProxy(QSortFilterProxyModel):
    """Filters by rank; sorting is passed to :class:`ExportResultsModel` (Result sorts by
    rank: problems first)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rank: int | None = None
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_rank(self, rank: int | None) -> None:
        """Show only rows of ``rank`` (0 problems, 2 verified/ready; None: all)."""
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateFilter is deprecated
            self.beginFilterChange()
            self._rank = rank
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._rank = rank
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._rank is None:
            return True
        rank = self.sourceModel().index(source_row, 0, source_parent).data(RANK_ROLE)
        return rank == self._rank if self._rank == 2 else rank < 2

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (fast); this proxy only filters."""
        model = self.sourceModel()
        if isinstance(model, ExportResultsModel):
            model.sort(column, order)
