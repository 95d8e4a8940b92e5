"""Veil's window: a thin PySide6 layer over :mod:`veil.core` (no logic of its own)."""
