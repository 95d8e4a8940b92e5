""""What a recipient will see" for an animation with a box ticked "Cover": the export writes
no copy of it (core refuses to cover an animation), but the view drew its first frame with
the face covered, a copy that will never exist. It now says that no copy will be written,
and why, in the export table's words for the row; unticked, the frame shows as the copy."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.gui.test_export_review import show_export_tab
from tests.gui.test_review import finding, open_first, show
from veil.core.model import ExportStatus, FindingKind, Region
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT
from veil.gui.widgets.preview_box import PLANNING_TEXT, SKIPPED_RECIPIENT_TIP

FACE = Region(60, 40, 80, 70)


def bright_gif(path: Path) -> Path:
    """Two light 200x150 frames: a cover drawn on either is a black box."""
    frames = [Image.new("RGB", (200, 150), c) for c in ((230, 200, 120), (120, 200, 230))]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=200, loop=0)
    return path


def open_ticked_gif(qtbot, window: MainWindow, folder: Path) -> str:  # type: ignore[no-untyped-def]
    """A light GIF with its face ticked, open in the detail pane, waited on until its plan
    says no copy will be written; its session key."""
    key = show(window, bright_gif(folder / "wave.gif"), finding(FindingKind.FACE, FACE, 0.9))
    open_first(qtbot, window)
    assert [b.accepted for b in window.session.redactions[key]] == [True]
    qtbot.waitUntil(lambda: window.detail.copy_line.text().startswith("No clean copy"),
                    timeout=5_000)
    return key


def face_lightness(window: MainWindow) -> int:
    """Lightness of what the preview paints at the face's centre."""
    canvas = window.detail.canvas
    point = canvas._to_widget(FACE).center().toPoint()
    return canvas.grab().toImage().pixelColor(point).lightness()


def test_no_covered_frame_for_an_animation_that_gets_no_copy(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    key = open_ticked_gif(qtbot, window, tmp_path)
    preview, canvas = window.detail.preview, window.detail.canvas
    preview.recipient.setChecked(True)
    # No black cover on a frame no file will hold: the view says why instead.
    assert face_lightness(window) > 40
    show_export_tab(qtbot, window)
    row = str(window.exporter.results.index(0, COL_RESULT).data())
    assert row.startswith("Will be skipped: an animation can't be covered"), row
    window.detail.tabs.setCurrentIndex(0)
    assert canvas.no_copy.startswith("No copy of this file will be written")
    assert canvas.no_copy.endswith(f"\n\n{row}.")  # the export table's words for the row
    assert preview.recipient.toolTip() == SKIPPED_RECIPIENT_TIP
    # ... and the export indeed writes nothing.
    out = tmp_path / "out"
    out.mkdir()
    window.export_pane.set_destination(out)
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        window.export_pane.start("all")
    (result,) = window.exporter.results.results
    assert result.status is ExportStatus.SKIPPED and result.output is None
    assert not any(out.iterdir())

    # Unticked, a copy will be written: the view shows its frame, face uncovered.
    window.detail.tabs.setCurrentIndex(0)
    window.session.set_redactions(key, tuple(b.toggled() for b in window.session.redactions[key]))
    qtbot.waitUntil(lambda: not canvas.no_copy, timeout=5_000)
    assert canvas.recipient_view and face_lightness(window) > 150
    assert preview.recipient.toolTip() != SKIPPED_RECIPIENT_TIP


def test_while_its_plan_is_made_an_animation_shows_no_frame(window: MainWindow) -> None:
    # The plan of an animation with a box newly ticked reads the file off the GUI thread;
    # until it lands the answer may be "no copy", so no covered frame is shown meanwhile.
    preview, canvas = window.detail.preview, window.detail.canvas
    preview.set_video(False, None, frames=3)
    preview.set_no_copy(None)
    assert canvas.no_copy == PLANNING_TEXT
    preview.set_no_copy("")
    assert canvas.no_copy == ""
    preview.set_video(False, None, frames=1)  # a still photo: a copy is written either way
    preview.set_no_copy(None)
    assert canvas.no_copy == ""
