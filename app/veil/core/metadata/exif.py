"""Decode one EXIF TIFF payload (exifread, ``details=False``) into a :class:`Collector`.

exifread reads IFD0, the Exif IFD, GPS, Interop and IFD1 (thumbnail). It skips MakerNote,
UserComment and the Windows XP tags in fast mode, so those are read by :mod:`makernotes`'
small IFD walker on the same bytes. Decoding only the serial tags of a MakerNote this way
costs 0.065 s CPU for the 90 EXIF blocks of ../shared/corpus, against 0.41 s for exifread's
``details=True`` (which reads every MakerNote byte with its own seek and read), and finds
more serials (Olympus Equipment, Pentax, Panasonic, Sigma, Ricoh, Nintendo, Reconyx...).
"""

from __future__ import annotations

import io
import logging
import math
from typing import Any

import exifread

from veil.core.metadata import exif_lean, exif_numbers, makernotes
from veil.core.metadata import ifd as ifdread
from veil.core.metadata.exif_bounds import bounded
from veil.core.metadata.exif_values import jpeg_size, user_comment
from veil.core.metadata.geotiff import lift_geotiff
from veil.core.metadata.model import Collector, GeoPoint, Person, clean_text

# exifread logs "possibly corrupted field" warnings; users must never see library noise.
logging.getLogger("exifread").setLevel(logging.CRITICAL)
exif_numbers.install()

_GROUPS = {"Image": "EXIF", "EXIF": "EXIF", "Interoperability": "EXIF", "GPS": "GPS",
           "Thumbnail": "EXIF IFD1", "MakerNote": "MakerNote"}
_XP = {0x9C9B: "XPTitle", 0x9C9C: "XPComment", 0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords",
       0x9C9F: "XPSubject"}
_SERIAL_TAGS = ("EXIF BodySerialNumber", "EXIF LensSerialNumber", "EXIF ImageUniqueID",
                "Image CameraSerialNumber", "Image RawDataUniqueID", "EXIF RawDataUniqueID",
                "Image BodySerialNumber")
#: IFD0 tags exifread has no name for, under the name exiftool gives them (exifread calls
#: them "Image Tag 0x...."). DNG's CameraSerialNumber (0xC62F) is a serial like any other.
_UNNAMED = {"Image Tag 0xC62F": "Image CameraSerialNumber"}
_OWNER_TAGS = ("Image Artist", "Image Copyright", "EXIF CameraOwnerName")
_TIMES = (("EXIF DateTimeOriginal", "EXIF OffsetTimeOriginal", "EXIF SubSecTimeOriginal"),
          ("EXIF DateTimeDigitized", "EXIF OffsetTimeDigitized", "EXIF SubSecTimeDigitized"),
          ("Image DateTime", "EXIF OffsetTime", "EXIF SubSecTime"))


def _tiff(payload: bytes) -> bytes:
    """The TIFF block: handlers give "II*\\0..."; tolerate a leading "Exif\\0\\0"."""
    return payload[6:] if payload.startswith(b"Exif\0") else payload


def decode_exif(payload: bytes, col: Collector) -> None:
    """Add everything in one EXIF TIFF ``payload`` to ``col``. Never raises for bad data.

    An undecodable payload adds a warning and marks ``col.incomplete``.
    """
    buf = _tiff(payload)
    if buf[:4] not in (b"II*\0", b"MM\0*"):
        col.warnings.append("an EXIF block has no valid TIFF header; it was not read")
        col.incomplete = True
        return
    ifds: dict[int, dict[int, ifdread.Entry]] = {}
    buf = bounded(buf, col, ifds)
    try:
        tags: dict[str, Any] = (
            exif_lean.process(io.BytesIO(buf)) if exif_lean.active()
            else exifread.process_file(io.BytesIO(buf), details=False)
        )
    except Exception:  # exifread raises many types on hostile data; the file goes on
        col.warnings.append("an EXIF block is damaged and could not be fully read")
        col.incomplete = True
        return
    for raw_key, name in _UNNAMED.items():
        if raw_key in tags and name not in tags:
            tags[name] = tags.pop(raw_key)
    bo = "<" if buf[:2] == b"II" else ">"
    for key, tag in tags.items():
        if key in ("JPEGThumbnail", "TIFFThumbnail") or not hasattr(tag, "printable"):
            continue
        group, _, name = key.partition(" ")
        col.tag(_GROUPS.get(group, "EXIF"), name, tag.printable)
    try:
        _lift_basics(tags, col)
        _lift_gps(tags, col)
        _lift_thumbnail(tags, col)
        lift_geotiff(tags, col)
        _lift_raw_tags(buf, bo, tags, col, ifds)
    except (TypeError, ValueError, IndexError, AttributeError, OverflowError):
        # exifread hands odd types for hostile tags (a string where a number belongs)
        col.warnings.append("some EXIF values are malformed and were not read")
        col.incomplete = True


