"""FLIR thermal pictures: the "FFF" record file FLIR cameras (and the FLIR ONE phone add-on)
split across JPEG APP1 "FLIR\\0" segments.

Layout (ExifTool's FLIR tag tables; learned from them, checked against exiftool):

- each APP1 payload: "FLIR\\0", 0x01, the part's index, the last index, then FFF bytes;
- FFF header (64 bytes): "FFF\\0" (or "AFF\\0"), creator, then at 0x14 a version (100..199
  in the file's byte order: this is how the order is told), at 0x18 the record directory's
  offset and at 0x1c its entry count;
- directory entries (32 bytes): int16 type, int16 subtype, int32 version, int32 id, int32
  offset, int32 length (offsets from the FFF start);
- record 0x20 CameraInfo: CameraModel at 212, CameraSerialNumber at 260, LensModel at 368,
  LensSerialNumber at 416, FilterSerialNumber at 540 (NUL-padded strings);
- records' contents have their own byte order (little-endian in FLIR's cameras although
  the header is big-endian): CameraInfo and the pictures start with the int16 2, which tells
  it; GPSInfo has no such mark and takes the order the others showed;
- record 0x2b GPSInfo: GPSValid int32 at 0, GPSLatitudeRef at 8, GPSLongitudeRef at 10,
  GPSLatitude / GPSLongitude doubles at 16 / 24, GPSAltitude float at 32. A FLIR ONE photo
  carries its position only here;
- records 0x01 RawData (the thermal picture) and 0x0e EmbeddedImage (a visible-light photo):
  int16 byte-order word (2), width, height, the picture (PNG, JPEG or raw) at 32.
"""

from __future__ import annotations

import math
import struct

from veil.core.formats.base import Embedded
from veil.core.metadata.model import Collector, GeoPoint

#: The note the JPEG reader gives these APP1 blocks (``formats.jpeg_app.MAKER_APPS``).
NOTE = "FLIR thermal data"
#: Directory entries read at most (real files hold ~15).
MAX_RECORDS = 256
_CAMERA = {212: ("CameraModel", 32), 260: ("CameraSerialNumber", 16), 368: ("LensModel", 32),
           416: ("LensSerialNumber", 16), 540: ("FilterSerialNumber", 32)}
_PICTURES = {0x01: ("RawThermalImage", "thermal image"),
             0x0E: ("EmbeddedImage", "visible image")}


def assemble(parts: list[tuple[int, bytes]]) -> tuple[bytes, list[tuple[int, int]], bool]:
    """The FFF bytes from the APP1 payloads ((file offset, payload) in file order).

    Returns (data, [(FFF position, file offset)] of each part, complete). Parts are put in
    their index order; a missing or repeated part makes the result incomplete.
    """
    chunks: dict[int, tuple[int, bytes]] = {}
    last = 0
    for offset, p in parts:
        if len(p) < 8 or not p.startswith(b"FLIR\0"):
            continue
        chunks.setdefault(p[6], (offset + 8, p[8:]))
        last = max(last, p[7])
    data, where = bytearray(), []
    for index in sorted(chunks):
        at, body = chunks[index]
        where.append((len(data), at))
        data += body
    complete = sorted(chunks) == list(range(last + 1))
    return bytes(data), where, complete


def _text(data: bytes, at: int, size: int) -> str:
    return data[at : at + size].split(b"\0", 1)[0].decode("latin-1").strip()


def _order(data: bytes) -> str:
    (version,) = struct.unpack_from(">I", data, 0x14)
    return ">" if 100 <= version < 200 else "<"


def records(data: bytes) -> list[tuple[int, int, int]]:
    """(type, FFF offset, length) of every record whose bytes lie inside ``data``."""
    if len(data) < 0x20 or data[:4] not in (b"FFF\0", b"AFF\0"):
        return []
    bo = _order(data)
    at, count = struct.unpack_from(bo + "II", data, 0x18)
    out = []
    for i in range(min(count, MAX_RECORDS)):
        entry = at + 32 * i
        if entry + 20 > len(data):
            break
        kind, _sub, _ver, _id, offset, length = struct.unpack_from(bo + "HHIIII", data, entry)
        if kind and offset + length <= len(data):
            out.append((kind, offset, length))
    return out


