"""The whole story on real detectors: faces are boxed, one is rejected, export covers the rest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt

from tests.factories.basic import gps_serial_exif
from tests.factories.faces import group_photo
from tests.gui.helpers import drop_paths, wait_idle
from veil.core.detectors import pixel_detectors
from veil.core.model import CheckStatus, FindingKind
from veil.gui.main_window import MainWindow


def box_pixels(path: Path, region) -> np.ndarray:  # type: ignore[no-untyped-def]
    with Image.open(path) as im:
        arr = np.asarray(im.convert("RGB"), dtype=np.int16)
    return arr[region.y : region.y + region.h, region.x : region.x + region.w]


def test_faces_found_one_rejected_export_covers_the_others(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # The face model ships with the repo: if it does not load, that is a failure, not a skip.
    (detector,) = [d for d in pixel_detectors() if d.id == "faces"]
    assert detector.available() is CheckStatus.DONE, "the face detector does not load"
    image, _ = group_photo((900, 600), [(60, 150, 150), (520, 140, 160)])
    photo = tmp_path / "friends.jpg"
    image.save(photo, quality=92, exif=gps_serial_exif())
    drop_paths(window.drop_zone, [photo])
    wait_idle(qtbot, window, rows=1)
    row = window.session.model.rows[0]
    assert row.report is not None
    faces = [f for f in row.report.findings if f.kind is FindingKind.FACE]
    assert len(faces) >= 2
    key = row.key
    boxes = window.session.redactions[key]
    assert len(boxes) >= 2 and all(b.accepted for b in boxes)

    window.select_first()
    canvas = window.detail.canvas
    qtbot.waitUntil(lambda: canvas.has_picture, timeout=10_000)
    rejected = boxes[0].region
    center = canvas._to_widget(rejected).center().toPoint()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=center)
    assert window.session.redactions[key][0].accepted is False
    kept = [b.region for b in window.session.redactions[key] if b.accepted]

    out = tmp_path / "clean"
    out.mkdir()
    window.export_pane.ask_folder = lambda: out
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        window.export_pane.start("all")
    (result,) = window.exporter.results.results
    assert result.verified, result.error
    assert result.output is not None
    for region in kept:  # solid, opaque fill: one colour all over the face
        assert box_pixels(result.output, region).std() < 3
    assert box_pixels(result.output, rejected).std() > 10  # the rejected face is untouched
