"""An animated GIF with a face ticked "Cover": the plan says before writing that the export
will skip it, and what to do instead; the boxes stay editable, and unticking them gives a
copy (a GIF was planned "Ready: covers 1 area" and then skipped: "not supported")."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.factories import gif as fg
from tests.gui.helpers import row_named
from tests.gui.test_export_review import cell, export, show_export_tab, with_face
from tests.gui.test_video_preview import open_row
from veil.core.model import ExportStatus, Region
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_REMOVED, COL_RESULT
from veil.gui.models.export_wording import ANIMATION_ADVICE, copy_line
from veil.gui.widgets.preview_box import HINT


def test_a_covered_animation_is_planned_as_skipped_with_a_way_out(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    gif = tmp_path / "party.gif"
    gif.write_bytes(fg.dirty_gif(frames=2))
    key = with_face(window, gif, Region(2, 2, 8, 6))
    show_export_tab(qtbot, window)
    pane = window.export_pane
    qtbot.waitUntil(lambda: "will be skipped" in pane.plan_note.text())
    note = pane.plan_note.text()
    assert "0 photos ready to export" in note
    assert "1 animation will be skipped while “Cover” is ticked" in note
    assert cell(window, 0, COL_RESULT) == f"Will be skipped: {ANIMATION_ADVICE}"
    assert cell(window, 0, COL_REMOVED) == "—"
    # Exported as it is: skipped, and the list's tool tip says what to do, in full.
    export(qtbot, window, tmp_path / "covered")
    (skipped,) = window.exporter.results.results
    assert skipped.status is ExportStatus.SKIPPED and skipped.error
    assert row_named(window, "party.gif").status == f"No clean copy: {skipped.error}"
    assert skipped.error.endswith("save the frame you want as a still picture (PNG or JPEG) "
                                  "and clean that")
    assert str(cell(window, 0, COL_RESULT)).startswith("Skipped: Veil can't cover areas")
    made, plan = window.detail.planner(key, lambda _plan: None)
    assert made and plan is not None and plan.skip is None  # not a skip whatever is covered
    # The detail pane's line leads with what to do (it is cut at the pane's width).
    assert copy_line(plan).startswith("No clean copy: an animation can't be covered — untick")
    # The picture stays editable (a raw file's is not): its box can be unticked there.
    canvas = open_row(qtbot, window, "party.gif")
    qtbot.waitUntil(lambda: not window.detail._refresh.isActive(), timeout=5_000)
    assert canvas.editable and window.detail.preview.hint.text() == HINT

    # Unticked, it is exported: metadata removed, both frames kept.
    boxes = window.session.redactions[key]
    window.session.set_redactions(key, tuple(b.toggled() for b in boxes))
    qtbot.waitUntil(lambda: str(cell(window, 0, COL_RESULT)).startswith("Ready"), timeout=5_000)
    export(qtbot, window, tmp_path / "out")
    (result,) = window.exporter.results.results
    assert result.status is ExportStatus.CLEANED and result.verified, result.error
    assert result.output is not None and "comment" in result.removed
    with Image.open(result.output) as copy:
        assert copy.n_frames == 2
