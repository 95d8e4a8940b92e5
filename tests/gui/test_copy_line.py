"""The detail pane's "A clean copy removes N items (…) and keeps …" line: the export table's
own plan for the selected photo, following the export options and the boxes (issue 16
item 10)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.factories.export import dirty_jpeg
from tests.gui.helpers import checked, drop_paths, row_named, wait_idle
from tests.gui.test_export_review import cell, show_export_tab
from veil.core.model import PIXEL_KINDS, Finding, FindingKind, Region, Severity
from veil.gui.main_window import MainWindow
from veil.gui.models.export_plan import PlanRow
from veil.gui.models.export_results import COL_KEPT, COL_REMOVED
from veil.gui.models.export_wording import copy_line

NAME = "IMG_20240714_184210.jpg"  # a date in the name: a revealing file name


def line(window: MainWindow) -> str:
    """The line's full text once made; what is on screen is its start, on one line."""
    for _ in range(200):  # its plan may be made off the GUI thread
        if not window.detail.settling:
            break
        QTest.qWait(10)
    assert not window.detail.settling
    label = window.detail.copy_line
    full = label.full_text()
    assert label.isVisibleTo(window.detail) == bool(full)
    shown = label.text()
    assert shown == full or (shown.endswith("…") and full.startswith(shown[:-1]))
    assert label.height() < 2 * label.fontMetrics().height()
    return full


def back_to_review(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.detail.tabs.setCurrentIndex(0)


def test_the_detail_line_is_the_export_plan_of_the_selected_photo(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    photo = tmp_path / NAME
    photo.write_bytes(dirty_jpeg(orientation=6))
    assert drop_paths(window.drop_zone, [photo])
    wait_idle(qtbot, window, 1)
    window.select_first()
    row = row_named(window, NAME)
    assert row.report is not None
    qtbot.waitUntil(lambda: window.detail.canvas.has_picture, timeout=10_000)
    metadata = [f for f in row.report.findings if f.kind not in PIXEL_KINDS]
    named = sum(f.kind is FindingKind.FILENAME for f in metadata)
    assert named == 1 and len(metadata) > 5

    # Default options keep the names: every metadata finding but the name is removed.
    text = line(window)
    assert text.startswith(
        f"A clean copy removes {len(metadata) - named} items and keeps the revealing file"
        " name, colour profile and orientation tag. Removed: location, "
    )
    assert "covers" not in text
    assert "date and time" in window.detail.copy_line.toolTip()

    # The same words as the export table's row for this photo.
    show_export_tab(qtbot, window)
    removed = str(cell(window, 0, COL_REMOVED)).split(": ", 1)[1].split(", ")
    kept = str(cell(window, 0, COL_KEPT)).split(": ", 1)[1].split(", ")
    assert text.endswith(f" Removed: {', '.join(removed)}.")
    assert kept == ["revealing file name", "colour profile", "orientation tag"]
    # So the pane's intro may not say a copy drops "everything else" (it said so).
    intro = window.export_pane.intro.text()
    assert "everything else" not in intro and "(see Kept)" in intro

    # Neutral names and rotated pixels: the name goes too, the orientation tag is not kept.
    pane = window.export_pane
    pane.rename.setCurrentIndex(pane.rename.findData("neutral"))
    pane.orientation.setCurrentIndex(pane.orientation.findData(True))
    back_to_review(qtbot, window)
    text = line(window)
    assert text.startswith(f"A clean copy removes {len(metadata)} items, turns the picture"
                           " upright and keeps the colour profile. Removed: ")
    assert "revealing file name" in text.split("Removed: ")[1]

    # A box drawn on the preview is counted as covered.
    canvas = window.detail.canvas
    a = canvas._to_widget(Region(10, 10, 1, 1)).topLeft().toPoint()
    b = a + QPoint(40, 30)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(canvas, pos=b)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=b)
    assert (f"{len(metadata)} items, covers 1 area, turns the picture upright and keeps"
            " the colour profile.") in line(window)
    # Unticking "Cover…" in the export pane: nothing is covered.
    window.detail.tabs.setCurrentWidget(pane)
    pane.cover.setChecked(False)
    back_to_review(qtbot, window)
    assert "covers" not in line(window)

    window.table.clearSelection()
    window.detail.show_row(None)
    assert line(window) == "" and window.detail.copy_line.toolTip() == ""


def test_copy_line_wording() -> None:
    def plan(removes: tuple[str, ...], items: int, keeps: tuple[str, ...], covers: int) -> PlanRow:
        return PlanRow("k", Path("p.jpg"), removes, keeps, items, covers, 0.01, False)

    assert copy_line(plan(("location",), 1, ("colour profile",), 0)) == (
        "A clean copy removes 1 item and keeps the colour profile. Removed: location."
    )
    four = ("location", "date and time", "camera or phone", "software")
    assert copy_line(plan(four, 9, (), 2)) == (
        "A clean copy removes 9 items and covers 2 areas."
        " Removed: location, date and time, camera or phone…"
    )
    assert copy_line(plan(four, 9, ("a", "b", "c"), 1), named=4).endswith(
        "covers 1 area and keeps the a, b and c. Removed: location, date and time,"
        " camera or phone, software."
    )
    assert copy_line(plan((), 0, ("sound",), 0)) == (
        "A clean copy has nothing flagged to remove and keeps the sound."
    )
    assert copy_line(dataclasses.replace(plan((), 0, (), 0), uncovered=("1 possible mark",))) == (
        "A copy leaves 1 possible mark visible and has nothing flagged to remove."
    )


def test_the_line_says_what_the_copy_leaves_uncovered(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # A tattoo photo with no metadata said "A clean copy has nothing flagged to remove.",
    # though the copy shows the mark: it reads as if the copy were safe to share (and a
    # copy that shows one is not "clean" either: "A copy leaves 1 possible mark visible").
    photo = tmp_path / "arm.jpg"
    Image.linear_gradient("L").resize((400, 300)).convert("RGB").save(photo, quality=90)
    base = checked(photo)  # faces and marks looked for (else the line says they were not)
    face = Finding(FindingKind.FACE, Severity.HIGH, "A face", "pixels",
                   region=Region(20, 20, 60, 70), confidence=0.95)
    mark = Finding(FindingKind.TATTOO, Severity.MEDIUM, "Possible tattoo or birthmark",
                   "pixels", region=Region(200, 100, 80, 60), confidence=0.31)
    key = str(photo.resolve())
    window.session.show_report(
        photo, dataclasses.replace(base, findings=(*base.findings, face, mark))
    )
    window.select_first()
    qtbot.waitUntil(lambda: window.detail.canvas.has_picture, timeout=10_000)
    boxes = window.session.redactions[key]
    assert [(b.origin, b.accepted) for b in boxes] == [("face", True), ("tattoo", False)]
    assert line(window).startswith(
        "A copy leaves 1 possible mark visible, has nothing flagged to remove and"
        " covers 1 area."
    )

    window.session.set_redactions(key, (boxes[0], boxes[1].toggled()))
    assert "covers 2 areas" in line(window) and "visible" not in line(window)
    # A box moved mostly off the mark no longer hides it.
    moved = boxes[1].toggled().with_region(Region(250, 100, 80, 60))
    window.session.set_redactions(key, (boxes[0], moved))
    assert line(window).startswith("A copy leaves 1 possible mark visible, has")

    window.detail.tabs.setCurrentWidget(window.export_pane)
    window.export_pane.cover.setChecked(False)
    back_to_review(qtbot, window)
    assert line(window).startswith("A copy leaves 1 face and 1 possible mark visible")
