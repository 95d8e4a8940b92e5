"""The export plan is made off the GUI thread: the window keeps answering while the files'
first bytes are read, the line says "counting…", a newer plan supersedes an older one,
and an Export click never acts on a plan made before the choices changed.

Before, a plan of 3,000 photos stalled the event loop ~0.3 s (page cache) and ~4 s when
each file-head read took 1 ms (``veil bench gui_plan``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QRunnable, QTimer
from PySide6.QtWidgets import QApplication

from tests.factories import raw as fr
from tests.factories.gui_photos import many_jpegs
from tests.gui.conftest import SyncPool
from tests.gui.test_export_plan import dng
from tests.gui.test_export_review import show_export_tab
from veil.core.audit import audit_file
from veil.core.model import ExportStatus
from veil.gui.app import make_app
from veil.gui.main_window import MainWindow
from veil.gui.session import AuditSession


class HeldPool(SyncPool):
    """Holds every job until the test runs it (inline, or on a thread of its own)."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[QRunnable] = []

    def start(self, runnable: QRunnable, priority: int = 0) -> None:
        self.held.append(runnable)

    def run_next(self) -> None:
        self.held.pop(0).run()

    def run_all(self) -> None:
        while self.held:
            self.run_next()


@pytest.fixture
def held(qtbot) -> Iterator[tuple[MainWindow, HeldPool]]:  # type: ignore[no-untyped-def]
    """A window whose audits run inline and whose plans and exports wait for the test."""
    make_app()
    pool = HeldPool()
    session = AuditSession(analysis_pool=SyncPool(), export_pool=pool)
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win, pool
    session.shutdown(0)
    session.deleteLater()


def listed(window: MainWindow, paths: list[Path]) -> None:
    for path in paths:
        window.session.show_report(path, audit_file(path, metadata_only=True))


