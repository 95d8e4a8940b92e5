"""Safe terminal text: metadata is hostile input, so control characters never reach a tty."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str, limit: int = 300) -> str:
    """``text`` without control/bidi characters, cut to ``limit`` characters."""
    cleaned = _CONTROL.sub("?", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
