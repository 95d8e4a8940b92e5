"""Metadata is hostile: markup is shown literally, huge values are capped, the UI stays usable.

``QLabel.text()`` returns the raw string whether or not Qt interprets it, so these tests look
at how the text is *shown*: every label's text format, what a label actually paints, what each
table delegate paints, and what the (rich) tool tips render to.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QRect, Qt
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from tests.factories.gui_photos import HOSTILE_ARTIST, hostile_jpeg, risky_jpeg
from tests.gui.helpers import drop_paths, select, wait_idle
from veil.gui.main_window import MainWindow
from veil.gui.text import MAX_SHOWN, safe_text

#: A legal file name (no "/") that is markup if anything interprets it.
HOSTILE_NAME = "<b>bold<b> <img src=x> <i>x.jpg"


def unbroken(text: str) -> str:
    """``text`` without the zero-width spaces added so long tokens can wrap."""
    return text.replace("\u200b", "")


def check_labels(window: MainWindow) -> list[QLabel]:
    """Every label shows plain text, opens no link; returns those holding markup."""
    labels = window.findChildren(QLabel)
    assert labels
    marked = []
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        assert not label.openExternalLinks(), label.objectName()
        if GuiQt.mightBeRichText(label.text()):
            marked.append(label)
    return marked


def assert_painted_as_plain_text(label: QLabel) -> None:
    """The label paints its text literally: as it does in PlainText, unlike in RichText."""
    shown = label.grab().toImage()
    label.setTextFormat(Qt.TextFormat.RichText)
    rich = label.grab().toImage()
    label.setTextFormat(Qt.TextFormat.PlainText)
    assert label.grab().toImage() == shown
    assert rich != shown, f"markup in {label.text()[:60]!r} renders the same either way"


def paint_cell(
    view: QAbstractItemView, delegate: QStyledItemDelegate, index: QModelIndex
) -> QImage:
    """``index`` as ``delegate`` paints it in ``view``."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = QRect(0, 0, 420, 32)
    image = QImage(420, 32, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def check_views(window: MainWindow) -> int:
    """Every cell holding markup paints as the stock (plain-text) delegate paints it, and its
    tool tip renders back to the literal text. Returns how many such cells were checked."""
    stock = QStyledItemDelegate()
    checked = 0
    for view in window.findChildren(QAbstractItemView):
        model: QAbstractItemModel | None = view.model()
        if model is None or isinstance(view, QHeaderView):  # headers: fixed words
            continue
        for r in range(min(model.rowCount(), 50)):
            for c in range(model.columnCount()):
                index = model.index(r, c)
                text = index.data(Qt.ItemDataRole.DisplayRole)
                if not isinstance(text, str) or not GuiQt.mightBeRichText(text):
                    continue
                delegate = view.itemDelegateForColumn(c) or view.itemDelegate()
                assert paint_cell(view, delegate, index) == paint_cell(view, stock, index), text
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    doc = QTextDocument()
                    doc.setHtml(tip)
                    assert safe_text(text, 600) in unbroken(doc.toPlainText()), tip[:80]
                checked += 1
    return checked


def test_markup_in_tags_is_shown_literally_and_capped(qtbot, window, tmp_path: Path) -> None:
    hostile_jpeg(tmp_path / HOSTILE_NAME)
    risky_jpeg(tmp_path / "other.jpg")
    drop_paths(window.drop_zone, [tmp_path])
    wait_idle(qtbot, window, rows=2)
    select(window, HOSTILE_NAME)
    qtbot.waitUntil(lambda: window.detail.name.full_text() == HOSTILE_NAME, timeout=5000)
    qtbot.waitUntil(lambda: len(window.detail.findings.texts()) > 1, timeout=5000)

    marked = check_labels(window)
    # The artist is named literally, tags and all, in a label that paints it literally.
    artist = [label for label in marked if HOSTILE_ARTIST in unbroken(label.text())]
    assert artist, [unbroken(t)[:80] for t in window.detail.findings.texts()]
    assert window.detail.name in marked
    for label in [artist[0], window.detail.name]:
        assert_painted_as_plain_text(label)
    # Table cells: the file name and the tag values; tool tips escape them.
    assert check_views(window) >= 3
    # Every tag value is there literally, and none is longer than the cap (+ the elision).
    tags = window.detail.tags.model
    values = [tags.index(r, 2).data() for r in range(tags.rowCount())]
    assert any("<img src=x" in v for v in values)
    assert any(HOSTILE_ARTIST in v for v in values)
    assert max(len(v) for v in values) < MAX_SHOWN + 40
    # The window still works: the layout did not explode and another row can be shown.
    assert window.detail.width() < 1280
    assert window.grab().width() > 0
    select(window, "other.jpg")
    qtbot.waitUntil(lambda: window.detail.name.full_text() == "other.jpg", timeout=5000)


def test_export_results_show_hostile_names_literally(qtbot, window, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    hostile_jpeg(tmp_path / "in" / HOSTILE_NAME)
    window.add_paths([tmp_path / "in"])
    wait_idle(qtbot, window, rows=1)
    out = tmp_path / "out"
    out.mkdir()
    window.export_pane.ask_folder = lambda: out
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        window.export_pane.start("all")
    assert len(window.exporter.results.results) == 1
    check_labels(window)
    results = window.export_pane.table
    assert results.model().rowCount() == 1
    assert check_views(window) >= 2  # the file list and the results list


def test_safe_text_strips_controls_and_direction_overrides() -> None:
    assert safe_text("photo\u202egpj.exe") == "photogpj.exe"
    assert safe_text("a\x00b\x1bc") == "abc"
    assert safe_text("<b>x</b>") == "<b>x</b>"  # kept literally (shown as plain text)
    long = safe_text("x" * 10_000, 100)
    assert long.startswith("x" * 100) and "+9,900 characters" in long
