"""Fixtures shared by the core tests of one format family."""

from __future__ import annotations

import pytest

from tests.factories.isobmff import Coded, encode_tile


@pytest.fixture(scope="module")
def coded() -> Coded:
    """A small coded HEVC picture (64x64) that the HEIF tests assemble their files around
    (pillow-heif encodes it once per test module; the modules using it skip without it)."""
    return encode_tile((64, 64))
