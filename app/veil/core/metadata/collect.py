"""Run every reader over a :class:`ContainerScan` into one :class:`Collector`.

Each block is decoded on its own: one damaged block adds a warning and marks the result
incomplete, and the others are still read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple

from veil.core.errors import CorruptFile
from veil.core.formats.base import ContainerScan
from veil.core.metadata.appdata import decode_maker_data
from veil.core.metadata.exif import decode_exif, dms_to_degrees
from veil.core.metadata.icc import icc_texts, loose_texts
from veil.core.metadata.iptc import decode_photoshop
from veil.core.metadata.model import VIDEO_GROUP, VIDEO_SOURCE, Collector, GeoPoint, clean_text
from veil.core.metadata.sidecars import read_sidecars
from veil.core.metadata.xmp import decode_xmp

#: PNG/WebP/GIF text keys (compared lower-case) and what they hold. The PNG spec's own
#: keywords plus what common writers use; anything else is free text.
_TEXT_ROLES = {"author": "owner", "copyright": "owner", "artist": "owner", "creator": "owner",
               "owner": "owner", "photographer": "owner", "copyright notice": "owner",
               "creation time": "time", "time": "time", "timestamp": "time", "date": "time",
               "date:create": "time", "date:modify": "time", "date:timestamp": "time",
               "software": "soft", "source": "soft"}
#: Words in a text key that mean it holds a place ("Location", "GPS", "City"...).
_PLACE_WORDS = re.compile(r"(?:\b|_)(?:locat|place|city|country|address|gps|geo|latitude|"
                          r"longitude|coordinates|province)", re.IGNORECASE)
#: "48.8584, 2.2945" (optionally with N/S/E/W or a "lat"/"lon" label) in a place text.
_LATLON = re.compile(r"(-?\d{1,2}\.\d{2,})\s*°?\s*([NS])?\s*[,;/ ]\s*(?:lon\w*\s*[:=]?\s*)?"
                     r"(-?\d{1,3}\.\d{2,})\s*°?\s*([EW])?", re.IGNORECASE)
#: Text keys that are really other metadata blocks (ImageMagick "Raw profile type ...").
_RAW_PROFILES = ("raw profile type exif", "raw profile type app1", "raw profile type iptc",
                 "raw profile type 8bim", "raw profile type xmp")


def _guarded(col: Collector, what: str, fn: Callable[[], None]) -> None:
    try:
        fn()
    except (RecursionError, MemoryError):
        col.warnings.append(f"the {what} is too deeply nested or too large to read")
        col.incomplete = True
    except Exception:  # last line of defence: a reader bug must not sink the whole file
        col.warnings.append(f"the {what} could not be read")
        col.incomplete = True


def collect(path: Path, scan: ContainerScan, *, sidecars: bool = True) -> Collector:
    """Decode every block of ``scan`` (and, unless ``sidecars`` is False, the sidecars next
    to ``path``)."""
    col = Collector()
    for payload in scan.exif:
        _guarded(col, "EXIF block", partial(decode_exif, payload, col))
    for payload in scan.xmp:
        _guarded(col, "XMP block", partial(decode_xmp, payload, col))
    for payload in scan.iptc:
        _guarded(col, "IPTC block", partial(decode_photoshop, payload, col))
    for comment in scan.comments:
        col.tag("Comment", "Comment", comment)
        col.text("Comment", comment)
    group = f"{scan.format.upper()} text"
    for key, value in scan.text:
        _guarded(col, "text block", partial(_text, group, key, value, col))
    if "magick:GPSLatitude" in col.values:
        _guarded(col, "text block", lambda: _magick_gps(col))
    if scan.maker_data:
        _guarded(col, "maker data", partial(decode_maker_data, scan.maker_data, col))
    if scan.icc:
        _guarded(col, "colour profile", lambda: _icc(scan.icc or b"", col))
    if scan.video is not None:
        from veil.core.metadata.video import collect_video

        _guarded(col, "movie's metadata", lambda: collect_video(scan.video, col))
    if any(e.kind == "motion_video" for e in scan.embedded):
        _guarded(col, "hidden video's details", lambda: _video(scan, col))
    if sidecars:
        _guarded(col, "sidecar files", lambda: read_sidecars(path, col))
    return col


def _video(scan: ContainerScan, col: Collector) -> None:
    """Time and place a motion photo's video records in its own header (``mp4.probe``).

    Cleaning the picture's EXIF leaves them in the video, so they are findings of their own.
    """
    from veil.core.explain import parse_when

    for item in scan.embedded:
        if item.kind != "motion_video":
            continue
        created = item.detail.get("created")
        when = parse_when(created) if isinstance(created, str) else None
        # 0 is "unset" and pre-1995 values are encoders writing a Unix time into the
        # 1904-based field: neither says when anything was filmed.
        if when and int(when["y"]) >= 1995:
            col.tag(VIDEO_GROUP, "CreationTime", created)
            col.when(f"{VIDEO_GROUP} CreationTime", created)
        gps = item.detail.get("gps")
        if not isinstance(gps, dict):
            continue
        lat, lon = gps.get("lat"), gps.get("lon")
        if not (isinstance(lat, int | float) and isinstance(lon, int | float)) \
                or isinstance(lat, bool) or isinstance(lon, bool):
            continue
        if math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180 \
                and (lat, lon) != (0, 0):
            col.tag(VIDEO_GROUP, "GPSCoordinates", f"{lat}, {lon}")
            col.gps.append(GeoPoint(round(float(lat), 7), round(float(lon), 7), VIDEO_SOURCE))


def _text(group: str, key: str, value: str, col: Collector) -> None:
    low = key.lower().strip()
    if low in _RAW_PROFILES:
        data = _raw_profile(value)
        if data is None:
            col.warnings.append(f"the {key} text block is damaged")
            col.incomplete = True
        elif low.endswith(("exif", "app1")):
            decode_exif(data[6:] if data.startswith(b"Exif\0") else data, col)
        elif low.endswith("xmp"):
            decode_xmp(data, col)
        else:
            decode_photoshop(data, col)
        return
    if low == "exif" and value.startswith(("Exif", "II*", "MM\0*")):
        # Pillow/others store the raw EXIF block in a tEXt chunk named "exif"
        raw = value.encode("latin-1", "replace")
        decode_exif(raw[6:] if raw.startswith(b"Exif\0") else raw, col)
        return
    if low == "xml:com.adobe.xmp":
        decode_xmp(value.encode("utf-8", "replace"), col)
        return
    text = col.tag(group, key, value)
    if low.startswith("icc:"):
        return  # ImageMagick's copy of the colour profile's own name and copyright
    if low.startswith("exif:"):
        _magick_exif(key[5:], text, col)
        return
    role = _TEXT_ROLES.get(low)
    if role is None and _PLACE_WORDS.search(low):
        col.place(f"{group} {key}", text)
        _text_coordinates(group, key, text, col)
        return
    if role == "owner":
        col.owner(f"{group} {key}", text)
    elif role == "time":
        col.when(f"{group} {key}", text)
    elif role == "soft":
        col.soft(f"{group} {key}", text)
    else:
        col.text(f"{group} {key}", text)


def _text_coordinates(group: str, key: str, text: str, col: Collector) -> None:
    """A decimal "lat, lon" written in a place text is a position, not just a name."""
    m = _LATLON.search(text)
    if not m:
        return
    lat, lon = float(m[1]), float(m[3])
    lat = -abs(lat) if (m[2] or "").upper() == "S" else lat
    lon = -abs(lon) if (m[4] or "").upper() == "W" else lon
    if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0.0, 0.0):
        col.gps.append(GeoPoint(round(lat, 7), round(lon, 7), f"{group} {key}"))


_MAGICK_ROLES = {"make": "make", "model": "model", "artist": "owner", "copyright": "owner",
                 "cameraownername": "owner", "bodyserialnumber": "serial",
                 "lensserialnumber": "serial", "imageuniqueid": "serial",
                 "datetimeoriginal": "time", "datetime": "time", "software": "soft",
                 "imagedescription": "text", "usercomment": "text"}


def _magick_exif(name: str, value: str, col: Collector) -> None:
    """ImageMagick copies EXIF into PNG text as "exif:Name" = value: lift the leaky ones."""
    role = _MAGICK_ROLES.get(name.lower())
    if role == "make":
        col.make = col.make or value
    elif role == "model":
        col.model = col.model or value
    elif role == "owner":
        col.owner(name, value)
    elif role == "serial":
        col.serial(name, value)
    elif role == "time":
        col.when(name, value)
    elif role == "soft":
        col.soft(name, value)
    elif role == "text":
        col.text(name, value)
    elif name in ("GPSLatitude", "GPSLongitude", "GPSLatitudeRef", "GPSLongitudeRef"):
        col.values[f"magick:{name}"] = value  # combined once all text is read


def _magick_gps(col: Collector) -> None:
    lat, lon = col.values.get("magick:GPSLatitude"), col.values.get("magick:GPSLongitude")
    if not (isinstance(lat, str) and isinstance(lon, str)):
        return
    la, lo = dms_to_degrees(_ratios(lat)), dms_to_degrees(_ratios(lon))
    if la is None or lo is None:
        return
    if str(col.values.get("magick:GPSLatitudeRef", "")).upper().startswith("S"):
        la = -la
    if str(col.values.get("magick:GPSLongitudeRef", "")).upper().startswith("W"):
        lo = -lo
    if abs(la) <= 90 and abs(lo) <= 180 and (la, lo) != (0.0, 0.0):
        col.gps.append(GeoPoint(round(la, 7), round(lo, 7), "PNG text (EXIF copy)"))


class _Rational(NamedTuple):
    """numerator/denominator as written; a zero denominator is refused by the GPS code."""

    numerator: int
    denominator: int


def _ratios(text: str) -> list[_Rational]:
    """"48/1, 51/1, 30/1" -> rationals."""
    out = []
    for part in text.split(",")[:3]:
        num, _, den = part.strip().partition("/")
        try:
            out.append(_Rational(int(num), int(den or 1)))
        except ValueError:
            break
    return out


def _raw_profile(value: str) -> bytes | None:
    """ImageMagick's "\\nexif\\n   1234\\n<hex>" text encoding of a binary profile."""
    parts = value.strip().split(None, 2)
    if len(parts) < 3 or not parts[1].isdigit():
        return None
    try:
        data = bytes.fromhex("".join(parts[2].split()))
    except ValueError:
        return None
    return data[: int(parts[1])]


