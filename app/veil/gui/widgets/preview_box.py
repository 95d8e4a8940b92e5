"""The preview with its controls (zoom, "what a recipient will see", the hint), and a
one-line label cut at its end.

A video's poster frame gets its own hint and tool tip (:meth:`PreviewBox.set_video`): faces
in clips are not checked and the export covers nothing in them. A file the export will skip
(a raw file: core's :func:`~veil.core.export.refusal.planned_skip`) offers nothing to cover
either: its hint says no copy will be made, and why, in core's words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from veil.core.damage_words import no_copy_reason
from veil.gui.imaging import Picture
from veil.gui.widgets.elided_label import ElidedLabel
from veil.gui.widgets.findings_panel import plain_label
from veil.gui.widgets.preview import PreviewCanvas

HINT = (
    "Click a box to cover or uncover it · drag on the picture to draw a box ·"
    " wheel or +/− to zoom, middle-drag or Space+drag to pan"
)
VIDEO_HINT = (
    "Faces in videos are not checked, and nothing can be covered in a clip: watch it before"
    " sharing · wheel or +/− to zoom, drag to pan"
)
#: An animation's first frame (all the preview shows); its boxes stay editable, since
#: unticking them is the way to a copy (core's refusal to cover an animation).
ANIMATION_HINT = (
    "The first of its {frames} frames is shown · an animation can't be covered: untick any"
    " box for a copy · wheel or +/− to zoom, middle-drag or Space+drag to pan"
)
#: The same with covering off in the Export tab: ticks don't stop a copy, which keeps every
#: frame as it is ("untick any box for a copy" would be advice for nothing).
UNCOVERED_ANIMATION_HINT = (
    "The first of its {frames} frames is shown · covering is off in the Export tab: the copy"
    " keeps every frame as it is · wheel or +/− to zoom, middle-drag or Space+drag to pan"
)
RECIPIENT_TIP = "Show the cleaned copy as it will be written: covers drawn as in the file"
#: "Cover the faces and marks" is off in the Export tab: the copy covers nothing.
UNCOVERED_RECIPIENT_TIP = (
    "Show the cleaned copy as it will be written: nothing is covered, as “Cover the faces"
    " and marks” is off in the Export tab"
)
VIDEO_RECIPIENT_TIP = "A clip's frames are saved as they are: nothing is covered in a video"
SKIPPED_RECIPIENT_TIP = "No copy of this file will be written: a recipient gets nothing of it"


def skipped_hint(reason: str, picture: bool = True) -> str:
    """The hint for a file the export will skip, with core's ``reason``: nothing to cover
    (and how to zoom, only when there is a ``picture`` to zoom)."""
    text = f"No clean copy of this file will be made — {no_copy_reason(reason).rstrip('.')}."
    if not picture:
        return text
    return f"{text} Nothing here can be covered · wheel or +/− to zoom, drag to pan"


#: The recipient's view of an animation while its plan is made (off the GUI thread): with
#: a box ticked the answer may be "no copy", so no covered frame is shown meanwhile.
PLANNING_TEXT = "Working out whether a copy of this animation will be written…"


def no_copy_text(why: str) -> str:
    """What the recipient's view shows for a picture the export will write no copy of: the
    export table's words for its row (``why``), after what that means for a recipient."""
    return ("No copy of this file will be written: a recipient gets nothing of it.\n\n"
            f"{why.rstrip('.')}.")


