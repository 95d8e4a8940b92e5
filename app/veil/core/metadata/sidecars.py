"""Files that travel next to a photo and describe it: Takeout JSON, XMP sidecars, Apple AAE.

Cleaning a photo does not touch these files, so what they reveal is reported separately
("A file next to this photo (photo.jpg.json) reveals ..."). Each is read with a size cap.
Folder listings are cached per folder so a 10,000-photo folder is listed once, not per photo.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from veil.core.metadata.model import Collector, clean_text
from veil.core.metadata.xmp import decode_xmp

MAX_SIDECAR = 4 * 1024 * 1024
_SUFFIXES = (".json", ".xmp", ".aae")
_DUP = re.compile(r"^(.*)\((\d+)\)(\.[^.]*)$")
_listing_lock = threading.Lock()
_listings: OrderedDict[tuple[str, int], tuple[str, ...]] = OrderedDict()


def _listing(folder: Path) -> tuple[str, ...]:
    """Sidecar-looking names in ``folder`` (cached by folder and modification time)."""
    try:
        key = (str(folder), os.stat(folder).st_mtime_ns)
    except OSError:
        return ()
    with _listing_lock:
        if key in _listings:
            _listings.move_to_end(key)
            return _listings[key]
    try:
        with os.scandir(folder) as it:
            names = tuple(e.name for e in it if e.name.lower().endswith(_SUFFIXES))
    except OSError:
        names = ()
    with _listing_lock:
        _listings[key] = names
        while len(_listings) > 16:
            _listings.popitem(last=False)
    return names


def _takeout_match(photo: str, stem: str) -> bool:
    """True when ``stem`` (a .json name without .json) is Takeout's sidecar for ``photo``.

    Takeout writes ``photo.jpg.json`` or ``photo.jpg.supplemental-metadata.json``, cuts long
    names (``photo.jpg.supplemental-metad.json``) and numbers duplicates after the whole
    name: ``photo(1).jpg`` -> ``photo.jpg(1).json`` / ``photo.jpg.supplemental-metadata(1)``.
    """
    photo, stem = photo.lower(), stem.lower()
    m = _DUP.match(photo)
    if m:
        photo = m.group(1) + m.group(3)
        dup = f"({m.group(2)})"
        if not stem.endswith(dup):
            return False
        stem = stem[: -len(dup)]
    elif re.search(r"\(\d+\)$", stem):
        return False
    if photo.endswith(tuple(f"-edited{ext}" for ext in (".jpg", ".jpeg", ".heic", ".png"))):
        photo = photo.replace("-edited", "", 1)  # edited copies share the original's JSON
    if stem == photo:
        return True
    full = photo + ".supplemental-metadata"
    if stem.startswith(photo + ".") and full.startswith(stem):
        return True
    return len(stem) >= 40 and full.startswith(stem)  # name cut inside the photo name


def find_sidecars(path: Path) -> list[Path]:
    """Sidecar files next to ``path`` (Takeout JSON, XMP, AAE), in a stable order."""
    names = _listing(path.parent)
    if not names:
        return []
    photo = path.name
    stem = path.stem.lower()
    found = []
    for name in sorted(names):
        low = name.lower()
        own = low[:-4] in (stem, photo.lower())
        if (low.endswith(".json") and _takeout_match(photo, name[:-5])) or (
            low.endswith((".xmp", ".aae")) and own
        ):
            found.append(path.parent / name)
    return found


def _read(path: Path) -> bytes | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a named pipe would block open() forever
        with open(path, "rb") as f:
            data = f.read(MAX_SIDECAR + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_SIDECAR else None


def read_sidecars(path: Path, col: Collector) -> None:
    """Find and read every sidecar of ``path`` into ``col.sidecar_values``. Never raises."""
    for side in find_sidecars(path):
        data = _read(side)
        if data is None:
            col.warnings.append(f"the file next to this photo ({side.name}) could not be read")
            continue
        low = side.name.lower()
        if low.endswith(".json"):
            found = _takeout(data, col)
        elif low.endswith(".xmp"):
            found = _xmp(data, col)
        else:
            found = _aae(data, col)
        if found is not None:
            col.sidecars.append(side)
            col.sidecar_values[side.name] = found


def _takeout(data: bytes, col: Collector) -> dict[str, Any] | None:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict):
        return None
    out: dict[str, Any] = {"type": "Google Takeout"}
    for key in ("geoData", "geoDataExif"):
        geo = doc.get(key)
        if isinstance(geo, dict):
            lat, lon = geo.get("latitude"), geo.get("longitude")
            if isinstance(lat, int | float) and isinstance(lon, int | float) \
                    and (lat, lon) != (0, 0) and abs(lat) <= 90 and abs(lon) <= 180:
                out.setdefault("location", [float(lat), float(lon)])
                col.tag("Sidecar", f"{key}", f"{lat}, {lon}")
    for key in ("photoTakenTime", "creationTime"):
        stamp = doc.get(key)
        if isinstance(stamp, dict) and stamp.get("timestamp"):
            ts = clean_text(stamp["timestamp"], 20)
            col.tag("Sidecar", key, clean_text(stamp.get("formatted") or ts))
            if key == "photoTakenTime" and ts.isdigit():
                out["time"] = int(ts)
    people = doc.get("people")
    if isinstance(people, list):
        names = [clean_text(p.get("name"), 100) for p in people[:100]
                 if isinstance(p, dict) and p.get("name")]
        if names:
            out["people"] = names
            col.tag("Sidecar", "people", ", ".join(names))
    for key in ("description", "title", "url"):
        value = doc.get(key)
        if isinstance(value, str) and value.strip():
            col.tag("Sidecar", key, value)
            if key == "description":
                out["description"] = clean_text(value, 200)
    origin = doc.get("googlePhotosOrigin")
    if isinstance(origin, dict):
        col.tag("Sidecar", "googlePhotosOrigin", json.dumps(origin)[:300])
        mobile = origin.get("mobileUpload")
        if isinstance(mobile, dict) and mobile.get("deviceType"):
            out["device"] = clean_text(mobile["deviceType"], 60)
    return out


def _xmp(data: bytes, col: Collector) -> dict[str, Any]:
    side = Collector()
    decode_xmp(data, side, group="XMP sidecar")
    col.tags.extend(side.tags[:500])
    out: dict[str, Any] = {"type": "XMP"}
    if side.gps:
        out["location"] = [side.gps[0].lat, side.gps[0].lon]
    if side.people:
        out["people"] = sorted({p.name for p in side.people})
    if side.owners:
        out["owners"] = [v for _, v in side.owners][:10]
    if side.serials:
        out["serials"] = [v for _, v in side.serials][:10]
    if side.datetimes:
        out["time_text"] = side.datetimes[0][1]
    if side.places:
        out["places"] = [v for _, v in side.places][:10]
    return out


def _aae(data: bytes, col: Collector) -> dict[str, Any] | None:
    if re.search(rb"<!\s*ENTITY", data, re.IGNORECASE):
        col.warnings.append("an .AAE file next to this photo declares XML entities; not read")
        return None
    import plistlib  # only for an .AAE next to the photo: rare, and it pulls in more

    try:
        doc = plistlib.loads(data)
    except Exception:  # plistlib raises many types on damaged files
        return None
    if not isinstance(doc, dict):
        return None
    out: dict[str, Any] = {"type": "Apple edits"}
    for key in ("adjustmentFormatIdentifier", "adjustmentFormatVersion",
                "adjustmentEditorBundleID", "adjustmentBaseVersion"):
        if key in doc and not isinstance(doc[key], bytes | dict | list):
            out[key] = col.tag("Sidecar", key, doc[key])
    if isinstance(doc.get("adjustmentData"), bytes):
        col.tag("Sidecar", "adjustmentData", f"{len(doc['adjustmentData'])} bytes of edits")
        out["edits"] = True
    return out
