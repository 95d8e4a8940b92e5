"""JobRouter's contract: registered before start, routed by id, nothing after shutdown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, QRunnable

from veil.core.cancel import CancelToken
from veil.gui import job_routing
from veil.gui.job_routing import JobRouter


class RecordingPool:
    """Keeps started jobs without running them; logs what the router asks of it."""

    def __init__(self, log: list[str], active: int = 0) -> None:
        self.log = log
        self.active = active
        self.jobs: list[QRunnable] = []

    def start(self, runnable: QRunnable, priority: int = 0) -> None:
        self.jobs.append(runnable)

    def clear(self) -> None:
        self.log.append("clear")

    def waitForDone(self, msecs: int = -1) -> bool:
        self.log.append(f"wait {msecs}")
        return not self.active

    def activeThreadCount(self) -> int:
        return self.active


@pytest.fixture
def owner(qapp: object) -> Iterator[QObject]:
    obj = QObject()
    yield obj
    if shiboken6.isValid(obj):  # a test may have deleted it already
        shiboken6.delete(obj)


def test_a_job_is_registered_before_its_pool_runs_it(owner: QObject) -> None:
    router = JobRouter(owner)
    seen: list[bool] = []

    class CheckingPool(RecordingPool):
        def start(self, runnable: QRunnable, priority: int = 0) -> None:
            seen.append(runnable.job_id in router.running)  # type: ignore[attr-defined]

    job = router.start("thumb", lambda _c: 1, 0, CheckingPool([]), CancelToken())
    assert job is not None and job.signals is router.signals
    assert seen == [True]


def test_reports_go_to_the_job_that_asked_else_to_the_default(owner: QObject) -> None:
    router = JobRouter(owner)
    pool = RecordingPool([])
    got: list[Any] = []
    own = router.start(
        "export", lambda _c: 1, 0, pool, CancelToken(), on_results=lambda i, b: got.append(b)
    )
    plain = router.start("thumb", lambda _c: 1, 0, pool, CancelToken())
    assert own is not None and plain is not None
    default: list[Any] = []
    router.route_results(own.job_id, ["a"], default.append)
    router.route_results(plain.job_id, ["b"], default.append)
    router.route_results(10**9, ["c"], default.append)  # unknown id: the default too
    assert got == [["a"]] and default == [["b"], ["c"]]


def test_finished_takes_the_job_off_the_list_before_anyone_hears_of_it(owner: QObject) -> None:
    router = JobRouter(owner)
    order: list[str] = []
    job = router.start(
        "metadata",
        lambda _c: 1,
        0,
        RecordingPool([]),
        CancelToken(),
        on_finished=lambda _i, cancelled: order.append(f"job cancelled={cancelled}"),
    )
    assert job is not None and router.any_running(("metadata",))
    router.route_finished(
        job.job_id, True, lambda: order.append(f"then running={job.job_id in router.running}")
    )
    assert order == ["then running=False", "job cancelled=True"]
    assert not router.any_running(("metadata",))


def test_cancelled_kinds_no_longer_count(owner: QObject) -> None:
    router = JobRouter(owner)
    pool = RecordingPool([])
    router.start("pixels", lambda _c: 1, 0, pool, CancelToken())
    router.start("thumb", lambda _c: 1, 0, pool, CancelToken())
    router.mark_cancelled(("scan", "pixels"))
    assert not router.any_running(("pixels",))
    assert sorted(r.kind for r in router.running.values()) == ["cancelled", "thumb"]


def test_only_jobs_no_pool_thread_has_started_are_dropped(owner: QObject) -> None:
    router = JobRouter(owner)
    pool = RecordingPool([])
    reported: list[tuple[int, bool]] = []
    jobs = [
        router.start(
            kind,
            lambda _c: 1,
            0,
            pool,
            CancelToken(),
            on_finished=lambda i, c: reported.append((i, c)),
        )
        for kind in ("pixels", "pixels", "thumb")
    ]
    running, queued, thumb = jobs
    assert running is not None and queued is not None and thumb is not None
    assert running.claim.start()  # a pool thread took it: it will report itself
    assert router.drop_queued(("pixels",)) == 1
    assert reported == [(queued.job_id, True)]
    assert sorted(router.running) == [running.job_id, thumb.job_id]
    emitted: list[int] = []
    router.signals.results.connect(lambda i, _b: emitted.append(i))  # same thread: direct
    router.signals.finished.connect(lambda i, _c: emitted.append(i))
    queued.run()  # the pool runs what it still had queued: nothing happens
    assert emitted == []
    assert router.drop_queued(None, report=False) == 1  # the thumbnail, silently
    assert reported == [(queued.job_id, True)] and list(router.running) == [running.job_id]


class FakeProcesses:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def shutdown(self, timeout_ms: int) -> None:
        self.log.append(f"processes {timeout_ms}")


def test_shutdown_order_and_nothing_starts_after_it(owner: QObject) -> None:
    router = JobRouter(owner)
    log: list[str] = []
    pools = (RecordingPool(log), RecordingPool(log))
    token = CancelToken()
    router.shutdown(pools, token, FakeProcesses(log), 70)  # type: ignore[arg-type]
    assert token.cancelled and router.closed
    assert log == ["clear", "clear", "processes 70", "wait 70", "wait 70"]
    assert router.start("thumb", lambda _c: 1, 0, pools[0], CancelToken()) is None
    assert pools[0].jobs == [] and not router.running
    assert router.signals.parent() is owner  # every job ended in time: nothing to keep


def test_a_job_outliving_shutdown_keeps_the_signals_out_of_the_owner(owner: QObject) -> None:
    router = JobRouter(owner)
    signals = router.signals
    router.shutdown((RecordingPool([], active=1),), CancelToken(), None, 0)
    try:
        assert signals.parent() is None
        assert any(s is signals for s in job_routing._OUTLIVED)
        shiboken6.delete(owner)
        assert shiboken6.isValid(signals)
    finally:
        job_routing._OUTLIVED[:] = [s for s in job_routing._OUTLIVED if s is not signals]
