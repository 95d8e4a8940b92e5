"""Start the window: ``run_app(paths, screenshot=None)`` and the ``veil-gui`` entry point."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QRect, QSize, QTimer, Signal
from PySide6.QtWidgets import QApplication

from veil.gui.assets import app_icon
from veil.gui.dialogs import keep_qt_settings_off_disk
from veil.gui.imaging import Picture
from veil.gui.main_window import MainWindow
from veil.gui.style import apply_style

SCREENSHOT_SIZE = (1280, 800)
#: The window's usual size on a screen with room for it.
WINDOW_SIZE = QSize(*SCREENSHOT_SIZE)
#: Room left for what the window manager draws around the window (title bar, borders),
#: which is not known before the window is first shown.
FRAME_ROOM = QSize(16, 48)
#: Give up waiting for audits after this long, save what is shown, exit 1.
SCREENSHOT_TIMEOUT_MS = 1_800_000  # a safety net only: big folders take minutes


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists, e.g. under pytest-qt)."""
    # Audits run in worker processes, but thumbnails, previews and folder walks still run in
    # Python threads here; each Qt callback into Python (a paint asks data() a few hundred
    # times) must win the GIL back from them. A 1 ms switch interval (default 5 ms) bounds
    # each of those waits, at a negligible cost to the threads.
    sys.setswitchinterval(0.001)
    # Qt's file dialogs would write photo folders to ~/.config/QtProject.conf (issue 7).
    keep_qt_settings_off_disk()
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

    done = Signal(int)  # exit code

    def __init__(self, window: MainWindow, out: Path, has_paths: bool) -> None:
        super().__init__(window)
        self.window = window
        self.out = out
        self.code = 0
        self._saved = False
        self._timers: list[QTimer] = []
        if has_paths:
            window.session.audits_finished.connect(self._audits_done)
        else:
            self._after(300, self._save)
        self._after(SCREENSHOT_TIMEOUT_MS, self._timed_out)

    def _after(self, ms: int, slot: Callable[[], None]) -> None:
        timer = QTimer(self)  # owned, so nothing fires after the shot is taken
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        timer.start(ms)
        self._timers.append(timer)

    def _audits_done(self) -> None:
        if self.window.session.auditing:
            return
        self.window.select_first()
        if self.window.detail.key is None or self.window.detail.canvas.has_picture:
            self._after(250, self._save)  # let thumbnails and layout settle
            return
        self.window.session.picture_ready.connect(self._picture)
        self._after(5000, self._save)  # no preview coming (e.g. not an image)

    def _picture(self, picture: Picture) -> None:
        if picture.key == self.window.detail.key:
            self._after(250, self._save)

    def _timed_out(self) -> None:
        self.code = 1
        self._save()

    def _save(self) -> None:
        if self._saved:
            return
        self._saved = True
        for timer in self._timers:
            timer.stop()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(self.out), "PNG"):
            self.code = 1
        self.done.emit(self.code)


def show_fitted(window: MainWindow, available: QRect | None = None) -> None:
    """Show ``window`` at :data:`WINDOW_SIZE` when it fits ``available`` (default: its
    screen's available area) with its frame, else maximized at the size that fits.

    At 1280x800 on a 1280x800 (or 1366x768) screen the title bar pushed the bottom of the
    window off the screen: the status line with its progress and Cancel button could not
    be seen. A maximized window is fitted by the window manager, frame included.
    """
    if available is None:
        screen = window.screen()
        available = screen.availableGeometry() if screen is not None else QRect()
    if available.isEmpty():
        window.resize(WINDOW_SIZE)
        window.show()
        return
    room = available.size() - FRAME_ROOM
    if room.width() >= WINDOW_SIZE.width() and room.height() >= WINDOW_SIZE.height():
        window.resize(WINDOW_SIZE)
        window.show()
        return
    # Restored from maximized, it still fits the screen.
    window.resize(WINDOW_SIZE.boundedTo(room).expandedTo(window.minimumSizeHint()))
    window.showMaximized()


def run_app(paths: list[Path], screenshot: Path | None = None) -> int:
    """Open the window with ``paths`` preloaded; with ``screenshot``, save it and exit."""
    app = make_app()
    window = MainWindow()
    if screenshot is None:
        show_fitted(window)
    else:
        window.resize(*SCREENSHOT_SIZE)  # the same picture on every machine
        window.show()
    if screenshot is None:
        if paths:
            window.add_paths(list(paths))
        return int(app.exec())
    # A local loop, not app.exec(): a stray quit (e.g. from a closed window) can't end it
    # early, and it leaves the application's own loop alone.
    taker = ScreenshotTaker(window, screenshot, bool(paths))
    loop = QEventLoop()
    taker.done.connect(loop.exit)
    if paths:
        window.add_paths(list(paths))
    loop.exec()
    window.close()
    return taker.code


def main() -> int:
    """``veil-gui [PATH...]`` (the desktop launcher's entry point)."""
    from veil.cli.gui import open_window

    return open_window([Path(a) for a in sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
