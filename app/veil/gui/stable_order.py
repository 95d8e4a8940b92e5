"""Rows hold still while checking runs; the list sorts once checking ends (issue 16.3).

While results arrive, a row must not jump away from the pointer: the list stops sorting
and filtering by itself, and new rows go to the end. Clicking a header still sorts at once,
and a file found to be no photo still leaves "All photos". When checking ends, the list is
sorted and filtered once by the final answers, and the selected row scrolled into view.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTableView

from veil.gui.models.file_filter import RiskFilterProxy
from veil.gui.session import AuditSession


class StableOrder(QObject):
    """Switches ``proxy``'s dynamic sort and filter off while ``session`` checks.

    A Qt child of the window: its connections to the session (which may outlive the window,
    e.g. in tests) end with it.
    """

    def __init__(
        self, session: AuditSession, proxy: RiskFilterProxy, table: QTableView, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.proxy = proxy
        self.table = table
        session.rows_added.connect(self._rows_added)
        session.audits_finished.connect(self._audits_finished)
        session.reports_updated.connect(self._reports_updated)

    def hold(self) -> None:
        """Rows stay where they are until checking ends (new rows go to the end)."""
        self.proxy.setDynamicSortFilter(False)

    def _rows_added(self, _count: int) -> None:
        if self.session.auditing:
            self.hold()

    def _reports_updated(self, keys: list[str]) -> None:
        """While rows hold still, a file found to be no photo still leaves "All photos"."""
        if self.proxy.dynamicSortFilter():
            return  # the proxy re-filters by itself
        rows = (self.session.model.row_for_key(k) for k in keys)
        if any(r is not None and r.not_for_veil for r in rows):
            self.proxy.refilter()

    def _audits_finished(self) -> None:
        """Checking ended: sort and filter by the final answers, keep the selection in view."""
        if not self.proxy.dynamicSortFilter():
            self.proxy.refilter()
            self.proxy.setDynamicSortFilter(True)  # sorts once, by the final answers
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)
