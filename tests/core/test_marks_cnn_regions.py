"""The mark CNN's cell areas (``marks_cnn.regions``): one tight box per mark, marks split
where the heat between them dips, never nested or overlapping boxes."""

from __future__ import annotations

import numpy as np
import pytest

from veil.core.detectors.marks_cnn import STRIDE, CellMap, regions


def _blob(grid: np.ndarray, r: float, c: float, peak: float, sigma: float) -> None:
    yy, xx = np.mgrid[0:grid.shape[0], 0:grid.shape[1]]
    np.maximum(grid, peak * np.exp(-((yy - r) ** 2 + (xx - c) ** 2) / (2 * sigma**2)), out=grid)


def _map(grid: np.ndarray, scale: float = 1.0) -> CellMap:
    rows, cols = grid.shape
    return CellMap(grid.astype(np.float32), scale, round(cols * STRIDE / scale),
                   round(rows * STRIDE / scale))


def test_regions_one_blob_gives_one_tight_box_in_given_pixels() -> None:
    grid = np.zeros((30, 40), np.float32)
    _blob(grid, 10, 20, 0.95, 2.0)
    found = regions(_map(grid, scale=0.5), threshold=0.3)
    assert len(found) == 1
    # Cells >= 0.75 x peak lie within ~1.5 cells of the centre: rows/cols 19-21 around col
    # 20, i.e. x from 19 * 8 / 0.5 = 304 to 22 * 8 / 0.5 = 352 in given pixels.
    assert found[0].box == (304.0, 144.0, 352.0, 192.0)
    assert found[0].peak == pytest.approx(0.95, abs=1e-6)
    assert 0.75 * 0.95 <= found[0].mean <= 0.95


def test_regions_split_two_marks_joined_by_a_low_bridge() -> None:
    grid = np.zeros((20, 40), np.float32)
    _blob(grid, 10, 10, 0.9, 1.5)
    _blob(grid, 10, 22, 0.85, 1.5)
    grid[10, 10:23] = np.maximum(grid[10, 10:23], 0.42)  # one connected area at t=0.4
    found = regions(_map(grid), threshold=0.4)
    assert len(found) == 2
    (a, b) = sorted(found, key=lambda r: r.box[0])
    assert a.box[2] <= b.box[0]  # side by side, not nested, not overlapping
    assert a.peak == pytest.approx(0.9, abs=1e-6) and b.peak == pytest.approx(0.85, abs=1e-6)


def test_regions_one_mark_with_uneven_heat_stays_one_box() -> None:
    grid = np.zeros((20, 40), np.float32)
    _blob(grid, 10, 10, 0.9, 1.5)
    _blob(grid, 10, 16, 0.85, 1.5)
    grid[9:12, 10:17] = np.maximum(grid[9:12, 10:17], 0.6)  # a dip, not a valley
    found = regions(_map(grid), threshold=0.4)
    assert len(found) == 1
    assert found[0].box[0] < 10 * STRIDE and found[0].box[2] > 16 * STRIDE


def test_regions_keep_a_weaker_mark_next_to_a_strong_one() -> None:
    grid = np.zeros((20, 40), np.float32)
    _blob(grid, 10, 10, 0.95, 1.5)
    _blob(grid, 10, 20, 0.6, 1.5)  # below 0.75 x 0.95: a single cut would drop it
    grid[10, 10:21] = np.maximum(grid[10, 10:21], 0.45)
    found = regions(_map(grid), threshold=0.4)
    assert [round(r.peak, 2) for r in found] == [0.95, 0.6]
    strong, weak = found
    assert strong.box[2] <= weak.box[0]


def test_regions_nothing_above_threshold_and_limits() -> None:
    grid = np.full((10, 10), 0.2, np.float32)
    assert regions(_map(grid), threshold=0.5) == []
    assert regions(_map(np.zeros((0, 0), np.float32)), threshold=0.5) == []
    many = np.zeros((40, 40), np.float32)
    many[::4, ::4] = 0.9  # 100 isolated hot cells
    assert len(regions(_map(many), threshold=0.5, max_regions=7)) == 7


def test_regions_never_overlap() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        grid = np.zeros((24, 32), np.float32)
        for _ in range(5):
            _blob(grid, rng.uniform(0, 24), rng.uniform(0, 32), rng.uniform(0.5, 1), 2.0)
        boxes = [r.box for r in regions(_map(grid), threshold=0.3)]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
                # Pieces are disjoint cell sets; their boxes may touch diagonally but one
                # never contains the other.
                assert not (overlap and a[0] <= b[0] and a[1] <= b[1] and a[2] >= b[2]
                            and a[3] >= b[3])
