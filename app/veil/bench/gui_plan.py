"""``veil bench gui_plan``: does the window stay responsive while it plans an export?

The export pane counts, before writing, what an export of the whole list will do (copies,
files skipped and why, large covers); that plan reads each file's first bytes. This puts a
list of generated photos (3,000 by default, audited beforehand so only the plan is
measured) in the real window, opens the export tab and reports the longest event-loop stall
(a 5 ms timer's worst lateness; target < 100 ms) in each step a person takes:
  * the first plan when the tab opens (nothing known yet: every file's head is read);
  * an option changed (the plan is made again);
  * Export all pressed: from the click until the export starts (then it is cancelled).
``VEIL_BENCH_SLOW_MS=N`` makes every file-head read of the plan wait N ms first, standing in
for a slow disk or a network share (the page cache makes the generated photos fast to read);
``VEIL_BENCH_COUNT`` sets the number of photos. Numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from veil.bench.photos import make_jpegs

COUNT = 3000
TICK_MS = 5
STEP_TIMEOUT_S = 120.0


def _slow_reads(delay_ms: float) -> None:
    """Every file-head read of the export plan waits ``delay_ms`` first (a slow disk)."""
    from veil.core.export import refusal

    real_open = open

    def slow_open(*args: Any, **kwargs: Any) -> Any:
        time.sleep(delay_ms / 1000)
        return real_open(*args, **kwargs)

    refusal.open = slow_open  # type: ignore[attr-defined]  # module global shadows builtins


def _fill(window: Any, folder: Path) -> int:
    """Audit every photo of ``folder`` (metadata) and list it as fully checked."""
    from veil.core.audit import audit_file
    from veil.gui.jobs import AuditResult
    from veil.gui.models.file_row import FileRow
    from veil.gui.states import RowState

    session = window.session
    paths = sorted(folder.rglob("*.jpg"))
    rows, results = [], []
    for path in paths:
        key = str(path.resolve())
        rel = Path(folder.name) / path.parent.relative_to(folder)
        rows.append(FileRow(path, key, rel, state=RowState.READING))
        report = audit_file(path, metadata_only=True)
        results.append(AuditResult(key, True, session.generation, report))
    for start in range(0, len(rows), 50):  # add_rows compares each new row with the batch
        session.model.add_rows(rows[start : start + 50])
    session._pending.extend(results)
    while session._pending:
        session.flush()
    window.stack.setCurrentWidget(window.splitter)
    return len(rows)


def measure(folder: Path) -> dict[str, float]:
    """The window over ``folder``'s photos; the longest stall per step (ms), and times (s)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from veil.gui.app import make_app
    from veil.gui.main_window import MainWindow

    make_app()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    out: dict[str, float] = {}
    clock = QElapsedTimer()
    clock.start()
    step = [""]
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        if step[0]:
            late = float(max(0, now - last[0] - TICK_MS))
            out[step[0]] = max(out.get(step[0], 0.0), late)
        last[0] = now

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(done: Callable[[], bool], name: str) -> None:
        started = time.perf_counter()
        while not done():
            if time.perf_counter() - started > STEP_TIMEOUT_S:
                out[f"{name}_timeout"] = 1.0
                return
            spin(10)
        out[f"{name}_s"] = time.perf_counter() - started

    session = window.session
    wait_for(lambda: session.is_ready, "ready")
    out["files"] = float(_fill(window, folder))
    pane = window.export_pane
    ticker = QTimer()
    ticker.setInterval(TICK_MS)
    ticker.timeout.connect(tick)
    ticker.start()

    # A plan is shown when the table gets its rows (the note may read the same as before).
    shown = [0]
    set_plan = window.exporter.results.set_plan

    def counting_set_plan(plans: list[Any]) -> None:
        shown[0] += 1
        set_plan(plans)

    window.exporter.results.set_plan = counting_set_plan  # type: ignore[method-assign]

    def run_step(name: str, action: Callable[[], None], done: Callable[[], bool]) -> None:
        """Time ``action`` and the event loop until ``done``: its own run counts as a stall."""
        last[0] = clock.elapsed()
        step[0] = name
        started = time.perf_counter()
        action()
        spin(20)  # at least one tick after the action, which may itself have blocked
        wait_for(done, name)
        out[f"{name}_s"] = time.perf_counter() - started
        spin(50)
        step[0] = ""

    def replanned() -> Callable[[], bool]:
        before = shown[0]
        return lambda: shown[0] > before and pane.plan_note.text().startswith(
            f"Export all: {int(out['files']):,} photos"
        )

    run_step("first_plan", window.show_export, replanned())
    run_step("option", lambda: pane.rename.setCurrentIndex(1), replanned())
    settled = replanned()
    pane.beside.setChecked(True)  # copies next to the originals: no folder to ask for
    wait_for(settled, "settle")
    run_step("export_click", lambda: pane.start("all"), lambda: window.exporter.running)
    window.exporter.cancel()
    wait_for(lambda: not window.exporter.running, "cancel")
    ticker.stop()
    window.close()
    out["load"] = os.getloadavg()[0]
    return out


def run(args: argparse.Namespace) -> int:
    """Print the longest stall of each step; exit 0 (numbers are reported, not asserted)."""
    paths = list(getattr(args, "paths", None) or [])
    slow = float(os.environ.get("VEIL_BENCH_SLOW_MS", 0))
    count = int(os.environ.get("VEIL_BENCH_COUNT", COUNT))
    if slow:
        _slow_reads(slow)
    with tempfile.TemporaryDirectory(prefix="veil-bench-plan-") as tmp:
        if paths:
            folder = Path(paths[0])
        else:
            folder = Path(tmp) / "roll"
            folder.mkdir()
            make_jpegs(folder, count, size=(64, 48), per_dir=500)
        result = measure(folder)
    files = int(result.get("files", 0))
    print(f"bench gui_plan: export plan of {files:,} photos in the window")
    disk = f"each file-head read waits {slow:g} ms (a slow disk)" if slow else "page cache"
    print(f"  ({disk}; load average at the end: {result['load']:.1f} on {os.cpu_count()} cores)")
    for name, what in (
        ("first_plan", "export tab opened, first plan"),
        ("option", "an option changed, plan made again"),
        ("export_click", "Export all pressed, until the export starts"),
    ):
        if f"{name}_timeout" in result:
            print(f"  {what}: did not finish within {STEP_TIMEOUT_S:.0f} s")
            continue
        print(
            f"  {what}: longest stall {result.get(name, 0):.0f} ms (target < 100 ms); "
            f"done in {result.get(f'{name}_s', 0):.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(run(argparse.Namespace(paths=[])))
