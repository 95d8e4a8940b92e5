"""The counts and labels say only what the copy will have.

An animation with a box ticked gets no copy at all (core refuses to cover an animation),
yet the counts under the preview and in People & marks said "1 face, 1 covered". And with
"Cover the faces and marks" off in the Export tab a ticked box is see-through, but its
label still said "Face 1 · Covered" of a copy that shows the face."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontMetrics

from tests.gui.test_overlays import gradient_jpeg
from tests.gui.test_recipient_no_copy import face_lightness, open_ticked_gif
from tests.gui.test_review import finding, open_first, show
from veil.core.model import FindingKind, Region
from veil.gui.main_window import MainWindow
from veil.gui.models.export_wording import ANIMATION_ADVICE

NO_COPY = "1 face — no copy will be written (an animation can't be covered)"


def counts(window: MainWindow) -> tuple[str, str]:
    """The counts under the preview and in People & marks."""
    return window.detail.preview.covers.text(), window.detail.findings.counts_text


def chip_widths(window: MainWindow) -> list[float]:
    """The widths of the label chips the preview paints."""
    canvas = window.detail.canvas
    canvas.grab()  # paints, placing the labels
    assert canvas._labels_cache is not None
    return [round(chip.width(), 1) for chip in canvas._labels_cache[1]]


def label_widths(window: MainWindow, *texts: str) -> list[float]:
    """The chip widths of labels saying ``texts``."""
    font = window.detail.canvas.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))  # as paint_labels draws them
    metrics = QFontMetrics(font)  # the painter's (whole pixels)
    return [round(metrics.horizontalAdvance(t) + 12.0, 1) for t in texts]


def test_an_animation_that_gets_no_copy_is_not_counted_as_covered(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    key = open_ticked_gif(qtbot, window, tmp_path)
    assert counts(window) == (NO_COPY, NO_COPY)
    # Nor does the box claim a cover: see-through, "Ticked (no copy)", not solid "Covered".
    assert chip_widths(window) == label_widths(window, "Face 1 · Ticked (no copy)")
    assert face_lightness(window) > 40
    assert ANIMATION_ADVICE.startswith("an animation can't be covered — ")  # the plan's words
    # Unticked, a copy is written, every frame as it is: that is what the counts say.
    window.session.set_redactions(key, tuple(b.toggled() for b in window.session.redactions[key]))
    qtbot.waitUntil(lambda: not window.detail.canvas.no_copy, timeout=5_000)
    assert counts(window) == ("1 face, 0 covered", "1 face, 0 covered")
    assert chip_widths(window) == label_widths(window, "Face 1 · Not covered")
    # Ticked again from the list: no copy again.
    next(iter(window.detail.findings.cover_checkboxes.values())).setChecked(True)
    qtbot.waitUntil(lambda: window.detail.canvas.no_copy != "", timeout=5_000)
    assert counts(window) == (NO_COPY, NO_COPY)


def test_with_covering_off_a_ticked_label_does_not_say_covered(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    faces = (Region(40, 40, 60, 60), Region(220, 120, 60, 60))
    key = show(window, gradient_jpeg(tmp_path / "two.jpg"),
               *(finding(FindingKind.FACE, r, 0.9) for r in faces))
    open_first(qtbot, window)
    boxes = window.session.redactions[key]
    window.session.set_redactions(key, (boxes[0], boxes[1].toggled()))  # Face 2 unticked
    canvas = window.detail.canvas
    assert chip_widths(window) == label_widths(window, "Face 1 · Covered", "Face 2 · Not covered")
    window.detail.tabs.setCurrentWidget(window.export_pane)
    window.export_pane.cover.setChecked(False)
    window.detail.tabs.setCurrentIndex(0)
    assert not canvas.covering
    off = label_widths(window, "Face 1 · Ticked (covering off)", "Face 2 · Not covered")
    assert chip_widths(window) == off
    assert "none covered: covering is off in the Export tab" in counts(window)[0]
