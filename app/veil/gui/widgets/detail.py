"""The detail pane of the selected photo: header, preview with boxes, findings, all tags.

Under the header one line says what a clean copy of this photo removes, covers and keeps:
the export table's own plan for it (:attr:`DetailPane.planner`, set by the window to the
export pane's :meth:`~veil.gui.widgets.export_pane.ExportPane.plan_for`). A video offers no
box to draw or tick: faces in clips are not checked and the export covers nothing in them.
Nor does a file the plan says the export will skip (a raw file): no copy will be made.
With the export's "Cover the faces and marks" off (:meth:`DetailPane.set_covering`), the
recipient's view and the counts under the preview show no cover: the copy has none.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from veil.gui.imaging import Picture
from veil.gui.models.export_plan import PlanRow
from veil.gui.models.export_row import ExportEntry
from veil.gui.models.export_wording import copy_line
from veil.gui.models.file_table import FileRow
from veil.gui.models.findings import animation_frames
from veil.gui.redactions import OverlayBox, can_cover, cover_counts
from veil.gui.session import AuditSession
from veil.gui.states import PENDING_STATES
from veil.gui.text import breakable
from veil.gui.widgets.badges import BadgeLabel
from veil.gui.widgets.elided_label import ElidedLabel
from veil.gui.widgets.findings_panel import FindingsPanel, plain_label
from veil.gui.widgets.preview import PreviewCanvas
from veil.gui.widgets.preview_box import OneLineLabel, PreviewBox
from veil.gui.widgets.tags_view import TagsView

PREVIEW_MAX_SIDE = 1400
#: See :attr:`DetailPane.planner`.
Planner = Callable[[str, Callable[[PlanRow | None], None]], tuple[bool, PlanRow | None]]
class DetailPane(QWidget):
    """Shows one row; edits to its boxes go to the session."""

    def __init__(self, session: AuditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key: str | None = None
        self._picture_asked: str | None = None
        self._shape: tuple[tuple[str, int], ...] = ()
        self._plan_waits = False
        self._asking = False
        self._delivered: PlanRow | None = None  # a plan delivered while it was asked
        self._covering = True  # the export's "Cover the faces and marks" option
        self._no_copy = ""  # why the export writes no copy with these covers (the plan's)
        self.name = ElidedLabel(name="FileName")
        self.badge = BadgeLabel()
        self.summary = plain_label("", name="Muted")
        # One line (the preview keeps its height), cut at the end: the counts come first.
        self.copy_line = OneLineLabel(name="Muted")
        self.copy_line.setAccessibleName("What a copy removes, covers and keeps")
        #: One photo's export plan: (key, deliver) -> the plan, or None with the plan handed
        #: to ``deliver`` later when it is made off the GUI thread. None: no line.
        self.planner: Planner | None = None
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
        review_layout.addWidget(self.copy_line)
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
        # Export options are set on the Export tab: coming back, the line follows them.
        self.tabs.currentChanged.connect(lambda _i: self._show_plan(self._plan()))
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
            self.preview.show_picture(None, "Select a photo to see it here.")
        elif changed:
            self._picture_asked = None
            self.preview.show_picture(None, "Loading the preview…")
            self._ask_picture(row)

    def _ask_picture(self, row: FileRow) -> None:
        if self._picture_asked == row.key or row.report is None:
            return
        if row.report.ok:
            self._picture_asked = row.key
            self.session.request_picture(row.key, PREVIEW_MAX_SIDE)
        else:
            self.preview.show_picture(None, "No preview for this file.")

    def _refill(self) -> None:
        row = None if self.key is None else self.session.model.row_for_key(self.key)
        if row is None:
            self.name.setText("")
            self.tags_title.setText("")
            self.badge.set_badge(None)
            self.summary.setText("")
            self.findings.show_report(None)
            self.tags.show_tags(None)
            self.canvas.set_boxes(())
            self.preview.covers.setText("")
            self.preview.set_video(False)
            self._show_plan(None)
            return
        plan = self._plan()
        # No box to draw or tick where no copy will cover it: a video, a file core will skip.
        self.preview.set_video(not can_cover(row.report), plan.skip if plan else None,
                               animation_frames(row.report))
        boxes = self._boxes(row.key)
        self._shape = _shape(boxes)
        self.name.setText(row.name)
        self.tags_title.setText(f"Every tag read from {row.name}")
        self.badge.set_badge(row.badge)
        self.summary.setText(breakable(row.summary))
        # No report: still reading, or why there never will be one (cancelled, skipped).
        state = row.audit_state  # the checks' words, also once a copy was saved
        waiting = "Reading the file…" if state in PENDING_STATES else row.summary or row.status
        self.findings.show_report(row.report, boxes, placeholder=waiting, state=state)
        self.tags.show_tags(row.report.tags if row.report else None)
        self.canvas.set_boxes(boxes)
        self._show_plan(plan)  # and the counts

    def set_covering(self, on: bool) -> None:
        """The export's "Cover the faces and marks" was ticked (``on``) or unticked: the
        recipient's view, its tool tip, the counts and the copy line follow it."""
        if on == self._covering:
            return
        self._covering = on
        self.preview.set_covering(on)
        if self.key is not None:
            self._show_plan(self._plan())  # and the counts

    def _boxes(self, key: str) -> tuple[OverlayBox, ...]:
        """The row's boxes; none on a video (the canvas offers none to edit)."""
        return self.session.redactions.get(key, ()) if self.canvas.editable else ()

    def _plan(self) -> PlanRow | None:
        """The shown photo's plan when made at once; else the line waits for it."""
        self._plan_waits = False
        if self.planner is None or self.key is None:
            return None
        key = self.key
        self._asking, self._delivered = True, None
        try:
            made, plan = self.planner(key, lambda plan: self._plan_landed(key, plan))
        finally:
            self._asking = False
        if made:
            return plan
        # A test pool runs the job while it is asked: that plan is the one.
        self._plan_waits = self._delivered is None
        return self._delivered

    @property
    def settling(self) -> bool:
        """True while the shown row waits for a refill or its plan (made off the GUI
        thread): the line is not final yet."""
        return self._refresh.isActive() or self._plan_waits

    def _plan_landed(self, key: str, plan: PlanRow | None) -> None:
        if key != self.key:
            return
        if self._asking:
            self._delivered = plan
            return
        self._plan_waits = False
        # None: its job failed (reported as such); asking again would fail again.
        if plan is not None:
            self._refresh.start()  # the plan is now made at once from what it read

    def _show_plan(self, plan: PlanRow | None) -> None:
        text = "" if plan is None else copy_line(plan, len(plan.removes))  # every kind
        self.copy_line.setText(text)
        self.copy_line.setVisible(plan is not None)
        # No copy with these covers (an animation): the recipient's view must not show a
        # covered frame no file will have. A file skipped whatever is covered has no such
        # view at all (PreviewBox.set_video). None: the plan is still being made.
        blocked = plan is not None and plan.cover_refusal is not None and not plan.skip
        if plan is None:
            self.preview.set_no_copy(None if self._plan_waits else "")
        else:
            self.preview.set_no_copy(ExportEntry(plan).status() if blocked else "")
        # Nor may the counts say "1 covered" of a copy that will not exist.
        self._no_copy = (plan.blocked_why or "") if plan is not None and blocked else ""
        self._show_counts()

    def _show_counts(self) -> None:
        """The counts under the preview and in People & marks: what the copy covers, none
        while covering is off, or that no copy will be written (:attr:`_no_copy`)."""
        boxes = self.canvas.boxes
        self.findings.covering, self.findings.no_copy = self._covering, self._no_copy
        self.findings.set_cover_states(boxes)  # its ticks and counts
        self.preview.covers.setText(cover_counts(boxes, self._covering, self._no_copy))

    def _picture_ready(self, picture: Picture) -> None:
        if picture.key == self.key:
            self.preview.show_picture(picture, "No preview for this file.")

    def _reports_updated(self, keys: list[str]) -> None:
        if self.key in keys:
            self._refresh.start()
            row = self.session.model.row_for_key(self.key)
            if row is not None:
                self._ask_picture(row)

    def _redactions_changed(self, key: str) -> None:
        if key != self.key:
            return
        boxes = self._boxes(key)
        if _shape(boxes) != self._shape:
            self._refill()  # a box was drawn or deleted: the list changes
        else:
            self.canvas.set_boxes(boxes)
            self._show_plan(self._plan())  # covers counted in the line, ticks and counts

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
