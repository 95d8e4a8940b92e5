"""The export options: where copies go, how they are named and oriented, what is covered."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from veil.core.model import ExportOptions
from veil.gui.export_tasks import BESIDE_SUFFIX
from veil.gui.models.export_wording import HEIC_SECONDS
from veil.gui.widgets.findings_panel import plain_label

RENAMES = (
    ("keep", "Keep the names"),
    ("neutral", "Neutral (photo-0001.jpg)"),
    ("random", "Random"),
)


class ExportForm(QWidget):
    """The options form; ``changed`` fires on any edit (the plan is made again)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setPlaceholderText("Choose a folder for the cleaned copies")
        self.folder_edit.setAccessibleName("Destination folder")
        self.choose = QPushButton("Choose…")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose)
        self.beside = QCheckBox(f"Save next to each original instead (photo{BESIDE_SUFFIX}.jpg)")
        self.beside.setToolTip("The original is never replaced: a free name is always chosen")
        self.beside.toggled.connect(self._beside_toggled)
        self.cover = QCheckBox("Cover the faces and marks marked “Covered”")
        self.cover.setChecked(True)
        self.orientation = QComboBox()
        self.orientation.addItem("Keep the orientation tag (lossless)", False)
        self.orientation.addItem("Rotate the pixels (re-encodes)", True)
        self.orientation.setAccessibleName("Orientation")
        # Covering re-encodes the upright picture whatever is chosen here (export.engine).
        self.orientation.setToolTip(
            "A copy with covered areas is re-encoded from the upright picture: it is turned"
            " upright and needs no orientation tag.")
        self.rename = QComboBox()
        for value, text in RENAMES:
            self.rename.addItem(text, value)
        self.rename.setAccessibleName("File names")
        # It read "…without asking when it must be", which looks cut off mid-sentence.
        self.heic = QCheckBox("Convert HEIC to JPEG when needed, without asking")
        self.heic.setToolTip(
            "A HEIC copy with covered areas or rotated pixels can only be saved as a JPEG"
            f" (re-encoding takes about {HEIC_SECONDS} s for a 12-megapixel photo)."
            " Unticked, Veil asks first."
        )
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(plain_label("Save to", wrap=False), folder_row)
        form.addRow(self.beside)
        form.addRow(plain_label("Orientation", wrap=False), self.orientation)
        form.addRow(plain_label("File names", wrap=False), self.rename)
        form.addRow(self.cover)
        form.addRow(self.heic)
        for box in (self.cover, self.heic):
            box.toggled.connect(lambda _on: self.changed.emit())
        for combo in (self.orientation, self.rename):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def options(self) -> ExportOptions:
        """The options as set (per-file redactions and the name suffix are added later)."""
        return ExportOptions(
            rename=str(self.rename.currentData()),
            bake_orientation=bool(self.orientation.currentData()),
            heic_to_jpeg=self.heic.isChecked(),
        )

    def _beside_toggled(self, on: bool) -> None:
        self.folder_edit.setEnabled(not on)
        self.choose.setEnabled(not on)
        self.changed.emit()
