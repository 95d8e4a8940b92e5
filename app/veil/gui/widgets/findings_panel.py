"""Findings of the selected photo under plain headings, one sentence each.

Every string from the file is shown with ``Qt.PlainText`` after :func:`safe_text` (no markup
is ever interpreted; length is capped), and never as a button caption (``&`` would become a
keyboard accelerator). Face/mark findings get a "Cover" checkbox, the keyboard twin of
clicking the box on the preview.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from veil.core.model import FileReport, Severity
from veil.gui.models.findings import findings_view
from veil.gui.redactions import OverlayBox
from veil.gui.states import RowState

SEVERITY_STYLE = {
    Severity.HIGH: ("High", "#B3261E"),
    Severity.MEDIUM: ("Medium", "#B45309"),
    Severity.LOW: ("Low", "#6B5300"),
}


def plain_label(text: str, *, wrap: bool = True, name: str = "") -> QLabel:
    """A QLabel that can never interpret its text as markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class FindingsPanel(QScrollArea):
    """A scrolling list of heading + findings for one report."""

    cover_toggled = Signal(int, bool)  # index of the finding in report.findings, covered

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._checkboxes: dict[int, QCheckBox] = {}
        self.show_report(None)

    def texts(self) -> list[str]:
        """Every text shown (for tests and accessibility checks)."""
        body = self.widget()
        return [label.text() for label in body.findChildren(QLabel)] if body else []

    def show_report(
        self,
        report: FileReport | None,
        boxes: tuple[OverlayBox, ...] = (),
        placeholder: str = "Select a photo to see what it reveals.",
        state: RowState = RowState.DONE,
    ) -> None:
        """Rebuild the list for ``report`` of a row in ``state`` (None: ``placeholder``)."""
        body = QWidget()
        body.setObjectName("FindingsBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(6)
        self._checkboxes = {}
        if report is None:
            layout.addWidget(plain_label(placeholder, name="Muted"))
        else:
            self._fill(layout, report, boxes, state)
        layout.addStretch(1)
        self.setWidget(body)

    def _fill(
        self,
        layout: QVBoxLayout,
        report: FileReport,
        boxes: tuple[OverlayBox, ...],
        state: RowState,
    ) -> None:
        view = findings_view(report, boxes, state)
        if view.title:
            layout.addWidget(plain_label(view.title, name="Heading"))
        for heading, lines in view.groups:
            layout.addSpacing(6)
            layout.addWidget(plain_label(heading, name="Heading"))
            for line in lines:
                row = QGridLayout()
                row.setHorizontalSpacing(10)
                word, colour = SEVERITY_STYLE[line.severity]
                sev = plain_label(word, wrap=False, name="Severity")
                sev.setStyleSheet(f"color: {colour}; font-weight: 600;")
                sev.setFixedWidth(64)
                row.addWidget(sev, 0, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(plain_label(line.text), 0, 1)
                row.setColumnStretch(1, 1)
                if line.covered is not None:
                    check = self._cover_box(line.index, line.covered)
                    row.addWidget(check, 0, 2, Qt.AlignmentFlag.AlignTop)
                layout.addLayout(row)
        if view.more:
            layout.addWidget(plain_label(f"…and {view.more:,} more findings.", name="Muted"))
        if view.not_checked:
            layout.addSpacing(10)
            title = "Why" if not report.ok else "Not fully checked"
            layout.addWidget(plain_label(title, name="Heading"))
            for text in view.not_checked:
                layout.addWidget(plain_label(text, name="Muted"))

    def _cover_box(self, index: int, covered: bool) -> QCheckBox:
        check = QCheckBox("Cover")
        check.setToolTip("Cover this area with a solid box in the cleaned copy")
        check.setChecked(covered)
        check.toggled.connect(lambda on, i=index: self.cover_toggled.emit(i, on))
        self._checkboxes[index] = check
        return check

    @property
    def cover_checkboxes(self) -> dict[int, QCheckBox]:
        """finding index -> its "Cover" checkbox."""
        return dict(self._checkboxes)

    def set_cover_states(self, boxes: tuple[OverlayBox, ...]) -> None:
        """Sync the checkboxes with edits made on the preview."""
        for box in boxes:
            check = self._checkboxes.get(box.finding)
            if check is not None:
                check.blockSignals(True)
                check.setChecked(box.accepted)
                check.blockSignals(False)
