"""The findings pane says "No identifying metadata found · no faces or marks detected" only
when that is an honest answer: risk none, the row finished, and every check ran. Otherwise it
says what is still pending or what could not be checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from veil.core.model import CheckStatus, FileReport, Risk
from veil.gui.models.file_table import FileRow
from veil.gui.models.findings import NOTHING_FOUND, STILL_CHECKING, findings_view
from veil.gui.states import Badge, RowState
from veil.gui.widgets.findings_panel import FindingsPanel

DONE = CheckStatus.DONE
ALL_DONE = {"metadata": DONE, "location": DONE, "faces": DONE, "marks": DONE}


def clean_report(risk: Risk = Risk.NONE, **checks: CheckStatus) -> FileReport:
    return FileReport(
        path=Path("/photos/plain.png"),
        status="ok",
        error=None,
        format="png",
        width=64,
        height=48,
        orientation=None,
        risk=risk,
        checks={**ALL_DONE, **checks},
    )


def row(report: FileReport, state: RowState) -> FileRow:
    return FileRow(report.path, str(report.path), state=state, report=report, full_report=True)


def test_nothing_found_only_when_done_and_every_check_ran() -> None:
    view = findings_view(clean_report(), state=RowState.DONE)
    assert view.title == NOTHING_FOUND
    assert view.not_checked == ()
    done = row(clean_report(), RowState.DONE)
    assert done.badge is Badge.NONE
    assert done.summary == ("No identifying metadata · no faces or marks detected (detection"
                            " can miss them — look before sharing)")
    assert view.caveat is not None and "text shown in the picture" in view.caveat


@pytest.mark.parametrize("state", [RowState.QUEUED, RowState.READING, RowState.CHECKING_PIXELS])
def test_pending_pixel_checks_say_still_checking(state: RowState) -> None:
    # The metadata pass: faces and marks not run yet (SKIPPED), risk none so far.
    report = clean_report(faces=CheckStatus.SKIPPED, marks=CheckStatus.SKIPPED)
    view = findings_view(report, state=state)
    assert view.title == STILL_CHECKING
    assert "still checking faces and marks" in (view.title or "")
    assert "Faces: not checked yet." in view.not_checked


@pytest.mark.parametrize(
    ("checks", "risk", "words"),
    [
        ({"faces": CheckStatus.FAILED}, Risk.UNKNOWN, "faces"),
        ({"marks": CheckStatus.NOT_AVAILABLE}, Risk.UNKNOWN, "tattoos and marks"),
        ({"faces": CheckStatus.FAILED, "marks": CheckStatus.FAILED}, Risk.UNKNOWN, "faces, tat"),
        ({}, Risk.UNKNOWN, "parts of the file could not be read"),  # an incomplete parse
        ({"faces": CheckStatus.SKIPPED}, Risk.NONE, "faces"),  # e.g. a metadata-only report
    ],
)
def test_failed_or_missing_checks_are_named(
    checks: dict[str, CheckStatus], risk: Risk, words: str
) -> None:
    report = clean_report(risk, **checks)
    view = findings_view(report, state=RowState.DONE)
    assert view.title is not None and view.title != NOTHING_FOUND
    assert view.title.startswith("Nothing found, but not everything could be checked: ")
    assert words in view.title
    shown = row(report, RowState.DONE)
    assert shown.badge is Badge.UNKNOWN  # never the green "None found"
    assert "Nothing identifying" not in shown.summary


def test_cancelled_row_never_says_nothing_found() -> None:
    report = clean_report(faces=CheckStatus.SKIPPED, marks=CheckStatus.SKIPPED)
    view = findings_view(report, state=RowState.CANCELLED)
    assert view.title is not None and "cancelled" in view.title
    assert "faces, tattoos and marks" in view.title
    assert "Faces: not checked." in view.not_checked
    cancelled = row(report, RowState.CANCELLED)
    assert cancelled.badge is Badge.UNKNOWN
    assert "Nothing identifying" not in cancelled.summary


def test_panel_shows_the_row_state_wording(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    pending = clean_report(faces=CheckStatus.SKIPPED, marks=CheckStatus.SKIPPED)
    panel.show_report(pending, state=RowState.CHECKING_PIXELS)
    assert STILL_CHECKING in panel.texts()
    assert NOTHING_FOUND not in panel.texts()
    panel.show_report(dataclasses.replace(pending, checks=ALL_DONE), state=RowState.DONE)
    assert NOTHING_FOUND in panel.texts()
    failed = clean_report(Risk.UNKNOWN, faces=CheckStatus.FAILED)
    panel.show_report(failed, state=RowState.DONE)
    assert NOTHING_FOUND not in panel.texts()
    assert "Faces: the check failed on this file." in panel.texts()


def test_people_heading_without_boxes_has_no_blank_counts_line(qtbot) -> None:  # type: ignore[no-untyped-def]
    from veil.core.model import Finding, FindingKind, Region, Severity
    from veil.gui.redactions import boxes_from_report

    # A clip's sound is listed under 'People & marks'; with no box to cover, the counts
    # line under the heading was an empty label: a blank line (seen on clip.mp4 at 1280x800).
    sound = Finding(FindingKind.SOUND, Severity.MEDIUM, "Contains 2.0 s of sound", "audio")
    report = dataclasses.replace(clean_report(Risk.MEDIUM), findings=(sound,))
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_report(report, state=RowState.DONE)
    assert panel.counts_text == ""
    assert panel._counts is None or not panel._counts.isVisible()
    # A box drawn later (or a face) brings the line back.
    face = Finding(FindingKind.FACE, Severity.HIGH, "A face", "pixels",
                   region=Region(1, 1, 10, 10), confidence=0.9)
    with_face = dataclasses.replace(report, findings=(sound, face))
    panel.show_report(with_face, boxes_from_report(with_face), state=RowState.DONE)
    assert panel._counts is not None and panel._counts.isVisible()
    assert panel.counts_text == "1 face, 1 covered"



def test_not_fully_checked_notes_read_as_sentences(qtbot) -> None:  # type: ignore[no-untyped-def]
    # Core's notes are clauses written to follow a file name; listed alone under "Not fully
    # checked" they started lower-case (hopper_bad_exif.jpg, FotoStation.jpg in ../shared).
    notes = (
        "an EXIF block claims more entries than it holds",
        "this is a DNG raw: its picture is sensor data Veil does not decode.",
        "unknown chunk 'PSAI' (78 bytes) was not understood",
    )
    report = dataclasses.replace(clean_report(Risk.UNKNOWN), notes=notes)
    view = findings_view(report, state=RowState.DONE)
    assert view.not_checked == (
        "An EXIF block claims more entries than it holds.",
        "This is a DNG raw: its picture is sensor data Veil does not decode.",
        "Unknown chunk 'PSAI' (78 bytes) was not understood.",
    )
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.show_report(report, state=RowState.DONE)
    assert "Not fully checked" in panel.texts()
    assert "An EXIF block claims more entries than it holds." in panel.texts()
    # A file that could not be read at all says why in a sentence too.
    damaged = "the picture's coded data is damaged"
    broken = dataclasses.replace(report, status="error", error=damaged)
    assert findings_view(broken).not_checked == ("The picture's coded data is damaged.",)
