"""The file list's thumbnail cell: the picture with a thin neutral frame, so a white or
very light photo (the 8x8 white exiftool samples) still shows as a picture on the white
list instead of an empty cell."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

#: The frame: mid grey, seen on white and on the selection's blue alike, and on a dark photo
#: it reads as the picture's edge, not as a mark on it.
FRAME = QColor(0, 0, 0, 72)


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints the thumbnail as Qt does, then a 1 px frame just outside the picture."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if not isinstance(pixmap, QPixmap) or pixmap.isNull():
            return  # not decoded yet, or hidden by the privacy screen: no empty frame
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is None:
            return
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemDecoration, opt, widget)
        shown = drawn_size(pixmap, area.size())
        picture = QStyle.alignedRect(
            opt.direction, opt.decorationAlignment, shown, area  # type: ignore[attr-defined]
        )
        painter.save()
        painter.setPen(FRAME)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(picture.adjusted(-1, -1, 0, 0))  # outside: the picture stays whole
        painter.restore()


def drawn_size(pixmap: QPixmap, room: QSize) -> QSize:
    """The size (logical pixels) Qt draws ``pixmap`` at in ``room``: scaled down to fit,
    keeping its shape, never up (as ``QIcon`` does)."""
    size = pixmap.deviceIndependentSize().toSize()
    if size.width() > room.width() or size.height() > room.height():
        size = size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
    return size
