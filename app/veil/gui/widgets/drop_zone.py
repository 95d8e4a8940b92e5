"""Drag and drop of files and folders: the empty-state drop target, and drops on the list.

Drops only turn URLs into paths and emit ``paths_dropped``; no I/O happens here (the
session expands folders in a worker). The action is forced to Copy so a file manager never
moves or deletes the user's originals after a drop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from veil.gui.assets import app_icon


def paths_from_mime(mime: QMimeData) -> list[Path]:
    """Local file and folder paths in a drop (remote URLs are ignored: nothing is fetched)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropFilter(QObject):
    """Event filter that makes any widget (e.g. the table's viewport) accept photo drops."""

    paths_dropped = Signal(list)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, (QDragEnterEvent, QDragMoveEvent))
            if paths_from_mime(event.mimeData()):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = paths_from_mime(event.mimeData())
            if paths:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                self.paths_dropped.emit(paths)
                return True
        return False


class DropZone(QFrame):
    """The empty state: a large drop target with *Add photos…* and *Add folder…* buttons."""

    paths_dropped = Signal(list)
    add_photos_clicked = Signal()
    add_folder_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DropZone")
        self.setAcceptDrops(True)
        self._filter = DropFilter(self)
        self._filter.paths_dropped.connect(self.paths_dropped)
        self.installEventFilter(self._filter)

        logo = QLabel()
        logo.setTextFormat(Qt.TextFormat.PlainText)
        logo.setPixmap(app_icon().pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Drop photos or folders here")
        title.setObjectName("DropTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            "Veil shows what each photo gives away — place, time, device, names, hidden\n"
            "previews and faces — and saves cleaned copies. Your originals are never changed,\n"
            "and nothing leaves this computer."
        )
        hint.setObjectName("DropHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for label in (title, hint):
            label.setTextFormat(Qt.TextFormat.PlainText)

        self.add_photos = QPushButton("Add photos…")
        self.add_folder = QPushButton("Add folder…")
        self.add_photos.setObjectName("PrimaryButton")
        self.add_photos.clicked.connect(self.add_photos_clicked)
        self.add_folder.clicked.connect(self.add_folder_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_photos)
        buttons.addWidget(self.add_folder)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(2)
        layout.addWidget(logo)
        layout.addSpacing(16)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(hint)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addStretch(3)
