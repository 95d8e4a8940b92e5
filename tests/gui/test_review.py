"""Reviewing faces and marks: default ticks, finding <-> box links, drawn boxes in the list,
counts, zoom and pan, and what a recipient will see (issue 13 item 3, issue 16 item 7)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QPushButton

from tests.gui.helpers import assert_view_is_the_copy, checked, export_copy, recipient_pixels
from tests.gui.test_overlays import center_of, gradient_jpeg
from veil.core.model import Finding, FindingKind, Region, Risk, Severity
from veil.gui.main_window import MainWindow

FACES = (Region(40, 40, 60, 70), Region(160, 50, 60, 70))
HUGE_MARK = Region(20, 20, 360, 260)  # 78 % of a 400x300 picture: a false alarm on fur
SMALL_MARK = Region(300, 200, 40, 30)  # 1 %


def finding(kind: FindingKind, region: Region, confidence: float) -> Finding:
    severity = Severity.HIGH if kind is FindingKind.FACE else Severity.MEDIUM
    return Finding(
        kind, severity, f"{kind.value} here", "pixels", region=region, confidence=confidence
    )


def show(window: MainWindow, path: Path, *extra: Finding) -> str:
    base = checked(path)
    report = dataclasses.replace(base, findings=(*base.findings, *extra), risk=Risk.HIGH)
    window.session.show_report(path, report)
    return str(path.resolve())


def open_first(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.select_first()
    qtbot.waitUntil(lambda: window.detail.canvas.has_picture, timeout=10_000)


def black_share(image: Image.Image, region: Region) -> float:
    crop = image.convert("L").crop((region.x, region.y, region.x + region.w, region.y + region.h))
    data = crop.tobytes()
    return sum(1 for v in data if v < 16) / len(data)


def test_a_large_false_mark_is_not_covered_in_the_exported_copy(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    photo = gradient_jpeg(tmp_path / "tiger.jpg")
    key = show(
        window,
        photo,
        finding(FindingKind.TATTOO, HUGE_MARK, 0.97),
        finding(FindingKind.TATTOO, SMALL_MARK, 0.95),
    )
    open_first(qtbot, window)
    boxes = window.session.redactions[key]
    assert [b.accepted for b in boxes] == [False, True]
    checks = window.detail.findings.cover_checkboxes
    assert [c.isChecked() for c in checks.values()] == [False, True]

    out = tmp_path / "clean"
    pane = window.export_pane
    pane.ask_folder = lambda: out
    out.mkdir()
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        pane.start("all")
    (result,) = window.exporter.results.results
    assert result.verified and result.output is not None, result.error
    with Image.open(result.output) as copy:
        copy.load()
    # The big box's inside (away from the small covered one) keeps its picture ...
    assert black_share(copy, Region(40, 40, 200, 120)) < 0.02
    # ... and the small confident mark is covered, padding included.
    assert black_share(copy, Region(298, 198, 44, 34)) > 0.97


def test_clicking_a_finding_lights_its_box_and_back(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    show(
        window,
        gradient_jpeg(tmp_path / "two.jpg"),
        *(finding(FindingKind.FACE, r, 0.9) for r in FACES),
    )
    open_first(qtbot, window)
    canvas, findings = window.detail.canvas, window.detail.findings
    rows = findings.drawn_rows
    assert set(rows) == {0, 1}
    # Tabbing to a line's Cover box selects that box (the keyboard path).
    findings.cover_checkboxes[max(findings.cover_checkboxes)].setFocus()
    assert canvas.selected == 1 and findings.selected_box == 1
    qtbot.mouseClick(rows[0], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert canvas.selected == 0 and findings.selected_box == 0
    qtbot.mouseClick(rows[1], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert canvas.selected == 1 and findings.selected_box == 1
    assert rows[1].property("selected") and not rows[0].property("selected")
    # A click on the first box on the picture lights up the first line (and toggles it).
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=center_of(window, FACES[0]))
    assert canvas.selected == 0
    assert findings.selected_box == 0
    assert findings.drawn_rows[0].property("selected")


def test_unticking_a_face_updates_counts_and_badge_text(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    show(
        window,
        gradient_jpeg(tmp_path / "two.jpg"),
        *(finding(FindingKind.FACE, r, 0.9) for r in FACES),
    )
    open_first(qtbot, window)
    detail = window.detail
    assert detail.preview.covers.text() == "2 faces, 2 covered"
    assert detail.findings.counts_text == "2 faces, 2 covered"
    next(iter(detail.findings.cover_checkboxes.values())).setChecked(False)
    assert detail.preview.covers.text() == "2 faces, 1 covered"
    assert detail.findings.counts_text == "2 faces, 1 covered"


def test_a_drawn_box_is_listed_and_can_be_deleted(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    key = show(window, gradient_jpeg(tmp_path / "plain.jpg"))
    open_first(qtbot, window)
    detail = window.detail
    assert "drag on the picture to draw a box" in detail.preview.hint.text()
    assert detail.preview.hint.isVisible()
    canvas = detail.canvas
    start = canvas._to_widget(Region(100, 100, 1, 1)).topLeft().toPoint()
    end = canvas._to_widget(Region(200, 180, 1, 1)).topLeft().toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    (box,) = window.session.redactions[key]
    assert box.origin == "drawn" and box.accepted and box.label == "Your box 1"
    texts = detail.findings.texts()
    assert "People & marks" in texts
    assert any(t.startswith("Your box 1") for t in texts)
    assert detail.findings.counts_text == "1 box you drew, 1 covered"
    delete = [b for b in detail.findings.findChildren(QPushButton) if b.text() == "Delete"]
    assert len(delete) == 1
    qtbot.mouseClick(delete[0], Qt.MouseButton.LeftButton)
    assert window.session.redactions[key] == ()
    assert not any(t.startswith("Your box") for t in detail.findings.texts())


def wheel(canvas, pos: QPointF, clicks: int) -> None:  # type: ignore[no-untyped-def]
    event = QWheelEvent(
        pos,
        canvas.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120 * clicks),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)


def test_zoom_with_wheel_and_keys_and_pan(qtbot, window: MainWindow, tmp_path: Path) -> None:
    show(window, gradient_jpeg(tmp_path / "group.jpg"), finding(FindingKind.FACE, FACES[0], 0.9))
    open_first(qtbot, window)
    canvas = window.detail.canvas
    # Away from the edges (zooming at an edge keeps the picture filling the view instead),
    # and far enough in that the picture overflows the view both ways whatever its shape
    # (a side that still fits stays centred, so its point would move).
    anchor = QPointF(canvas._to_widget(Region(190, 120, 1, 1)).topLeft())
    before = canvas._to_full(anchor)
    wheel(canvas, anchor, 5)
    assert canvas.zoom > 2.9
    assert canvas._target().contains(QRectF(canvas.rect()).adjusted(12, 12, -12, -12))
    after = canvas._to_full(anchor)  # the point under the pointer stays put
    assert abs(after[0] - before[0]) < 1 and abs(after[1] - before[1]) < 1
    scale = canvas._scale()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas._scale() > scale * 1.2
    # Middle-drag pans: the same widget point now shows another part of the picture.
    middle = canvas.rect().center()
    shown = canvas._to_full(QPointF(middle))
    qtbot.mousePress(canvas, Qt.MouseButton.MiddleButton, pos=middle)
    qtbot.mouseMove(canvas, pos=middle + QPoint(60, 40))
    qtbot.mouseRelease(canvas, Qt.MouseButton.MiddleButton, pos=middle + QPoint(60, 40))
    moved = canvas._to_full(QPointF(middle))
    assert moved[0] < shown[0] - 5 and moved[1] < shown[1] - 3
    assert window.detail.preview.zoom_fit.text().endswith("%")
    fit = window.detail.preview.zoom_fit
    assert fit.fontMetrics().horizontalAdvance("1600%") + 28 <= fit.width()  # never clipped
    shown = canvas._to_full(QPointF(middle))
    qtbot.keyClick(canvas, Qt.Key.Key_Right)  # arrows pan too
    assert canvas._to_full(QPointF(middle))[0] > shown[0] + 5
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.zoom == 1.0
    assert window.detail.preview.zoom_fit.text() == "Fit"
    qtbot.mouseClick(window.detail.preview.zoom_in, Qt.MouseButton.LeftButton)
    assert canvas.zoom > 1.0


def test_covers_are_solid_and_recipient_view_matches_the_copy(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    show(
        window,
        gradient_jpeg(tmp_path / "face.jpg"),
        finding(FindingKind.FACE, FACES[1], 0.9),
        finding(FindingKind.TATTOO, HUGE_MARK, 0.97),
    )
    open_first(qtbot, window)
    canvas = window.detail.canvas
    window.detail.preview.recipient.setChecked(True)
    assert canvas.recipient_view
    shot = canvas.grab().toImage()
    r = FACES[1]
    # Inside the padding (outside the detector's box) is covered too, as in the export.
    pad = canvas._to_widget(Region(r.x - 4, r.y + r.h // 2, 1, 1)).center().toPoint()
    inside = canvas._to_widget(r).center().toPoint()
    for point in (pad, inside):
        assert shot.pixelColor(point).lightness() < 10, point
    # The large mark is not covered: its inside shows the picture.
    open_area = canvas._to_widget(Region(60, 200, 1, 1)).center().toPoint()
    assert shot.pixelColor(open_area).lightness() > 40
    # ... and that is what the written file holds, pixel for pixel (not only "covered").
    view = recipient_pixels(window)
    assert_view_is_the_copy(view, export_copy(qtbot, window, tmp_path / "clean"))
    assert black_share(view, FACES[1]) == 1.0
    # In review, a covered box is painted solid too (not a faint tint), its label inside.
    window.detail.preview.recipient.setChecked(False)
    canvas.setFocus()
    review = canvas.grab().toImage()
    low = canvas._to_widget(Region(r.x + 5, r.y + r.h - 6, 1, 1)).center().toPoint()
    assert review.pixelColor(low).lightness() < 10


def test_labels_stay_inside_the_picture_and_never_overlap(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRectF

    from veil.gui.widgets.preview_paint import place_labels

    bounds = QRectF(10, 10, 600, 400)
    # 26 faces in a row along the top edge, and one box off the right edge.
    anchors = [QRectF(10 + i * 11, 10, 10, 10) for i in range(26)] + [QRectF(400, 300, 50, 50)]
    labels = place_labels(anchors, [(90.0, 16.0)] * len(anchors), bounds)
    for i, rect in enumerate(labels):
        assert bounds.contains(rect), (i, rect)
    overlapping = [
        (i, j) for i in range(len(labels)) for j in range(i) if labels[i].intersects(labels[j])
    ]
    assert overlapping == []


def test_keyboard_enter_toggles_the_selected_box_and_delete_removes_a_drawn_one(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    key = show(window, gradient_jpeg(tmp_path / "k.jpg"), finding(FindingKind.FACE, FACES[0], 0.9))
    open_first(qtbot, window)
    canvas = window.detail.canvas
    canvas.setFocus()
    window.detail.findings.box_clicked.emit(0)
    assert canvas.selected == 0
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert window.session.redactions[key][0].accepted is False
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)  # a detected box is only uncovered, never deleted
    assert len(window.session.redactions[key]) == 1


def test_26_face_labels_on_the_real_preview_stay_inside_and_apart(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    faces = [
        finding(FindingKind.FACE, Region(15 + (i % 9) * 42, 20 + (i // 9) * 90, 30, 36), 0.9)
        for i in range(26)
    ]
    show(window, gradient_jpeg(tmp_path / "group.jpg"), *faces)
    open_first(qtbot, window)
    canvas = window.detail.canvas
    canvas.grab()  # paints, placing the labels
    chips = canvas._labels_cache[1]
    bounds = canvas._target()
    assert len(chips) == 26
    for chip in chips:
        assert bounds.adjusted(-0.5, -0.5, 0.5, 0.5).contains(chip), chip
    assert not [(i, j) for i in range(26) for j in range(i) if chips[i].intersects(chips[j])]


def test_hovering_a_cover_peeks_underneath(qtbot, window: MainWindow, tmp_path: Path) -> None:
    show(window, gradient_jpeg(tmp_path / "peek.jpg"), finding(FindingKind.FACE, FACES[1], 0.9))
    open_first(qtbot, window)
    canvas = window.detail.canvas
    r = FACES[1]
    low = canvas._to_widget(Region(r.x + 5, r.y + r.h - 6, 1, 1)).center().toPoint()
    assert canvas.grab().toImage().pixelColor(low).lightness() < 10
    qtbot.mouseMove(canvas, pos=low)
    assert canvas.grab().toImage().pixelColor(low).lightness() > 20  # translucent while hovered
    qtbot.mouseMove(canvas, pos=QPoint(2, 2))
    assert canvas.grab().toImage().pixelColor(low).lightness() < 10