def _s(tags: dict[str, Any], key: str) -> str:
    tag = tags.get(key)
    if tag is None:
        return ""
    values = tag.values
    if isinstance(values, bytes | str):
        return clean_text(values.rstrip(b"\0") if isinstance(values, bytes) else values)
    return clean_text(tag.printable)


def _lift_basics(tags: dict[str, Any], col: Collector) -> None:
    model = _s(tags, "Image Model")
    if model and col.model and model.lower() != col.model.lower():
        # A second block naming another camera (an early Canon's CIFF block kept in a JPEG
        # another camera wrote): the file says more than the first model.
        col.device("Model", model)
    col.make = col.make or _s(tags, "Image Make") or None
    col.model = col.model or model or None
    col.lens = col.lens or _s(tags, "EXIF LensModel") or None
    for key in _SERIAL_TAGS:
        if key in tags:
            col.serial(key.split(" ")[1], _s(tags, key))
    for key in _OWNER_TAGS:
        if key in tags:
            col.owner(key.split(" ")[1], _s(tags, key))
    for key in ("Image Software", "Image HostComputer", "Image ProcessingSoftware"):
        if key in tags:
            col.soft(key.split(" ")[1], _s(tags, key))
    if "Image ImageDescription" in tags:
        col.text("ImageDescription", _s(tags, "Image ImageDescription"))
    for main, offset, subsec in _TIMES:
        value = _s(tags, main)
        if value:
            sub = _s(tags, subsec).strip()
            col.when(main.split(" ")[1], value + (f".{sub}" if sub.isdigit() else "")
                     + _s(tags, offset).strip())
    orient = tags.get("Image Orientation")
    if orient is not None:
        col.exif_orientation_tag = True  # even a bogus value stops Pillow's XMP fallback
    if orient is not None and col.orientation is None:
        values = orient.values
        if isinstance(values, list) and values and values[0] in range(1, 9):
            col.orientation = int(values[0])


def _rational(value: Any) -> float | None:
    """A Ratio/int as float; None for zero denominators, NaN or infinity."""
    try:
        num = value.numerator if hasattr(value, "numerator") else value
        den = value.denominator if hasattr(value, "denominator") else 1
        den = getattr(value, "_denominator", den)
        num = getattr(value, "_numerator", num)
        if not den:
            return None
        out = float(num) / float(den)
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    return out if math.isfinite(out) else None


def dms_to_degrees(values: Any) -> float | None:
    """[deg, min, sec] rationals (any may be missing) to degrees; None when unusable."""
    if not isinstance(values, list | tuple) or not values:
        return None
    parts = [_rational(v) for v in list(values)[:3]]
    if parts[0] is None:
        return None
    total = parts[0]
    for part, scale in zip(parts[1:], (60.0, 3600.0), strict=False):
        if part is not None:
            total += part / scale
    return total


def _lift_gps(tags: dict[str, Any], col: Collector) -> None:

    lat = dms_to_degrees(getattr(tags.get("GPS GPSLatitude"), "values", None))
    lon = dms_to_degrees(getattr(tags.get("GPS GPSLongitude"), "values", None))
    if lat is not None and lon is not None:
        if _s(tags, "GPS GPSLatitudeRef").upper().startswith("S"):
            lat = -lat
        if _s(tags, "GPS GPSLongitudeRef").upper().startswith("W"):
            lon = -lon
        # 0,0 is what phones write when they had no fix; it reveals nothing.
        if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0.0, 0.0):
            alt_tag = tags.get("GPS GPSAltitude")
            alt = _rational(alt_tag.values[0]) if alt_tag and alt_tag.values else None
            ref = getattr(tags.get("GPS GPSAltitudeRef"), "values", [0])
            if alt is not None and isinstance(ref, list) and ref and ref[0] == 1:
                alt = -alt
            col.gps.append(GeoPoint(round(lat, 7), round(lon, 7), "EXIF GPS", alt))
        else:
            col.warnings.append("the GPS position in EXIF is empty or out of range")
    date = _s(tags, "GPS GPSDate")
    stamp = getattr(tags.get("GPS GPSTimeStamp"), "values", None)
    if date:
        clock = ""
        if isinstance(stamp, list) and len(stamp) == 3:
            hms = [_rational(v) for v in stamp]
            if all(v is not None and 0 <= v < 61 for v in hms):
                h, m, s = (int(v or 0) for v in hms)
                clock = f" {h:02d}:{m:02d}:{s:02d}Z"
        col.when("GPSDateStamp", date + clock)


