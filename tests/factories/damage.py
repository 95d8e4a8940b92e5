"""Shared hostile-input drills for container readers: every truncation, random byte damage."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from veil.core.errors import CorruptFile


def assert_truncations_flagged(read: Callable[[bytes], Any], data: bytes, stop: int) -> None:
    """Every prefix ``data[:cut]`` (cut < stop) raises CorruptFile or reads as incomplete."""
    for cut in range(0, stop):
        try:
            scan = read(data[:cut])
        except CorruptFile:
            continue
        assert not scan.complete, cut


def damaged_copies(data: bytes, seed: int, rounds: int = 300, start: int = 0) -> Iterator[bytes]:
    """``rounds`` copies of ``data`` with 1-6 random bytes from ``start`` on overwritten."""
    rng = random.Random(seed)
    for _ in range(rounds):
        broken = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            broken[rng.randrange(start, len(broken))] = rng.randrange(256)
        yield bytes(broken)
