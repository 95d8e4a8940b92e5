"""``veil clean PATH... --out DIR`` (built by the export work)."""

from __future__ import annotations

from typing import Any


def add_parser(sub: Any) -> None:
    """Register ``clean`` (not available yet)."""
    p = sub.add_parser("clean", help="write cleaned copies (not built yet)")
    p.set_defaults(run=lambda a: 2)
