"""Driving the window like a user: drops with real QMimeData, waiting for audits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image, ImageChops
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QWidget

from veil.core.audit import audit_file
from veil.core.model import CheckStatus, FileReport
from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import FileRow

WAIT_MS = 20_000


def drop_paths(target: QWidget, paths: list[Path]) -> bool:
    """Drag-enter then drop ``paths`` as file URLs on ``target``; True when accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(target.rect().center())
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    enter = QDragEnterEvent(
        pos.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction


def wait_idle(qtbot, window: MainWindow, rows: int, timeout: int = WAIT_MS) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``rows`` rows exist and no scan/audit is pending."""
    session = window.session

    def done() -> None:
        assert session.model.rowCount() >= rows
        assert not session.auditing
        assert not session._pending
        assert session.model.progress()[0] == session.model.rowCount()

    qtbot.waitUntil(done, timeout=timeout)


def narrow_with_scroll_bar(qtbot, window: MainWindow, root: Path) -> None:  # type: ignore[no-untyped-def]
    """``window`` at 1024x700 listing 16 checked photos: enough rows for a vertical scroll
    bar, the narrowest the table's columns get (hostile testers' screen)."""
    from tests.factories.gui_photos import many_jpegs

    window.resize(1024, 700)
    window.add_paths(many_jpegs(root, 16))
    wait_idle(qtbot, window, rows=16)
    QApplication.processEvents()
    assert window.table.verticalScrollBar().isVisible()


def row_named(window: MainWindow, name: str) -> FileRow:
    """The row whose file name is ``name``."""
    for row in window.session.model.rows:
        if row.path.name == name:
            return row
    raise AssertionError(f"no row {name!r}")


def select(window: MainWindow, name: str) -> None:
    """Select the row of ``name`` in the (sorted, filtered) view."""
    proxy = window.proxy
    for r in range(proxy.rowCount()):
        index = proxy.index(r, 1)
        if index.data() == name:
            window.table.selectRow(r)
            window.table.setCurrentIndex(index)
            return
    raise AssertionError(f"{name!r} not shown")


def darkest(widget: QWidget) -> int:
    """Lightness (0-255) of the darkest pixel ``widget`` draws: its text, as a rule (grey
    when disabled, if the style sheet says so)."""
    image = widget.grab().toImage()
    return min(
        QColor(image.pixel(x, y)).lightness()
        for y in range(image.height())
        for x in range(image.width())
    )


def recipient_pixels(window: MainWindow) -> Image.Image:
    """The recipient's view of the shown photo as drawn, at the preview's size."""
    image = window.detail.canvas._recipient_pixmap().toImage()
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(image.constBits())
    return Image.frombuffer(
        "RGB", (image.width(), image.height()), data, "raw", "RGB", image.bytesPerLine()
    ).convert("L")


def export_copy(qtbot, window: MainWindow, out: Path) -> Image.Image:  # type: ignore[no-untyped-def]
    """Export every photo to ``out`` from the pane as set; the one copy's pixels."""
    out.mkdir()
    pane = window.export_pane
    pane.set_destination(out)
    pane.ask_large = lambda _n: "export"
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        pane.start("all")
    (result,) = window.exporter.results.results
    assert result.verified and result.output is not None, result.error
    with Image.open(result.output) as copy:
        return copy.convert("L")


def assert_view_is_the_copy(view: Image.Image, copy: Image.Image) -> None:
    """The recipient's view and the written copy agree pixel for pixel (up to JPEG's
    re-encoding): no cover in one that the other lacks."""
    assert view.size == copy.size
    diff = ImageChops.difference(view, copy).histogram()
    far = sum(diff[48:])  # a cover in one, the picture in the other
    assert far <= 0.002 * view.width * view.height, far
    assert mean(diff) < 3, mean(diff)


def mean(histogram: list[int]) -> float:
    """The mean value of a greyscale ``histogram``."""
    return sum(i * n for i, n in enumerate(histogram)) / max(sum(histogram), 1)


def checked(path: Path) -> FileReport:
    """``path``'s report as if every check ran and its faces and marks checks found nothing
    (read without decoding the pixels; add the findings a test needs). A metadata-only
    report says faces and marks were skipped: its copy is never called clean."""
    base = audit_file(path, metadata_only=True)
    ran = {**base.checks, "faces": CheckStatus.DONE, "marks": CheckStatus.DONE}
    return dataclasses.replace(base, checks=ran)
