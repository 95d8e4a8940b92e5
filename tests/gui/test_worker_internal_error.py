"""A bug while a worker process checks one file ends that file's row in an error state; the
other files are still audited (no row is left "Checking…")."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.factories.basic import make_png
from tests.factories.gui_photos import risky_jpeg
from tests.gui.helpers import drop_paths, row_named
from veil.gui.main_window import MainWindow
from veil.gui.states import RowState

#: The PNG reader raising what a parser bug raises: core's boundary (audit_file) catches it.
READER_BUG = """
import struct
from veil.core.formats.png import Png

def read(cls, f, size):
    raise struct.error("unpack requires a buffer of 4 bytes")

Png.read = classmethod(read)
"""
#: A bug around audit_file in the worker's loop: the pool errors that file, queues the rest.
LOOP_BUG = """
from veil.gui.procs import child
real = child.audit_file

def audit_file(path, **kw):
    if path.name == "b.png":
        raise RuntimeError("worker bug")
    return real(path, **kw)

child.audit_file = audit_file
"""
#: Then the worker itself, as ``python -m veil.gui.procs FD`` runs it.
SERVE = """
import sys
from multiprocessing.connection import Connection
from veil.gui.procs.child import serve
serve(Connection(int(sys.argv[-1])))
"""


@pytest.mark.parametrize(("patch", "reason"), [
    (READER_BUG, "internal error: struct.error: unpack requires a buffer of 4 bytes"),
    (LOOP_BUG, "internal error: RuntimeError: worker bug"),
])
def test_a_bug_on_one_file_is_that_rows_error(
    qtbot, monkeypatch, tmp_path: Path, patch: str, reason: str  # type: ignore[no-untyped-def]
) -> None:
    from veil.gui.app import make_app
    from veil.gui.procs import pool as pool_module

    script = tmp_path / "broken_worker.py"
    script.write_text(patch + SERVE)
    wrapper = tmp_path / "python"  # started with the real one's arguments (-m ... FD)
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setattr(pool_module.sys, "executable", str(wrapper))
    make_app()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    try:
        roll = tmp_path / "roll"
        roll.mkdir()
        names = ("a.jpg", "b.png", "c.jpg", "d.jpg")
        for name in names:
            make_png(roll / name) if name.endswith(".png") else risky_jpeg(roll / name)
        assert drop_paths(window.drop_zone, [roll])
        terminal = (RowState.DONE, RowState.ERROR, RowState.UNSUPPORTED)

        def settled() -> None:
            assert window.session.model.rowCount() == len(names)
            assert all(row_named(window, n).state in terminal for n in names)

        qtbot.waitUntil(settled, timeout=30_000)
        broken = row_named(window, "b.png")
        assert broken.state is RowState.ERROR
        assert broken.report is not None and reason in (broken.report.error or "")
        assert all(row_named(window, n).state is RowState.DONE for n in names if n != "b.png")
    finally:
        window.session.shutdown(5000)