class PreviewBox(QWidget):
    """The preview with its controls: zoom, "what a recipient will see", and the hint."""

    def __init__(self, canvas: PreviewCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self._skip: str | None = None  # core's reason the export skips the file shown
        self._video = False
        self._frames = 1  # an animation's frame count (the preview shows the first)
        self._covering = True  # the export's "Cover the faces and marks" option
        self._no_copy = ""  # why the export, as set, writes no copy (see set_no_copy)
        self.zoom_out = self._button("−", "Zoom out (−)", lambda: canvas.zoom_by(0.8))
        self.zoom_fit = self._button("Fit", "Show the whole picture (0)", canvas.fit)
        self.zoom_in = self._button("+", "Zoom in (+)", lambda: canvas.zoom_by(1.25))
        self.recipient = QCheckBox("What a recipient will see")
        self.recipient.setToolTip(RECIPIENT_TIP)
        self.recipient.toggled.connect(canvas.set_recipient_view)
        canvas.zoom_changed.connect(self._zoomed)
        self.hint = plain_label(HINT, name="Muted")
        self.covers = plain_label("", name="Summary")
        self.covers.setAccessibleName("What the copy covers")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 4, 0, 0)
        bar.addWidget(self.recipient)
        bar.addStretch(1)
        for button in (self.zoom_out, self.zoom_fit, self.zoom_in):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(canvas, 1)
        layout.addLayout(bar)
        layout.addWidget(self.covers)
        layout.addWidget(self.hint)

    def show_picture(self, picture: Picture | None, message: str) -> None:
        """Show ``picture``, or ``message`` in its place. Without a picture (nothing selected,
        loading, a file Veil cannot show) the controls are off: zoom or a recipient's view
        of a text file offered to be clicked. Off, not hidden: nothing below them moves."""
        self.canvas.set_picture(picture, message)
        for widget in (self.recipient, self.zoom_out, self.zoom_fit, self.zoom_in):
            widget.setEnabled(self.canvas.has_picture)
        self.recipient.setEnabled(self.canvas.has_picture and self._skip is None)
        self._show_hint()

    def set_video(self, video: bool, skip: str | None = None, frames: int = 1) -> None:
        """A video's poster (nothing to cover), a file the export will skip for core's reason
        ``skip`` (nothing to cover, no copy: a recipient sees nothing), the first of an
        animation's ``frames``, or a photo: the hint and tool tip say which."""
        self._skip, self._video, self._frames = skip, video, frames
        self._show_tip()
        self.recipient.setEnabled(self.canvas.has_picture and not skip)
        self.canvas.set_editable(not video and not skip)
        self._show_hint()

    def set_no_copy(self, why: str | None) -> None:
        """The export will write no copy of the picture shown, for ``why`` (the export
        plan's words: an animation with boxes to cover), or "": the recipient's view then
        says so instead of showing a covered frame no file will have. None: its plan is
        being made; an animation's view shows no frame until it is known."""
        self._no_copy = why or ""
        if why:
            self.canvas.set_no_copy(no_copy_text(why))
        else:
            planning = why is None and self._frames > 1
            self.canvas.set_no_copy(PLANNING_TEXT if planning else "", planning=planning)
        self._show_tip()

    def set_covering(self, on: bool) -> None:
        """Whether the export covers the ticked boxes: the picture and the recipient tool
        tip follow (off: "nothing is covered", never "covers drawn as in the file")."""
        self._covering = on
        self.canvas.set_covering(on)
        self._show_tip()
        self._show_hint()

    def _show_tip(self) -> None:
        if self._skip or self._no_copy:
            tip = SKIPPED_RECIPIENT_TIP
        elif self._video:
            tip = VIDEO_RECIPIENT_TIP
        else:
            tip = RECIPIENT_TIP if self._covering else UNCOVERED_RECIPIENT_TIP
        self.recipient.setToolTip(tip)

    def _show_hint(self) -> None:
        """How to use the picture, off without one; why no copy will be made stays on even
        without a picture (a file too large to decode has none: its reason was greyed out,
        with zoom and pan offered for nothing)."""
        picture = self.canvas.has_picture
        if self._skip:
            self.hint.setText(skipped_hint(self._skip, picture))
            self.hint.setEnabled(True)
            return
        if self._video:
            text = VIDEO_HINT
        elif self._frames > 1:
            hint = ANIMATION_HINT if self._covering else UNCOVERED_ANIMATION_HINT
            text = hint.format(frames=f"{self._frames:,}")
        else:
            text = HINT
        self.hint.setText(text)
        self.hint.setEnabled(picture)

    def _zoomed(self, zoom: float) -> None:
        self.zoom_fit.setText("Fit" if zoom <= 1.0 else f"{zoom:.0%}")

    @staticmethod
    def _button(text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        # Fixed, and wide enough for "1600%": the bar never shifts as the zoom changes.
        button.setFixedWidth(44 if len(text) == 1 else 76)
        button.clicked.connect(slot)
        return button


class OneLineLabel(ElidedLabel):
    """Plain text on one line, cut at the end ("…") to its width, never widening its
    window; the full text is its tool tip, accessible name and what Copy copies."""

    ELIDE = Qt.TextElideMode.ElideRight
