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

from veil.core.model import PIXEL_KINDS, CheckStatus, FileReport, Severity
from veil.gui.redactions import OverlayBox
from veil.gui.text import breakable, group_findings, safe_text

#: At most this many findings are listed (a hostile file can hold thousands).
MAX_FINDINGS = 200
SEVERITY_STYLE = {
    Severity.HIGH: ("High", "#B3261E"),
    Severity.MEDIUM: ("Medium", "#B45309"),
    Severity.LOW: ("Low", "#6B5300"),
}
CHECK_NAMES = {"faces": "Faces", "marks": "Tattoos and marks", "metadata": "Metadata"}


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
    ) -> None:
        """Rebuild the list for ``report`` (None: ``placeholder`` is shown instead)."""
        body = QWidget()
        body.setObjectName("FindingsBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(6)
        self._checkboxes = {}
        if report is None:
            layout.addWidget(plain_label(placeholder, name="Muted"))
        else:
            self._fill(layout, report, boxes)
        layout.addStretch(1)
        self.setWidget(body)

    def _fill(self, layout: QVBoxLayout, report: FileReport, boxes: tuple[OverlayBox, ...]) -> None:
        if not report.ok:
            layout.addWidget(plain_label("This file could not be checked", name="Heading"))
            layout.addWidget(plain_label(breakable(safe_text(report.error or "unknown", 300))))
            return
        groups = group_findings(report.findings[:MAX_FINDINGS])
        if not groups:
            layout.addWidget(plain_label("Nothing identifying was found", name="Heading"))
        number = {id(f): i for i, f in enumerate(report.findings)}
        covered = {b.finding: b.accepted for b in boxes if b.finding >= 0}
        for heading, findings in groups:
            layout.addSpacing(6)
            layout.addWidget(plain_label(heading, name="Heading"))
            for finding in findings:
                row = QGridLayout()
                row.setHorizontalSpacing(10)
                word, colour = SEVERITY_STYLE[finding.severity]
                sev = plain_label(word, wrap=False, name="Severity")
                sev.setStyleSheet(f"color: {colour}; font-weight: 600;")
                sev.setFixedWidth(64)
                row.addWidget(sev, 0, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(plain_label(breakable(safe_text(finding.summary, 300))), 0, 1)
                row.setColumnStretch(1, 1)
                index = number[id(finding)]
                if finding.kind in PIXEL_KINDS and index in covered:
                    check = self._cover_box(index, covered[index])
                    row.addWidget(check, 0, 2, Qt.AlignmentFlag.AlignTop)
                layout.addLayout(row)
        if len(report.findings) > MAX_FINDINGS:
            more = len(report.findings) - MAX_FINDINGS
            layout.addWidget(plain_label(f"…and {more:,} more findings.", name="Muted"))
        self._add_not_checked(layout, report)

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

    def _add_not_checked(self, layout: QVBoxLayout, report: FileReport) -> None:
        lines = []
        for check_id, status in report.checks.items():
            name = CHECK_NAMES.get(check_id, check_id.capitalize())
            if status is CheckStatus.NOT_AVAILABLE:
                lines.append(f"{name}: not checked (this check is not available).")
            elif status is CheckStatus.FAILED:
                lines.append(f"{name}: the check failed on this file.")
            elif status is CheckStatus.SKIPPED:
                lines.append(f"{name}: not checked yet.")
        lines += [breakable(safe_text(n, 300)) for n in report.notes[:20]]
        if lines:
            layout.addSpacing(10)
            layout.addWidget(plain_label("Not fully checked", name="Heading"))
            for line in lines:
                layout.addWidget(plain_label(line, name="Muted"))
