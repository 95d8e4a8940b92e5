"""An animation whose first frame alone was looked at for faces and marks (core marks the
pixel checks skipped and says so in a note). The findings pane said "Faces: not checked."
right above "Faces and marks were looked for in the first frame only", and a title naming
faces and marks as not checked: it now says what was checked, and the note says the rest.
Its preview says it shows the first frame, and that an animation can't be covered."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image

from tests.core.test_export_animation_turn import animation
from veil.core.audit import ANIMATION_NOTE, audit_file
from veil.core.model import CheckStatus, Risk
from veil.gui.models.findings import FIRST_FRAME_FOUND, findings_view
from veil.gui.states import RowState


def test_an_animation_says_its_first_frame_was_checked(tmp_path: Path) -> None:
    report = audit_file(animation(tmp_path / "wave.webp", orientation=6, owner=None))
    note = ANIMATION_NOTE.format(frames=3)
    assert report.notes == (note,) and report.risk is Risk.UNKNOWN  # core's own answer
    assert report.checks["faces"] is CheckStatus.SKIPPED
    view = findings_view(report, state=RowState.DONE)
    assert view.title == FIRST_FRAME_FOUND
    assert not any(line.startswith(("Faces:", "Tattoos and marks:")) for line in view.not_checked)
    assert view.not_checked == (note[:1].upper() + note[1:] + ".",)
    # Still checking: the pixel checks are pending, not "first frame only".
    pending = findings_view(report, state=RowState.CHECKING_PIXELS)
    assert "Faces: not checked yet." in pending.not_checked
    # Something else missing too (a damaged part): the general words, every line kept.
    damaged = dataclasses.replace(report, notes=(note, "a metadata block is damaged"))
    view = findings_view(damaged, state=RowState.DONE)
    assert view.title is not None and view.title.startswith("Nothing found, but not everything")


def test_the_preview_says_it_shows_an_animations_first_frame(  # type: ignore[no-untyped-def]
    qtbot, window, tmp_path: Path
) -> None:
    # The preview showed a still picture and offered to draw boxes to cover, as for a photo;
    # an animation's boxes make the export skip it (core's refusal), and only frame 1 shows.
    from tests.gui.test_video_preview import open_row
    from veil.gui.widgets.preview_box import ANIMATION_HINT, HINT, UNCOVERED_ANIMATION_HINT

    wave = animation(tmp_path / "wave.webp", orientation=6, owner=None)
    still = tmp_path / "still.png"
    Image.new("RGB", (30, 20), "red").save(still)
    for path in (wave, still):
        window.session.show_report(path, audit_file(path))
    hint = window.detail.preview.hint
    open_row(qtbot, window, "wave.webp")
    qtbot.waitUntil(lambda: hint.text() == ANIMATION_HINT.format(frames="3"), timeout=5_000)
    assert hint.text().startswith("The first of its 3 frames is shown")
    assert window.detail.canvas.editable  # unticking a box is the way to a copy
    # With covering off in the Export tab a copy is written whatever is ticked: no advice
    # to untick, and back again when covering is on.
    window.export_pane.form.cover.setChecked(False)
    qtbot.waitUntil(lambda: hint.text() == UNCOVERED_ANIMATION_HINT.format(frames="3"),
                    timeout=5_000)
    assert "untick" not in hint.text()
    window.export_pane.form.cover.setChecked(True)
    qtbot.waitUntil(lambda: hint.text() == ANIMATION_HINT.format(frames="3"), timeout=5_000)
    open_row(qtbot, window, "still.png")
    qtbot.waitUntil(lambda: hint.text() == HINT, timeout=5_000)
