"""Face boxes on the preview: accept, reject, resize and draw change what the export covers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPoint, Qt

from tests.factories.basic import gps_serial_exif
from veil.core.audit import audit_file
from veil.core.model import ExportOptions, Finding, FindingKind, Region, Risk, Severity
from veil.gui.main_window import MainWindow

FACE = Region(120, 60, 80, 90)


def gradient_jpeg(path: Path, size: tuple[int, int] = (400, 300)) -> Path:
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    img.save(path, quality=92, exif=gps_serial_exif())
    return path


def inject_face(window: MainWindow, path: Path) -> str:
    base = audit_file(path, metadata_only=True)
    face = Finding(
        FindingKind.FACE,
        Severity.HIGH,
        "A face is visible (top middle)",
        "pixels",
        region=FACE,
        confidence=0.93,
    )
    report = dataclasses.replace(base, findings=(*base.findings, face), risk=Risk.HIGH)
    window.session.show_report(path, report)
    return str(path.resolve())


def covered_regions(window: MainWindow, key: str) -> tuple[Region, ...]:
    tasks, problem = window.exporter.plan([key], Path("/nonexistent-out"), ExportOptions(), True)
    assert problem is None, problem
    return tasks[0].options.redactions


def center_of(window: MainWindow, region: Region) -> QPoint:
    return window.detail.canvas._to_widget(region).center().toPoint()


def test_accept_reject_resize_and_draw_change_what_export_covers(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    key = inject_face(window, gradient_jpeg(tmp_path / "portrait.jpg"))
    canvas = window.detail.canvas
    window.select_first()
    qtbot.waitUntil(lambda: canvas.has_picture, timeout=10_000)
    assert covered_regions(window, key) == (FACE,)  # detected faces are covered by default

    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=center_of(window, FACE))
    assert window.session.redactions[key][0].accepted is False
    assert covered_regions(window, key) == ()

    # The findings pane's checkbox is the keyboard twin of clicking the box.
    check = next(iter(window.detail.findings.cover_checkboxes.values()))
    assert not check.isChecked()
    check.setChecked(True)
    assert covered_regions(window, key) == (FACE,)

    # Drag the bottom-right corner: the covered region grows.
    corner = canvas._to_widget(FACE).bottomRight().toPoint()
    target = corner + QPoint(30, 20)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseMove(canvas, pos=target)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=target)
    (grown,) = covered_regions(window, key)
    assert grown.x == FACE.x and grown.y == FACE.y
    assert grown.w > FACE.w and grown.h > FACE.h

    # Draw a new box on an empty part of the picture: it is covered too.
    start = canvas._to_widget(Region(300, 200, 1, 1)).topLeft().toPoint()
    end = canvas._to_widget(Region(380, 280, 1, 1)).topLeft().toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    regions = covered_regions(window, key)
    assert len(regions) == 2
    drawn = regions[1]
    assert abs(drawn.x - 300) <= 3 and abs(drawn.w - 80) <= 4

    # Right-click removes a drawn box; unticking "cover" in the export pane covers nothing.
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=center_of(window, drawn))
    assert len(covered_regions(window, key)) == 1
    tasks, _ = window.exporter.plan([key], Path("/nonexistent-out"), ExportOptions(), False)
    assert tasks[0].options.redactions == ()


def test_privacy_screen_hides_the_preview(qtbot, window: MainWindow, tmp_path: Path) -> None:
    inject_face(window, gradient_jpeg(tmp_path / "p.jpg"))
    window.select_first()
    canvas = window.detail.canvas
    qtbot.waitUntil(lambda: canvas.has_picture, timeout=10_000)
    thumb = window.session.model.index(0, 0)
    # Thumbnails are decoded off the GUI thread for the rows on screen.
    qtbot.waitUntil(lambda: thumb.data(Qt.ItemDataRole.DecorationRole) is not None, timeout=10_000)
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    assert canvas._hidden and window.session.model.previews_hidden
    assert window.session.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None
    # A click does nothing while hidden (no box can be edited blind).
    before = window.session.redactions[str((tmp_path / "p.jpg").resolve())]
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=center_of(window, FACE))
    assert window.session.redactions[str((tmp_path / "p.jpg").resolve())] == before
    window.privacy_action.setChecked(False)
    assert not canvas._hidden
