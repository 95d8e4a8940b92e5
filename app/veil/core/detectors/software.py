"""``software``: the programs that made or edited the photo, and its editing history/IDs."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    paths = computer_paths(v for _, v in history)
    if names:
        summary = f"Names the software used: {_listed(names)}"
        if paths:
            summary += f"; {_where(paths, also=True)}"
        elif history:
            summary += ("; it also keeps hidden IDs that can link it to other versions of "
                        "the file")
    elif paths:
        summary = f"Keeps an editing history that {_where(paths, also=False)}"
    else:
        summary = "Keeps an editing history with IDs that can link it to other versions"
    accounts = list(dict.fromkeys(a for _, a in paths if a))
    detail = {"label": "Software", "software": pairs(meta.software),
              "history": pairs(history[:50]), "history_steps": steps,
              "paths": [p for p, _ in paths], "accounts": accounts}
    tags = [n for n, _ in meta.software] + (["XMP history"] if history else [])
    # A user folder in a path names the account, often the person ("C:\Users\jane.doe").
    severity = Severity.MEDIUM if accounts else Severity.LOW
    return [finding(FindingKind.SOFTWARE, severity, summary, source_of(tags), detail)]


#: An absolute path on someone's computer: a Windows drive, a file:// URI, or a Mac/Linux
#: home or volume. The user folder, when there is one, is the account name.
_PATH = re.compile(
    r"(?:file:/+|(?<![\w/]))(?:[A-Za-z]:[\\/]|/(?:Users|home|Volumes|media|mnt)/)"
    r"[^\x00-\x1f\"<>|]*")
_ACCOUNT = re.compile(r"^(?:file:/+)?(?:[A-Za-z]:[\\/](?:Users|Documents and Settings)[\\/]|"
                      r"/?(?:Users|home)/)(?P<name>[^\\/]+)[\\/]", re.IGNORECASE)
_NOT_ACCOUNTS = frozenset({"public", "shared", "default", "all users", "guest"})


def computer_paths(values: Iterable[str]) -> list[tuple[str, str | None]]:
    """(path, account name or None) of each file path on a computer named in ``values``
    (an XMP history's "saved to C:\\Users\\jane\\Pictures\\a.psd", a DerivedFrom file)."""
    out: dict[str, str | None] = {}
    for value in values:
        for m in _PATH.finditer(value):
            path = m.group(0).strip().rstrip(".,;")
            account = _ACCOUNT.match(path)
            name = account["name"] if account else None
            out.setdefault(path, name if name and name.lower() not in _NOT_ACCOUNTS else None)
    return list(out.items())


def _where(paths: list[tuple[str, str | None]], *, also: bool) -> str:
    path, account = next(((p, a) for p, a in paths if a), paths[0])
    words = (f"{'it also names' if also else 'names'} a file on the computer it was edited "
             f"on: {explain.quote(path, 60)}")
    if account:
        words += f" (user name: {explain.quote(account, 30)})"
    more = len(paths) - 1
    return words + (f", and {more} more path{'s' if more > 1 else ''}" if more else "")
