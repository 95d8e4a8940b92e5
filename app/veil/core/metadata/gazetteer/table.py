"""What the place lookup needs of a city table, and the grid both tables are indexed by."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol


def cell_key(lat: float, lon: float) -> int:
    """The 1-degree grid cell of a point (0..65159), as both tables index it."""
    return (math.floor(lat) + 90) * 360 + (math.floor(lon) + 180) % 360




class Table(Protocol):
    """A city table: rows by grid cell, each with a point, a population and a display name.

    Implemented by :class:`~veil.core.metadata.gazetteer.packed.PackedTable` (the shipped
    file) and :class:`~veil.core.metadata.gazetteer.geonames.JsonTable` (the fallback).
    """

    def cell(self, key: int) -> Sequence[int]: ...
    def point(self, i: int) -> tuple[float, float]: ...
    def population(self, i: int) -> int: ...
    def name(self, i: int) -> str: ...
