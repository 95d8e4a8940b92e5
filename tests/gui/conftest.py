"""Window test helpers: a synchronous pool (logic tests) and a window wired to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRunnable

from veil.gui.app import make_app
from veil.gui.audit_queue import PRIO_PIXELS
from veil.gui.main_window import MainWindow
from veil.gui.session import AuditSession


class SyncPool:
    """Runs each job inline in ``start`` (Picard's FakeThreadPool): deterministic tests."""

    def __init__(self) -> None:
        self.started = 0

    def start(self, runnable: QRunnable, priority: int = 0) -> None:
        self.started += 1
        runnable.run()

    def clear(self) -> None:
        pass

    def waitForDone(self, msecs: int = -1) -> bool:
        return True

    def activeThreadCount(self) -> int:
        return 0


@pytest.fixture
def sync_session(qapp: object) -> Iterator[AuditSession]:
    """A session whose jobs run inline."""
    make_app()
    session = AuditSession(analysis_pool=SyncPool(), export_pool=SyncPool())
    yield session
    session.shutdown(0)
    # No parent owns it: delete it on the GUI thread now, not whenever (and on whichever
    # thread) the garbage collector gets to it during a later test.
    session.deleteLater()


@pytest.fixture
def window(qtbot, sync_session: AuditSession) -> MainWindow:  # type: ignore[no-untyped-def]
    """The real window over a synchronous session, 1280x800, shown offscreen."""
    win = MainWindow(sync_session)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


@pytest.fixture
def threaded_window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The real window with real thread pools (cancel and shutdown tests)."""
    make_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.session.shutdown(5000)


class HoldPixelsPool(SyncPool):
    """Runs every job inline except the pixel pass, which waits for ``release()``."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[QRunnable] = []

    def start(self, runnable: QRunnable, priority: int = 0) -> None:
        if priority == PRIO_PIXELS:
            self.held.append(runnable)
        else:
            super().start(runnable, priority)

    def release(self) -> None:
        held, self.held = self.held, []
        for job in held:
            job.run()


@pytest.fixture
def held_window(qtbot):  # type: ignore[no-untyped-def]
    make_app()
    pool = HoldPixelsPool()
    session = AuditSession(analysis_pool=pool, export_pool=SyncPool())
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    yield win, pool
    session.shutdown(0)
    session.deleteLater()  # as sync_session does
