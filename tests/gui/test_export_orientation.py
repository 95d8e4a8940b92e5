"""A photo with a rotation tag (EXIF orientation 6) and "Keep the orientation tag" chosen:
the plan, the result row and the written copy agree. Covering re-encodes the picture from
its upright pixels, so that copy has no tag (it needs none); the plan said Kept
"1: orientation tag" though the copy written had no tag at all (reviewer's finding)."""

from __future__ import annotations

from pathlib import Path

import exifread
from PIL import Image

from tests.gui.test_export_review import cell, export, show_export_tab, with_face
from veil.core.model import Region
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_KEPT, COL_RESULT, DETAIL_ROLE

STORED = (400, 300)  # as stored; shown upright as 300 x 400


def turned_jpeg(path: Path) -> Path:
    """A JPEG stored on its side with orientation 6 (viewers turn it 90° clockwise)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.linear_gradient("L").resize(STORED).convert("RGB").save(
        path, quality=92, exif=exif.tobytes())
    return path


def tag_of(path: Path) -> str | None:
    """The written file's EXIF Orientation as exifread reads it, or None without one."""
    with path.open("rb") as f:
        tag = exifread.process_file(f, details=False).get("Image Orientation")
    return None if tag is None else str(tag)


def rows(window: MainWindow, col: int, role: int | None = None) -> dict[object, str]:
    args = () if role is None else (role,)
    return {cell(window, r, 0): str(cell(window, r, col, *args)) for r in range(2)}


def _rows_say(window: MainWindow, covered_result: str) -> None:
    """The tagged copy keeps its tag; the covered one is turned upright and says so."""
    kept = rows(window, COL_KEPT)
    assert kept["tagged.jpg"] == "1: orientation tag"
    assert "orientation" not in kept["covered.jpg"], kept
    result = rows(window, COL_RESULT)
    assert result["covered.jpg"] == covered_result
    assert "upright" not in result["tagged.jpg"], result


def test_plan_result_and_copy_agree_on_the_orientation_tag(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    with_face(window, turned_jpeg(tmp_path / "covered.jpg"), Region(40, 60, 80, 80))
    tagged = turned_jpeg(tmp_path / "tagged.jpg")
    with_face(window, tagged, Region(40, 60, 80, 80))
    boxes = window.session.redactions[str(tagged.resolve())]
    window.session.set_redactions(str(tagged.resolve()), tuple(b.toggled() for b in boxes))
    show_export_tab(qtbot, window)
    pane = window.export_pane
    assert pane.form.orientation.currentData() is False  # "Keep the orientation tag"
    _rows_say(window, "Ready: covers 1 area · turned upright, needs no orientation tag")
    assert "turned upright" in rows(window, 0, DETAIL_ROLE)["covered.jpg"]

    export(qtbot, window, tmp_path / "out")
    out = {r.source.name: r.output for r in window.exporter.results.results}
    assert all(out.values()), out
    # What the files hold: the covered copy's pixels stand upright with no tag, the other
    # keeps its pixels on their side and the tag that turns them.
    assert tag_of(out["covered.jpg"]) is None
    with Image.open(out["covered.jpg"]) as im:
        assert im.size == (300, 400)
    assert tag_of(out["tagged.jpg"]) == "Rotated 90 CW"
    with Image.open(out["tagged.jpg"]) as im:
        assert im.size == STORED
    _rows_say(window, "Verified clean · 1 area covered (re-encoded, turned upright, needs no"
              " orientation tag)")
