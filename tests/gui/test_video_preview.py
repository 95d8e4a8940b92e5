"""A video's poster frame offers nothing to cover: no box can be drawn or ticked, the hint says
faces in clips are not checked, and "what a recipient will see" is the frame unchanged (the
export copies a clip's frames as they are). A real clip made by ffmpeg at run time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QLabel

from tests.factories.video import make_clip
from tests.gui.helpers import drop_paths, row_named, select, wait_idle
from tests.gui.test_overlays import gradient_jpeg
from veil.core.audit import audit_file
from veil.core.model import ExportOptions, Region
from veil.gui.main_window import MainWindow
from veil.gui.models.export_plan import plan_row
from veil.gui.widgets.preview import PreviewCanvas
from veil.gui.widgets.preview_box import HINT, VIDEO_HINT


def drag(qtbot, canvas: PreviewCanvas, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)


def on_picture(canvas: PreviewCanvas, fx: float, fy: float) -> QPoint:
    """The widget point over the picture point at fractions ``fx``, ``fy`` of its size."""
    w, h = canvas.view.full
    return canvas._to_widget(Region(round(w * fx), round(h * fy), 1, 1)).topLeft().toPoint()


def cover_boxes(window: MainWindow) -> list[QCheckBox]:
    return [c for c in window.detail.findings.findChildren(QCheckBox) if c.text() == "Cover"]


def open_row(qtbot, window: MainWindow, name: str) -> PreviewCanvas:  # type: ignore[no-untyped-def]
    select(window, name)
    canvas = window.detail.canvas
    qtbot.waitUntil(lambda: window.detail.key == row_named(window, name).key, timeout=10_000)
    qtbot.waitUntil(lambda: canvas.has_picture, timeout=20_000)
    return canvas


def grab(canvas: PreviewCanvas) -> QImage:
    return canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_a_video_row_offers_no_box_to_draw_or_cover(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "beach.mp4", seconds=1.0)  # skips without ffmpeg
    photo = gradient_jpeg(tmp_path / "photo.jpg")
    assert drop_paths(window.drop_zone, [clip, photo])
    wait_idle(qtbot, window, 2)
    detail = window.detail

    # The same drag on a photo draws a box the export will cover, with its Cover checkbox.
    canvas = open_row(qtbot, window, "photo.jpg")
    assert canvas.editable and detail.preview.hint.text() == HINT
    drag(qtbot, canvas, on_picture(canvas, 0.2, 0.2), on_picture(canvas, 0.6, 0.6))
    assert len(window.session.redactions[row_named(window, "photo.jpg").key]) == 1
    assert len(cover_boxes(window)) == 1

    canvas = open_row(qtbot, window, "beach.mp4")
    key = row_named(window, "beach.mp4").key
    assert not canvas.editable
    assert detail.preview.hint.text() == VIDEO_HINT
    assert "not checked" in VIDEO_HINT and "nothing can be covered" in VIDEO_HINT
    assert detail.preview.covers.text() == ""
    assert "nothing is covered" in detail.preview.recipient.toolTip()
    assert cover_boxes(window) == [] and detail.findings.drawn_rows == {}
    # The findings still say faces were not checked (not "nothing found").
    assert any("Faces: not checked" in label for label in _texts(window))

    # A drag over the poster draws nothing; zoomed in, it pans instead.
    drag(qtbot, canvas, on_picture(canvas, 0.2, 0.2), on_picture(canvas, 0.6, 0.6))
    assert canvas.boxes == () and window.session.redactions.get(key, ()) == ()
    assert cover_boxes(window) == []
    canvas.zoom_by(3.0)
    centre = canvas.view.center
    drag(qtbot, canvas, on_picture(canvas, 0.5, 0.5), on_picture(canvas, 0.4, 0.4))
    assert canvas.view.center != centre and canvas.boxes == ()
    # Right-click, Enter and Delete change nothing either.
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=on_picture(canvas, 0.5, 0.5))
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert window.session.redactions.get(key, ()) == ()
    canvas.fit()

    # What a recipient will see: the poster frame, unchanged.
    canvas.clearFocus()
    plain = grab(canvas)
    detail.preview.recipient.setChecked(True)
    assert canvas.recipient_view
    assert grab(canvas) == plain
    colours = {plain.pixel(x, plain.height() // 2) for x in range(0, plain.width(), 4)}
    assert len(colours) > 4  # the test pattern is on screen, not a blank message

    # Back on the photo, boxes work again.
    canvas = open_row(qtbot, window, "photo.jpg")
    assert canvas.editable and len(canvas.boxes) == 1 and len(cover_boxes(window)) == 1


def test_the_export_plan_covers_nothing_in_a_video(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.mov", seconds=1.0, fmt="mov")
    report = audit_file(clip)
    assert report.format == "mov"
    options = ExportOptions(redactions=(Region(0, 0, 40, 30),))
    plan = plan_row("k", clip, report, options)
    assert plan.covers == 0 and plan.covered_share == 0.0
    assert "sound" in plan.keeps  # its sound track is copied as it is
    still = dataclasses.replace(report, format="jpeg")  # the same report as a photo's
    assert plan_row("k", clip, still, options).covers == 1


def test_the_export_plan_never_says_a_video_is_turned_upright(tmp_path: Path) -> None:
    # "Rotate the pixels" turns photos; a clip's frames are copied as they are and its
    # rotation kept (the reader maps a 90 degree clip to orientation 6). The plan said "turns
    # the picture upright" and "needs no orientation tag" of a copy that kept it.
    clip = make_clip(tmp_path / "clip.mp4", seconds=1.0, fmt="mp4")
    report = dataclasses.replace(audit_file(clip), orientation=6)
    plan = plan_row("k", clip, report, ExportOptions(bake_orientation=True))
    assert not plan.turns and "orientation tag" in plan.keeps
    photo = dataclasses.replace(report, format="jpeg")
    assert plan_row("k", clip, photo, ExportOptions(bake_orientation=True)).turns


def _texts(window: MainWindow) -> list[str]:
    return [label.text() for label in window.detail.findings.findChildren(QLabel)]
