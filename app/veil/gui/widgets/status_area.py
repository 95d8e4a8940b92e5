"""The status bar: counts or progress, Cancel / Check the rest / Undo, and the files apart.

It reads the session every 100 ms (never per result), so 5,000 results cost it nothing.
A message (``flash``) replaces the counts for a few seconds.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from veil.gui.session import AuditSession
from veil.gui.widgets.findings_panel import plain_label

FLASH_SECONDS = 8.0


class StatusArea(QWidget):
    """Owns the status bar's widgets; ``refresh()`` brings them up to date."""

    cancel_clicked = Signal()
    resume_clicked = Signal()
    undo_clicked = Signal()
    apart_clicked = Signal()

    def __init__(self, session: AuditSession, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.hide()  # a holder for signals; the widgets live in the bar
        self.session = session
        self.undo_text = ""  # "Removed 3 files" while an Undo is on offer
        self._flash_text = ""
        self._flash_until = 0.0
        self.label = plain_label("", wrap=False)
        self.apart = QPushButton("")
        self.apart.setObjectName("LinkButton")
        self.apart.setToolTip("Show the files that are not photos (Veil doesn't check them)")
        self.apart.clicked.connect(self.apart_clicked)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip("Stop checking (what was found stays; Check the rest resumes)")
        self.cancel.clicked.connect(self.cancel_clicked)
        self.resume = QPushButton("Check the rest")
        self.resume.setToolTip("Finish the checks that Cancel stopped")
        self.resume.clicked.connect(self.resume_clicked)
        self.undo = QPushButton("Undo")
        self.undo.setToolTip("Put the removed files back in the list (Ctrl+Z)")
        self.undo.clicked.connect(self.undo_clicked)
        bar.addWidget(self.label, 1)
        for widget in (self.apart, self.progress, self.cancel, self.resume, self.undo):
            bar.addPermanentWidget(widget)
        self.refresh()

    def flash(self, text: str) -> None:
        """Show ``text`` for a few seconds instead of the counts."""
        self._flash_text = text
        self._flash_until = time.monotonic() + FLASH_SECONDS
        self.refresh()

    def offer_undo(self, text: str) -> None:
        """Say what was removed, with an Undo button, for a few seconds ("" withdraws it)."""
        self.undo_text = text
        self._flash_until = time.monotonic() + FLASH_SECONDS * 2 if text else 0.0
        self.refresh()

    def refresh(self) -> None:
        """Read progress and counts from the session's model."""
        model = self.session.model
        done, total = model.progress()
        busy = self.session.auditing
        stopped = 0 if busy else model.count_stopped()
        apart = model.count_apart()
        total -= apart
        self.progress.setVisible(busy)
        self.cancel.setVisible(busy)
        self.resume.setVisible(stopped > 0)
        offered = bool(self.undo_text) and time.monotonic() < self._flash_until
        self.undo.setVisible(offered)
        self.apart.setVisible(apart > 0)
        if apart:
            noun = "file" if apart == 1 else "files"
            self._set(self.apart, f"{apart:,} {noun} Veil doesn't check")
        if offered:
            text = self.undo_text
        elif time.monotonic() < self._flash_until:
            text = self._flash_text
        elif busy:
            self.progress.setRange(0, max(total + apart, 1))
            self.progress.setValue(done)
            text = f"Checking {done:,} of {total + apart:,} files…"
        elif stopped:
            noun = "file was" if stopped == 1 else "files were"
            text = f"Stopped: {stopped:,} {noun} not fully checked · {model.risk_counts()}"
        elif total:
            noun = "file" if total == 1 else "files"
            counts = model.risk_counts()
            text = f"{total:,} {noun} · {counts} — checked on this computer, nothing was sent"
        else:
            text = "Drop photos or folders to begin"
        self._set(self.label, text)

    @staticmethod
    def _set(widget: QPushButton | QLabel, text: str) -> None:
        if widget.text() != text:
            widget.setText(text)
