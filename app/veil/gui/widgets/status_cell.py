"""The Status column's cells: their few words wrapped onto the row's lines, never cut mid-word
when they fit.

Rows are a thumbnail tall (three lines of text); at 1024x700 the column is ~85 px, so one
line read "Partly che…" (the whole sentence was only in the tooltip). The words wrap onto as
many lines as the cell holds; only what still does not fit is elided, on the last line.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem


def wrapped_lines(text: str, metrics: QFontMetrics, width: int, max_lines: int) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` px wide, at most ``max_lines``
    of them; what does not fit is elided ("…") at the end of the last line (and a single
    word wider than a line is elided on its own)."""
    elide = Qt.TextElideMode.ElideRight

    def fits(line: str) -> bool:  # Qt's own measure, as it elides (not horizontalAdvance)
        return metrics.elidedText(line, elide, width) == line

    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if not current or fits(trial):
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max(1, max_lines):
        keep = max(1, max_lines)
        lines = [*lines[: keep - 1], " ".join(lines[keep - 1 :])]
    return [metrics.elidedText(line, elide, width) for line in lines]


def text_rect(option: QStyleOptionViewItem) -> QRect:
    """Where a cell's text goes (inside the style sheet's padding)."""
    widget = option.widget  # type: ignore[attr-defined]
    style = widget.style() if widget is not None else None
    if style is None:
        return option.rect  # type: ignore[attr-defined,no-any-return]
    return style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)


class StatusDelegate(QStyledItemDelegate):
    """Paints a Status cell's words on as many lines as the row holds."""

    def lines(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
              ) -> list[str]:
        """The lines a cell shows (tests read them: what is on screen, whole or elided)."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        rect = text_rect(opt)
        metrics = QFontMetrics(opt.font)  # type: ignore[attr-defined]
        most = max(1, rect.height() // max(1, metrics.lineSpacing()))
        return wrapped_lines(str(index.data() or ""), metrics, rect.width(), most)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        lines = self.lines(option, index)
        opt.text = ""  # type: ignore[attr-defined]
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:  # background, selection, focus: as every other cell
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = text_rect(opt)
        metrics = QFontMetrics(opt.font)  # type: ignore[attr-defined]
        height = metrics.lineSpacing() * len(lines)
        top = rect.top() + max(0, (rect.height() - height) // 2)
        colour = index.data(Qt.ItemDataRole.ForegroundRole)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        palette: QPalette = opt.palette  # type: ignore[attr-defined]
        if not isinstance(colour, QColor):
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            colour = palette.color(role)
        painter.save()
        painter.setFont(opt.font)  # type: ignore[attr-defined]
        painter.setPen(colour)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        for i, line in enumerate(lines):
            row = QRect(rect.left(), top + i * metrics.lineSpacing(), rect.width(), height)
            painter.drawText(row, align | Qt.TextFlag.TextSingleLine, line)
        painter.restore()
