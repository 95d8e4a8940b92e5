"""A written copy says which areas of its picture were covered: after writing, a copy
whose faces (or a pot taken for a face) now carry black boxes read only "Verified clean
(re-encoded)", though its plan had said "covers 2 areas" before writing. The Result cell
counts them, its tooltip and "Copy details" say what they hide, and the summary counts the
copies with covered areas."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt

from tests.gui.helpers import checked
from tests.gui.test_export_caution import face_and_arm, portrait, rows, untick
from tests.gui.test_export_review import cell, export, show_export_tab
from veil.core.model import ExportOptions, Finding, FindingKind, Region, Severity
from veil.gui.export_tasks import ExportSummary
from veil.gui.main_window import MainWindow
from veil.gui.models.export_plan import plan_row
from veil.gui.models.export_results import COL_RESULT, DETAIL_ROLE
from veil.gui.models.export_wording import covered_words

TIP = Qt.ItemDataRole.ToolTipRole


def test_a_written_copy_says_how_many_areas_it_covered_and_what_they_hide(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    face_and_arm(window, tmp_path)  # face.jpg: a face; arm.jpg: a possible mark
    portrait(window, tmp_path / "open.jpg")
    untick(window, str((tmp_path / "open.jpg").resolve()))
    Image.new("RGB", (60, 40), (9, 9, 9)).save(tmp_path / "plain.png")
    window.session.show_report(tmp_path / "plain.png", checked(tmp_path / "plain.png"))
    show_export_tab(qtbot, window)
    qtbot.waitUntil(lambda: "will show" in window.export_pane.plan_note.text(), timeout=5_000)
    at = rows(window)
    assert cell(window, at["face.jpg"], COL_RESULT) == "Ready: covers 1 area"  # the plan's

    export(qtbot, window, tmp_path / "out")
    at = rows(window)
    said = {name: str(cell(window, r, COL_RESULT)) for name, r in at.items()}
    # The same count as before writing, after "Verified clean" (its colour keys on it).
    assert said["face.jpg"] == "Verified clean · 1 area covered (re-encoded)", said
    assert said["arm.jpg"] == "Verified clean · 1 area covered (re-encoded)", said
    assert said["plain.png"] == "Verified clean"  # nothing covered: nothing said
    assert said["open.jpg"].startswith("Still shows 1 face") and "covered" not in said["open.jpg"]
    # Which: the tooltip and "Copy details".
    tip = str(cell(window, at["face.jpg"], COL_RESULT, TIP))
    assert "1 area covered" in tip and "black box over 1 face" in tip, tip
    detail = str(cell(window, at["arm.jpg"], 0, DETAIL_ROLE))
    assert "black box over 1 possible mark" in detail, detail
    # The summary counts the copies with black boxes in them.
    summary = window.export_pane.summary.text()
    assert "3 verified clean" in summary and "2 with covered areas" in summary, summary


def test_the_plan_names_each_cover_by_what_it_hides(tmp_path: Path) -> None:
    # A group photo: 2 faces covered, one left open, a possible mark and a box drawn by hand.
    path = tmp_path / "group.png"
    Image.new("RGB", (400, 300), (90, 90, 90)).save(path)
    faces = [Region(10, 10, 40, 40), Region(100, 10, 40, 40), Region(200, 10, 40, 40)]
    mark = Region(10, 200, 50, 50)
    found = [Finding(FindingKind.FACE, Severity.HIGH, "A face", "pixels", region=r,
                     confidence=0.9) for r in faces]
    found.append(Finding(FindingKind.TATTOO, Severity.MEDIUM, "A mark", "pixels", region=mark,
                         confidence=0.5))
    report = dataclasses.replace(checked(path), findings=tuple(found))
    drawn = Region(300, 200, 60, 60)
    # A cover a little larger than the face it hides (moved on the preview) still counts.
    covers = (Region(5, 5, 50, 50), faces[1], mark, drawn)
    plan = plan_row("k", path, report, ExportOptions(redactions=covers))
    assert plan.covers == 4
    assert plan.covered == ("2 faces", "1 possible mark", "1 area you drew")
    assert plan.uncovered == ("1 face",)
    assert covered_words(plan) == (
        "black boxes over 2 faces, 1 possible mark and 1 area you drew")
    assert plan_row("k", path, report, ExportOptions()).covered == ()


def test_the_summary_words_for_covered_copies() -> None:
    assert ExportSummary(3, 3, 0, False).text() == "3 verified clean"
    assert ExportSummary(30, 30, 0, False, covered=1).text() == (
        "30 verified clean · 1 with covered areas")
    assert ExportSummary(3, 3, 0, False, shows=1, covered=3).text() == (
        "2 verified clean · 1 still shows a face · 3 with covered areas")