#: Display names of the ICC text tags (as exiftool's ICC_Profile group calls them).
_ICC_TAGS = {"desc": "ProfileDescription", "cprt": "ProfileCopyright",
             "dmnd": "DeviceMfgDesc", "dmdd": "DeviceModelDesc"}


def _icc(icc: bytes, col: Collector) -> None:
    """Every text of the colour profile (its name, copyright, device maker and model...):
    a profile made on someone's computer is often named after it, or after them.

    ``values["ICC:Texts"]`` holds (tag, text) pairs for the detector; a profile too damaged
    to parse gives its printable runs instead (tag "raw"), so a name in it is still seen.
    """
    try:
        texts = list(icc_texts(icc).texts)
    except CorruptFile as exc:
        col.warnings.append(f"the colour profile is damaged ({exc}); its text was read loosely")
        texts = [("raw", t) for t in loose_texts(icc)]
    desc = next((t for sig, t in texts if sig == "desc"), None)
    if not texts:
        col.tag("ICC", "ProfileDescription", f"{len(icc)} bytes")
    for sig, text in texts:
        col.tag("ICC", _ICC_TAGS.get(sig, sig), text)
    col.values["ICC:Texts"] = tuple((sig, clean_text(text)) for sig, text in texts)
    if desc:
        col.values["ICC:Description"] = clean_text(desc)
    if len(icc) >= 56 and icc[48:52].strip(b"\0 "):
        col.tag("ICC", "DeviceManufacturer", icc[48:52].decode("latin-1"))


def icc_description(icc: bytes) -> str | None:
    """The 'desc' text of an ICC profile (v2 'desc' or v4 'mluc'), bounded; else None."""
    try:
        return icc_texts(icc).get("desc") or None
    except CorruptFile:
        return None
    count = min(int.from_bytes(icc[128:132], "big"), 200)
    for i in range(count):
        at = 132 + 12 * i
        if at + 12 > len(icc):
            break
        if icc[at : at + 4] != b"desc":
            continue
        off = int.from_bytes(icc[at + 4 : at + 8], "big")
        size = int.from_bytes(icc[at + 8 : at + 12], "big")
        body = icc[off : off + min(size, 4096)]
        if body[:4] == b"desc" and len(body) >= 12:
            n = int.from_bytes(body[8:12], "big")
            return body[12 : 12 + n].split(b"\0", 1)[0].decode("latin-1").strip() or None
        if body[:4] == b"mluc" and len(body) >= 28:
            length = int.from_bytes(body[20:24], "big")
            start = int.from_bytes(body[24:28], "big")
            return body[start : start + length].decode("utf-16-be", "replace").strip() or None
    return None
