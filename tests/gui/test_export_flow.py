"""Export from the window: verified copies, originals untouched, no network, Cancel works."""

from __future__ import annotations

import hashlib
import importlib.abc
import shutil
import socket
import sys
import time
from pathlib import Path

import pytest

from tests.factories.gui_photos import many_jpegs, photo_folder, risky_jpeg
from tests.gui.helpers import drop_paths, wait_idle
from veil.core.audit import audit_file
from veil.core.model import ExportStatus, FindingKind
from veil.gui.export_tasks import export_available
from veil.gui.main_window import MainWindow
from veil.gui.states import RowState

#: Qt modules that can open connections; none may even be imported by the window.
QT_NET_MODULES = ("PySide6.QtNetwork", "PySide6.QtWebSockets", "PySide6.QtWebEngineCore")
METADATA_KINDS = {FindingKind.LOCATION, FindingKind.DEVICE, FindingKind.IDENTITY}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_export(qtbot, window: MainWindow, out: Path, scope: str = "all") -> None:  # type: ignore[no-untyped-def]
    # The export engine is part of this repo: its absence is a failure, never a skip.
    assert export_available(), "veil.core.export cannot be imported"
    pane = window.export_pane
    pane.ask_folder = lambda: out
    with qtbot.waitSignal(window.exporter.finished, timeout=30_000):
        pane.start(scope)


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


class RefuseQtNetwork(importlib.abc.MetaPathFinder):
    """An import hook that records any import of a Qt networking module (it lets the import
    go on, so the test fails on the record with a clear message, not inside a Qt slot)."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name in QT_NET_MODULES:
            self.attempts.append(name)
        return None


def qt_network_libraries() -> list[str]:
    """Qt networking libraries mapped into this process (Linux; Qt's C++ side can load them
    without any Python import)."""
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return []
    return sorted({line.split()[-1] for line in maps.read_text().splitlines() if "Qt6Net" in line})


def test_no_socket_is_opened_from_drop_to_export(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []

    def refuse(self: socket.socket | None, *args: object, **kwargs: object) -> None:
        opened.append(args)
        raise AssertionError(f"network access attempted: {args}")

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, *a))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse(None, *a))
    hook = RefuseQtNetwork()
    monkeypatch.setattr(sys, "meta_path", [hook, *sys.meta_path])
    assert not [m for m in QT_NET_MODULES if m in sys.modules]
    assert qt_network_libraries() == []

    photo_folder(tmp_path / "album")
    drop_paths(window.drop_zone, [tmp_path / "album"])
    wait_idle(qtbot, window, rows=4)
    window.select_first()
    qtbot.waitUntil(lambda: window.detail.canvas.has_picture, timeout=10_000)
    out = tmp_path / "clean"
    out.mkdir()
    run_export(qtbot, window, out)
    assert window.exporter.results.results
    assert opened == []
    assert hook.attempts == []  # nothing even tried to import Qt networking
    assert "PySide6.QtNetwork" not in sys.modules  # no Qt networking is even loaded
    assert qt_network_libraries() == []  # nor Qt's networking library, from C++


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


def test_a_copy_already_saved_there_is_said_so(qtbot, window: MainWindow, tmp_path: Path) -> None:
    # Three photos named IMG_0001.jpg with the same bytes, from three folders, exported into
    # one folder: the summary said '3 verified clean' and each row 'Verified clean', saved
    # as IMG_0001.jpg, while the folder held one file (the same clean copy serves all three:
    # core reports the other two 'unchanged'). Exporting again said the same of all three.
    photo = risky_jpeg(tmp_path / "seed.jpg")
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        shutil.copyfile(photo, tmp_path / name / "IMG_0001.jpg")
    window.add_paths([tmp_path / n / "IMG_0001.jpg" for n in "abc"])
    wait_idle(qtbot, window, rows=3)
    out = tmp_path / "clean"
    out.mkdir()
    run_export(qtbot, window, out)
    assert [p.name for p in out.iterdir()] == ["IMG_0001.jpg"]
    summary = window.export_pane.summary.text()
    assert summary.startswith("3 verified clean (2 already saved there, not written again)")
    texts = sorted(window.exporter.results.index(r, 1).data() for r in range(3))
    assert texts.count("Verified clean (already saved there)") == 2, texts
    run_export(qtbot, window, out)
    assert "(3 already saved there" in window.export_pane.summary.text()


def test_show_in_folder_needs_a_saved_copy(qtbot, window: MainWindow, tmp_path: Path) -> None:
    # Every copy failed (a photo deleted after it was checked; a read-only folder): 'Show in
    # folder' was offered anyway, for a folder holding nothing of this export.
    photo = risky_jpeg(tmp_path / "gone.jpg")
    window.add_paths([photo])
    wait_idle(qtbot, window, rows=1)
    photo.unlink()
    out = tmp_path / "clean"
    out.mkdir()
    run_export(qtbot, window, out)
    assert window.exporter.results.results[0].status is not ExportStatus.CLEANED
    assert not window.export_pane.show_folder.isEnabled()


def test_the_name_note_counts_the_copies_saved(qtbot, window: MainWindow, tmp_path: Path) -> None:
    # After a cancelled export of the 2,176-photo roll: '200 verified clean · cancelled
    # (1,976 not saved)' and '16 file names reveal something …', counted over the plan.
    dated = risky_jpeg(tmp_path / "IMG_20230124_101500.jpg")  # the name says when
    plain = risky_jpeg(tmp_path / "beach.jpg")
    window.add_paths([dated, plain])
    wait_idle(qtbot, window, rows=2)
    dated.unlink()  # its copy fails: no copy with a revealing name is saved
    out = tmp_path / "clean"
    out.mkdir()
    run_export(qtbot, window, out)
    assert "name reveals" not in window.export_pane.summary.text()
    dated.write_bytes(plain.read_bytes())
    window.session.show_report(dated, audit_file(dated, metadata_only=True))
    run_export(qtbot, window, out)
    assert "1 file name reveals something" in window.export_pane.summary.text()
