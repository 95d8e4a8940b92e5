"""Child process: the window with FOLDER loaded, kept open for N seconds (offscreen).

Faces and marks run on every photo while rows are selected one after another (previews keep
decoding); it quits after ``seconds``, or later if audits are still running (a slow machine),
at most 120 s later. Prints one JSON line:
seconds open, rows, rows done, faces found.

Usage: ``python -m tests.offline.window_alive FOLDER SECONDS``
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(folder: str, seconds: float) -> int:
    """Run the window's event loop for ``seconds``; print the summary line."""
    from PySide6.QtCore import QTimer

    from veil.core.model import FindingKind
    from veil.gui.app import make_app
    from veil.gui.main_window import MainWindow
    from veil.gui.states import RowState

    start = time.monotonic()
    app = make_app()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.add_paths([Path(folder)])
    step = {"i": 0}

    def browse() -> None:  # a user clicking through the list: previews decode again
        count = window.proxy.rowCount()
        if count == 0:
            return
        window.table.setCurrentIndex(window.proxy.index(step["i"] % count, 0))
        step["i"] += 1

    ticker = QTimer()
    ticker.timeout.connect(browse)
    ticker.start(700)

    def maybe_quit() -> None:  # at least ``seconds``; longer only while audits still run
        elapsed = time.monotonic() - start
        if elapsed >= seconds and (not window.session.auditing or elapsed >= seconds + 120):
            app.quit()

    closer = QTimer()
    closer.timeout.connect(maybe_quit)
    closer.start(500)
    app.exec()
    closer.stop()
    ticker.stop()
    rows = window.session.model.rows
    done = [r for r in rows if r.state is RowState.DONE]
    faces = sum(
        1 for r in done if r.report for f in r.report.findings if f.kind is FindingKind.FACE
    )
    summary = {"seconds": round(time.monotonic() - start, 1), "rows": len(rows),
               "done": len(done), "faces": faces}
    window.session.shutdown()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
