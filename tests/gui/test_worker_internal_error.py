"""A reader bug in a worker process ends that file's row in an error state; the chunk's
other files are still audited (none is left "Checking…")."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.factories.basic import make_png
from tests.factories.gui_photos import risky_jpeg
from tests.gui.helpers import drop_paths, row_named
from veil.gui.main_window import MainWindow
from veil.gui.states import RowState

#: The worker, with the PNG reader raising what a parser bug raises (struct.error).
BROKEN_WORKER = """
import struct, sys
from veil.core.formats.png import Png

def read(cls, f, size):
    raise struct.error("unpack requires a buffer of 4 bytes")

Png.read = classmethod(read)
from multiprocessing.connection import Connection
from veil.gui.procs.child import serve
serve(Connection(int(sys.argv[-1])))
"""


def test_a_reader_bug_in_a_worker_is_that_rows_error(
    qtbot, monkeypatch, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from veil.gui.procs import pool as pool_module

    script = tmp_path / "broken_worker.py"
    script.write_text(BROKEN_WORKER)
    wrapper = tmp_path / "python"  # started as `python -m veil.gui.procs FD`, like the real one
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setattr(pool_module.sys, "executable", str(wrapper))
    from veil.gui.app import make_app

    make_app()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    try:
        roll = tmp_path / "roll"
        roll.mkdir()
        risky_jpeg(roll / "a.jpg")
        make_png(roll / "b.png")
        risky_jpeg(roll / "c.jpg")
        assert drop_paths(window.drop_zone, [roll])
        terminal = (RowState.DONE, RowState.ERROR, RowState.UNSUPPORTED)

        def settled() -> None:
            assert window.session.model.rowCount() == 3
            assert all(row_named(window, n).state in terminal for n in ("a.jpg", "b.png", "c.jpg"))

        qtbot.waitUntil(settled, timeout=30_000)
        broken = row_named(window, "b.png")
        assert broken.state is RowState.ERROR
        assert broken.report is not None and "internal error: struct.error" in (
            broken.report.error or "")
        assert row_named(window, "a.jpg").state is RowState.DONE
        assert row_named(window, "c.jpg").state is RowState.DONE
    finally:
        window.session.shutdown(5000)
