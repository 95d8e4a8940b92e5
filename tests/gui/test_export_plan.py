"""The export pane's plan never claims more than the export will try: raw files that core
skips are counted as skipped (core's own rule), and nothing promises a clean copy."""

from __future__ import annotations

from pathlib import Path

from tests.factories import raw as fr
from tests.factories.export import gradient
from tests.gui.helpers import row_named
from tests.gui.test_export_review import cell, export, show_export_tab
from tests.gui.test_overlays import gradient_jpeg
from veil.core.audit import audit_file
from veil.core.model import ExportStatus
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_KEPT, COL_REMOVED, COL_RESULT
from veil.gui.models.file_filter import KIND_FAILED
from veil.gui.states import RowState


def dng(path: Path) -> Path:
    gradient((16, 16)).save(path, format="TIFF", tiffinfo={50706: b"\x01\x04\x00\x00"})
    return path


def raws_and_a_photo(window: MainWindow, folder: Path) -> None:
    folder.mkdir()
    cr3 = folder / "camera.cr3"
    cr3.write_bytes(fr.cr3())
    for path in (gradient_jpeg(folder / "photo.jpg"), dng(folder / "C.dng"), cr3):
        window.session.show_report(path, audit_file(path, metadata_only=True))


def test_the_plan_counts_raw_files_as_skipped(qtbot, window: MainWindow, tmp_path: Path) -> None:
    raws_and_a_photo(window, tmp_path / "album")
    show_export_tab(qtbot, window)
    note = window.export_pane.plan_note.text()
    assert "1 photo ready to export" in note, note
    assert "2 raw files will be skipped (Veil doesn't rewrite raw files)" in note, note
    assert "clean" not in note.lower()  # ready to export, not a promise of the outcome
    rows = {cell(window, r, 0): str(cell(window, r, COL_RESULT)) for r in range(3)}
    assert rows["photo.jpg"].startswith("Ready")
    assert rows["C.dng"].startswith("Will be skipped: raw files are not cleaned")
    assert rows["camera.cr3"].startswith("Will be skipped: raw files are not cleaned")
    # No copy will be written: nothing is removed or kept (it said '0' and '0').
    counts = {cell(window, r, 0): (cell(window, r, COL_REMOVED), cell(window, r, COL_KEPT))
              for r in range(3)}
    assert counts["C.dng"] == counts["camera.cr3"] == ("—", "—")
    assert counts["photo.jpg"][0] != "—"
    key = str((tmp_path / "album" / "C.dng").resolve())
    # The detail pane's line: the pane's plan read the file already, so it is made at once.
    made, line = window.detail.planner(key, lambda _plan: None)
    assert made and line is not None and line.skip and "raw" in line.skip

    # What the plan said is what the export did.
    export(qtbot, window, tmp_path / "out")
    status = {r.source.name: (r.status, r.error) for r in window.exporter.results.results}
    assert status["photo.jpg"][0] is ExportStatus.CLEANED
    for name in ("C.dng", "camera.cr3"):
        assert status[name][0] is ExportStatus.SKIPPED
        assert rows[name] == f"Will be skipped: {status[name][1]}"
        # The list says so too: skipped as planned, not "Clean copy failed" (in red, and
        # among the failed files) as it did before.
        listed = row_named(window, name)
        assert listed.state is RowState.EXPORT_SKIPPED
        assert listed.status == f"No clean copy: {status[name][1]}"
    window.proxy.set_kind(KIND_FAILED)
    assert window.proxy.rowCount() == 0


