"""Labels in a crowded picture drop "· Covered" since a covered box shows solid black; with
"Cover the faces and marks" unticked in the Export tab the ticked boxes are see-through, so
"Face 1" alone told nothing: covered and uncovered looked the same (reviewer's finding)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF

from tests.gui.test_overlays import gradient_jpeg
from tests.gui.test_review import finding, open_first, show
from veil.core.model import FindingKind, Region
from veil.gui.main_window import MainWindow
from veil.gui.redactions import OverlayBox
from veil.gui.widgets.preview_paint import label_texts

FACES = [Region(10 + 48 * (i % 8), 10 + 70 * (i // 8), 30, 30) for i in range(24)]


def test_crowded_labels_keep_covered_while_covering_is_off(qapp) -> None:  # type: ignore[no-untyped-def]
    boxes = [OverlayBox(region=r, accepted=i % 2 == 0, origin="face", label=f"Face {i + 1}",
                        finding=i)
             for i, r in enumerate(FACES)]
    small = QRectF(0, 0, 200, 150)
    on, _ = label_texts(boxes, small, lambda t: 6.0 * len(t), 12.0)
    assert on[:2] == ["Face 1", "Face 2 · Not covered"]  # solid black says "covered"
    off, _ = label_texts(boxes, small, lambda t: 6.0 * len(t), 12.0, covering=False)
    # Not "Covered" (the copy shows it), but still told apart from an unticked box.
    assert off[:2] == ["Face 1 · Ticked (covering off)", "Face 2 · Not covered"]
    roomy, _ = label_texts(boxes, QRectF(0, 0, 4000, 3000), lambda t: 6.0 * len(t), 12.0)
    assert roomy[:2] == ["Face 1 · Covered", "Face 2 · Not covered"]


def test_the_preview_keeps_the_state_of_crowded_labels_with_covering_off(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    key = show(window, gradient_jpeg(tmp_path / "crowd.jpg"),
               *(finding(FindingKind.FACE, r, 0.9) for r in FACES))
    open_first(qtbot, window)
    boxes = window.session.redactions[key]
    assert all(b.accepted for b in boxes)
    canvas = window.detail.canvas

    def chip_widths() -> list[float]:
        canvas.grab()  # paints, placing the labels
        assert canvas._labels_cache is not None
        return [chip.width() for chip in canvas._labels_cache[1]]

    compact = chip_widths()  # covering on: "Face 1" on a solid black box
    window.detail.tabs.setCurrentWidget(window.export_pane)
    window.export_pane.cover.setChecked(False)
    window.detail.tabs.setCurrentIndex(0)
    assert not canvas.covering
    full = chip_widths()  # see-through boxes: "Face 1 · Ticked (covering off)"
    metrics = canvas.fontMetrics()
    words = metrics.horizontalAdvance(" · Ticked (covering off)")
    assert all(b > a + words / 2 for a, b in zip(compact, full, strict=True)), (compact, full)
