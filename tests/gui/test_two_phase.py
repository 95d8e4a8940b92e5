"""Metadata first, pixels second: a row never says "None found" before its pixel checks ran."""

from __future__ import annotations

from pathlib import Path

from tests.factories.gui_photos import plain_png, risky_jpeg
from tests.gui.helpers import row_named, select
from veil.core.model import ExportOptions
from veil.gui.models.findings import NOTHING_FOUND, STILL_CHECKING
from veil.gui.states import Badge, RowState, every_check_ran


def test_rows_say_checking_until_pixel_checks_ran(qtbot, held_window, tmp_path: Path) -> None:
    window, pool = held_window
    risky_jpeg(tmp_path / "risky.jpg")
    plain_png(tmp_path / "plain.png")
    window.add_paths([tmp_path])
    qtbot.waitUntil(lambda: len(pool.held) >= 1, timeout=5000)
    qtbot.waitUntil(
        lambda: all(r.state is RowState.CHECKING_PIXELS for r in window.session.model.rows),
        timeout=5000,
    )
    plain, risky = row_named(window, "plain.png"), row_named(window, "risky.jpg")
    assert plain.badge is Badge.CHECKING  # metadata found nothing, but faces are not checked
    assert plain.summary == ""
    assert risky.badge is Badge.HIGH  # metadata findings show at once
    assert "Location" in risky.summary
    assert window.session.auditing
    # Export can't cover faces not found yet: it waits, unless covering is switched off.
    keys = window.keys_for("all")
    tasks, problem = window.exporter.plan(keys, tmp_path / "out", ExportOptions(), True)
    assert tasks == () and problem is not None and "still being checked" in problem
    tasks, problem = window.exporter.plan(keys, tmp_path / "out", ExportOptions(), False)
    assert problem is None and len(tasks) == 2
    # The findings pane agrees with the badge: no "nothing found" while faces are pending.
    select(window, "plain.png")
    findings = window.detail.findings
    qtbot.waitUntil(lambda: STILL_CHECKING in findings.texts(), timeout=5000)
    assert NOTHING_FOUND not in findings.texts()

    with qtbot.waitSignal(window.session.audits_finished, timeout=10_000):
        pool.release()
    assert plain.state is RowState.DONE
    assert plain.report is not None and plain.full_report
    if every_check_ran(plain.report):  # a plain PNG: nothing to find
        assert plain.badge is Badge.NONE
        qtbot.waitUntil(lambda: NOTHING_FOUND in findings.texts(), timeout=5000)
    else:  # a pixel model missing from this tree: never "nothing found", and says which
        assert plain.badge is Badge.UNKNOWN
        qtbot.waitUntil(
            lambda: any("not everything could be checked" in t for t in findings.texts()),
            timeout=5000,
        )
        assert NOTHING_FOUND not in findings.texts()
    assert STILL_CHECKING not in findings.texts()