def _lift_thumbnail(tags: dict[str, Any], col: Collector) -> None:
    thumb = tags.get("JPEGThumbnail")
    if isinstance(thumb, bytes) and thumb and col.thumbnail is None:
        col.thumbnail = thumb
        col.thumbnail_size = jpeg_size(thumb)
    elif isinstance(tags.get("TIFFThumbnail"), bytes) and col.thumbnail is None:
        col.thumbnail = tags["TIFFThumbnail"]
        w, h = tags.get("Thumbnail ImageWidth"), tags.get("Thumbnail ImageLength")
        if w is not None and h is not None and w.values and h.values:
            col.thumbnail_size = (int(w.values[0]), int(h.values[0]))


def _lift_raw_tags(buf: bytes, bo: str, tags: dict[str, Any], col: Collector,
                   ifds: dict[int, dict[int, ifdread.Entry]]) -> None:
    """UserComment, XP* and MakerNote: tags exifread skips in fast mode. ``ifds``: IFDs of
    ``buf`` already read (offset -> entries), see :func:`exif_bounds.bounded`."""
    first = int.from_bytes(buf[4:8], "little" if bo == "<" else "big")
    ifd0 = ifds.get(first) or ifdread.read_ifd(buf, first, 0, bo)
    for tag, name in _XP.items():
        if tag in ifd0:
            data = ifdread.raw(buf, ifd0[tag])
            value = clean_text(data.decode("utf-16-le", "replace").split("\0", 1)[0])
            if value:
                col.tag("EXIF", name, value)
                if name == "XPAuthor":
                    col.owner(name, value)
                else:
                    col.text(name, value)
    if 0xC68B in ifd0:  # DNG OriginalRawFileName: the camera's own name for the shot
        value = clean_text(ifdread.text(buf, ifd0[0xC68B]))
        if value:
            col.tag("EXIF", "OriginalRawFileName", value)
            col.text("OriginalRawFileName", value)
    if 0xC65D in ifd0:  # DNG RawDataUniqueID: 16 bytes naming the raw capture
        uid = ifdread.raw(buf, ifd0[0xC65D])[:16].hex().upper()
        if uid.strip("0"):
            col.tag("EXIF", "RawDataUniqueID", uid)
            col.serial("RawDataUniqueID", uid)
    exif_ptr = getattr(tags.get("Image ExifOffset"), "values", None)
    if not isinstance(exif_ptr, list) or not exif_ptr or not isinstance(exif_ptr[0], int):
        return
    exif_ifd = ifds.get(exif_ptr[0]) or ifdread.read_ifd(buf, exif_ptr[0], 0, bo)
    if 0x9286 in exif_ifd:
        value = user_comment(ifdread.raw(buf, exif_ifd[0x9286]), bo)
        if value:
            col.tag("EXIF", "UserComment", value)
            col.text("UserComment", value)
    note = exif_ifd.get(0x927C)
    if note is not None and note.count >= 8:
        head = buf[note.pos : note.pos + 16]
        col.maker_note = col.maker_note or makernotes.maker_name(col.make or "", head)
        col.tag("MakerNote", "MakerNote", f"{col.maker_note} maker notes, {note.count} bytes")
        for name, value in makernotes.maker_serials(buf, note.pos, note.count, col.make or "",
                                                    bo, col.model or ""):
            col.tag("MakerNote", name, value)
            role = makernotes.ROLES.get(name, "serial")
            if name == makernotes.THUMBNAIL:
                col.flags.add("makernote_thumbnail")
            elif role == "lens":
                col.lens = col.lens or value
            elif role == "person":
                col.people.append(Person(value, "MakerNote"))
            else:  # owner, time, place, text, serial: the collector's method of that name
                {"owner": col.owner, "time": col.when, "place": col.place, "text": col.text,
                 "serial": col.serial}[role](f"MakerNote {name}", value)
