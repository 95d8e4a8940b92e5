"""File dialogs that leave no trace of photo paths on disk.

Qt's QFileDialog saves its history and last-visited folder to the user's settings
(``~/.config/QtProject.conf`` on Linux, the registry on Windows) whenever a dialog closes, and
native platform dialogs keep their own recent-files lists (GTK's ``recently-used.xbel``,
Windows' most-recently-used keys) outside Qt's control. Veil stores no photo path unless the
user opts in, so:

* :func:`keep_qt_settings_off_disk` points every user-scope QSettings of this process at a
  private temporary folder (mode 0700) that is deleted when the process exits;
* after each dialog the ``FileDialog`` group is erased again, so even a crash (which skips
  the clean-up at exit) leaves no folder behind; the dialog still reopens where it was left,
  which Qt keeps in memory;
* the dialogs are Qt's own widgets (``DontUseNativeDialog``), never the platform's.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

#: Qt's own dialog: the platform's dialogs keep recent-file lists Veil cannot switch off.
DIALOG_OPTIONS = QFileDialog.Option.DontUseNativeDialog
_settings_dir: str | None = None


def keep_qt_settings_off_disk() -> Path:
    """Send this process's user-scope QSettings to a temporary folder removed at exit.

    Call before the first dialog opens (Qt reads the path when a QSettings is made). Safe to
    call again: the same folder is kept. Returns the folder (for tests).
    """
    global _settings_dir
    if _settings_dir is None:
        _settings_dir = tempfile.mkdtemp(prefix="veil-qt-settings-")  # mode 0700
        atexit.register(shutil.rmtree, _settings_dir, ignore_errors=True)
        # INI everywhere: on Windows the native format is the registry, which setPath can't
        # redirect; on Linux and macOS-with-INI the two formats share the user path.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, _settings_dir)
    return Path(_settings_dir)


def ask_folder(parent: QWidget | None, caption: str) -> Path | None:
    """A folder chosen by the user, or None when cancelled."""
    keep_qt_settings_off_disk()
    options = DIALOG_OPTIONS | QFileDialog.Option.ShowDirsOnly
    folder = QFileDialog.getExistingDirectory(parent, caption, "", options)
    _forget_history()
    return Path(folder) if folder else None


def ask_files(parent: QWidget | None, caption: str, name_filter: str) -> list[Path]:
    """Files chosen by the user (empty when cancelled)."""
    keep_qt_settings_off_disk()
    files, _ = QFileDialog.getOpenFileNames(parent, caption, "", name_filter, "", DIALOG_OPTIONS)
    _forget_history()
    return [Path(f) for f in files]


def _forget_history() -> None:
    """Erase what the dialog just saved (history, last folder) from the temporary settings."""
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.remove("FileDialog")
    settings.sync()
