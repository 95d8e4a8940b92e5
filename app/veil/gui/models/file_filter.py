"""The file list's proxy: sorts by each column's sort key, filters by risk, kind and name.

Three filters combine: the risk badges chosen in "Show", the kind of row ("photos" hides
files that are no photo at all, "failed" keeps only files that could not be read or
cleaned, "partial" only photos some check did not run on, "apart" only the files Veil
doesn't check), and the name search box.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from veil.gui.models.file_row import FileRow
from veil.gui.models.file_table import SORT_ROLE, FileTableModel
from veil.gui.states import PENDING_STATES, Badge, RowState, every_check_ran

AnyIndex = QModelIndex | QPersistentModelIndex

#: Row kinds the list can show.
KIND_PHOTOS, KIND_FAILED, KIND_PARTIAL, KIND_APART = "photos", "failed", "partial", "apart"
_FAILED = frozenset({RowState.ERROR, RowState.UNSUPPORTED, RowState.EXPORT_FAILED})


def partly_checked(row: FileRow) -> bool:
    """True when the file was read but some check did not run on it and will not (faces and
    marks after a Cancel, a picture that could not be decoded, a clip's frames): a badge
    from metadata alone looks like the fully checked rows around it, so triage lists these
    apart ("Partly checked" in Show, the Status column's words for each of them)."""
    report = row.report
    # Still to come (PENDING_STATES) is not "partly checked" yet.
    if row.state in PENDING_STATES or row.state in _FAILED or report is None or not report.ok:
        return False
    return not every_check_ran(report)


def row_kind_matches(row: FileRow, kind: str) -> bool:
    """True when ``row`` belongs to ``kind``."""
    if kind == KIND_APART:
        return row.not_for_veil
    if row.not_for_veil:
        return False
    if kind == KIND_PARTIAL:
        return partly_checked(row)
    return kind != KIND_FAILED or row.state in _FAILED


class RiskFilterProxy(QSortFilterProxyModel):
    """Sorts by each column's sort key; filters by risk badge, row kind and name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._badges: frozenset[Badge] | None = None
        self._kind = KIND_PHOTOS
        self._name = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def _refilter(self, change: Any) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateRowsFilter is deprecated
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateRowsFilter()

    def refilter(self) -> None:
        """Filter the rows again (removes rows now filtered out; never re-sorts kept ones)."""
        self._refilter(lambda: None)

    def set_badges(self, badges: Iterable[Badge] | None) -> None:
        """Show only rows with these badges (None shows all)."""
        value = None if badges is None else frozenset(badges)
        self._refilter(lambda: setattr(self, "_badges", value))

    def set_kind(self, kind: str) -> None:
        """Show photos (default), failed files only, or the files Veil doesn't check."""
        self._refilter(lambda: setattr(self, "_kind", kind))

    @property
    def kind(self) -> str:
        """The row kind shown."""
        return self._kind

    def set_name_filter(self, text: str) -> None:
        """Show only rows whose file name contains ``text`` (any case; empty: all)."""
        value = " ".join(text.split()).casefold()
        self._refilter(lambda: setattr(self, "_name", value))

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        # Straight to the rows' sort keys: sorting 5,000 rows makes ~120k comparisons, and
        # going through data() and QVariant for each costs several times more.
        model = self.sourceModel()
        if isinstance(model, FileTableModel):
            return bool(model.sort_key(left) < model.sort_key(right))
        return super().lessThan(left, right)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, FileTableModel):
            return True
        row = model.rows[source_row]
        if not row_kind_matches(row, self._kind):
            return False
        if self._badges is not None and row.badge not in self._badges:
            return False
        return not self._name or self._name in row.name.casefold()
