"""The window's look: one calm, light palette and a style sheet (no logic)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

INK = "#1F2933"
MUTED = "#5A6572"
LINE = "#DDE1E5"
ACCENT = "#2F6F62"

STYLE_SHEET = f"""
QMainWindow, QWidget#Central {{ background: #F4F5F7; }}
QToolBar {{ background: #FFFFFF; border: none; border-bottom: 1px solid {LINE};
            padding: 6px 10px; spacing: 6px; }}
QToolBar QToolButton {{ padding: 6px 10px; border-radius: 6px; color: {INK}; }}
QToolBar QToolButton:hover {{ background: #EEF1F3; }}
QToolBar QToolButton:checked {{ background: #E3EFEC; color: {ACCENT}; }}
QToolBar QToolButton:disabled {{ color: #9AA5B1; }}
QTableView {{ background: #FFFFFF; border: 1px solid {LINE}; border-radius: 8px;
              gridline-color: transparent; selection-background-color: #DCEBE7;
              selection-color: {INK}; alternate-background-color: #FAFBFC; }}
QTableView::item {{ padding: 0 6px; border-bottom: 1px solid #F0F2F4; }}
QTableView {{ outline: 0; }}
QHeaderView::section {{ background: #FFFFFF; color: {MUTED}; border: none; text-align: left;
                        border-bottom: 1px solid {LINE}; padding: 6px 8px; font-weight: 600; }}
QTabWidget::pane {{ border: none; border-top: 1px solid {LINE}; background: #FFFFFF; }}
QTabBar::tab {{ padding: 8px 16px; color: {MUTED}; border: none; background: transparent; }}
QTabBar::tab:selected {{ color: {INK}; border-bottom: 2px solid {ACCENT}; font-weight: 600; }}
QWidget#DetailPane, QWidget#FindingsBody, QScrollArea, ExportPane, TagsView {{
    background: #FFFFFF;
}}
QLabel#FileName {{ font-size: 15pt; font-weight: 600; color: {INK}; }}
QLabel#Heading {{ font-size: 11pt; font-weight: 600; color: {INK}; padding-top: 4px; }}
QLabel#Muted {{ color: {MUTED}; }}
QLabel#Muted:disabled, QCheckBox:disabled {{ color: #9AA5B1; }}
QLabel#Summary {{ color: {INK}; font-weight: 600; }}
QLabel#DropTitle {{ font-size: 22pt; font-weight: 600; color: {INK}; }}
QLabel#DropHint {{ font-size: 11pt; color: {MUTED}; }}
QFrame#DropZone {{
    background: #FFFFFF;
    border: 2px dashed #B8C2CC;
    border-radius: 16px;
    margin: 24px;
}}
QPushButton {{
    padding: 6px 14px;
    border: 1px solid #C9D0D6;
    border-radius: 6px;
    background: #FFFFFF;
    color: {INK};
}}
QPushButton:hover {{ background: #F1F4F6; }}
QPushButton:disabled {{ color: #9AA5B1; background: #F4F5F7; }}
QPushButton#PrimaryButton {{
    background: {ACCENT};
    border-color: {ACCENT};
    color: #FFFFFF;
    font-weight: 600;
}}
QPushButton#PrimaryButton:hover {{ background: #275E53; }}
QPushButton#PrimaryButton:disabled {{ background: #9DBFB7; border-color: #9DBFB7; }}
QLineEdit, QComboBox {{
    padding: 5px 8px;
    border: 1px solid #C9D0D6;
    border-radius: 6px;
    background: #FFFFFF;
}}
QProgressBar {{
    border: 1px solid #C9D0D6;
    border-radius: 6px;
    background: #FFFFFF;
    text-align: center;
    min-height: 18px;
}}
QProgressBar::chunk {{ background: #7FB7A4; border-radius: 5px; }}
QStatusBar {{ background: #FFFFFF; border-top: 1px solid {LINE}; color: {MUTED}; }}
QSplitter::handle {{ background: #F4F5F7; }}
"""


def apply_style(app: QApplication) -> None:
    """Fusion style, a light palette and the style sheet, the same on every platform."""
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#F4F5F7"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#FAFBFC"))
    palette.setColor(QPalette.ColorRole.Text, QColor(INK))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Button, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#DCEBE7"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(INK))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(INK))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
