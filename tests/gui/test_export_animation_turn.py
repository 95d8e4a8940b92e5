"""An animated WebP with a rotation tag while "Rotate the pixels" is chosen: the plan says
before writing that it will be skipped, why (not "redacting … is not supported": nothing
was to be covered) and what to do; keeping the tag then gives a copy of every frame."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.core.test_export_animation_turn import FRAMES, animation, decoded_frames
from tests.gui.helpers import row_named
from tests.gui.test_export_review import cell, export, show_export_tab
from veil.core.audit import audit_file
from veil.core.model import ExportStatus
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT
from veil.gui.models.export_wording import TURN_ADVICE, copy_line


def test_rotating_an_animation_is_planned_as_skipped_with_a_way_out(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    source = animation(tmp_path / "wave.webp", orientation=6)
    window.session.show_report(source, audit_file(source, metadata_only=True))
    show_export_tab(qtbot, window)
    pane = window.export_pane
    assert str(cell(window, 0, COL_RESULT)).startswith("Ready")  # the tag is kept: no refusal
    pane.orientation.setCurrentIndex(pane.orientation.findData(True))
    qtbot.waitUntil(lambda: "will be skipped" in pane.plan_note.text(), timeout=5_000)
    note = pane.plan_note.text()
    assert "0 photos ready to export" in note
    assert "1 animation will be skipped while “Rotate the pixels” is chosen" in note
    assert "Cover" not in note
    assert cell(window, 0, COL_RESULT) == f"Will be skipped: {TURN_ADVICE}"
    key = str(source.resolve())
    made, plan = window.detail.planner(key, lambda _plan: None)
    assert made and plan is not None
    assert copy_line(plan).startswith("No clean copy: an animation's frames can't be rotated")
    export(qtbot, window, tmp_path / "turned")
    (skipped,) = window.exporter.results.results
    assert skipped.status is ExportStatus.SKIPPED and skipped.error
    assert "redacting" not in skipped.error
    assert row_named(window, "wave.webp").status == f"No clean copy: {skipped.error}"

    # Keeping the tag, as advised: every frame copied, shown the same way up.
    pane.orientation.setCurrentIndex(pane.orientation.findData(False))
    qtbot.waitUntil(lambda: str(cell(window, 0, COL_RESULT)).startswith("Ready"), timeout=5_000)
    export(qtbot, window, tmp_path / "kept")
    (result,) = window.exporter.results.results
    assert result.status is ExportStatus.CLEANED and result.verified, result.error
    assert result.output is not None
    assert decoded_frames(result.output) == decoded_frames(source)
    with Image.open(result.output) as copy:
        assert copy.n_frames == FRAMES and dict(copy.getexif()) == {0x0112: 6}


def test_covering_and_rotating_an_animation_names_both_ways_out(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # "untick “Cover” for a copy" was said while “Rotate the pixels” would still skip it.
    from tests.gui.test_export_review import with_face
    from veil.core.export.refusal import SkipKind, animation_refusal
    from veil.core.model import ExportOptions, Region
    from veil.gui.models.export_wording import ANIMATION_ADVICE, BOTH_ADVICE

    source = animation(tmp_path / "wave.webp", orientation=6)
    both = animation_refusal(source, ExportOptions(bake_orientation=True,
                                                   redactions=(Region(1, 1, 4, 4),)))
    assert both is not None and both.kind is SkipKind.ANIMATED
    assert "export it without covering and keeping its orientation tag" in both.reason
    key = with_face(window, source, Region(2, 2, 8, 6))
    show_export_tab(qtbot, window)
    pane = window.export_pane
    qtbot.waitUntil(lambda: cell(window, 0, COL_RESULT) == f"Will be skipped: {ANIMATION_ADVICE}",
                    timeout=5_000)
    pane.orientation.setCurrentIndex(pane.orientation.findData(True))
    qtbot.waitUntil(lambda: cell(window, 0, COL_RESULT) == f"Will be skipped: {BOTH_ADVICE}",
                    timeout=5_000)
    # Its boxes unticked, rotation is what is left to undo.
    boxes = window.session.redactions[key]
    window.session.set_redactions(key, tuple(b.toggled() for b in boxes))
    qtbot.waitUntil(lambda: cell(window, 0, COL_RESULT) == f"Will be skipped: {TURN_ADVICE}",
                    timeout=5_000)
