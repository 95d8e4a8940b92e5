"""The main window: composes the widgets and wires their signals (no logic of its own)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from veil.gui import dialogs
from veil.gui.assets import app_icon
from veil.gui.exporter import ExportController
from veil.gui.models.file_table import (
    COL_NAME,
    ROW_ROLE,
    RiskFilterProxy,
)
from veil.gui.session import AuditSession
from veil.gui.states import RowState
from veil.gui.widgets.detail import DetailPane
from veil.gui.widgets.drop_zone import DropFilter, DropZone
from veil.gui.widgets.export_pane import ExportPane
from veil.gui.widgets.file_list import FILTERS, FileListView
from veil.gui.widgets.findings_panel import plain_label
from veil.gui.widgets.ratio_splitter import RatioSplitter

FLASH_SECONDS = 8.0
IMAGE_FILTER = (
    "Photos (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.heic *.heif *.avif *.gif *.dng);;"
    "All files (*)"
)


class MainWindow(QMainWindow):
    """Veil's window."""

    def __init__(self, session: AuditSession | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Veil — see what your photos reveal")
        self.setWindowIcon(app_icon())
        self.session = session or AuditSession(parent=self)
        self.exporter = ExportController(self.session, self)
        #: File dialogs, replaceable in tests (native dialogs block).
        self.ask_files = self._ask_files
        self.ask_folder = self._ask_folder

        self.proxy = RiskFilterProxy(self)
        self.proxy.setSourceModel(self.session.model)
        self.table = FileListView(self.proxy)
        self.drop_zone = DropZone()
        self.detail = DetailPane(self.session)
        self.detail.setObjectName("DetailPane")
        self.export_pane = ExportPane(self.exporter, self.keys_for)
        self.detail.tabs.addTab(self.export_pane, "Export")

        # Neither pane's content may size the window (a long file name once widened it past
        # the screen): both ignore their size hints; the user's divider sets the shares.
        for pane, minimum in ((self.table, 320), (self.detail, 360)):
            policy = pane.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            pane.setSizePolicy(policy)
            pane.setMinimumWidth(minimum)
        self.splitter = RatioSplitter(0.56)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.stack = QStackedWidget()
        self.stack.setObjectName("Central")
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self._make_actions()
        self._make_status_bar()
        self._wire()
        self.setTabOrder(self.table, self.detail.tabs)
        self.setTabOrder(self.detail.tabs, self.detail.findings)

    # Building -----------------------------------------------------------------------------
    def _action(self, text: str, shortcut: Any, slot: Any, *, context: Any = None) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        if context is not None:
            action.setShortcutContext(context)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.add_photos_action = self._action("Add photos…", "Ctrl+O", self.add_photos)
        self.add_folder_action = self._action("Add folder…", "Ctrl+Shift+O", self.add_folder)
        self.export_action = self._action("Export…", "Ctrl+E", self.show_export)
        self.remove_action = self._action(
            "Remove from list",
            QKeySequence.StandardKey.Delete,
            self.remove_selected,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.table.addAction(self.remove_action)
        self.privacy_action = QAction("Hide previews", self)
        self.privacy_action.setCheckable(True)
        self.privacy_action.setToolTip("Privacy screen: hide every preview at once (Esc)")
        self.privacy_action.toggled.connect(self.set_previews_hidden)
        self.escape_action = self._action(
            "Privacy screen", "Esc", lambda: self.privacy_action.setChecked(True)
        )
        self.addAction(self.escape_action)

        bar = QToolBar("Main")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.add_photos_action)
        bar.addAction(self.add_folder_action)
        bar.addSeparator()
        bar.addWidget(plain_label(" Show: ", wrap=False))
        self.filter_combo = QComboBox()
        self.filter_combo.setAccessibleName("Show photos with risk")
        for text, _ in FILTERS:
            self.filter_combo.addItem(text)
        bar.addWidget(self.filter_combo)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.privacy_action)
        bar.addAction(self.export_action)
        self.addToolBar(bar)

    def _make_status_bar(self) -> None:
        self._flash_text = ""
        self._flash_until = 0.0
        self.status_label = plain_label("", wrap=False)
        self.status_progress = QProgressBar()
        self.status_progress.setMaximumWidth(220)
        self.status_progress.setTextVisible(False)
        self.status_cancel = QPushButton("Cancel")
        self.status_cancel.setToolTip("Stop checking (photos not checked yet say so)")
        self.status_cancel.clicked.connect(self.session.cancel_audits)
        self.status_resume = QPushButton("Check the rest")
        self.status_resume.setToolTip("Finish the checks that Cancel stopped")
        self.status_resume.clicked.connect(self.check_rest)
        bar = self.statusBar()
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.status_progress)
        bar.addPermanentWidget(self.status_cancel)
        bar.addPermanentWidget(self.status_resume)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(100)
        self._status_timer.timeout.connect(self.update_status)
        self._status_timer.start()
        self.update_status()

    def _wire(self) -> None:
        self.drop_zone.paths_dropped.connect(self.add_paths)
        self.drop_zone.add_photos_clicked.connect(self.add_photos)
        self.drop_zone.add_folder_clicked.connect(self.add_folder)
        self.table_drops = DropFilter(self)
        self.table_drops.paths_dropped.connect(self.add_paths)
        self.table.viewport().installEventFilter(self.table_drops)
        # Drops anywhere else in the window (detail pane, toolbar) add photos too.
        self.setAcceptDrops(True)
        self.installEventFilter(self.table_drops)
        self.session.rows_added.connect(self._rows_added)
        self.session.audits_finished.connect(self._audits_finished)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.filter_combo.currentIndexChanged.connect(
            lambda i: self.proxy.set_badges(FILTERS[i][1])
        )
        self.export_pane.message.connect(self.flash)
        self.export_pane.look_requested.connect(self.look_at)
        self.session.job_failed.connect(lambda text: self.flash(f"Internal error: {text}"))

    # Actions ------------------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """Add dropped or chosen files/folders."""
        self.session.add_paths(paths)

    def _ask_files(self) -> list[Path]:
        return dialogs.ask_files(self, "Add photos", IMAGE_FILTER)

    def _ask_folder(self) -> Path | None:
        return dialogs.ask_folder(self, "Add a folder of photos")

    def add_photos(self) -> None:
        """Ctrl+O."""
        files = self.ask_files()
        if files:
            self.add_paths(files)

    def add_folder(self) -> None:
        """Ctrl+Shift+O."""
        folder = self.ask_folder()
        if folder is not None:
            self.add_paths([folder])

    def show_export(self) -> None:
        """Ctrl+E: open the export tab (the pane asks for a folder when it starts)."""
        if self.stack.currentWidget() is self.splitter:
            self.detail.tabs.setCurrentWidget(self.export_pane)
            self.export_pane.export_selected.setFocus()

    def selected_keys(self) -> list[str]:
        """Keys of the selected rows, in view order."""
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.data(i, ROW_ROLE).key for i in sorted(rows, key=lambda i: i.row())]

    def keys_for(self, scope: str) -> list[str]:
        """Rows an export covers: the selection, or every row shown by the filter."""
        if scope == "selected":
            return self.selected_keys()
        return [
            self.proxy.data(self.proxy.index(r, 0), ROW_ROLE).key
            for r in range(self.proxy.rowCount())
        ]

    def check_rest(self) -> None:
        """Resume the checks Cancel stopped."""
        if self.session.check_rest():
            self.proxy.setDynamicSortFilter(False)
        self.update_status()

    def remove_selected(self) -> None:
        """Delete: take the selected rows off the list (files on disk are not touched)."""
        keys = self.selected_keys()
        if keys:
            self.session.remove(keys)
        if self.session.model.rowCount() == 0:
            self.stack.setCurrentWidget(self.drop_zone)

    def look_at(self, keys: list[str]) -> None:
        """Select these photos and show the first as a recipient will see it (export pane)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        first = None
        for key in keys:
            number = self.session.model.row_number(key)
            index = (
                None
                if number is None
                else self.proxy.mapFromSource(self.session.model.index(number, COL_NAME))
            )
            if index is not None and index.isValid():
                flags = QItemSelectionModel.SelectionFlag.Select
                selection.select(index, flags | QItemSelectionModel.SelectionFlag.Rows)
                first = first or index
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)
            self.detail.tabs.setCurrentIndex(0)
            self.detail.preview.recipient.setChecked(True)

    def set_previews_hidden(self, hidden: bool) -> None:
        """Privacy screen: hide or show every preview and thumbnail at once."""
        self.session.model.set_previews_hidden(hidden)
        self.detail.set_previews_hidden(hidden)
        self.privacy_action.setText("Show previews" if hidden else "Hide previews")

    def select_first(self) -> None:
        """Select the top row (as sorted) and show it."""
        if self.proxy.rowCount():
            index = self.proxy.index(0, COL_NAME)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _rows_added(self, _count: int) -> None:
        self.stack.setCurrentWidget(self.splitter)
        if self.session.auditing:
            # Rows stay where they are while results arrive (a row must not jump away from
            # the pointer); new rows go to the end. Clicking a header still sorts at once.
            self.proxy.setDynamicSortFilter(False)

    def _audits_finished(self) -> None:
        """Checking ended: sort and filter by the final answers, keep the selection in view."""
        if not self.proxy.dynamicSortFilter():
            self.proxy.setDynamicSortFilter(True)
            self.proxy.invalidate()
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)

    def _current_changed(self, current: Any, _previous: Any) -> None:
        row = self.proxy.data(current, ROW_ROLE) if current.isValid() else None
        self.detail.show_row(row)

    def flash(self, text: str) -> None:
        """Show ``text`` in the status bar for a few seconds instead of the counts."""
        self._flash_text = text
        self._flash_until = time.monotonic() + FLASH_SECONDS
        self.update_status()

    def update_status(self) -> None:
        """Read progress from the model (every 100 ms, not per result)."""
        done, total = self.session.model.progress()
        busy = self.session.auditing
        stopped = 0 if busy else self.session.model.count_state(RowState.CANCELLED)
        self.status_progress.setVisible(busy)
        self.status_cancel.setVisible(busy)
        self.status_resume.setVisible(stopped > 0)
        if time.monotonic() < self._flash_until:
            text = self._flash_text
        elif busy:
            self.status_progress.setRange(0, max(total, 1))
            self.status_progress.setValue(done)
            text = f"Checking {done:,} of {total:,} files…"
        elif stopped:
            counts = self.session.model.risk_counts()
            noun = "file was" if stopped == 1 else "files were"
            text = f"Stopped: {stopped:,} {noun} not fully checked · {counts}"
        elif total:
            counts = self.session.model.risk_counts()
            noun = "file" if total == 1 else "files"
            text = f"{total:,} {noun} · {counts} — checked on this computer, nothing was sent"
        else:
            text = "Drop photos or folders to begin"
        if self.status_label.text() != text:
            self.status_label.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel all work and wait (bounded) for the pools before closing."""
        self.exporter.cancel()
        self.session.shutdown(timeout_ms=3000)
        self._status_timer.stop()
        super().closeEvent(event)
