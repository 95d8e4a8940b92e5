""""What a recipient will see": the preview as the copy will be written (kept apart from
:mod:`veil.gui.widgets.preview` so each file stays small).

The view is the picture run through core's own :func:`veil.core.redact.cover` with the
covers the copy will have: none while the export's "Cover the faces and marks" is off
(:meth:`RecipientView.set_covering`), however the boxes are ticked; and no picture at all,
but why, when the export will write no copy (:meth:`RecipientView.set_no_copy`: an
animation with a box ticked, which core refuses to cover).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPixmap

from veil.gui.redactions import OverlayBox
from veil.gui.widgets.preview_edit import BoxEditing
from veil.gui.widgets.preview_paint import recipient_image


class RecipientView(BoxEditing):
    """The recipient's view of :class:`~veil.gui.widgets.preview.PreviewCanvas`; the canvas
    sets the state below in its ``__init__`` and provides the picture and geometry."""

    _image: Any
    _covering: bool
    _no_copy: str
    _copyless: bool
    _recipient_cache: tuple[tuple[OverlayBox, ...], QPixmap] | None

    @property
    def recipient_view(self) -> bool:
        """True while the preview shows the copy as it will be written."""
        return self._recipient

    def set_recipient_view(self, on: bool) -> None:
        """Show the cleaned copy as a recipient will see it (no labels, no editing)."""
        self._recipient = on
        self._drag = None
        self.update()

    def set_covering(self, on: bool) -> None:
        """Whether the export covers the ticked boxes (its "Cover the faces and marks"
        option). Off, the recipient's view covers nothing: the copy shows them all."""
        self._covering = on
        self.update()

    @property
    def covering(self) -> bool:
        """False while the export covers nothing (see :meth:`set_covering`)."""
        return self._covering

    def set_no_copy(self, why: str, *, planning: bool = False) -> None:
        """The export will write no copy (``why``, shown in the recipient's view in place
        of the picture: an animation with covers drew its covered first frame), or "".
        ``planning``: ``why`` only says it is being worked out (see :attr:`copyless`)."""
        self._no_copy = why
        self._copyless = bool(why) and not planning
        self.update()

    @property
    def copyless(self) -> bool:
        """True when the export is known to write no copy: a ticked box is then drawn
        see-through and labelled "Ticked (no copy)", not "Covered"."""
        return self._copyless

    @property
    def no_copy(self) -> str:
        """Why no copy will be written, "" when one will (see :meth:`set_no_copy`)."""
        return self._no_copy

    def _paint_recipient(self, painter: QPainter) -> None:
        """The copy as it will be written, or why there will be none."""
        if self._no_copy:
            self._paint_message(painter, self._no_copy)
            return
        assert self._pixmap is not None
        source = QRectF(self._pixmap.rect())
        painter.drawPixmap(self._target(), self._recipient_pixmap(), source)

    def _recipient_pixmap(self) -> QPixmap:
        # Covering off, the copy is written with no cover at all: ticked boxes included.
        key = tuple(self._boxes) if self._covering else ()
        if self._recipient_cache is None or self._recipient_cache[0] != key:
            image = recipient_image(self._image, self._full, key)
            self._recipient_cache = (key, QPixmap.fromImage(image))
        return self._recipient_cache[1]

    if TYPE_CHECKING:  # provided by PreviewCanvas

        def _paint_message(self, painter: QPainter, text: str) -> None: ...
