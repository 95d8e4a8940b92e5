"""Maker blocks outside the EXIF MakerNote, written from public layouts (exiftool's TagNames
pages, GoPro's GPMF documentation), never from a real file: FLIR's FFF records, GoPro's
GPMF, InfiRay and PictureInfo APPn segments, and the small JPEGs that carry them.
"""

from __future__ import annotations

import io
import struct

from PIL import Image


def small_jpeg(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (90, 120, 160),
               image: Image.Image | None = None) -> bytes:
    """A plain baseline JPEG (no metadata)."""
    buf = io.BytesIO()
    (image or Image.new("RGB", size, colour)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def jpeg_with_apps(*apps: tuple[int, bytes], image: bytes | None = None) -> bytes:
    """``image`` (a small JPEG by default) with APPn segments (marker, payload) after SOI."""
    base = image or small_jpeg()
    segs = b"".join(bytes([0xFF, m]) + struct.pack(">H", len(p) + 2) + p for m, p in apps)
    return base[:2] + segs + base[2:]


def jpeg_with_exif(tiff: bytes, image: bytes | None = None) -> bytes:
    return jpeg_with_apps((0xE1, b"Exif\0\0" + tiff), image=image)


def flir_fff(camera_serial: str = "470023842", lens_serial: str = "55905-0802",
             filter_serial: str = "", gps: tuple[float, float] | None = (59.3293, -18.0686),
             refs: tuple[str, str] = ("N", "W"), raw_png: bytes | None = None,
             visible: bytes | None = None, bo: str = ">", rec_bo: str = "<",
             lens_model: str = "") -> bytes:
    """A FLIR "FFF" record file (see ``veil.core.metadata.flir`` for the layout): CameraInfo
    (0x20), optional GPSInfo (0x2b, magnitudes + N/S/E/W refs), RawData (0x01, a PNG
    thermal picture) and EmbeddedImage (0x0e, a visible-light JPEG). Like FLIR cameras, the
    header is in ``bo`` (big-endian) and the records' contents in ``rec_bo``."""
    camera = bytearray(0x97C)
    struct.pack_into(rec_bo + "H", camera, 0, 2)
    for at, value in ((212, "FLIR ONE"), (260, camera_serial), (368, lens_model),
                      (416, lens_serial), (540, filter_serial)):
        camera[at : at + len(value)] = value.encode()
    recs: list[tuple[int, bytes]] = [(0x20, bytes(camera))]
    if gps is not None:
        rec = bytearray(104)
        struct.pack_into(rec_bo + "I", rec, 0, 1)
        rec[8:9], rec[10:11] = refs[0].encode(), refs[1].encode()
        struct.pack_into(rec_bo + "ddf", rec, 16, abs(gps[0]), abs(gps[1]), 12.5)
        recs.append((0x2B, bytes(rec)))
    for kind, pic, size in ((0x01, raw_png, (80, 60)), (0x0E, visible, (64, 48))):
        if pic is not None:
            head = bytearray(32)
            struct.pack_into(rec_bo + "HHH", head, 0, 2, *size)
            recs.append((kind, bytes(head) + pic))
    header = bytearray(64)
    header[:4] = b"FFF\0"
    struct.pack_into(bo + "III", header, 0x14, 100, 64, len(recs))
    directory, body = bytearray(), bytearray()
    data_at = 64 + 32 * len(recs)
    for i, (kind, rec) in enumerate(recs):
        directory += struct.pack(bo + "HHIIII", kind, 1, 0x100, i + 1,
                                 data_at + len(body), len(rec)) + bytes(12)
        body += rec
    return bytes(header + directory + body)


def flir_apps(fff: bytes, parts: int = 2) -> list[tuple[int, bytes]]:
    """The FFF split into ``parts`` APP1 "FLIR\\0" payloads (index, last index)."""
    size = -(-len(fff) // parts)
    return [(0xE1, b"FLIR\0\x01" + bytes([i, parts - 1]) + fff[i * size : (i + 1) * size])
            for i in range(parts)]


def tiny_png(size: tuple[int, int] = (80, 60)) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 128).save(buf, "PNG")
    return buf.getvalue()


def gpmf(key: bytes, kind: str, size: int, data: bytes) -> bytes:
    """One GPMF item: key, type, size, repeat (big-endian), data padded to 4 bytes."""
    kind_byte = b"\0" if kind == "nest" else kind.encode()
    head = key + kind_byte + bytes([size]) + (len(data) // size).to_bytes(2, "big")
    return head + data + b"\0" * (-len(data) % 4)


def gopro_app6(muid: tuple[int, ...], serial: str = "C3221324657219",
               model: str = "") -> tuple[int, bytes]:
    """A GoPro APP6: "GoPro\\0" + a DEVC nest holding a STRM nest with MUID (8 uint32,
    MediaUniqueID), CASN (the camera serial) and MINF (the model, when given), as GoPro's
    GPMF documentation lays it out."""
    strm = gpmf(b"MUID", "L", 4, b"".join(v.to_bytes(4, "big") for v in muid))
    strm += gpmf(b"CASN", "c", 1, serial.encode())
    strm += gpmf(b"MINF", "c", 1, model.encode()) if model else b""
    devc = gpmf(b"DVNM", "c", 1, b"Photo Global Settings") + gpmf(b"STRM", "nest", 1, strm)
    return 0xE6, b"GoPro\0" + gpmf(b"DEVC", "nest", 1, devc)


def infiray_apps(serial: str = "P200019B15656148") -> list[tuple[int, bytes]]:
    """InfiRay P2 blocks: APP2 "....IJPEG\\0" version header, then APP9 sensor info with
    IRSensorSerialNumber at 192 and VisibleSensorSerialNumber at 576 (32-byte strings)."""
    version = bytearray(128)
    version[4:10] = b"IJPEG\0"
    sensor = bytearray(768)
    for at in (192, 576):
        sensor[at : at + len(serial)] = serial.encode()
    return [(0xE2, bytes(version)), (0xE9, bytes(sensor))]


def picture_info_app12(serial: str = "#00000001") -> tuple[int, bytes]:
    """A PictureInfo APP12: "[picture info]" text of key=value lines with "Serial#"."""
    text = ("[picture info]\r\nTimeDate=915117440\r\n[camera info]\r\nType=SR84\r\n"
            f"Serial#={serial}\r\nID=AGFA DIGITAL CAMERA\r\n[end]\r\n")
    return 0xEC, text.encode() + b"\0"
