"""Veil's window: a thin PySide6 layer over :mod:`veil.core` (no logic of its own)."""

import os as _os

# The desktop launcher (``veil-gui`` -> ``veil.gui.app:main``) does not go through
# ``veil.cli.main``, which sets this before numpy loads: OpenBLAS's threads spin at start-up
# (~60 ms CPU) and the window's array work never needs them. A user's own setting wins.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
