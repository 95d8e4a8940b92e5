"""A white photo's thumbnail has a thin frame: the 8x8 white exiftool samples drew nothing on
the white list, so the row looked like a file without a picture (user journey review)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QImage

from tests.gui.helpers import wait_idle
from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import COL_THUMB, THUMB_SIZE


def _cell(qtbot, window: MainWindow, name: str) -> QImage:  # type: ignore[no-untyped-def]
    """The thumbnail cell of row ``name`` as drawn (not selected), once decoded."""
    table, proxy = window.table, window.proxy
    row = next(r for r in window.session.model.rows if r.name == name)
    qtbot.waitUntil(lambda: (table.viewport().update(), row.thumbnail is not None)[1],
                    timeout=10_000)
    index = next(proxy.index(r, COL_THUMB) for r in range(proxy.rowCount())
                 if proxy.index(r, 1).data() == name)
    table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.Clear)
    return table.viewport().grab(table.visualRect(index)).toImage()


def _outline(image: QImage) -> tuple[int, int, int, int] | None:
    """The box around every pixel a user sees on the white list (the row's own faint
    separator line is lighter than this)."""
    xs, ys = [], []
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y).lightness() < 215:
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def test_a_white_picture_shows_a_frame_in_the_list(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "samples"
    folder.mkdir()
    Image.new("RGB", (8, 8), "white").save(folder / "white.jpg", quality=95)
    Image.new("RGB", (64, 32), (252, 252, 252)).save(folder / "wide.png")
    window.add_paths([folder])
    wait_idle(qtbot, window, rows=2)
    for name, (w, h) in (("white.jpg", (THUMB_SIZE, THUMB_SIZE)),
                         ("wide.png", (THUMB_SIZE, THUMB_SIZE // 2))):
        cell = _cell(qtbot, window, name)
        box = _outline(cell)
        assert box is not None, f"{name}: nothing drawn on the background"
        x0, y0, x1, y1 = box
        # A grey frame just around the picture: its size plus 1 px each side...
        assert (x1 - x0 + 1, y1 - y0 + 1) == (w + 2, h + 2), (name, box)
        edge = [cell.pixelColor(x, y0) for x in range(x0, x1 + 1)]
        edge += [cell.pixelColor(x0, y) for y in range(y0, y1 + 1)]
        assert all(c.lightness() < 215 for c in edge), (name, {c.name() for c in edge})
        inside = cell.pixelColor((x0 + x1) // 2, (y0 + y1) // 2)
        assert inside.lightness() > 240  # ...around the white picture, drawn as it is
