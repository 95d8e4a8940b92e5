"""Maker blocks outside EXIF that carry identifiers (``ContainerScan.maker_data``): JPEG
APPn segments the container reader recognised as a maker's and kept for decoding.

- FLIR APP1 "FLIR\\0" parts: see :mod:`veil.core.metadata.flir`;
- InfiRay APP9 (after an "IJPEG" APP2): IRSensorSerialNumber at 192 and
  VisibleSensorSerialNumber at 576, 32-byte strings (ExifTool's InfiRay Sensor table);
- GoPro APP6 "GoPro\\0" + GPMF (key, type, size, repeat, data padded to 4; type 0 nests):
  MUID, the MediaUniqueID (8 uint32), CASN, the camera serial, MINF, the model, and DVNM,
  the name of the device that wrote the stream (ExifTool's GoPro GPMF table). LINF and
  CINF (lens and camera codes ExifTool leaves unnamed) are not read: the block stays "not
  decoded";
- JUMBF (Content Credentials, C2PA) from JPEG APP11, PNG caBX and WebP C2PA: see
  :mod:`veil.core.metadata.c2pa`;
- PictureInfo APP12 text (Agfa, Olympus, Sanyo...): "key=value" lines, "Serial#" the body's
  serial number, "TimeDate" the capture time (ExifTool's PictureInfo table);
- Media Jukebox APP9 (JRiver Media Center's tags: people, places...): see
  :mod:`veil.core.metadata.jukebox`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from veil.core.metadata.c2pa import decode_jpeg_c2pa, decode_jumbf
from veil.core.metadata.flir import NOTE as FLIR_NOTE
from veil.core.metadata.flir import decode_flir
from veil.core.metadata.jukebox import NOTE as JUKEBOX_NOTE
from veil.core.metadata.jukebox import SIGNATURE as JUKEBOX_SIGNATURE
from veil.core.metadata.jukebox import decode_jukebox
from veil.core.metadata.model import Collector

#: Block notes as ``formats.jpeg_app`` gives them.
INFIRAY_NOTE = "InfiRay thermal data"
#: The note JUMBF payloads (C2PA) are kept under: a JPEG's APP11 segments, a PNG's caBX
#: chunk, a WebP's C2PA chunk.
JUMBF_NOTE = "JUMBF"
#: Maker blocks whose identifying content is decoded here, so the JPEG reader counts them as
#: understood (others it does not decode leave the file "not fully understood"). PictureInfo
#: is not listed: only its serial and capture time are read here, not its other lines.
DECODED_BY_METADATA = frozenset({FLIR_NOTE, INFIRAY_NOTE, JUKEBOX_NOTE})
_INFIRAY = ((192, "IRSensorSerialNumber"), (576, "VisibleSensorSerialNumber"))
#: PictureInfo keys (compared lower-case) that identify the camera.
_PICTURE_INFO = {"serial#": "SerialNumber"}


def decode_maker_data(blocks: tuple[tuple[str, str, int, bytes], ...], col: Collector) -> None:
    """Decode the maker blocks (name, note, payload offset, payload) into ``col``."""
    flir = [(at, p) for name, note, at, p in blocks if name == "APP1" and note == FLIR_NOTE]
    if flir:
        decode_flir(flir, col)
    app11 = [p for name, note, _at, p in blocks if name == "APP11" and note == JUMBF_NOTE]
    if app11:
        decode_jpeg_c2pa(app11, col)
    for name, note, _at, p in blocks:  # a PNG's caBX, a WebP's C2PA chunk: one whole store
        if note == JUMBF_NOTE and name != "APP11":
            decode_jumbf(p, col)
    for name, note, _at, p in blocks:
        if name == "APP9" and note == INFIRAY_NOTE:
            _infiray(p, col)
        elif name == "APP6" and p.startswith(b"GoPro\0"):
            _gopro(p, col)
        elif name == "APP9" and p.startswith(JUKEBOX_SIGNATURE):
            decode_jukebox(p, col)
        elif name == "APP12" and b"=" in p[:2048]:
            _picture_info(p, col)


def _string(p: bytes, at: int, size: int) -> str:
    return p[at : at + size].split(b"\0", 1)[0].decode("latin-1").strip()


def _infiray(p: bytes, col: Collector) -> None:
    for at, name in _INFIRAY:
        value = _string(p, at, 32)
        if value and value.isprintable():
            col.tag("InfiRay", name, value)
            col.serial(f"InfiRay {name}", value)


def _picture_info(p: bytes, col: Collector) -> None:
    text = p[:64 * 1024].split(b"\0[", 1)[0].decode("latin-1", "replace")
    for line in text.replace("\r", "\n").split("\n"):
        key, sep, value = line.partition("=")
        name = _PICTURE_INFO.get(key.strip().lower())
        if sep and key.strip().lower() == "timedate":
            _picture_time(value.strip(), col)
        elif sep and name and value.strip():
            col.tag("PictureInfo", name, value.strip())
            col.serial(f"PictureInfo {name}", value.strip())


def _picture_time(value: str, col: Collector) -> None:
    """"TimeDate": when it was taken, in seconds since 1970 (ExifTool's PictureInfo table
    shows it as UTC, as here)."""
    if not value.isdigit() or not 631152000 <= int(value) < 4102444800:  # 1990 to 2100
        return
    when = datetime.fromtimestamp(int(value), tz=UTC).strftime("%Y:%m:%d %H:%M:%S")
    col.tag("PictureInfo", "DateTimeOriginal", when)
    col.when("PictureInfo DateTimeOriginal", when)


#: GPMF keys that identify: (name, how to show the value).
_GPMF = {b"MUID": "MediaUniqueID", b"CASN": "CameraSerialNumber", b"MINF": "Model",
         b"DVNM": "DeviceName"}
#: GPMF items read at most, and nesting depth (real photo blocks hold ~30 items, depth 3).
_GPMF_ITEMS, _GPMF_DEPTH = 2000, 8


def _gopro(p: bytes, col: Collector) -> None:
    found: dict[str, str] = {}
    _gpmf(p, 6, len(p), 0, found, [0])
    for name, value in found.items():
        col.tag("GoPro", name, value)
        if name == "Model":  # the only model left when an editor dropped the EXIF
            col.make, col.model = col.make or "GoPro", col.model or value
        elif name == "DeviceName":  # in a photo "Photo Global Settings", in a clip "Camera"
            col.device(f"GoPro {name}", value)
        else:
            col.serial(f"GoPro {name}", value)


def _gpmf(p: bytes, at: int, end: int, depth: int, found: dict[str, str],
          count: list[int]) -> None:
    while at + 8 <= end and count[0] < _GPMF_ITEMS:
        count[0] += 1
        key, kind, size = p[at : at + 4], p[at + 4], p[at + 5]
        repeat = int.from_bytes(p[at + 6 : at + 8], "big")
        length = size * repeat
        body = at + 8
        if body + length > end:
            return
        if kind == 0 and depth < _GPMF_DEPTH:
            _gpmf(p, body, body + length, depth + 1, found, count)
        elif key in _GPMF and _GPMF[key] not in found:
            data = p[body : body + length]
            if kind == ord("L") and size == 4:
                words = [int.from_bytes(data[i : i + 4], "big") for i in range(0, len(data), 4)]
                value = " ".join(str(w) for w in words)
            else:
                value = data.split(b"\0", 1)[0].decode("latin-1").strip()
            if value.strip("0 "):
                found[_GPMF[key]] = value
        at = body + (length + 3) // 4 * 4