def decode_flir(parts: list[tuple[int, bytes]], col: Collector) -> None:
    """Serials, GPS and pictures of the FLIR APP1 parts ((file offset, payload)) into ``col``."""
    data, where, complete = assemble(parts)
    if not complete:
        col.warnings.append("some parts of the FLIR thermal data are missing; read what's there")
        col.incomplete = True
    found = records(data)
    if data and not found:
        col.warnings.append("the FLIR thermal data could not be read")
        col.incomplete = True
        return
    col.maker_note = col.maker_note or "FLIR"
    marked = [data[o : o + 2] for kind, o, _n in found if kind == 0x20 or kind in _PICTURES]
    bo = ">" if b"\0\x02" in marked else "<"  # FLIR cameras write little-endian records
    for kind, offset, length in found:
        rec = data[offset : offset + length]
        if kind == 0x20:
            _camera(rec, col)
        elif kind == 0x2B:
            _gps(rec, bo, col)
        elif kind in _PICTURES:
            _picture(kind, rec, offset, where, col)


def _camera(rec: bytes, col: Collector) -> None:
    for at, (name, size) in _CAMERA.items():
        value = _text(rec, at, size)
        if not value:
            continue
        col.tag("FLIR", name, value)
        if name == "CameraModel":
            col.model = col.model or value
        elif name == "LensModel":  # the lens fitted (FOL7 is a 7 mm lens), named as EXIF's is
            col.lens = col.lens or value
        else:
            col.serial(f"FLIR {name}", value)


def _gps(rec: bytes, bo: str, col: Collector) -> None:
    if len(rec) < 32:
        return
    # The records' order (see the module notes); a value that makes no sense in it is read
    # swapped rather than dropped.
    for order in (bo, "<" if bo == ">" else ">"):
        lat, lon = struct.unpack_from(order + "dd", rec, 16)
        if math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180:
            break
    else:
        col.warnings.append("the FLIR GPS record holds no usable position")
        return
    if (lat, lon) == (0.0, 0.0):
        return  # written without a fix
    lat_ref, lon_ref = _text(rec, 8, 2).upper(), _text(rec, 10, 2).upper()
    lat = -abs(lat) if lat_ref == "S" else lat
    lon = -abs(lon) if lon_ref == "W" else lon
    (alt,) = struct.unpack_from(order + "f", rec, 32) if len(rec) >= 36 else (float("nan"),)
    col.tag("FLIR", "GPSLatitude", f"{lat:.7f}")
    col.tag("FLIR", "GPSLongitude", f"{lon:.7f}")
    col.gps.append(GeoPoint(round(lat, 7), round(lon, 7), "FLIR GPS",
                            float(alt) if math.isfinite(alt) and alt else None))


def _picture(kind: int, rec: bytes, offset: int, where: list[tuple[int, int]],
             col: Collector) -> None:
    if len(rec) <= 32:
        return
    order = ">" if rec[:2] == b"\0\x02" else "<"
    width, height = struct.unpack_from(order + "HH", rec, 2)
    name, aux = _PICTURES[kind]
    body = rec[32:]
    coding = ("PNG" if body.startswith(b"\x89PNG") else
              "JPEG" if body.startswith(b"\xff\xd8") else "raw")
    col.tag("FLIR", name, f"{width}×{height} {coding} picture, {len(body)} bytes")
    file_at = next((at + offset + 32 - start for start, at in reversed(where)
                    if start <= offset + 32), 0)
    col.embedded.append(Embedded(
        "aux_image", file_at, len(body), f"FLIR {aux}", None,
        {"aux_type": aux, "width": width, "height": height, "coding": coding,
         "source": "FLIR"}))
