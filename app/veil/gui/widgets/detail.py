"""The detail pane of the selected photo: header, preview with boxes, findings, all tags."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from veil.gui.imaging import Picture
from veil.gui.models.file_table import FileRow
from veil.gui.models.tags import TagFilterProxy, TagsModel
from veil.gui.redactions import OverlayBox, cover_counts
from veil.gui.session import AuditSession
from veil.gui.states import PENDING_STATES
from veil.gui.text import breakable
from veil.gui.widgets.badges import BadgeLabel
from veil.gui.widgets.elided_label import ElidedLabel
from veil.gui.widgets.findings_panel import FindingsPanel, plain_label
from veil.gui.widgets.preview import PreviewCanvas

PREVIEW_MAX_SIDE = 1400
HINT = (
    "Click a box to cover or uncover it · drag on the picture to draw a box ·"
    " wheel or +/− to zoom, middle-drag or Space+drag to pan"
)


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


class PreviewBox(QWidget):
    """The preview with its controls: zoom, "what a recipient will see", and the hint."""

    def __init__(self, canvas: PreviewCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.zoom_out = self._button("−", "Zoom out (−)", lambda: canvas.zoom_by(0.8))
        self.zoom_fit = self._button("Fit", "Show the whole picture (0)", canvas.fit)
        self.zoom_in = self._button("+", "Zoom in (+)", lambda: canvas.zoom_by(1.25))
        self.recipient = QCheckBox("What a recipient will see")
        self.recipient.setToolTip(
            "Show the cleaned copy as it will be written: covers drawn as in the file"
        )
        self.recipient.toggled.connect(canvas.set_recipient_view)
        canvas.zoom_changed.connect(self._zoomed)
        self.hint = plain_label(HINT, name="Muted")
        self.covers = plain_label("", name="Summary")
        self.covers.setAccessibleName("What the copy covers")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 4, 0, 0)
        bar.addWidget(self.recipient)
        bar.addStretch(1)
        for button in (self.zoom_out, self.zoom_fit, self.zoom_in):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(canvas, 1)
        layout.addLayout(bar)
        layout.addWidget(self.covers)
        layout.addWidget(self.hint)

    def _zoomed(self, zoom: float) -> None:
        self.zoom_fit.setText("Fit" if zoom <= 1.0 else f"{zoom:.0%}")

    @staticmethod
    def _button(text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        # Fixed, and wide enough for "1600%": the bar never shifts as the zoom changes.
        button.setFixedWidth(44 if len(text) == 1 else 76)
        button.clicked.connect(slot)
        return button


class DetailPane(QWidget):
    """Shows one row; edits to its boxes go to the session."""

    def __init__(self, session: AuditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key: str | None = None
        self._picture_asked: str | None = None
        self._shape: tuple[tuple[str, int], ...] = ()
        self.name = ElidedLabel(name="FileName")
        self.badge = BadgeLabel()
        self.summary = plain_label("", name="Muted")
        header = QHBoxLayout()
        header.addWidget(self.name, 1)
        header.addWidget(self.badge)
        self.canvas = PreviewCanvas()
        self.preview = PreviewBox(self.canvas)
        self.findings = FindingsPanel()
        self.tags = TagsView()
        self.tags_title = ElidedLabel(name="Heading")

        review = QWidget()
        review_layout = QVBoxLayout(review)
        review_layout.setContentsMargins(16, 12, 16, 0)
        review_layout.setSpacing(4)
        review_layout.addLayout(header)
        review_layout.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.preview)
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
        self.findings.box_cover_toggled.connect(self.canvas.set_box_covered)
        self.findings.box_clicked.connect(self.canvas.select_box)
        self.findings.box_deleted.connect(self.canvas.delete_box)
        self.canvas.box_selected.connect(self.findings.select_box)
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
        if changed:
            self.canvas.select_box(-1)
            self.findings.select_box(-1)
            self.preview.recipient.setChecked(False)
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
            self.preview.covers.setText("")
            return
        boxes = self.session.redactions.get(row.key, ())
        self._shape = _shape(boxes)
        self.name.setText(row.name)
        self.tags_title.setText(f"Every tag read from {row.name}")
        self.badge.set_badge(row.badge)
        self.summary.setText(breakable(row.summary))
        # No report: still reading, or why there never will be one (cancelled, skipped).
        waiting = "Reading the file…" if row.state in PENDING_STATES else row.summary or row.status
        self.findings.show_report(row.report, boxes, placeholder=waiting, state=row.state)
        self.tags.model.set_tags(row.report.tags if row.report else ())
        self.canvas.set_boxes(boxes)
        self.preview.covers.setText(cover_counts(boxes))

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
        if key != self.key:
            return
        boxes = self.session.redactions.get(key, ())
        if _shape(boxes) != self._shape:
            self._refill()  # a box was drawn or deleted: the list changes
        else:
            self.canvas.set_boxes(boxes)
            self.findings.set_cover_states(boxes)
            self.preview.covers.setText(cover_counts(boxes))

    def _boxes_edited(self, boxes: tuple[OverlayBox, ...]) -> None:
        if self.key is not None:
            self.session.set_redactions(self.key, boxes)

    def _cover_toggled(self, finding: int, covered: bool) -> None:
        self.canvas.set_covered(finding, covered)

    def set_previews_hidden(self, hidden: bool) -> None:
        """Privacy screen on/off for the preview."""
        self.canvas.set_hidden(hidden)


def _shape(boxes: tuple[OverlayBox, ...]) -> tuple[tuple[str, int], ...]:
    """What the findings list is built from (a drawn or deleted box changes it; a tick or a
    resize does not)."""
    return tuple((b.origin, b.finding) for b in boxes)
