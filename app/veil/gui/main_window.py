"""The main window: composes the widgets and wires their signals to its slots.

Built apart: the panes and status area (:mod:`veil.gui.window_layout`), the actions, menus
and tool bar (:mod:`veil.gui.window_actions`). Kept apart: which rows the user means
(:mod:`veil.gui.list_selection`), the list's hold-still-while-checking order
(:mod:`veil.gui.stable_order`), stepping through large covers (:mod:`veil.gui.cover_review`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolBar,
)

from veil.gui import dialogs, list_selection
from veil.gui.assets import app_icon
from veil.gui.cover_review import CoverReview
from veil.gui.exporter import ExportController
from veil.gui.list_edits import Removed
from veil.gui.models.file_filter import RiskFilterProxy
from veil.gui.models.file_table import ROW_ROLE
from veil.gui.session import AuditSession
from veil.gui.stable_order import StableOrder
from veil.gui.widgets.detail import DetailPane
from veil.gui.widgets.drop_zone import DropFilter, DropZone
from veil.gui.widgets.export_pane import ExportPane
from veil.gui.widgets.file_list import FILTERS, FileListView
from veil.gui.widgets.focus_ring import FocusRing
from veil.gui.widgets.ratio_splitter import RatioSplitter
from veil.gui.widgets.shortcuts_dialog import ShortcutsDialog
from veil.gui.widgets.status_area import StatusArea
from veil.gui.window_actions import build_actions, shortcut_actions
from veil.gui.window_layout import build_panes, build_status

IMAGE_FILTER = (
    "Photos (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.heic *.heif *.avif *.gif *.dng);;"
    "All files (*)"
)


class MainWindow(QMainWindow):
    """Veil's window."""

    # Built by window_layout.build_panes and build_status.
    proxy: RiskFilterProxy
    table: FileListView
    drop_zone: DropZone
    detail: DetailPane
    export_pane: ExportPane
    cover_review: CoverReview
    splitter: RatioSplitter
    stack: QStackedWidget
    status: StatusArea
    status_label: QLabel
    status_progress: QProgressBar
    status_cancel: QPushButton
    status_resume: QPushButton
    status_timer: QTimer
    # Built by window_actions.build_actions.
    add_photos_action: QAction
    add_folder_action: QAction
    export_action: QAction
    quit_action: QAction
    undo_action: QAction
    select_all_action: QAction
    remove_action: QAction
    clear_action: QAction
    find_action: QAction
    privacy_action: QAction
    check_rest_action: QAction
    cancel_action: QAction
    help_action: QAction
    filter_combo: QComboBox
    find_box: QLineEdit
    tool_bar: QToolBar

    def __init__(self, session: AuditSession | None = None) -> None:
        super().__init__()
        # Ends with the app's name: Qt appends it (Linux, Windows) to a title that doesn't.
        self.setWindowTitle("See what your photos reveal — Veil")
        self.setWindowIcon(app_icon())
        self.session = session or AuditSession(parent=self)
        self.exporter = ExportController(self.session, self)
        #: File dialogs, replaceable in tests (native dialogs block).
        self.ask_files = self._ask_files
        self.ask_folder = self._ask_folder

        build_panes(self)
        self._removed: Removed | None = None
        #: (rows, stopped rows) when files were last added, until their walk ends.
        self._listed_before: tuple[int, int] | None = None
        build_actions(self)
        self.focus_ring = FocusRing(self)
        build_status(self)
        self._wire()
        self.setTabOrder(self.table, self.detail.tabs)
        self.setTabOrder(self.detail.tabs, self.detail.findings)

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
        self.order = StableOrder(self.session, self.proxy, self.table, self)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.filter_combo.currentIndexChanged.connect(self._filter_chosen)
        self.find_box.textChanged.connect(self.proxy.set_name_filter)
        self.find_box.returnPressed.connect(self._find_done)
        for signal in (
            self.session.model.rowsInserted,
            self.session.model.rowsRemoved,
            self.session.model.modelReset,
        ):
            signal.connect(self._update_enabled)
        self._update_enabled()
        self.export_pane.message.connect(self.flash)
        self.export_pane.look_requested.connect(self.look_at)
        self.session.job_failed.connect(lambda text: self.flash(f"Internal error: {text}"))

    # Actions ------------------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """Add dropped or chosen files/folders."""
        model = self.session.model
        self._listed_before = (model.rowCount(), model.count_stopped())
        self.session.add_paths(paths)
        self.update_status()

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
        return list_selection.selected_keys(self.table, self.proxy)

    def keys_for(self, scope: str) -> list[str]:
        """Rows an export covers: the selection, or every row shown by the filter."""
        if scope == "selected":
            return self.selected_keys()
        return list_selection.shown_keys(self.proxy)

    def check_rest(self) -> None:
        """Resume the checks Cancel stopped."""
        if self.session.check_rest():
            self.order.hold()
        self.update_status()

    def remove_selected(self) -> None:
        """Delete: take the selected rows off the list (files on disk are not touched)."""
        self._remove(self.selected_keys())

    def clear_list(self) -> None:
        """Take every file off the list (Undo brings them back)."""
        self._remove([row.key for row in self.session.model.rows])

    def _remove(self, keys: list[str]) -> None:
        if not keys:
            return
        self._removed = self.session.remove(keys)
        count = len(self._removed.rows)
        noun = "file" if count == 1 else "files"
        self.status.offer_undo(f"Removed {count:,} {noun} from the list (files not touched)")
        if self.session.model.rowCount() == 0:
            self.stack.setCurrentWidget(self.drop_zone)
        self._update_enabled()

    def undo_remove(self) -> None:
        """Ctrl+Z: put back the files the last removal took off the list."""
        removed, self._removed = self._removed, None
        self.status.offer_undo("")
        if removed is not None and self.session.restore(removed):
            self.flash(f"{len(removed.rows):,} files are back in the list")
        self._update_enabled()

    def focus_find(self) -> None:
        """Ctrl+F: find files by name."""
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    def _find_done(self) -> None:
        """Enter in the find box: go to the first match in the list."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid():
            self.select_first()

    def _filter_chosen(self, index: int) -> None:
        _, badges, kind = FILTERS[index]
        self.proxy.set_badges(badges)
        self.proxy.set_kind(kind)

    def show_apart(self) -> None:
        """Show the files Veil doesn't check (documents, Thumbs.db)."""
        self.filter_combo.setCurrentIndex(len(FILTERS) - 1)

    def show_shortcuts(self) -> None:
        """F1 / ?: the keyboard shortcuts window."""
        dialog = ShortcutsDialog(shortcut_actions(self), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.open()

    def _update_enabled(self, *_args: Any) -> None:
        """Actions that need files are off while the list is empty."""
        has_rows = self.session.model.rowCount() > 0
        for action in (
            self.export_action,
            self.privacy_action,
            self.clear_action,
            self.select_all_action,
            self.remove_action,
        ):
            action.setEnabled(has_rows)
        self.undo_action.setEnabled(self._removed is not None)

    def look_at(self, keys: list[str]) -> None:
        """Select these photos, the first shown as a recipient sees it (a row double-clicked)."""
        first = list_selection.select_keys(self.table, self.proxy, self.session.model, keys)
        if first is not None:
            self.detail.tabs.setCurrentIndex(0)
            self.detail.preview.recipient.setChecked(True)

    def set_previews_hidden(self, hidden: bool) -> None:
        """Privacy screen: hide or show every preview and thumbnail at once."""
        self.session.model.set_previews_hidden(hidden)
        self.detail.set_previews_hidden(hidden)
        self.privacy_action.setText("Show previews" if hidden else "Hide previews")

    def select_first(self) -> None:
        """Select the top row (as sorted) and show it."""
        list_selection.select_first(self.table, self.proxy)

    def _rows_added(self, _count: int) -> None:
        self.stack.setCurrentWidget(self.splitter)

    def _current_changed(self, current: Any, _previous: Any) -> None:
        row = self.proxy.data(current, ROW_ROLE) if current.isValid() else None
        self.detail.show_row(row)

    def flash(self, text: str) -> None:
        """Show ``text`` in the status bar for a few seconds instead of the counts."""
        self.status.flash(text)

    def update_status(self) -> None:
        """Read progress from the model (every 100 ms, not per result)."""
        model, before = self.session.model, self._listed_before
        if before is not None and not self.session.scanning and self.session.flushed:
            # A drop of files all listed already changed nothing on screen: say so.
            self._listed_before = None
            if before[0] and (model.rowCount(), model.count_stopped()) == before:
                self.status.flash("Nothing new: every file added is already in the list")
        self.status.refresh()
        stopped = self.status.resume.isVisibleTo(self)
        self.check_rest_action.setEnabled(stopped)
        self.cancel_action.setEnabled(self.session.auditing)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel all work and wait (bounded) for the pools before closing."""
        self.exporter.cancel()
        self.exporter.planner.forget_all()  # a plan of thousands of files stops early too
        self.session.shutdown(timeout_ms=3000)
        self.status_timer.stop()
        super().closeEvent(event)
