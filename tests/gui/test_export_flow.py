"""Export from the window: verified copies, originals untouched, no network, Cancel works."""

from __future__ import annotations

import hashlib
import socket
import sys
import time
from pathlib import Path

import pytest

from tests.factories.gui_photos import many_jpegs, photo_folder
from tests.gui.helpers import drop_paths, wait_idle
from veil.core.audit import audit_file
from veil.core.model import FindingKind
from veil.gui.exporter import export_available
from veil.gui.main_window import MainWindow
from veil.gui.states import RowState

needs_export = pytest.mark.skipif(
    not export_available(), reason="veil.core.export (issue 5) is not in this tree yet"
)
METADATA_KINDS = {FindingKind.LOCATION, FindingKind.DEVICE, FindingKind.IDENTITY}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_export(qtbot, window: MainWindow, out: Path, scope: str = "all") -> None:  # type: ignore[no-untyped-def]
    pane = window.export_pane
    pane.ask_folder = lambda: out
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        pane.start(scope)


@needs_export
def test_export_writes_verified_copies_and_leaves_originals(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    files = photo_folder(tmp_path / "album")
    before = {name: digest(p) for name, p in files.items()}
    drop_paths(window.drop_zone, [tmp_path / "album"])
    wait_idle(qtbot, window, rows=4)
    out = tmp_path / "clean"
    out.mkdir()
    run_export(qtbot, window, out)

    results = window.exporter.results.results
    assert len(results) == 3  # the text file is not offered for export
    for result in results:
        assert result.verified, result.error
        assert result.output is not None and result.output.is_file()
        assert out in result.output.parents
        report = audit_file(result.output, metadata_only=True)
        assert not {f.kind for f in report.findings} & METADATA_KINDS
    assert {name: digest(p) for name, p in files.items()} == before
    assert window.export_pane.summary.text().startswith("3 verified clean")
    assert window.export_pane.show_folder.isEnabled()
    states = {r.path.name: r.state for r in window.session.model.rows}
    assert states["holiday.jpg"] is RowState.EXPORTED
    texts = {window.exporter.results.index(r, 1).data() for r in range(3)}
    assert all(t.startswith("Verified clean") for t in texts)


def test_export_refuses_the_source_folder(qtbot, window: MainWindow, tmp_path: Path) -> None:
    photo_folder(tmp_path / "album")
    window.add_paths([tmp_path / "album" / "holiday.jpg"])
    wait_idle(qtbot, window, rows=1)
    tasks, problem = window.exporter.plan(
        window.keys_for("all"), tmp_path / "album", window.export_pane.options(), True
    )
    assert tasks == () and problem is not None and "originals" in problem


def test_no_socket_is_opened_from_drop_to_export(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []

    def refuse(self: socket.socket, *args: object) -> None:
        opened.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, *a))  # type: ignore[arg-type]
    photo_folder(tmp_path / "album")
    drop_paths(window.drop_zone, [tmp_path / "album"])
    wait_idle(qtbot, window, rows=4)
    window.select_first()
    qtbot.waitUntil(lambda: window.detail.canvas.has_picture, timeout=10_000)
    if export_available():
        out = tmp_path / "clean"
        out.mkdir()
        run_export(qtbot, window, out)
        assert window.exporter.results.results
    assert opened == []
    assert "PySide6.QtNetwork" not in sys.modules  # no Qt networking is even loaded


@needs_export
def test_cancel_stops_an_export_within_a_second(
    qtbot, threaded_window: MainWindow, tmp_path: Path
) -> None:
    window = threaded_window
    # Reports are injected (a metadata-only audit each) so the test does not wait for faces.
    for path in many_jpegs(tmp_path / "roll", 60, size=(1600, 1200)):
        window.session.show_report(path, audit_file(path, metadata_only=True))
    out = tmp_path / "clean"
    out.mkdir()
    window.export_pane.set_destination(out)
    window.export_pane.orientation.setCurrentIndex(1)  # re-encode: slow enough to cancel
    with qtbot.waitSignal(window.exporter.started, timeout=5000):
        window.export_pane.start("all")
    qtbot.waitUntil(lambda: len(window.exporter.results.results) >= 2, timeout=30_000)
    start = time.monotonic()
    with qtbot.waitSignal(window.exporter.finished, timeout=1000) as blocker:
        window.export_pane.cancel.click()
    assert time.monotonic() - start < 1.0
    assert blocker.args[0].cancelled
    assert len(window.exporter.results.results) < 60
    assert not [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
