"""Risk badges: a coloured pill with an icon AND a word (never colour alone)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from veil.gui.assets import icon
from veil.gui.models.file_table import BADGE_ROLE
from veil.gui.states import BADGES, Badge

PILL_HEIGHT = 22
ICON = 14


def paint_badge(painter: QPainter, rect: QRect, badge: Badge) -> None:
    """Draw the pill for ``badge`` left-aligned and vertically centred in ``rect``."""
    style = BADGES[badge]
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = painter.font()
    font.setBold(True)
    painter.setFont(font)
    width = QFontMetrics(font).horizontalAdvance(style.word) + ICON + 26
    pill = QRectF(rect.x() + 4, rect.center().y() - PILL_HEIGHT / 2 + 1, width, PILL_HEIGHT)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(style.colour))
    painter.drawRoundedRect(pill, PILL_HEIGHT / 2, PILL_HEIGHT / 2)
    icon_rect = QRect(int(pill.x()) + 9, int(pill.center().y() - ICON / 2), ICON, ICON)
    icon(style.icon).paint(painter, icon_rect)
    painter.setPen(QColor("#FFFFFF"))
    text_rect = pill.adjusted(ICON + 15, 0, -8, 0)
    painter.drawText(
        text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, style.word
    )
    painter.restore()


class BadgeDelegate(QStyledItemDelegate):
    """Paints the risk column's badge (selection background first, then the pill)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        badge = index.data(BADGE_ROLE)
        if not isinstance(badge, Badge):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        paint_badge(painter, option.rect, badge)  # type: ignore[attr-defined]

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        return QSize(130, PILL_HEIGHT + 10)


class BadgeLabel(QLabel):
    """A badge as a widget (detail pane header). Accessible name carries the word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._badge: Badge | None = None
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumSize(140, PILL_HEIGHT + 4)

    def set_badge(self, badge: Badge | None) -> None:
        """Show ``badge`` (None hides it)."""
        self._badge = badge
        self.setAccessibleName("" if badge is None else f"Risk: {BADGES[badge].word}")
        self.update()

    def paintEvent(self, event: Any) -> None:
        if self._badge is None:
            return
        painter = QPainter(self)
        paint_badge(painter, self.rect(), self._badge)
        painter.end()
