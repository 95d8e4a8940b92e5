"""A row whose copy will still show a face or a possible mark is drawn as a caution, before
writing and after: it was drawn in the table's green (and, once written, with the green
"verified" shield) like a copy that hid everything, though its words said "Ready — will
still show 1 face". Veil must never look clean when it is not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from tests.factories.basic import gps_serial_exif
from tests.factories.faces import ASTRONAUT_FACE, astronaut
from tests.factories.marks import tattoo_photo
from tests.gui.helpers import checked
from tests.gui.test_export_review import cell, export, show_export_tab
from veil.core.model import Finding, FindingKind, Region, Risk, Severity
from veil.gui.assets import icon
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT, RANK_ROLE, ROW_COLOURS

FG = Qt.ItemDataRole.ForegroundRole
ICON = Qt.ItemDataRole.DecorationRole
CAUTION, OK = QColor(ROW_COLOURS[1]).name(), QColor(ROW_COLOURS[2]).name()


def with_finding(window: MainWindow, path: Path, kind: FindingKind, box: Region) -> str:
    """``path`` listed as audited with one detected ``kind`` at ``box`` (no detector run)."""
    base = checked(path)
    found = Finding(kind, Severity.HIGH, "Found", "pixels", region=box, confidence=0.99)
    report = dataclasses.replace(base, findings=(*base.findings, found), risk=Risk.HIGH)
    window.session.show_report(path, report)
    return str(path.resolve())


def portrait(window: MainWindow, path: Path) -> str:
    """The astronaut portrait (with GPS and a serial number) and its face."""
    astronaut().save(path, quality=92, exif=gps_serial_exif())
    x1, y1, x2, y2 = (int(v) for v in ASTRONAUT_FACE)
    return with_finding(window, path, FindingKind.FACE, Region(x1, y1, x2 - x1, y2 - y1))


def untick(window: MainWindow, key: str) -> None:
    """Untick every Cover box of ``key``, as the findings panel does."""
    boxes = window.session.redactions[key]
    window.session.set_redactions(key, tuple(b.toggled() for b in boxes))


def rows(window: MainWindow) -> dict[str, int]:
    model = window.export_pane.results.proxy
    return {str(cell(window, r, 0)): r for r in range(model.rowCount())}


def colour(window: MainWindow, row: int) -> str:
    """The Result cell's text colour (the Status delegate and the view paint it)."""
    value = cell(window, row, COL_RESULT, FG)
    assert isinstance(value, QColor)
    return value.name()


def test_a_face_left_showing_is_a_caution_before_and_after_writing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    shown = portrait(window, tmp_path / "shown.jpg")
    portrait(window, tmp_path / "covered.jpg")
    untick(window, shown)
    show_export_tab(qtbot, window)
    note = window.export_pane.plan_note
    qtbot.waitUntil(lambda: "will show" in note.text(), timeout=5_000)
    at = rows(window)
    assert cell(window, at["shown.jpg"], COL_RESULT) == "Ready — will still show 1 face"
    assert colour(window, at["shown.jpg"]) == CAUTION
    assert cell(window, at["shown.jpg"], 0, RANK_ROLE) == 1  # sorted with rows to look at
    assert colour(window, at["covered.jpg"]) == OK
    assert at["shown.jpg"] < at["covered.jpg"]  # Result sorts cautions first

    export(qtbot, window, tmp_path / "out")
    assert all(r.verified for r in window.exporter.results.results)
    at = rows(window)
    assert str(cell(window, at["shown.jpg"], COL_RESULT)).startswith("Still shows 1 face")
    assert colour(window, at["shown.jpg"]) == CAUTION
    assert colour(window, at["covered.jpg"]) == OK
    # Not the green "verified" shield: the caution sign.
    marks = {name: cell(window, r, COL_RESULT, ICON) for name, r in rows(window).items()}
    assert marks["shown.jpg"].cacheKey() == icon("caution-dark").cacheKey()
    assert marks["covered.jpg"].cacheKey() == icon("verified-dark").cacheKey()
    assert not icon("caution-dark").isNull()
    # It is listed with the copies to look at, not among those that are all well.
    proxy = window.export_pane.results.proxy
    proxy.set_rank(2)  # "Verified only"
    assert [cell(window, r, 0) for r in range(proxy.rowCount())] == ["covered.jpg"]
    proxy.set_rank(0)  # "Problems only"
    assert [cell(window, r, 0) for r in range(proxy.rowCount())] == ["shown.jpg"]


def face_and_arm(window: MainWindow, tmp_path: Path) -> None:
    """Two photos: face.jpg (a portrait and its face) and arm.jpg (a tattoo found on it)."""
    portrait(window, tmp_path / "face.jpg")
    image, (x1, y1, x2, y2) = tattoo_photo((240, 320))
    image.save(tmp_path / "arm.jpg", quality=92)
    with_finding(window, tmp_path / "arm.jpg", FindingKind.TATTOO,
                 Region(x1, y1, x2 - x1, y2 - y1))


def test_covering_off_makes_every_face_and_mark_a_caution(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    face_and_arm(window, tmp_path)
    show_export_tab(qtbot, window)
    qtbot.waitUntil(lambda: "covers 1 area" in str(cell(window, 0, COL_RESULT)), timeout=5_000)
    assert {colour(window, r) for r in rows(window).values()} == {OK}  # both covered
    window.export_pane.cover.setChecked(False)
    said = "1 copy will show a face and 1 a possible mark left uncovered"  # counted by what
    qtbot.waitUntil(lambda: said in window.export_pane.plan_note.text(), timeout=5_000)
    at = rows(window)
    assert cell(window, at["arm.jpg"], COL_RESULT) == "Ready — will still show 1 possible mark"
    assert {colour(window, r) for r in at.values()} == {CAUTION}
