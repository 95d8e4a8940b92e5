"""Every risk pill fits the Risk column whole. "None found" (125 px in DejaVu Sans, drawn
3 px in) lost its rounded right end in the 126 px column, at 1280 and at 1024 px wide."""

from __future__ import annotations

from veil.gui.main_window import MainWindow
from veil.gui.models.file_table import COL_RISK
from veil.gui.states import Badge
from veil.gui.widgets.badges import cell_width


def test_every_badge_fits_the_risk_column(window: MainWindow) -> None:
    for size in ((1280, 800), (1024, 700)):
        window.resize(*size)
        column = window.table.horizontalHeader().sectionSize(COL_RISK)
        font = window.table.font()
        for badge in Badge:
            assert cell_width(badge, font) <= column, (badge, size)
