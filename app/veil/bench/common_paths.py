"""Where the shared evaluation data lives: ``--shared``, $VEIL_SHARED, or ../shared of the repo."""

from __future__ import annotations

import os
from pathlib import Path


def default_shared() -> Path | None:
    """The shared/ folder (corpus, faces, marks) if it can be found, else None."""
    env = os.environ.get("VEIL_SHARED")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [here.parents[3].parent / "shared", Path.cwd().parent / "shared"]
    for c in candidates:
        if c.is_dir():
            return c
    return None
