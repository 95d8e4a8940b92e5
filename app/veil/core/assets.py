"""Where Veil's bundled files (model weights, icons, desktop files) live.

A wheel carries the repo's ``assets/`` folder as ``veil/assets/`` (hatch ``force-include``).
An editable install has no ``veil/assets``, so the repo's own ``assets/`` beside ``app/`` is
the fallback. Every module asks here rather than guessing paths itself.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # .../veil
#: Installed location first, then the source checkout (app/veil/core -> repo root).
_ROOTS: tuple[Path, ...] = (_PACKAGE_DIR / "assets", _PACKAGE_DIR.parents[1] / "assets")


def asset_path(*parts: str) -> Path | None:
    """The path of a bundled file (or folder) such as ``asset_path("models", "centerface.onnx")``.

    Returns the first existing candidate (installed package, then repo checkout), or None
    when no location has it. Never raises; never looks anywhere outside those two roots.
    """
    if not parts or any(p in ("", ".", "..") or "/" in p or "\\" in p for p in parts):
        return None
    for root in _ROOTS:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return None


def asset_roots() -> tuple[Path, ...]:
    """The folders searched, in order (for error messages and diagnostics)."""
    return _ROOTS
