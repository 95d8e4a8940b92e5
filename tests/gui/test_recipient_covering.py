""""What a recipient will see" is the copy as written, with the export's options as set.

Unticking "Cover the faces and marks marked “Covered”" (Export tab) wrote copies with no
cover, while the recipient's view still drew the ticked boxes solid black, its tool tip said
"covers drawn as in the file" and the counts under it "2 covered" (reviewer's finding on a
tattoo photo: the copy showed the tattoo in full). Before writing, the export table's row
said "Ready: covers 1 area" and only once written "— still shows 2 possible marks".
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.gui.helpers import assert_view_is_the_copy, export_copy, mean, recipient_pixels
from tests.gui.test_overlays import gradient_jpeg
from tests.gui.test_review import finding, open_first, show
from veil.core.model import FindingKind, Region
from veil.gui.main_window import MainWindow
from veil.gui.models.export_results import COL_RESULT
from veil.gui.widgets.preview_box import RECIPIENT_TIP

FACE = Region(160, 50, 60, 70)
MARK = Region(300, 200, 40, 30)  # small and confident: ticked "Cover" by default


def lightness(image: Image.Image, region: Region) -> float:
    """Mean lightness (0-255) inside ``region``."""
    crop = image.crop((region.x, region.y, region.x + region.w, region.y + region.h))
    return mean(crop.histogram())


def test_covering_off_the_recipient_sees_no_cover_as_in_the_written_copy(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    key = show(
        window,
        gradient_jpeg(tmp_path / "arm.jpg"),
        finding(FindingKind.FACE, FACE, 0.9),
        finding(FindingKind.TATTOO, MARK, 0.97),
    )
    open_first(qtbot, window)
    assert [b.accepted for b in window.session.redactions[key]] == [True, True]
    preview, canvas = window.detail.preview, window.detail.canvas
    window.detail.tabs.setCurrentWidget(window.export_pane)
    window.export_pane.cover.setChecked(False)
    window.detail.tabs.setCurrentIndex(0)
    preview.recipient.setChecked(True)
    assert canvas.recipient_view
    # The boxes stay ticked, but no cover is drawn where they are: the picture shows.
    shot = canvas.grab().toImage()
    for region in (FACE, MARK):
        point = canvas._to_widget(region).center().toPoint()
        assert shot.pixelColor(point).lightness() > 40, region
    view = recipient_pixels(window)
    assert lightness(view, FACE) > 40 and lightness(view, MARK) > 40
    assert not canvas.covering
    # The words around it say the same: nothing covered, faces and marks left visible.
    assert preview.recipient.toolTip() != RECIPIENT_TIP
    assert "nothing is covered" in preview.recipient.toolTip()
    assert "none covered" in preview.covers.text() and "2 covered" not in preview.covers.text()
    assert "none covered" in window.detail.findings.counts_text
    assert window.detail.copy_line.text().startswith(
        "A copy leaves 1 face and 1 possible mark visible"
    )
    # ... and the row says so before anything is written.
    window.detail.tabs.setCurrentWidget(window.export_pane)
    results = window.exporter.results
    ready = "Ready — will still show 1 face and 1 possible mark"
    qtbot.waitUntil(lambda: results.index(0, COL_RESULT).data() == ready, timeout=5_000)
    assert "1 copy will show a face left uncovered" in window.export_pane.plan_note.text()

    copy = export_copy(qtbot, window, tmp_path / "clean")
    assert lightness(copy, FACE) > 40 and lightness(copy, MARK) > 40
    assert_view_is_the_copy(view, copy)

    # Ticked again, the covers come back in the view (and its words).
    window.detail.tabs.setCurrentIndex(0)
    window.export_pane.cover.setChecked(True)
    assert canvas.covering and preview.recipient.toolTip() == RECIPIENT_TIP
    assert lightness(recipient_pixels(window), FACE) < 10
    assert "1 face, 1 covered" in preview.covers.text()
