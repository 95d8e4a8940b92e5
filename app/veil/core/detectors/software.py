"""``software``: the programs that made or edited the photo, and its editing history/IDs."""

from __future__ import annotations

import re

from veil.core import explain
from veil.core.detectors.common import brand, finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

_VERSION = re.compile(r"^(?:ver(?:sion)?\.?\s*)?(?P<v>v?\d[\w.]*)$", re.IGNORECASE)


def _named(value: str, make: str | None) -> str:
    """Cameras and phones write only a version ("17.1.2", "Ver.1.02"): say whose it is."""
    m = _VERSION.match(value)
    maker = brand(make)
    if not (m and maker):
        return value
    return f"iOS {m['v']}" if maker == "Apple" else f"{maker} firmware {m['v']}"


def detect_software(meta: Metadata) -> list[Finding]:
    """One low finding: software names, plus the XMP history and document IDs if present."""
    names = list(dict.fromkeys(
        _named(v, meta.make) for _, v in meta.software if v != (meta.model or "")))
    history = meta.xmp_history
    if not names and not history:
        return []
    steps = sum(1 for k, _ in history if k.startswith("xmpMM:History") and k.endswith("action"))
    if names:
        summary = f"Names the software used: {explain.quote(', '.join(names[:3]), 80)}"
        if history:
            summary += ", and keeps document IDs that can link it to other versions"
    else:
        summary = "Keeps an editing history with IDs that can link it to other versions"
    detail = {"label": "Software", "software": pairs(meta.software),
              "history": pairs(history[:50]), "history_steps": steps}
    tags = [n for n, _ in meta.software] + (["XMP history"] if history else [])
    return [finding(FindingKind.SOFTWARE, Severity.LOW, summary, source_of(tags), detail)]
