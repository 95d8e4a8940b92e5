"""A finished job is deleted on its pool thread: no QObject may die with it there."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt

from tests.gui.conftest import SyncPool
from veil.gui.app import make_app
from veil.gui.models.file_row import FileRow
from veil.gui.session import AuditSession


class DeletingPool:
    """Like QThreadPool with autoDelete: runs each job on its own thread and lets go of it
    there, but only after the GUI thread has handled the job's ``finished`` (the order that
    made a per-job QObject die on the pool thread)."""

    def __init__(self) -> None:
        self.handled = threading.Event()
        self.threads: list[threading.Thread] = []
        #: Names of the threads on which a QObject held by a job was destroyed.
        self.destroyed_on: list[str] = []

    def start(self, runnable: QRunnable, priority: int = 0) -> None:
        seen = self.destroyed_on

        def destroyed(*_: Any) -> None:
            seen.append(threading.current_thread().name)

        for value in vars(runnable).values():
            if isinstance(value, QObject):  # watched without keeping it alive
                value.destroyed.connect(destroyed, Qt.ConnectionType.DirectConnection)
        jobs = [runnable]
        del runnable

        def body() -> None:
            job = jobs.pop()
            job.run()
            self.handled.wait(10)
            del job  # the pool's delete, on the pool thread

        thread = threading.Thread(target=body, name="pool-thread")
        thread.start()
        self.threads.append(thread)

    def clear(self) -> None:
        pass

    def waitForDone(self, msecs: int = -1) -> bool:
        for thread in self.threads:
            thread.join(None if msecs < 0 else msecs / 1000)
        return not any(t.is_alive() for t in self.threads)

    def activeThreadCount(self) -> int:
        return sum(t.is_alive() for t in self.threads)


@pytest.fixture
def pool_session(qapp: object) -> Iterator[tuple[AuditSession, DeletingPool]]:
    make_app()
    pool = DeletingPool()
    session = AuditSession(analysis_pool=pool, export_pool=pool, processes=False)
    yield session, pool
    pool.handled.set()
    session.shutdown(5000)
    session.deleteLater()  # on the GUI thread, not whenever (and wherever) the GC gets to it


def test_a_job_dropped_on_its_pool_thread_takes_no_qobject_with_it(
    qtbot, pool_session: tuple[AuditSession, DeletingPool]
) -> None:
    session, pool = pool_session
    finished: list[tuple[int, bool]] = []
    results: list[Any] = []
    session.start_job(
        "probe",
        lambda _cancel: [1, 2, 3],
        0,
        on_results=lambda _id, batch: results.extend(batch),
        on_finished=lambda job_id, cancelled: finished.append((job_id, cancelled)),
    )
    # Both jobs (the session's warm-up and ours) are handled on the GUI thread first.
    qtbot.waitUntil(lambda: bool(finished) and not session.jobs.running, timeout=10_000)
    pool.handled.set()
    assert pool.waitForDone(10_000)
    time.sleep(0.05)
    qtbot.wait(50)  # anything queued by the pool threads is delivered now
    assert results == [1, 2, 3]
    assert finished == [(finished[0][0], False)]
    assert pool.destroyed_on == []


def test_a_job_outliving_the_close_emits_into_a_live_object(qtbot, qapp: object) -> None:
    # Close waits 3 s at most; a job still running then (a slow decode on a busy machine)
    # emits afterwards, when the window, hence the session, is already deleted.
    make_app()
    window = QObject()
    session = AuditSession(parent=window, processes=False)
    qtbot.waitUntil(lambda: not session.jobs.running, timeout=20_000)  # the warm-up is done
    release = threading.Event()
    ran: list[bool] = []

    def slow(_cancel: object) -> int:
        ran.append(True)
        release.wait(10)
        return 1

    session.start_job("thumb", slow, 0)
    pool = session.analysis_pool
    qtbot.waitUntil(lambda: bool(ran), timeout=5000)
    signals = session.jobs.signals
    session.shutdown(50)  # times out: the job still runs
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5000)
    try:
        assert shiboken6.isValid(signals), "the job would emit into a deleted object"
    finally:
        release.set()
        assert pool.waitForDone(10_000)
    qtbot.wait(20)


def test_nothing_starts_after_shutdown(qtbot, qapp: object) -> None:
    # A thumbnail asked for by the window's last paint arrives after close (a zero timer):
    # run then, it would emit into a session deleted with its window.
    make_app()
    session = AuditSession(processes=False)
    session.shutdown(5000)
    ran: list[bool] = []
    assert session.start_job("thumb", lambda _c: ran.append(True), 0) is None
    pool = session.analysis_pool
    assert pool.waitForDone(5000)
    qtbot.wait(20)
    assert not ran and not session.jobs.running
    session.deleteLater()


def test_a_thumbnail_asked_for_just_before_the_session_dies_starts_nothing(
    qtbot, qapp: object, tmp_path: Path
) -> None:
    # A paint asks for thumbnails; they start on the next event-loop pass. If the session
    # is deleted in between (its window closed), that pass must not start jobs on it.
    make_app()
    pool = SyncPool()
    session = AuditSession(analysis_pool=pool, export_pool=SyncPool())
    started = pool.started  # the warm-up
    session.pictures.want_thumbnail(FileRow(tmp_path / "a.jpg", "a"))
    shiboken6.delete(session)
    qtbot.wait(20)
    assert pool.started == started


def test_reports_of_pool_threads_reach_their_callbacks_on_the_gui_thread(
    qtbot, qapp: object
) -> None:
    # The session's own slots receive the signals: Qt queues every emit to its thread.
    make_app()
    session = AuditSession(processes=False)
    seen: list[tuple[str, str]] = []
    for _ in range(20):
        session.start_job(
            "probe",
            lambda _cancel: [threading.current_thread().name],
            0,
            on_results=lambda _id, _b: seen.append(("results", threading.current_thread().name)),
            on_finished=lambda _id, _c: seen.append(("finished", threading.current_thread().name)),
        )
    qtbot.waitUntil(lambda: len(seen) == 40 and not session.jobs.running, timeout=20_000)
    assert {name for _, name in seen} == {threading.main_thread().name}
    session.shutdown(5000)
    session.deleteLater()
