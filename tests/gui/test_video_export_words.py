"""A clip in the window, from drop to saved copy, in the words a user reads.

Core never looks at a clip's frames for faces or marks (its report says so: faces and marks
``skipped``), and its copy keeps the sound track as it is (``kept: ["sound"]``). The window
must say both, never "clean", at every step. A real clip made by ffmpeg at run time, with a
place, a creation time and a sound track (skips without ffmpeg). Looked at on screen for the
video21 review (file list, detail pane, the Export tab before and after writing).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel

from tests.factories.video import make_clip
from tests.gui.helpers import drop_paths, row_named, select, wait_idle
from tests.gui.test_copy_line import line
from tests.gui.test_export_caution import CAUTION, colour, rows
from tests.gui.test_export_review import cell, export, show_export_tab
from tests.gui.test_export_shown_words import status_cell
from tests.gui.test_overlays import gradient_jpeg
from veil.core.audit import audit_file
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_KEPT, COL_REMOVED, COL_RESULT, DETAIL_ROLE
from veil.gui.models.export_wording import words
from veil.gui.models.findings import STILL_CHECKING, nothing_found_title
from veil.gui.states import RowState

#: What ffmpeg writes into the clip: a place and a creation time, as phones do.
PLACE_AND_TIME = ("-metadata", "location=+48.8584+002.2945/",
                  "-metadata", "creation_time=2023-05-01T08:00:00Z")


def test_a_clips_copy_says_faces_were_not_checked_and_the_sound_is_kept(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "beach.mp4", extra=PLACE_AND_TIME)
    assert drop_paths(window.drop_zone, [clip])
    wait_idle(qtbot, window, 1)
    size = window.size()
    select(window, "beach.mp4")
    row = row_named(window, "beach.mp4")
    assert (row.status_word, row.status) == (
        "Partly checked", "Partly checked: faces and marks not checked")
    said = line(window)
    assert said.startswith("Faces and marks were not checked. A copy removes 3 items and keeps"
                           " the sound."), said
    assert "clean" not in said

    show_export_tab(qtbot, window)
    at = rows(window)["beach.mp4"]
    assert cell(window, at, COL_RESULT) == "Ready — faces and marks not checked"
    assert colour(window, at) == CAUTION
    assert cell(window, at, COL_KEPT) == "1: sound"

    export(qtbot, window, tmp_path / "out")
    QApplication.processEvents()  # paints the table: the Kept cell raised KeyError here
    (result,) = window.exporter.results.results
    assert result.verified and result.kept == ("sound",)
    at = rows(window)["beach.mp4"]
    said = str(cell(window, at, COL_RESULT))
    assert said == "Faces and marks not checked — metadata removed, verified", said
    assert colour(window, at) == CAUTION
    assert cell(window, at, COL_KEPT) == "1: sound"
    # As the plan said (test_export_removed_words): the blocks are in its tooltip.
    assert cell(window, at, COL_REMOVED) == "3: location, date and time, software"
    assert "kept: sound" in str(cell(window, at, COL_RESULT, DETAIL_ROLE))
    assert status_cell(window, "beach.mp4") == ("Saved — not checked", CAUTION)
    summary = "0 verified clean · 1 not checked for faces or marks"
    assert window.export_pane.summary.text().splitlines()[0] == summary
    assert window.size() == size  # nothing above pushed the window wider or taller


def test_a_clip_waiting_for_its_second_pass_never_says_faces_are_being_checked(
    qtbot, held_window, tmp_path: Path
) -> None:
    # Held, the pixel pass of a big batch: the clip's row said "Checking faces, marks…" and
    # its findings "Faces: not checked yet." for minutes, then "Partly checked: faces and
    # marks not checked" — a check promised that is never made for a clip.
    window: MainWindow
    window, pool = held_window
    clip = make_clip(tmp_path / "beach.mp4", extra=PLACE_AND_TIME)
    photo = gradient_jpeg(tmp_path / "photo.jpg")
    window.add_paths([clip, photo])
    qtbot.waitUntil(lambda: len(window.session.model.rows) == 2 and all(
        r.state is RowState.CHECKING_PIXELS for r in window.session.model.rows), timeout=10_000)
    row = row_named(window, "beach.mp4")
    assert (row.status_word, row.status) == ("Reading…", "Reading…")
    still = row_named(window, "photo.jpg")  # a photo's faces are being checked
    assert (still.status_word, still.status) == (
        "Checking faces, marks…", "Checking for faces and marks…")
    select(window, "beach.mp4")
    qtbot.waitUntil(lambda: window.detail.key == row.key, timeout=10_000)
    shown = panel_lines(window)
    assert "Faces: not checked." in shown and not any("yet" in s for s in shown), shown

    pool.release()
    wait_idle(qtbot, window, 2)
    assert (row.status_word, row.status) == (
        "Partly checked", "Partly checked: faces and marks not checked")
    assert "Faces: not checked." in panel_lines(window)


def test_a_bare_clip_waiting_is_not_still_being_checked(tmp_path: Path) -> None:
    # With nothing found yet, a photo's pane says "still checking faces and marks"; a clip's
    # says what its row will say once done: not everything could be checked.
    clip = make_clip(tmp_path / "bare.mov", sound=False, fmt="mov")
    report = dataclasses.replace(audit_file(clip, metadata_only=True), findings=())
    title = nothing_found_title(report, RowState.CHECKING_PIXELS)
    assert title == "Nothing found, but not everything could be checked: faces, tattoos and marks"
    photo = dataclasses.replace(report, format="jpeg")
    assert nothing_found_title(photo, RowState.CHECKING_PIXELS) == STILL_CHECKING


def test_a_kept_sound_track_is_named_in_plain_words() -> None:
    # Core's ExportResult.kept holds finding kinds and block names; "sound" is a kind with
    # no export words of its own (export_wording.words raised KeyError on it).
    assert words(("sound", "icc", "location")) == ("sound", "colour profile", "location")


def panel_lines(window: MainWindow) -> list[str]:
    """Every line the findings panel shows."""
    return [label.text() for label in window.detail.findings.findChildren(QLabel)
            if label.isVisibleTo(window.detail)]
