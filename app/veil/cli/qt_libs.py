"""Before the window starts: are the system libraries Qt's X11 (xcb) platform needs present?

PySide6's wheels carry Qt itself but not the X11 helper libraries its xcb plugin links
against. A minimal desktop may lack some (``libxcb-cursor0`` since Qt 6.5, ``libxcb-icccm4``,
``libxcb-keysyms1``…); Qt then aborts with a long message that names none of the packages.
This module names them, so ``make run`` / ``veil`` can say exactly what to install.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

#: Every X11 library Qt 6's ``libqxcb.so`` plugin needs (read with ldd from PySide6 6.11),
#: with the Debian/Ubuntu package that ships it.
XCB_LIBRARIES: Mapping[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
}


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Will Qt pick its X11 plugin? (Linux, no explicit other platform, no Wayland session.)"""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def missing_packages(loadable: Callable[[str], bool] | None = None) -> list[str]:
    """Debian package names of the X11 libraries that cannot be loaded (empty: all present)."""
    loadable = loadable or _loadable
    return sorted({pkg for soname, pkg in XCB_LIBRARIES.items() if not loadable(soname)})


def install_hint(packages: list[str]) -> str:
    """One plain message naming exactly what to install."""
    return (
        "veil: the window needs system libraries that are missing: "
        + " ".join(packages)
        + "\n  Debian/Ubuntu: sudo apt-get install "
        + " ".join(packages)
        + "\n  (Fedora: sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms;"
        " Arch: sudo pacman -S xcb-util-cursor xcb-util-wm xcb-util-keysyms)"
    )


def check_window_libraries(environ: Mapping[str, str] | None = None) -> str | None:
    """The install hint when the window cannot start for want of X11 libraries, else None."""
    env = os.environ if environ is None else environ
    if not uses_xcb(env):
        return None
    missing = missing_packages()
    return install_hint(missing) if missing else None
