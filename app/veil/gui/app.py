"""Start the window: ``run_app(paths, screenshot=None)`` and the ``veil-gui`` entry point."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from veil.gui.assets import app_icon
from veil.gui.imaging import Picture
from veil.gui.main_window import MainWindow
from veil.gui.style import apply_style

SCREENSHOT_SIZE = (1280, 800)
#: Give up waiting for audits after this long and save what is shown (exit code 1).
SCREENSHOT_TIMEOUT_MS = 180_000


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists, e.g. under pytest-qt)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Veil")
    app.setApplicationDisplayName("Veil")
    app.setDesktopFileName("io.github.veil.Veil")
    app.setWindowIcon(app_icon())
    apply_style(app)
    return app


class ScreenshotTaker(QObject):
    """Waits (in the event loop) until every audit is done, selects row 1, saves a PNG."""

    def __init__(self, window: MainWindow, out: Path, has_paths: bool) -> None:
        super().__init__(window)
        self.window = window
        self.out = out
        self.code = 0
        self._saved = False
        if has_paths:
            window.session.audits_finished.connect(self._audits_done)
        else:
            QTimer.singleShot(300, self._save)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, self._timed_out)

    def _audits_done(self) -> None:
        if self.window.session.auditing:
            return
        self.window.select_first()
        if self.window.detail.key is None:
            QTimer.singleShot(200, self._save)
            return
        if self.window.detail.canvas.has_picture:
            QTimer.singleShot(250, self._save)
            return
        self.window.session.picture_ready.connect(self._picture)
        QTimer.singleShot(5000, self._save)  # no preview coming (e.g. not an image)

    def _picture(self, picture: Picture) -> None:
        if picture.key == self.window.detail.key:
            QTimer.singleShot(250, self._save)  # let thumbnails and layout settle

    def _timed_out(self) -> None:
        self.code = 1
        self._save()

    def _save(self) -> None:
        if self._saved:
            return
        self._saved = True
        self.out.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(self.out), "PNG"):
            self.code = 1
        self.window.close()
        QApplication.instance().exit(self.code)  # type: ignore[union-attr]


def run_app(paths: list[Path], screenshot: Path | None = None) -> int:
    """Open the window with ``paths`` preloaded; with ``screenshot``, save it and exit."""
    app = make_app()
    window = MainWindow()
    taker = None
    if screenshot is not None:
        window.resize(*SCREENSHOT_SIZE)
        taker = ScreenshotTaker(window, screenshot, bool(paths))
    else:
        window.resize(1280, 800)
    window.show()
    if paths:
        window.add_paths(list(paths))
    code = app.exec()
    if taker is not None:
        return taker.code
    return int(code)


def main() -> int:
    """``veil-gui [PATH...]`` (the desktop launcher's entry point)."""
    return run_app([Path(a) for a in sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
