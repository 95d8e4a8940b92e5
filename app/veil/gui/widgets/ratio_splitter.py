"""``RatioSplitter``: two panes whose shares only the user changes.

QSplitter hands extra width to whichever pane asks for more, so the divider used to jump
with the selected file's name. Here the first pane keeps its share of the width through
window resizes and content changes; dragging the handle sets a new share, which is kept in
memory for this run only (nothing about the user's photos or layout is written to disk).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QSplitter, QWidget


class RatioSplitter(QSplitter):
    """A horizontal splitter that keeps the first pane at ``ratio`` of the width."""

    def __init__(self, ratio: float = 0.56, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.ratio = ratio
        self.setChildrenCollapsible(False)
        self.splitterMoved.connect(self._moved)

    def _moved(self, _pos: int, _index: int) -> None:
        sizes = self.sizes()
        total = sum(sizes)
        if total > 0:
            self.ratio = min(0.85, max(0.15, sizes[0] / total))

    def apply_ratio(self) -> None:
        """Lay the panes out at :attr:`ratio`."""
        total = sum(self.sizes()) or self.width()
        if self.count() >= 2 and total > 0:
            first = round(total * self.ratio)
            self.blockSignals(True)
            self.setSizes([first, total - first])
            self.blockSignals(False)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.apply_ratio()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.apply_ratio()
