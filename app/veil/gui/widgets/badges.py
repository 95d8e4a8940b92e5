"""Risk badges: a coloured pill with an icon AND a word (never colour alone)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from veil.gui.assets import icon
from veil.gui.models.file_table import BADGE_ROLE
from veil.gui.states import BADGE_TIPS, BADGES, Badge
from veil.gui.text import rich_escaped

PILL_HEIGHT = 22
ICON = 14
#: Pixels between a cell's left edge and its pill's pixmap.
INSET = 2


def _render(badge: Badge, font: QFont, ratio: float) -> QPixmap:
    """The pill for ``badge`` as a transparent pixmap (drawn once, then reused)."""
    style = BADGES[badge]
    bold = QFont(font)
    bold.setBold(True)
    # 9 px before the icon, 8 after the word: at +26 (11 after it) the widest pill,
    # "None found" (125 px in DejaVu Sans), lost its right end in the 126 px Risk column.
    width = QFontMetrics(bold).horizontalAdvance(style.word) + ICON + 23
    pixmap = QPixmap(int((width + 2) * ratio), int((PILL_HEIGHT + 2) * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(bold)
    pill = QRectF(1, 1, width, PILL_HEIGHT)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(style.colour))
    painter.drawRoundedRect(pill, PILL_HEIGHT / 2, PILL_HEIGHT / 2)
    icon_rect = QRect(int(pill.x()) + 9, int(pill.center().y() - ICON / 2), ICON, ICON)
    icon(style.icon).paint(painter, icon_rect)
    painter.setPen(QColor("#FFFFFF"))
    align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    painter.drawText(pill.adjusted(ICON + 15, 0, -8, 0), align, style.word)
    painter.end()
    return pixmap


_cache: dict[tuple[Badge, str, float], QPixmap] = {}


def paint_badge(painter: QPainter, rect: QRect, badge: Badge) -> None:
    """Draw the pill for ``badge`` left-aligned and vertically centred in ``rect``.

    Pills are cached per badge, font and pixel ratio: a table repaint then costs one
    ``drawPixmap`` per row instead of an SVG render and text layout.
    """
    ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
    key = (badge, painter.font().key(), ratio)
    pixmap = _cache.get(key)
    if pixmap is None:
        pixmap = _cache[key] = _render(badge, painter.font(), ratio)
    height = pixmap.height() / ratio
    painter.drawPixmap(QPointF(rect.x() + INSET, rect.center().y() - height / 2 + 1), pixmap)


def cell_width(badge: Badge, font: QFont) -> int:
    """The width ``badge``'s pill takes in a cell drawn in ``font``, from the cell's left
    edge (the Risk column must be at least this wide for every badge)."""
    return INSET + _render(badge, font, 1.0).width()


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
        tip = BADGE_TIPS.get(badge) if badge is not None else None
        self.setToolTip(rich_escaped(tip, 600) if tip else "")
        self.update()

    def paintEvent(self, event: Any) -> None:
        if self._badge is None:
            return
        painter = QPainter(self)
        paint_badge(painter, self.rect(), self._badge)
        painter.end()
