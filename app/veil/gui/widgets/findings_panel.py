"""Findings of the selected photo under plain headings, one sentence each.

Every string from the file is shown with ``Qt.PlainText`` after :func:`safe_text` (no markup
is ever interpreted; length is capped), and never as a button caption (``&`` would become a
keyboard accelerator). Face/mark findings get a "Cover" checkbox, the keyboard twin of
clicking the box on the preview; clicking the line lights up its box (and a box clicked on
the preview lights up its line). Boxes the user drew are listed under "People & marks" with
a Delete button, and the heading counts what the copy will cover ("7 faces, 6 covered").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from veil.core.explain import heading
from veil.core.model import FileReport, FindingKind, Severity
from veil.gui.models.findings import FindingLine, box_line, findings_view
from veil.gui.redactions import OverlayBox, cover_counts
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


PEOPLE = heading(FindingKind.FACE)  # "People & marks"


class BoxRow(QFrame):
    """One face/mark line; a click on it selects its box on the preview."""

    clicked = Signal(int)

    def __init__(self, box: int) -> None:
        super().__init__()
        self.box = box
        self.setObjectName("BoxRow")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to light up this box on the picture")
        self.set_selected(False)

    def set_selected(self, on: bool) -> None:
        """Light up (or not) this line."""
        self.setProperty("selected", on)
        colour = "#DBE8FD" if on else "transparent"
        edge = "#3B82F6" if on else "transparent"
        self.setStyleSheet(
            f"QFrame#BoxRow {{ background: {colour}; border-left: 3px solid {edge};"
            " border-radius: 4px; }"
        )

    def mousePressEvent(self, event: Any) -> None:
        self.clicked.emit(self.box)
        super().mousePressEvent(event)

    def watch_focus(self, widget: QWidget) -> None:
        """Tabbing into ``widget`` (the Cover checkbox) selects the box too (keyboard twin
        of clicking the line)."""
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self.clicked.emit(self.box)
        return super().eventFilter(watched, event)


class FindingsPanel(QScrollArea):
    """A scrolling list of heading + findings for one report."""

    cover_toggled = Signal(int, bool)  # index of the finding in report.findings, covered
    box_cover_toggled = Signal(int, bool)  # index of a drawn box in the boxes, covered
    box_clicked = Signal(int)  # index in the boxes
    box_deleted = Signal(int)  # index in the boxes (drawn boxes only)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._checkboxes: dict[int, QCheckBox] = {}
        self._box_checks: dict[int, QCheckBox] = {}
        self._rows: dict[int, BoxRow] = {}
        self._counts: QLabel | None = None
        self._selected = -1
        #: The export's "Cover the faces and marks", why it writes no copy: see cover_counts.
        self.covering, self.no_copy = True, ""
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
        self._checkboxes, self._box_checks, self._rows, self._counts = {}, {}, {}, None
        if report is None:
            layout.addWidget(plain_label(placeholder, name="Muted"))
        else:
            self._fill(layout, report, boxes, state)
        layout.addStretch(1)
        scroll = self.verticalScrollBar().value()
        self.setWidget(body)
        self.verticalScrollBar().setValue(scroll)
        self.select_box(self._selected)

    def _fill(
        self,
        layout: QVBoxLayout,
        report: FileReport,
        boxes: tuple[OverlayBox, ...],
        state: RowState,
    ) -> None:
        view = findings_view(report, boxes, state)
        box_of = {b.finding: i for i, b in enumerate(boxes) if b.finding >= 0}
        drawn = [(i, b) for i, b in enumerate(boxes) if b.finding < 0]
        groups = list(view.groups)
        if drawn and PEOPLE not in (h for h, _ in groups):
            groups.append((PEOPLE, ()))
        if view.title:
            layout.addWidget(plain_label(view.title, name="Heading"))
        if view.title and view.detection:
            layout.addWidget(plain_label(view.detection, name="Muted"))
        if view.caveat:
            layout.addWidget(plain_label(view.caveat, name="Muted"))
        for title, lines in groups:
            layout.addSpacing(6)
            layout.addWidget(plain_label(title, name="Heading"))
            if title == PEOPLE:
                counts = cover_counts(boxes, self.covering, self.no_copy)
                self._counts = plain_label(counts, name="Muted")
                self._counts.setAccessibleName("What the copy covers")
                layout.addWidget(self._counts)
                # Nothing to cover (a clip's sound alone): no blank line under the heading.
                # (Only once in the layout: shown without a parent, it is a window.)
                self._counts.setVisible(bool(self._counts.text()))
            for line in lines:
                box = box_of.get(line.index, -1)
                label = boxes[box].label if box >= 0 else ""
                layout.addWidget(self._line(line, box, label))
            if title == PEOPLE:
                for index, mine in drawn:
                    layout.addWidget(self._drawn_line(index, mine))
        if view.more:
            layout.addWidget(plain_label(f"…and {view.more:,} more findings.", name="Muted"))
        if view.detection and not view.title:  # under what was found: none of these
            layout.addSpacing(6)
            layout.addWidget(plain_label(view.detection, name="Muted"))
        if view.not_checked:
            layout.addSpacing(10)
            title = "Why" if not report.ok else "Not fully checked"
            layout.addWidget(plain_label(title, name="Heading"))
            for text in view.not_checked:
                layout.addWidget(plain_label(text, name="Muted"))

    def _line(self, line: FindingLine, box: int, label: str = "") -> QWidget:
        """A finding's line: severity, sentence, and for a face/mark its Cover checkbox."""
        holder: QWidget = BoxRow(box) if box >= 0 else QWidget()
        row = QGridLayout(holder)
        row.setContentsMargins(4, 2, 4, 2)
        row.setHorizontalSpacing(10)
        word, colour = SEVERITY_STYLE[line.severity]
        sev = plain_label(word, wrap=False, name="Severity")
        sev.setStyleSheet(f"color: {colour}; font-weight: 600;")
        sev.setFixedWidth(64)
        row.addWidget(sev, 0, 0, Qt.AlignmentFlag.AlignTop)
        # The box's own name ("Face 2") ties the line to the label on the picture.
        text = plain_label(box_line(label, line.text))
        row.addWidget(text, 0, 1)
        row.setColumnStretch(1, 1)
        if line.covered is not None:
            check = self._cover_box(line.index, line.covered)
            if line.question:
                check.setToolTip(
                    "Not ticked: a possible mark is covered by default only when Veil is"
                    " confident and the box is small. Tick to cover it."
                )
            row.addWidget(check, 0, 2, Qt.AlignmentFlag.AlignTop)
        if isinstance(holder, BoxRow):
            if line.covered is not None:
                holder.watch_focus(check)
            # Selectable text would swallow the click that lights up the box.
            text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            holder.clicked.connect(self._clicked)
            self._rows[box] = holder
        return holder

    def _drawn_line(self, index: int, box: OverlayBox) -> QWidget:
        """A box the user drew: its label, Cover checkbox and a Delete button."""
        holder = BoxRow(index)
        row = QGridLayout(holder)
        row.setContentsMargins(4, 2, 4, 2)
        row.setHorizontalSpacing(10)
        who = plain_label("Yours", wrap=False, name="Severity")
        who.setFixedWidth(64)
        row.addWidget(who, 0, 0, Qt.AlignmentFlag.AlignTop)
        label = plain_label(f"{box.label} — an area you marked to cover")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        row.addWidget(label, 0, 1)
        row.setColumnStretch(1, 1)
        check = QCheckBox("Cover")
        check.setToolTip("Cover this area with a solid box in the cleaned copy")
        check.setChecked(box.accepted)
        check.toggled.connect(lambda on, i=index: self.box_cover_toggled.emit(i, on))
        self._box_checks[index] = check
        row.addWidget(check, 0, 2, Qt.AlignmentFlag.AlignTop)
        holder.watch_focus(check)
        delete = QPushButton("Delete")
        delete.setToolTip("Remove this box (the copy will not cover it)")
        delete.setAccessibleName(f"Delete {box.label}")
        delete.clicked.connect(lambda _=False, i=index: self.box_deleted.emit(i))
        row.addWidget(delete, 0, 3, Qt.AlignmentFlag.AlignTop)
        holder.clicked.connect(self._clicked)
        self._rows[index] = holder
        return holder

    def _clicked(self, box: int) -> None:
        self.select_box(box)
        self.box_clicked.emit(box)

    def select_box(self, box: int) -> None:
        """Light up the line of box ``box`` (-1: none) and scroll it into view."""
        self._selected = box
        for index, row in self._rows.items():
            row.set_selected(index == box)
        if box in self._rows:
            self.ensureWidgetVisible(self._rows[box])

    @property
    def selected_box(self) -> int:
        """The box whose line is lit (-1: none)."""
        return self._selected

    @property
    def drawn_rows(self) -> dict[int, BoxRow]:
        """Lines of every box (box index -> line), detected and drawn."""
        return dict(self._rows)

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

    @property
    def counts_text(self) -> str:
        """The "7 faces, 6 covered" line ("" when nothing can be covered)."""
        return self._counts.text() if self._counts is not None else ""

    def set_cover_states(self, boxes: tuple[OverlayBox, ...]) -> None:
        """Sync the checkboxes and counts with edits made on the preview."""
        for i, box in enumerate(boxes):
            check = self._checkboxes.get(box.finding) if box.finding >= 0 else None
            check = check or self._box_checks.get(i)
            if check is not None:
                check.blockSignals(True)
                check.setChecked(box.accepted)
                check.blockSignals(False)
        if self._counts is not None:
            self._counts.setText(cover_counts(boxes, self.covering, self.no_copy))
            self._counts.setVisible(bool(self._counts.text()))
