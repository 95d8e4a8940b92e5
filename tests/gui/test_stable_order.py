"""Rows keep their place while checking runs; the list sorts when checking ends (16.3)."""

from __future__ import annotations

from pathlib import Path

from tests.factories.gui_photos import many_jpegs, plain_png
from tests.gui.helpers import drop_paths, select, wait_idle
from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import COL_RISK, ROW_ROLE
from veil.gui.states import BADGES


def _order(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return [proxy.data(proxy.index(r, 0), ROW_ROLE).key for r in range(proxy.rowCount())]


def test_order_is_stable_while_checking_and_sorted_after(
    qtbot, threaded_window: MainWindow, tmp_path: Path
) -> None:
    window = threaded_window
    roll = tmp_path / "roll"
    roll.mkdir()
    for i in range(20):  # plain photos first on disk: they sort last by risk when done
        plain_png(roll / f"a_plain_{i:03d}.png")
    many_jpegs(roll, 60)  # risky: High
    (roll / "notes.txt").write_text("not a photo\n")  # listed apart as soon as it is read
    snapshots: list[list[str]] = []
    window.session.reports_updated.connect(lambda _keys: snapshots.append(_order(window)))
    assert drop_paths(window.drop_zone, [roll])
    qtbot.waitUntil(lambda: window.proxy.rowCount() > 5, timeout=20_000)
    select(window, window.proxy.index(0, 1).data())
    selected = window.table.currentIndex().data(ROW_ROLE).key
    notes = str((roll / "notes.txt").resolve())
    qtbot.waitUntil(
        lambda: (row := window.session.model.row_for_key(notes)) is not None
        and row.not_for_veil,
        timeout=60_000,
    )
    if window.session.auditing:
        assert notes not in _order(window)  # gone from "All photos" while checking runs
    wait_idle(qtbot, window, rows=81, timeout=60_000)
    assert notes not in _order(window)

    assert len(snapshots) > 3, "results arrived in one go: the test saw no checking phase"
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        # Rows already shown keep their order; new rows only ever come after them.
        # (notes.txt leaves the list once it is known not to be a photo).
        kept = [k for k in before if k != notes]
        assert [k for k in after if k != notes][: len(kept)] == kept
    # Checking ended: sorted by risk (most urgent first), the selection still in view.
    ranks = [
        BADGES[window.proxy.data(window.proxy.index(r, COL_RISK), ROW_ROLE).badge].rank
        for r in range(window.proxy.rowCount())
    ]
    assert ranks == sorted(ranks, reverse=True)
    current = window.table.currentIndex()
    assert current.data(ROW_ROLE).key == selected
    assert window.table.viewport().rect().intersects(window.table.visualRect(current))