def planned_with_folder(qtbot, window: MainWindow, pool: HeldPool, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two photos listed, their plan shown, an output folder chosen: (pane, folder)."""
    listed(window, many_jpegs(tmp_path / "roll", 2))
    pane = window.export_pane
    window.detail.tabs.setCurrentWidget(pane)
    qtbot.waitUntil(lambda: len(pool.held) == 1, timeout=5_000)
    pool.run_all()
    out = tmp_path / "out"
    out.mkdir()
    pane.set_destination(out)
    return pane, out


def test_the_plan_is_made_on_a_worker_while_the_window_answers(
    qtbot, threaded_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veil.core.export import refusal

    window = threaded_window
    photos = many_jpegs(tmp_path / "roll", 40)
    real = refusal.planned_skip
    readers: list[tuple[bool, str]] = []

    def slow_disk(source: Path, report: object) -> object:
        readers.append((threading.current_thread() is threading.main_thread(), source.name))
        time.sleep(0.02)  # 40 files: 0.8 s of reading, as from a slow disk
        return real(source, report)  # type: ignore[arg-type]

    monkeypatch.setattr(refusal, "planned_skip", slow_disk)
    shown: set[str] = set()  # names the detail pane planned its line for
    planner = window.detail.planner
    assert planner is not None

    def line_planner(key: str, deliver):  # type: ignore[no-untyped-def]
        shown.add(Path(key).name)
        return planner(key, deliver)

    window.detail.planner = line_planner
    listed(window, photos)
    pane = window.export_pane
    window.detail.tabs.setCurrentWidget(pane)  # its plan is asked for 300 ms later
    QApplication.processEvents()  # the pane's first layout is not the plan's doing
    clock, late, last = QElapsedTimer(), [0], [0]
    clock.start()

    def tick() -> None:
        now = clock.elapsed()
        late[0] = max(late[0], now - last[0] - 5)
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()
    qtbot.waitUntil(lambda: pane.plan_note.text() == "Export all: counting…", timeout=5_000)
    qtbot.waitUntil(
        lambda: pane.plan_note.text().startswith("Export all: 40 photos ready"), timeout=10_000
    )
    ticker.stop()
    assert late[0] < 100, f"the event loop stalled {late[0]} ms while the plan was made"
    # No file is read on the GUI thread, not even for the detail pane's line of the
    # selected photo (its plan is made off it too, and may race the pane's: a photo shown
    # there may be read twice); every other file is read once.
    on_gui = [name for main, name in readers if main]
    assert on_gui == []
    names = [name for _, name in readers]
    assert sorted(set(names)) == sorted(p.name for p in photos)
    assert shown  # the first row is selected (and shown) as rows come in
    assert all(names.count(n) == 1 for n in set(names) - shown), names
    line = window.detail.copy_line
    # Listed metadata-only: nobody looked for faces or marks, so it is not "A clean copy".
    qtbot.waitUntil(lambda: line.full_text().startswith(
        "Faces and marks were not checked. A copy removes"), timeout=5_000)
    assert not window.detail.settling
    assert pane.results.model.rowCount() == 40


def test_a_newer_plan_supersedes_an_older_one(qtbot, held, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, pool = held
    listed(window, many_jpegs(tmp_path / "roll", 3))
    pane = window.export_pane
    window.detail.tabs.setCurrentWidget(pane)
    qtbot.waitUntil(lambda: len(pool.held) == 1, timeout=5_000)
    qtbot.waitUntil(lambda: pane.plan_note.text() == "Export all: counting…", timeout=5_000)
    assert pane.results.model.rowCount() == 0  # nothing shown before its plan lands

    # The first plan is made, but its answer is still on its way to the GUI thread ...
    older = threading.Thread(target=pool.run_next)
    older.start()
    older.join()
    # ... when the user unticks "Cover…" and a new plan is asked for: the older plan must
    # never be shown.
    pane.cover.setChecked(False)
    pane.refresh_plan()
    assert len(pool.held) == 1
    qtbot.wait(50)  # the older answer arrives now, and is dropped
    assert pane.plan_note.text() == "Export all: counting…"
    assert pane.results.model.rowCount() == 0
    qtbot.waitUntil(lambda: not pane._replan.isActive(), timeout=5_000)  # one more ask
    pool.run_all()
    assert pane.plan_note.text().startswith("Export all: 3 photos ready")
    assert not pane.cover.isChecked() and not window.exporter.planner.pending("shown")


def test_export_never_acts_on_a_plan_made_before_the_choices_changed(
    qtbot, held, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, pool = held
    pane, out = planned_with_folder(qtbot, window, pool, tmp_path)
    assert pane.rename.currentData() == "keep"

    pane.start("all")  # its plan is made from "Keep the names" ...
    assert pane.plan_note.text() == "Export all: counting…"  # the click is answered at once
    assert not window.exporter.running and len(pool.held) == 1
    pane.rename.setCurrentIndex(pane.rename.findData("neutral"))  # ... changed before it lands
    pool.run_next()
    assert not window.exporter.running  # that plan is stale: planned again, not exported
    assert len(pool.held) == 1
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        pool.run_all()  # the fresh plan, then the export it starts
    results = window.exporter.results.results
    assert [r.status for r in results] == [ExportStatus.CLEANED] * 2
    assert sorted(p.name for p in out.iterdir()) == ["photo-0001.jpg", "photo-0002.jpg"]


def test_raw_files_are_counted_by_kind_not_by_the_words(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Core's reasons may be reworded: the plan still counts raw files as raw files."""
    from veil.core.export import refusal
    from veil.core.formats.raw import RawImage

    monkeypatch.setattr(RawImage, "refusal", "camera originals are kept as they are")
    monkeypatch.setattr(refusal, "raw_refusal", lambda _f, _size: "sensor data (a DNG)")
    folder = tmp_path / "album"
    folder.mkdir()
    cr3 = folder / "camera.cr3"
    cr3.write_bytes(fr.cr3())
    listed(window, [*many_jpegs(folder, 2), dng(folder / "C.dng"), cr3])
    show_export_tab(qtbot, window)
    note = window.export_pane.plan_note.text()
    assert "2 photos ready to export" in note, note
    assert "2 raw files will be skipped (Veil doesn't rewrite raw files)" in note, note
    assert "(see Result)" not in note


def test_cancel_while_the_export_is_being_planned_writes_nothing(
    qtbot, held, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, pool = held
    pane, out = planned_with_folder(qtbot, window, pool, tmp_path)
    assert not pane.cancel.isVisible()

    pane.start("all")
    assert pane.plan_note.text() == "Export all: counting…" and pane.cancel.isVisible()
    pane.cancel.click()
    assert not pane.cancel.isVisible() and not window.exporter.planner.pending("export")
    qtbot.waitUntil(lambda: not pane._replan.isActive(), timeout=5_000)  # the pane's own plan
    pool.run_all()
    assert not window.exporter.running and list(out.iterdir()) == []
    assert pane.plan_note.text().startswith("Export all: 2 photos ready")


def test_asking_again_for_the_same_plan_keeps_the_one_being_made(
    qtbot, held, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """While photos are checked the pane asks for a plan at every batch of results; a plan
    for unchanged inputs must not be restarted (each restart read every file again)."""
    window, pool = held
    listed(window, many_jpegs(tmp_path / "roll", 3))
    pane = window.export_pane
    window.detail.tabs.setCurrentWidget(pane)
    qtbot.waitUntil(lambda: len(pool.held) == 1, timeout=5_000)
    planner = window.exporter.planner
    first = planner._latest["shown"][0]
    pane.refresh_plan()  # nothing changed: the plan being made stays
    assert len(pool.held) == 1 and planner._latest["shown"][0] == first
    pane.cover.setChecked(False)  # a change: a new plan replaces it
    pane.refresh_plan()
    assert planner._latest["shown"][0] != first
    qtbot.waitUntil(lambda: not pane._replan.isActive(), timeout=5_000)
    pool.run_all()
    assert pane.plan_note.text().startswith("Export all: 3 photos ready")
