"""Veil: see what a photo reveals about you before you share it, and save cleaned copies."""

__version__ = "0.1.0"
