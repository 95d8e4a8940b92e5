"""Jobs dropped while queued (Cancel, close) leave the job table, reported once at most."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

from veil.core.cancel import CancelToken
from veil.gui.app import make_app
from veil.gui.audit_queue import PRIO_METADATA, PRIO_PIXELS
from veil.gui.jobs import default_pool
from veil.gui.session import AuditSession


def test_cancel_drops_queued_audits_once_and_keeps_queued_pictures(qtbot, qapp: object) -> None:
    # One pool thread, held by a running audit: everything started after it is queued when
    # Cancel comes. Cleared from the pool's queue, those jobs never said "finished" and
    # stayed in the job table for the rest of the session; queued thumbnails went too.
    make_app()
    pool = default_pool(1)
    session = AuditSession(analysis_pool=pool, export_pool=default_pool(1), processes=False)
    qtbot.waitUntil(lambda: not session.jobs.running, timeout=20_000)  # the warm-up
    gate, holding = threading.Event(), threading.Event()
    finished: Counter[int] = Counter()
    cancelled: dict[int, bool] = {}
    audits_ran: list[int] = []
    thumbs: list[Any] = []

    def on_finished(job_id: int, was_cancelled: bool) -> None:
        finished[job_id] += 1
        cancelled[job_id] = was_cancelled

    def hold(_cancel: object) -> int:
        holding.set()
        gate.wait(10)
        return 0

    try:
        held = session.start_job("pixels", hold, PRIO_PIXELS, on_finished=on_finished)
        assert held is not None and holding.wait(10)
        audits = []
        for i in range(40):
            job = session.start_job(
                "metadata" if i % 2 else "pixels",
                lambda _c, i=i: audits_ran.append(i),
                PRIO_METADATA if i % 2 else PRIO_PIXELS,
                on_finished=on_finished,
            )
            assert job is not None
            audits.append(job.job_id)
        for i in range(5):  # with their own token, as Pictures starts them
            session.start_job(
                "thumb",
                lambda _c, i=i: f"thumb {i}",
                2,
                token=CancelToken(),
                on_results=lambda _id, batch: thumbs.extend(batch),
            )
        assert len(session.jobs.running) == 46

        session.cancel_audits()
        assert not session.auditing  # at once, though one audit still runs
        # The 40 queued audits are off the table and reported once, cancelled.
        assert all(finished[j] == 1 and cancelled[j] for j in audits)
        assert held.job_id not in finished
    finally:
        gate.set()
    assert pool.waitForDone(10_000)
    qtbot.waitUntil(lambda: not session.jobs.running, timeout=5000)
    qtbot.wait(50)  # anything still queued to the GUI thread is delivered now
    assert audits_ran == []  # a dropped job never runs
    assert finished[held.job_id] == 1 and cancelled[held.job_id]
    assert set(finished.values()) == {1}  # nothing reported twice
    assert sorted(thumbs) == [f"thumb {i}" for i in range(5)]  # pictures survive a Cancel
    session.shutdown(5000)
    session.deleteLater()


def test_close_drops_queued_jobs_from_the_table_without_reporting_them(qtbot, qapp: object) -> None:
    make_app()
    pool = default_pool(1)
    session = AuditSession(analysis_pool=pool, export_pool=default_pool(1), processes=False)
    qtbot.waitUntil(lambda: not session.jobs.running, timeout=20_000)
    gate, holding = threading.Event(), threading.Event()
    finished: list[int] = []
    ran: list[int] = []

    def hold(_cancel: object) -> int:
        holding.set()
        gate.wait(10)
        return 0

    held = session.start_job("thumb", hold, 2, on_finished=lambda j, _c: finished.append(j))
    assert held is not None and holding.wait(10)
    for i in range(20):
        session.start_job(
            "thumb", lambda _c, i=i: ran.append(i), 2, on_finished=lambda j, _c: finished.append(j)
        )
    threading.Timer(0.2, gate.set).start()
    session.shutdown(5000)
    # Only the job that was running is left, until its own "finished" arrives.
    assert list(session.jobs.running) == [held.job_id]
    qtbot.waitUntil(lambda: not session.jobs.running, timeout=5000)
    qtbot.wait(20)
    assert ran == [] and finished == [held.job_id]
    session.deleteLater()


def test_a_drop_of_files_already_listed_says_so(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Dropping a camera-roll folder again changed nothing on screen and said nothing: a
    hostile reviewer could not tell whether the drop was taken."""
    from tests.factories.gui_photos import many_jpegs
    from tests.gui.helpers import drop_paths, wait_idle

    photos = many_jpegs(tmp_path / "roll", 3)
    assert drop_paths(window.drop_zone, [tmp_path / "roll"])
    wait_idle(qtbot, window, rows=3)
    window.update_status()
    assert "Nothing new" not in window.status_label.text()
    assert drop_paths(window.table.viewport(), [tmp_path / "roll", photos[0]])
    wait_idle(qtbot, window, rows=3)
    qtbot.waitUntil(lambda: "Nothing new" in window.status_label.text(), timeout=2_000)
    assert window.session.model.rowCount() == 3
    # A drop that adds a file says nothing of the kind.
    window.status.flash("")
    many_jpegs(tmp_path / "more", 1)
    assert drop_paths(window.table.viewport(), [tmp_path / "more"])
    wait_idle(qtbot, window, rows=4)
    window.update_status()
    assert "Nothing new" not in window.status_label.text()
