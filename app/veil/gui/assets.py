"""Icons from the bundled assets, located by :func:`veil.core.assets.asset_path`."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon, QPixmap

from veil.core.assets import asset_path


@cache
def icon(name: str) -> QIcon:
    """``icons/<name>.svg`` (or .png) as a QIcon; an empty icon when missing."""
    for ext in ("svg", "png"):
        path = asset_path("icons", f"{name}.{ext}")
        if path is not None:
            return QIcon(str(path))
    return QIcon()


def app_icon() -> QIcon:
    """The window icon with every PNG size shipped, plus the SVG."""
    result = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        path = asset_path("icons", f"veil-{size}.png")
        if path is not None:
            result.addPixmap(QPixmap(str(path)))
    svg = asset_path("icons", "veil.svg")
    if svg is not None:
        result.addFile(str(svg))
    return result
