"""The export pane's widgets and their layout (built here; the pane owns the slots).

Everything sits in a vertical scroll area: at 1024x700 the form, the buttons and the plan
leave the results table about one row, so the table keeps a height of its own (several
rows) and the pane scrolls instead. Sideways the content always fits the pane (no
horizontal scroll bar; labels wrap, the table elides), so nothing a file contains, such
as a 200-character name, can widen the pane or the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from veil.gui.widgets.export_form import ExportForm
from veil.gui.widgets.export_table import ExportTable
from veil.gui.widgets.findings_panel import plain_label

if TYPE_CHECKING:
    from veil.gui.widgets.export_pane import ExportPane

#: Not "drop everything else": by default a copy keeps its colour profile, orientation tag
#: and (maybe revealing) name, as its row's Kept cell says.
INTRO = "Copies keep the picture and little else (see Kept). Originals are never changed."
#: Rows of the results table always shown (the pane scrolls to make room for them).
TABLE_ROWS = 6


class PaneWidgets(QWidget):
    """The widgets :func:`build` gives the export pane, declared for type checkers (the
    pane's class derives from this; each is set by :func:`build`)."""

    #: Keys of the large covers the user wants to step through before writing.
    covers_requested = Signal(list)
    form: ExportForm
    folder_edit: QLineEdit
    choose: QPushButton
    beside: QCheckBox
    cover: QCheckBox
    orientation: QComboBox
    rename: QComboBox
    heic: QCheckBox
    export_selected: QPushButton
    export_all: QPushButton
    progress: QProgressBar
    cancel: QPushButton
    summary: QLabel
    plan_note: QLabel
    look: QPushButton
    results: ExportTable
    table: QTableView
    show_folder: QPushButton
    intro: QLabel
    scroll_area: QScrollArea


def build(pane: ExportPane) -> None:
    """Create the pane's controls (as attributes of ``pane``) and lay them out."""
    pane.form = f = ExportForm()
    # The form's controls, under the names the rest of the window and tests use.
    pane.folder_edit, pane.choose, pane.beside = f.folder_edit, f.choose, f.beside
    pane.cover, pane.orientation, pane.rename, pane.heic = f.cover, f.orientation, f.rename, f.heic
    f.choose.clicked.connect(pane.choose_folder)
    f.changed.connect(pane._plan_later)
    pane.export_selected = QPushButton("Export selected")
    pane.export_all = QPushButton("Export all")
    pane.export_all.setObjectName("PrimaryButton")
    pane.export_all.setToolTip("Save a cleaned copy of every photo shown in the list")
    pane.export_selected.setToolTip("Save cleaned copies of the selected photos")
    pane.export_selected.clicked.connect(lambda: pane.start("selected"))
    pane.export_all.clicked.connect(lambda: pane.start("all"))
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(pane.export_selected)
    buttons.addWidget(pane.export_all)

    pane.progress = QProgressBar()
    pane.progress.setTextVisible(True)
    pane.cancel = QPushButton("Cancel")
    pane.cancel.clicked.connect(pane.cancel_export)
    progress_row = QHBoxLayout()
    progress_row.addWidget(pane.progress, 1)
    progress_row.addWidget(pane.cancel)
    pane.summary = plain_label("", name="Summary")
    pane.summary.hide()  # shown with a text (ExportPane._say)
    pane.plan_note = plain_label("", name="Muted")
    pane.plan_note.setAccessibleName("Before export")
    pane.plan_note.hide()  # shown with a text (ExportPane._note)
    pane.look = QPushButton("Look at them")
    pane.look.setToolTip("Step through these photos as a recipient will see them")
    pane.look.clicked.connect(lambda: pane.covers_requested.emit(list(pane._large_keys)))
    pane.look.hide()
    plan_row = QHBoxLayout()
    plan_row.addWidget(pane.plan_note, 1)
    plan_row.addWidget(pane.look)

    pane.results = ExportTable(pane.controller.results)
    pane.results.look_requested.connect(pane.look_requested)
    pane.table = pane.results.table
    rows = TABLE_ROWS * pane.table.verticalHeader().defaultSectionSize()
    header = pane.table.horizontalHeader().sizeHint().height()
    pane.table.setMinimumHeight(rows + header + 2 * pane.table.frameWidth())
    pane.show_folder = QPushButton("Show in folder")
    pane.show_folder.clicked.connect(pane.open_destination)
    pane.show_folder.setEnabled(False)

    content = QWidget()
    content.setObjectName("ExportContent")
    # Sideways the content takes the pane's width, whatever its labels would like.
    content.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.addWidget(plain_label("Save cleaned copies", name="Heading"))
    pane.intro = plain_label(INTRO, name="Muted")
    layout.addWidget(pane.intro)
    layout.addWidget(pane.form)
    layout.addLayout(buttons)
    layout.addLayout(progress_row)
    layout.addWidget(pane.summary)
    layout.addLayout(plan_row)
    layout.addWidget(pane.results, 1)
    bottom = QHBoxLayout()
    bottom.addStretch(1)
    bottom.addWidget(pane.show_folder)
    layout.addLayout(bottom)

    pane.scroll_area = QScrollArea()
    pane.scroll_area.setObjectName("ExportScroll")
    pane.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
    pane.scroll_area.setWidgetResizable(True)
    pane.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    pane.scroll_area.setWidget(content)
    outer = QVBoxLayout(pane)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(pane.scroll_area)


def mark_primary(pane: ExportPane, scope: str) -> None:
    """Draw the button of ``scope`` ("selected" or "all") as the main action."""
    primary, other = (
        (pane.export_selected, pane.export_all)
        if scope == "selected"
        else (pane.export_all, pane.export_selected)
    )
    if primary.objectName() == "PrimaryButton":
        return
    other.setObjectName("")
    primary.setObjectName("PrimaryButton")
    for button in (primary, other):  # the style sheet matches the name: apply it again
        button.style().unpolish(button)
        button.style().polish(button)
