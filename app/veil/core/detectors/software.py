"""``software``: the programs that made or edited the photo, and its editing history/IDs."""

from __future__ import annotations

import re

from veil.core import explain
from veil.core.detectors.common import brand, finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

_VERSION = re.compile(r"^(?:ver(?:sion)?\.?\s*)?(?P<v>v?\d[\w.]*)$", re.IGNORECASE)


#: One code-like token ("S901U1UEU2CWAI", "HD6.01.01.51.00", "E775v1.3u"): firmware builds.
#: A run of 5+ letters is a word ("Photoshop8"): an app's name, not a build code.
_BUILD = re.compile(r"(?=[\w.+-]*\d)(?=[\w.+-]*[A-Za-z])(?![\w.+-]*[A-Za-z]{5})"
                    r"[A-Za-z0-9][\w.+-]{3,}")


#: "K10D Ver 1.30", "Digital Camera FinePix2400Zoom Ver1.70": the model, then a version.
_MODEL_VERSION = re.compile(r"\bver(?:sion)?\.?\s*(?P<v>\d[\w.]*)$", re.IGNORECASE)


def _named(value: str, make: str | None, model: str | None = None) -> str:
    """Cameras and phones write only a version ("17.1.2", "Ver.1.02"), a build code
    ("S901U1UEU2CWAI") or their model and a version: say whose firmware it is."""
    maker = brand(make)
    if not maker:
        return value
    m = _VERSION.match(value)
    if m:
        return f"iOS {m['v']}" if maker == "Apple" else f"{maker} firmware {m['v']}"
    m = _MODEL_VERSION.search(value)
    if m and model and any(w in value.lower() for w in model.lower().split()
                           if len(w) >= 3 and w != maker.lower()):
        return f"{maker} firmware {m['v']}"
    if _BUILD.fullmatch(value) and not value.lower().startswith(maker.lower()):
        return f"{maker} firmware {value}"
    return value


def _listed(names: list[str], limit: int = 70) -> str:
    """"A, B and C" while it stays short, then "A, B and 3 more" (never a name cut in two)."""
    shown: list[str] = []
    for name in names:
        if shown and len(", ".join([*shown, name])) > limit:
            break
        shown.append(explain.quote(name, limit))
    rest = len(names) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    return explain.join_words(shown)


def detect_software(meta: Metadata) -> list[Finding]:
    """One low finding: software names, plus the XMP history and document IDs if present."""
    names = list(dict.fromkeys(
        _named(v, meta.make, meta.model) for _, v in meta.software if v != (meta.model or "")))
    history = meta.xmp_history
    if not names and not history:
        return []
    steps = sum(1 for k, _ in history if k.startswith("xmpMM:History") and k.endswith("action"))
    if names:
        summary = f"Names the software used: {_listed(names)}"
        if history:
            summary += ("; it also keeps hidden IDs that can link it to other versions of "
                        "the file")
    else:
        summary = "Keeps an editing history with IDs that can link it to other versions"
    detail = {"label": "Software", "software": pairs(meta.software),
              "history": pairs(history[:50]), "history_steps": steps}
    tags = [n for n, _ in meta.software] + (["XMP history"] if history else [])
    return [finding(FindingKind.SOFTWARE, Severity.LOW, summary, source_of(tags), detail)]