def test_the_plan_describes_the_button_it_names(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QItemSelectionModel

    from tests.factories.gui_photos import many_jpegs
    from tests.gui.helpers import wait_idle

    window.add_paths(many_jpegs(tmp_path / "roll", 5))
    wait_idle(qtbot, window, rows=5)
    show_export_tab(qtbot, window)
    pane = window.export_pane
    assert len(window.selected_keys()) <= 1  # one row selected on focus means no choice
    qtbot.waitUntil(lambda: pane.plan_note.text().startswith("Export all: 5 photos"))
    assert pane.export_all.objectName() == "PrimaryButton"
    window.table.selectRow(3)  # arrowing through single rows: the plan stays, not redone
    assert not pane._replan.isActive()

    flags = QItemSelectionModel.SelectionFlag
    selection = window.table.selectionModel()
    selection.clearSelection()
    for row in range(3):
        selection.select(window.proxy.index(row, 0), flags.Select | flags.Rows)
    qtbot.waitUntil(lambda: pane.plan_note.text().startswith("Export selected: 3 photos"))
    assert pane.results.model.rowCount() == 3
    assert pane.export_selected.objectName() == "PrimaryButton"
    assert pane.export_all.objectName() != "PrimaryButton"

    selection.clearSelection()
    qtbot.waitUntil(lambda: pane.plan_note.text().startswith("Export all: 5 photos"))
    assert pane.export_all.objectName() == "PrimaryButton"


def test_the_plan_counts_a_picture_too_large_to_clean_as_skipped(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """A PNG over the decode cap: the audit knows its size, so the plan does not promise it a
    copy (before: '2 photos ready to export', then the export skipped it)."""
    from tests.factories.undecodable import png_bomb

    folder = tmp_path / "album"
    folder.mkdir()
    huge = png_bomb(folder / "huge.png", side=10_001)
    for path in (gradient_jpeg(folder / "photo.jpg"), huge):
        window.session.show_report(path, audit_file(path, metadata_only=True))
    show_export_tab(qtbot, window)
    note = window.export_pane.plan_note.text()
    assert "1 photo ready to export" in note and "1 file will be skipped" in note, note
    rows = {cell(window, r, 0): str(cell(window, r, COL_RESULT)) for r in range(2)}
    assert rows["huge.png"] == (
        "Will be skipped: the picture is too large to clean (10001x10001 pixels)"), rows
    export(qtbot, window, tmp_path / "out")
    status = {r.source.name: (r.status, r.error) for r in window.exporter.results.results}
    assert status["photo.jpg"][0] is ExportStatus.CLEANED
    assert status["huge.png"][0] is ExportStatus.SKIPPED
    assert rows["huge.png"] == f"Will be skipped: {status['huge.png'][1]}"


def test_the_plan_says_a_heif_it_cannot_decode_will_not_be_written(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """exiftool's QuickTime.heic was 'Ready', then 'not written: the original's pixels are
    damaged'. Its coded data's structure shows it (a NAL unit runs past its data)."""
    import pytest

    pytest.importorskip("pillow_heif")
    from tests.core.test_export_heif_decode import _damaged_heic

    folder = tmp_path / "album"
    folder.mkdir()
    broken = _damaged_heic(folder / "IMG_0001.HEIC", "length")
    for path in (gradient_jpeg(folder / "photo.jpg"), broken):
        window.session.show_report(path, audit_file(path, metadata_only=True))
    show_export_tab(qtbot, window)
    note = window.export_pane.plan_note.text()
    assert "1 photo ready to export" in note and "1 damaged photo won't be written" in note
    rows = {cell(window, r, 0): str(cell(window, r, COL_RESULT)) for r in range(2)}
    said = "Won't be written: the picture data is damaged, so Veil could not make a clean copy ("
    assert rows["IMG_0001.HEIC"].startswith(said), rows
    export(qtbot, window, tmp_path / "out")
    status = {r.source.name: (r.status, r.error) for r in window.exporter.results.results}
    assert status["photo.jpg"][0] is ExportStatus.CLEANED
    assert status["IMG_0001.HEIC"][0] is ExportStatus.FAILED
    assert str(status["IMG_0001.HEIC"][1]).startswith(
        "the picture data is damaged, so Veil could not make a clean copy (")
    # The file list's Status says "failed" once: not "… failed: … could not make a … copy".
    from tests.gui.helpers import row_named

    said = row_named(window, "IMG_0001.HEIC").status
    assert said.startswith("Clean copy failed: the picture data is damaged ("), said


def test_the_large_cover_question_and_the_table_describe_the_same_photos(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    from tests.gui.helpers import select
    from tests.gui.test_export_review import with_face
    from veil.core.model import Region
    from veil.gui.widgets.export_questions import large_cover_text

    # Seen by a hostile tester: one row selected (no choice, so the table shows "Export
    # all"), then "Export selected": the question said '1 copy will have more than a third
    # of the picture covered' above a table of every photo, two of them large covers.
    big = Region(20, 20, 300, 220)
    for name in ("a.jpg", "b.jpg"):
        with_face(window, gradient_jpeg(tmp_path / name), big)
    with_face(window, gradient_jpeg(tmp_path / "small.jpg"), Region(10, 10, 40, 40))
    show_export_tab(qtbot, window)
    pane = window.export_pane
    qtbot.waitUntil(lambda: pane.results.model.rowCount() == 3)
    assert large_cover_text(2).rstrip(".") in pane.plan_note.text()
    select(window, "a.jpg")
    window.detail.tabs.setCurrentWidget(pane)
    seen: list[tuple[int, list[str], str]] = []

    def ask(count: int) -> str | None:
        names = [str(cell(window, r, 0)) for r in range(pane.results.model.rowCount())]
        seen.append((count, names, pane.plan_note.text()))
        return None  # cancel: nothing is written

    pane.ask_large = ask
    pane.ask_folder = lambda: tmp_path / "out"
    (tmp_path / "out").mkdir()
    pane.start("selected")
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    count, names, note = seen[0]
    assert count == 1 and names == ["a.jpg"], seen
    assert note.startswith("Export selected: 1 photo"), note
    assert large_cover_text(1).rstrip(".") in note, note
    assert list((tmp_path / "out").iterdir()) == []
    # Cancelled: the table goes back to the plan of the button it names.
    qtbot.waitUntil(lambda: pane.results.model.rowCount() == 3, timeout=5_000)
    assert pane.plan_note.text().startswith("Export all: 3 photos"), pane.plan_note.text()
