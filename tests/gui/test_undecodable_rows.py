"""A picture no decoder can read finishes its row like any other (issue 12 item 2): the row
must not stay on "Checking for faces..." and says the pixel checks could not run."""

from __future__ import annotations

from pathlib import Path

from tests.factories.undecodable import avif_garbled_planes, jpeg_truncated_exif
from tests.gui.helpers import drop_paths, row_named, wait_idle
from veil.core.model import CheckStatus, Risk
from veil.gui.main_window import MainWindow
from veil.gui.states import RowState


def test_undecodable_rows_finish(qtbot, window: MainWindow, tmp_path: Path) -> None:
    paths = [avif_garbled_planes(tmp_path / "a.avif"), jpeg_truncated_exif(tmp_path / "b.jpg")]
    drop_paths(window.drop_zone, paths)
    wait_idle(qtbot, window, rows=2)
    for path in paths:
        row = row_named(window, path.name)
        assert row.state is RowState.DONE, (path.name, row.state)
        assert row.report is not None
        assert row.report.checks["faces"] is CheckStatus.FAILED
        assert row.report.risk is not Risk.NONE
