"""A file the export will skip (a raw file) offers nothing to cover in the preview: no box
can be drawn, and the hint says, in core's words, that no copy will be made and why.
Before, the preview of a DNG said "Click a box to cover…" and drew boxes no copy would hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gui.helpers import drop_paths, row_named, wait_idle
from tests.gui.test_export_plan import dng
from tests.gui.test_overlays import gradient_jpeg
from tests.gui.test_video_preview import cover_boxes, drag, on_picture, open_row
from veil.core.export.refusal import SkipKind, planned_skip
from veil.gui.main_window import MainWindow
from veil.gui.widgets.preview_box import HINT

SHARED_DNG = (Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
              / "contentauth__c2pa-python" / "tests" / "fixtures" / "C.dng")


def check_no_cover_offered(qtbot, window: MainWindow, name: str) -> None:  # type: ignore[no-untyped-def]
    canvas = open_row(qtbot, window, name)
    # The pane refills 30 ms after the row's report arrives (coalesced updates).
    qtbot.waitUntil(lambda: not window.detail._refresh.isActive(), timeout=5_000)
    row = row_named(window, name)
    planned = planned_skip(row.path, row.report)
    assert planned is not None and planned.kind is SkipKind.RAW  # core's own rule: skipped
    reason = planned.reason
    preview = window.detail.preview
    hint = preview.hint.text()
    assert hint != HINT and "cover a box" not in hint.lower() and "click a box" not in hint.lower()
    assert "No clean copy of this file will be made" in hint and reason.rstrip(".") in hint, hint
    assert not canvas.editable and not preview.recipient.isEnabled()
    drag(qtbot, canvas, on_picture(canvas, 0.2, 0.2), on_picture(canvas, 0.6, 0.6))
    assert canvas.boxes == () and window.session.redactions.get(row.key, ()) == ()
    assert cover_boxes(window) == []


def test_a_raw_file_offers_no_cover(qtbot, window: MainWindow, tmp_path: Path) -> None:
    raw = dng(tmp_path / "C.dng")
    photo = gradient_jpeg(tmp_path / "photo.jpg")
    assert drop_paths(window.drop_zone, [raw, photo])
    wait_idle(qtbot, window, 2)
    check_no_cover_offered(qtbot, window, "C.dng")
    # Back on a photo, covering is offered again.
    canvas = open_row(qtbot, window, "photo.jpg")
    assert canvas.editable and window.detail.preview.hint.text() == HINT
    assert window.detail.preview.recipient.isEnabled()
    drag(qtbot, canvas, on_picture(canvas, 0.2, 0.2), on_picture(canvas, 0.6, 0.6))
    assert len(window.session.redactions[row_named(window, "photo.jpg").key]) == 1


@pytest.mark.skipif(not SHARED_DNG.is_file(), reason="../shared/corpus is absent")
def test_the_corpus_dng_offers_no_cover(qtbot, window: MainWindow, tmp_path: Path) -> None:
    raw = tmp_path / "C.dng"
    shutil.copyfile(SHARED_DNG, raw)  # a copy in a test's folder, never in the repo
    assert drop_paths(window.drop_zone, [raw])
    wait_idle(qtbot, window, 1)
    check_no_cover_offered(qtbot, window, "C.dng")


def test_a_file_too_large_to_show_says_why_without_offering_zoom(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # ../shared-free: a 10001x10001 PNG is skipped as too large and has no preview. Its
    # hint said '… Nothing here can be covered · wheel or +/− to zoom, drag to pan', greyed
    # out like the zoom buttons it described, which were off.
    from PIL import Image

    from tests.gui.helpers import darkest

    big = tmp_path / "big.png"
    Image.new("1", (10001, 10001)).save(big)
    assert drop_paths(window.drop_zone, [big])
    wait_idle(qtbot, window, 1)
    window.select_first()
    qtbot.waitUntil(lambda: not window.detail._refresh.isActive(), timeout=5_000)
    preview = window.detail.preview
    qtbot.waitUntil(lambda: "too large" in preview.hint.text(), timeout=5_000)
    assert not window.detail.canvas.has_picture
    hint = preview.hint.text()
    assert hint.startswith("No clean copy of this file will be made — ")
    assert "zoom" not in hint and "pan" not in hint, hint
    assert preview.hint.isEnabled() and darkest(preview.hint) < 120
