"""The detail pane of the selected photo: header, preview with boxes, findings, all tags."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from veil.gui.imaging import Picture
from veil.gui.models.file_table import FileRow
from veil.gui.models.tags import TagFilterProxy, TagsModel
from veil.gui.redactions import OverlayBox
from veil.gui.session import AuditSession
from veil.gui.states import PENDING_STATES
from veil.gui.text import breakable
from veil.gui.widgets.badges import BadgeLabel
from veil.gui.widgets.findings_panel import FindingsPanel, plain_label
from veil.gui.widgets.preview import PreviewCanvas

PREVIEW_MAX_SIDE = 1400


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
        layout.addWidget(self.table, 1)


class DetailPane(QWidget):
    """Shows one row; edits to its boxes go to the session."""

    def __init__(self, session: AuditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key: str | None = None
        self._picture_asked: str | None = None
        self.name = plain_label("", wrap=False, name="FileName")
        self.badge = BadgeLabel()
        self.summary = plain_label("", name="Muted")
        header = QHBoxLayout()
        header.addWidget(self.name, 1)
        header.addWidget(self.badge)
        self.canvas = PreviewCanvas()
        self.findings = FindingsPanel()
        self.tags = TagsView()
        self.tags_title = plain_label("", wrap=False, name="Heading")

        review = QWidget()
        review_layout = QVBoxLayout(review)
        review_layout.setContentsMargins(16, 12, 16, 0)
        review_layout.setSpacing(4)
        review_layout.addLayout(header)
        review_layout.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.canvas)
        self.splitter.addWidget(self.findings)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 300])
        self.splitter.setChildrenCollapsible(False)
        review_layout.addWidget(self.splitter, 1)
        metadata = QWidget()
        metadata_layout = QVBoxLayout(metadata)
        metadata_layout.setContentsMargins(16, 12, 16, 0)
        metadata_layout.addWidget(self.tags_title)
        metadata_layout.addWidget(self.tags, 1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(review, "What it reveals")
        self.tabs.addTab(metadata, "All metadata")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.canvas.boxes_edited.connect(self._boxes_edited)
        self.findings.cover_toggled.connect(self._cover_toggled)
        session.picture_ready.connect(self._picture_ready)
        session.reports_updated.connect(self._reports_updated)
        session.redactions_changed.connect(self._redactions_changed)
        # Coalesce bursts of updates to the shown row (e.g. metadata then full report).
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(30)
        self._refresh.timeout.connect(self._refill)
        self.show_row(None)

    def show_row(self, row: FileRow | None) -> None:
        """Show ``row`` (None: nothing selected)."""
        new_key = None if row is None else row.key
        changed = new_key != self.key
        self.key = new_key
        self._refill()
        if row is None:
            self.canvas.set_picture(None, "Select a photo to see it here.")
        elif changed:
            self._picture_asked = None
            self.canvas.set_picture(None, "Loading the preview…")
            self._ask_picture(row)

    def _ask_picture(self, row: FileRow) -> None:
        if self._picture_asked == row.key or row.report is None:
            return
        if row.report.ok:
            self._picture_asked = row.key
            self.session.request_picture(row.key, PREVIEW_MAX_SIDE)
        else:
            self.canvas.set_picture(None, "No preview for this file.")

    def _refill(self) -> None:
        row = None if self.key is None else self.session.model.row_for_key(self.key)
        if row is None:
            self.name.setText("")
            self.tags_title.setText("")
            self.badge.set_badge(None)
            self.summary.setText("")
            self.findings.show_report(None)
            self.tags.model.set_tags(())
            self.canvas.set_boxes(())
            return
        boxes = self.session.redactions.get(row.key, ())
        self.name.setText(row.name)
        self.tags_title.setText(f"Every tag read from {row.name}")
        self.badge.set_badge(row.badge)
        self.summary.setText(breakable(row.summary))
        # No report: still reading, or why there never will be one (cancelled, skipped).
        waiting = "Reading the file…" if row.state in PENDING_STATES else row.summary or row.status
        self.findings.show_report(row.report, boxes, placeholder=waiting, state=row.state)
        self.tags.model.set_tags(row.report.tags if row.report else ())
        self.canvas.set_boxes(boxes)

    def _picture_ready(self, picture: Picture) -> None:
        if picture.key == self.key:
            self.canvas.set_picture(picture, "No preview for this file.")

    def _reports_updated(self, keys: list[str]) -> None:
        if self.key in keys:
            self._refresh.start()
            row = self.session.model.row_for_key(self.key)
            if row is not None:
                self._ask_picture(row)

    def _redactions_changed(self, key: str) -> None:
        if key == self.key:
            boxes = self.session.redactions.get(key, ())
            self.canvas.set_boxes(boxes)
            self.findings.set_cover_states(boxes)

    def _boxes_edited(self, boxes: tuple[OverlayBox, ...]) -> None:
        if self.key is not None:
            self.session.set_redactions(self.key, boxes)

    def _cover_toggled(self, finding: int, covered: bool) -> None:
        self.canvas.set_covered(finding, covered)

    def set_previews_hidden(self, hidden: bool) -> None:
        """Privacy screen on/off for the preview."""
        self.canvas.set_hidden(hidden)
