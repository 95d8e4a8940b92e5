"""The window stores no photo path on disk: the file dialogs' history and last-visited folder
(Qt writes them to ~/.config/QtProject.conf) never reach the user's home folder.

Run in a child process with HOME (and the temp folder) pointing into a fresh folder: Qt picks
its settings path once per process, so the test process itself can't be redirected.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.factories.gui_photos import risky_jpeg

REPO = Path(__file__).resolve().parents[2]
MARK = "secret-album-7f3a"

# Drives the real dialogs: each modal QFileDialog is answered from a timer in its own loop.
DRIVER = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from veil.gui.app import make_app
from veil.gui.main_window import MainWindow

folder, photo, out, home, mark = sys.argv[1:6]
app = make_app()
win = MainWindow()
win.show()
answered = []
added = []
win.add_paths = added.extend  # the dialogs are under test here, not the audit

def answer(choose):
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, QFileDialog):
        QTimer.singleShot(10, lambda: answer(choose))
        return
    choose(dialog)
    answered.append(dialog.testOption(QFileDialog.Option.DontUseNativeDialog))
    dialog.accept()

def go_to(path):
    return lambda d: d.setDirectory(path)

def pick(path):
    def choose(d):
        d.setDirectory(str(Path(path).parent))
        d.selectFile(path)
    return choose

QTimer.singleShot(0, lambda: answer(go_to(folder)))
win.add_folder()
QTimer.singleShot(0, lambda: answer(pick(photo)))
win.add_photos()
QTimer.singleShot(0, lambda: answer(go_to(out)))
win.export_pane.choose_folder()
print("answered", answered)
print("destination", win.export_pane.destination)
print("added", [Path(p).name for p in added])
# Even while running (a crash skips the clean-up at exit) no file under HOME names them.
running = [str(p) for p in Path(home).rglob("*") if p.is_file() and mark.encode() in p.read_bytes()]
print("while running", running)
win.session.shutdown(5000)
win.close()
del win
"""


def test_file_dialogs_leave_no_photo_path_under_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "tmp").mkdir(parents=True)
    folder = tmp_path / MARK
    folder.mkdir()
    photo = risky_jpeg(folder / f"{MARK}-photo.jpg")
    out = tmp_path / f"{MARK}-clean"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(
        HOME=str(home),
        TMPDIR=str(home / "tmp"),  # a temporary settings folder must be gone at exit too
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(REPO / "app"), str(REPO)]),
    )
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(folder), str(photo), str(out), str(home), MARK],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The dialogs really were shown and answered (non-native: no platform recent-files list).
    assert "answered [True, True, True]" in done.stdout, done.stdout + done.stderr[-2000:]
    assert f"destination {out}" in done.stdout
    assert f"added ['{MARK}', '{MARK}-photo.jpg']" in done.stdout
    assert "while running []" in done.stdout, done.stdout
    leaks = []
    for path in home.rglob("*"):
        if path.is_file() and MARK.encode() in path.read_bytes():
            leaks.append(path.relative_to(home))
    assert leaks == [], f"photo paths stored on disk in {leaks}"
