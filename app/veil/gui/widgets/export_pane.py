"""Save cleaned copies: destination, options, Export selected / all, progress, results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from veil.core.model import ExportOptions
from veil.gui import dialogs
from veil.gui.exporter import ExportController, ExportSummary, export_available
from veil.gui.text import safe_text
from veil.gui.widgets.findings_panel import plain_label

RENAMES = (
    ("keep", "Keep the names"),
    ("neutral", "Neutral (photo-0001.jpg)"),
    ("random", "Random"),
)


class ExportPane(QWidget):
    """The export pane. ``keys_for(scope)`` gives the rows to export ("selected" / "all")."""

    message = Signal(str)

    def __init__(
        self,
        controller: ExportController,
        keys_for: Callable[[str], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._keys_for = keys_for
        self.destination: Path | None = None
        self._name_note = ""
        #: Returns a folder or None; replaced in tests (native dialogs block).
        self.ask_folder: Callable[[], Path | None] = self._ask_folder

        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setPlaceholderText("Choose a folder for the cleaned copies")
        self.folder_edit.setAccessibleName("Destination folder")
        self.choose = QPushButton("Choose…")
        self.choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose)

        self.cover = QCheckBox("Cover the faces and marks marked “Covered”")
        self.cover.setChecked(True)
        self.orientation = QComboBox()
        self.orientation.addItem("Keep the orientation tag (lossless)", False)
        self.orientation.addItem("Rotate the pixels (re-encodes)", True)
        self.orientation.setAccessibleName("Orientation")
        self.rename = QComboBox()
        for value, text in RENAMES:
            self.rename.addItem(text, value)
        self.rename.setAccessibleName("File names")
        self.heic = QCheckBox("Convert HEIC to JPEG when it cannot be cleaned in place")
        form = QFormLayout()
        form.addRow(plain_label("Save to", wrap=False), folder_row)
        form.addRow(plain_label("Orientation", wrap=False), self.orientation)
        form.addRow(plain_label("File names", wrap=False), self.rename)
        form.addRow(self.cover)
        form.addRow(self.heic)

        self.export_selected = QPushButton("Export selected")
        self.export_all = QPushButton("Export all")
        self.export_all.setObjectName("PrimaryButton")
        self.export_all.setToolTip("Save a cleaned copy of every photo shown in the list")
        self.export_selected.setToolTip("Save cleaned copies of the selected photos")
        self.export_selected.clicked.connect(lambda: self.start("selected"))
        self.export_all.clicked.connect(lambda: self.start("all"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_selected)
        buttons.addWidget(self.export_all)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(controller.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel)
        self.summary = plain_label("", name="Summary")

        self.table = QTableView()
        self.table.setModel(controller.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never ResizeToContents
        header.resizeSection(0, 170)
        header.resizeSection(1, 230)
        header.setStretchLastSection(True)
        self.table.setAccessibleName("Export results")
        self.show_folder = QPushButton("Show in folder")
        self.show_folder.clicked.connect(self.open_destination)
        self.show_folder.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(plain_label("Save cleaned copies", name="Heading"))
        layout.addWidget(
            plain_label(
                "Copies keep the picture and drop everything else. Originals are never changed.",
                name="Muted",
            )
        )
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addLayout(progress_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.show_folder)
        layout.addLayout(bottom)

        controller.started.connect(self._on_started)
        controller.progressed.connect(self._on_progress)
        controller.finished.connect(self._on_finished)
        self._set_running(False)
        if not export_available():
            for w in (self.export_all, self.export_selected):
                w.setEnabled(False)
            self.summary.setText("Saving cleaned copies is not available in this build.")

    def options(self) -> ExportOptions:
        """The options as set in the pane (per-file redactions are added later)."""
        return ExportOptions(
            rename=str(self.rename.currentData()),
            bake_orientation=bool(self.orientation.currentData()),
            heic_to_jpeg=self.heic.isChecked(),
        )

    def set_destination(self, folder: Path | None) -> None:
        """Use ``folder`` for the copies (never set by default)."""
        self.destination = folder
        self.folder_edit.setText("" if folder is None else safe_text(folder, 500))
        self.show_folder.setEnabled(False)

    def _ask_folder(self) -> Path | None:
        return dialogs.ask_folder(self, "Save cleaned copies to")

    def choose_folder(self) -> bool:
        """Ask for the destination; True when one is set."""
        folder = self.ask_folder()
        if folder is not None:
            self.set_destination(folder)
        return self.destination is not None

    def start(self, scope: str) -> None:
        """Export the ``scope`` rows ("selected" or "all")."""
        if not export_available() or self.controller.running:
            return
        if self.destination is None and not self.choose_folder():
            return
        assert self.destination is not None
        keys = self._keys_for(scope)
        tasks, problem = self.controller.plan(
            keys, self.destination, self.options(), self.cover.isChecked()
        )
        if problem:
            self.summary.setText(problem)
            self.message.emit(problem)
            return
        named = self.controller.revealing_names(tasks)
        self._name_note = ""
        if named and self.rename.currentData() == "keep":
            self._name_note = (
                f"{named} file {'name reveals' if named == 1 else 'names reveal'} something"
                " (a date, a name, a device): choose Neutral names to hide it."
            )
        self.controller.start(tasks, self.destination)

    def open_destination(self) -> None:
        """Open the destination in the file manager (a local file:// URL: no network)."""
        if self.destination is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.destination)))

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel.setVisible(running)
        ok = export_available()
        self.export_all.setEnabled(ok and not running)
        self.export_selected.setEnabled(ok and not running)

    def _on_started(self, total: int) -> None:
        self._set_running(True)
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.setFormat(f"Saving 0 of {total}")
        self.summary.setText("")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.progress.setFormat(f"Saving {done} of {total}")

    def _on_finished(self, summary: ExportSummary) -> None:
        self._set_running(False)
        parts = [f"{summary.verified} verified clean"]
        if self.controller.left_out:
            n = self.controller.left_out
            parts.append(f"{n} {'file' if n == 1 else 'files'} left out (not a readable photo)")
        if summary.failed:
            parts.append(f"{summary.failed} failed")
        if summary.cancelled:
            parts.append(
                f"cancelled ({summary.total - summary.verified - summary.failed} not saved)"
            )
        text = " · ".join(parts)
        self.summary.setText(f"{text}\n{self._name_note}" if self._name_note else text)
        self.message.emit(f"Export finished: {text}")
        self.show_folder.setEnabled(self.destination is not None)
