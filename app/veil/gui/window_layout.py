"""The main window's panes and status area (built here; the window owns the slots).

Before any file: the drop zone. Then: the file list beside the detail pane (whose last tab
is the export pane), split by a divider the user sets. Below: the status area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSizePolicy, QStackedWidget

from veil.gui.cover_review import CoverReview
from veil.gui.models.file_filter import RiskFilterProxy
from veil.gui.widgets.detail import DetailPane
from veil.gui.widgets.drop_zone import DropZone
from veil.gui.widgets.export_pane import ExportPane
from veil.gui.widgets.file_list import FileListView
from veil.gui.widgets.ratio_splitter import RatioSplitter
from veil.gui.widgets.status_area import StatusArea

if TYPE_CHECKING:
    from veil.gui.main_window import MainWindow

#: The status area is brought up to date this often (it reads the session; never per result).
STATUS_MS = 100


def build_panes(w: MainWindow) -> None:
    """Create the list, drop zone, detail and export panes (as attributes of ``w``) and lay
    them out as the window's central widget."""
    w.proxy = RiskFilterProxy(w)
    w.proxy.setSourceModel(w.session.model)
    w.table = FileListView(w.proxy)
    w.drop_zone = DropZone()
    w.detail = DetailPane(w.session)
    w.detail.setObjectName("DetailPane")
    w.export_pane = ExportPane(w.exporter, w.keys_for)
    w.detail.tabs.addTab(w.export_pane, "Export")
    w.detail.planner = w.export_pane.plan_for  # "A clean copy removes…" line
    # Covering off, the recipient's view shows no cover: the copy has none.
    w.detail.set_covering(w.export_pane.cover.isChecked())
    w.export_pane.cover.toggled.connect(w.detail.set_covering)
    # The plan describes Export selected once several rows are selected.
    # A bound method, not a lambda: Qt drops the connection when the pane is deleted.
    w.table.selectionModel().selectionChanged.connect(w.export_pane.selection_changed)

    # Neither pane's content may size the window (a long file name once widened it past
    # the screen): both ignore their size hints; the user's divider sets the shares.
    for pane, minimum in ((w.table, 320), (w.detail, 360)):
        policy = pane.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        pane.setSizePolicy(policy)
        pane.setMinimumWidth(minimum)
    w.splitter = RatioSplitter(0.56)
    w.splitter.addWidget(w.table)
    w.splitter.addWidget(w.detail)
    w.stack = QStackedWidget()
    w.stack.setObjectName("Central")
    w.stack.addWidget(w.drop_zone)
    w.stack.addWidget(w.splitter)
    w.setCentralWidget(w.stack)
    # "Look at them" (large covers): one photo at a time, as its copy will be written.
    w.cover_review = CoverReview(w.table, w.proxy, w.session.model, w.detail, w.export_pane, w)
    w.export_pane.covers_requested.connect(w.cover_review.start)


def build_status(w: MainWindow) -> None:
    """The status area (counts, progress, Cancel, Check the rest, Undo) and its timer."""
    w.status = StatusArea(w.session, w.statusBar())
    # Older names (tests, screenshots) for the status widgets.
    w.status_label = w.status.label
    w.status_progress = w.status.progress
    w.status_cancel = w.status.cancel
    w.status_resume = w.status.resume
    w.status.cancel_clicked.connect(w.session.cancel_audits)
    w.status.resume_clicked.connect(w.check_rest)
    w.status.undo_clicked.connect(w.undo_remove)
    w.status.apart_clicked.connect(w.show_apart)
    w.status_timer = QTimer(w)
    w.status_timer.setInterval(STATUS_MS)
    w.status_timer.timeout.connect(w.update_status)
    w.status_timer.start()
    w.update_status()
