"""Sigma / Foveon X3F raw: audited read-only, never cleaned.

Layout (ExifTool's SigmaRaw notes): "FOVb", a version, a 16-byte image unique id (its first
digits are the camera serial), then sections listed by a directory whose offset is the
file's last four bytes ("SECd": offset, length, type per entry). PROP holds UTF-16 name/value
properties (CAMMANUF, CAMMODEL, CAMSERIAL, TIME...); IMAG/IMA2 sections of type 2 format
18 are JPEG previews (the full-size one carries EXIF); CAMF is calibration data.
"""

from __future__ import annotations

import struct
import time
from typing import BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import magic
from veil.core.formats.base import MAX_BLOCK, ContainerScan
from veil.core.formats.builder import ScanBuilder
from veil.core.formats.byteio import read_at
from veil.core.formats.raw import RawImage, add_preview, finish, in_file
from veil.core.formats.tiffbuild import (
    TAG_BODY_SERIAL,
    TAG_CAMERA_SERIAL,
    TAG_DATETIME_ORIGINAL,
    TAG_MAKE,
    TAG_MODEL,
    TAG_UNIQUE_ID,
    exif_payload,
)

MAX_SECTIONS = 256
_PROPS = {"CAMMANUF": TAG_MAKE, "CAMMODEL": TAG_MODEL, "CAMSERIAL": TAG_BODY_SERIAL,
          "IMAGERBOARDID": TAG_CAMERA_SERIAL}  # the sensor board's id: hardware, like a serial
_JPEG_SECTION = b"SECi\0\0\x02\0\x02\0\0\0\x12\0\0\0"  # version 2.0, type 2, format 18


def properties(data: bytes) -> dict[str, str]:
    """Name -> value of a PROP section ("SECp", counts, then UTF-16LE strings)."""
    if len(data) < 24 or data[:4] != b"SECp":
        return {}
    entries, fmt, length = struct.unpack_from("<II4xI", data, 8)
    chars = data[24 + 8 * entries : 24 + 8 * entries + 2 * length]
    if fmt != 0 or len(chars) < 2 * length:
        return {}
    text = chars.decode("utf-16-le", "replace")
    out: dict[str, str] = {}
    for i in range(min(entries, 4096)):
        name_at, value_at = struct.unpack_from("<II", data, 24 + 8 * i)
        name = text[name_at:].split("\0", 1)[0]
        out[name] = text[value_at:].split("\0", 1)[0]
    return out


class X3f(RawImage):
    """Sigma X3F raw files (read only)."""

    name: ClassVar[str] = "x3f"
    extensions: ClassVar[tuple[str, ...]] = (".x3f",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """The "FOVb" signature."""
        return magic.x3f(head)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Read the header id, the properties and the JPEG previews.

        Raises:
            CorruptFile: the section directory can't be found.
        """
        if size < 56:  # header + directory pointer + an empty directory
            raise CorruptFile("the X3F file is cut short")
        head, tail = read_at(f, 0, 48), read_at(f, size - 4, 4)
        modern = struct.unpack_from("<I", head, 4)[0] >> 16 >= 4  # version 4 header layout
        (directory,) = struct.unpack("<I", tail)
        top = read_at(f, directory, 12)
        if top[:4] != b"SECd" or not in_file(directory, 12, size):
            raise CorruptFile("the X3F section directory is missing")
        scan = ScanBuilder()
        scan.add_block("header", "structure", 0, 40, True, "X3F header")
        # Versions 2-3 start with a 16-byte image id whose first digits are the serial.
        values = {TAG_UNIQUE_ID: head[8:24].hex()} if not modern and head[8:24].strip(
            b"\0") else {}
        (count,) = struct.unpack_from("<I", top, 8)
        table = read_at(f, directory + 12, 12 * min(count, MAX_SECTIONS))
        scan.add_block("SECd", "structure", directory, 12 + len(table), True, "directory")
        for i in range(len(table) // 12):
            at, length, kind = struct.unpack_from("<II4s", table, 12 * i)
            label = kind.decode("latin-1", "replace")
            if not in_file(at, length, size):
                scan.warn(f"the X3F section {label!r} lies outside the file")
                continue
            if kind == b"PROP" and length <= MAX_BLOCK:
                props = properties(read_at(f, at, length))
                for key, tag in _PROPS.items():
                    if props.get(key):
                        values[tag] = props[key]
                if props.get("CAMNAME"):  # the name the owner gave the camera
                    scan.text.append(("CameraName", props["CAMNAME"]))
                stamp = props.get("TIME", "")
                if stamp.isascii() and stamp.isdigit() and len(stamp) <= 10:  # Unix seconds
                    values[TAG_DATETIME_ORIGINAL] = time.strftime(
                        "%Y:%m:%d %H:%M:%S", time.gmtime(int(stamp)))
                scan.add_block(label, "maker", at, length, True, "camera properties")
            elif kind in (b"IMAG", b"IMA2") and read_at(f, at, 16) == _JPEG_SECTION:
                add_preview(scan, f, at + 28, length - 28, "X3F preview")
            elif kind in (b"IMAG", b"IMA2", b"CAMF"):
                what = "calibration data" if kind == b"CAMF" else "sensor data"
                scan.add_block(label, "image", at, length, True, what)
            else:
                scan.add_block(label, "unknown", at, length, False, "X3F section")
                scan.warn(f"an X3F section ({label!r}) was not decoded")
        payload = exif_payload(values)
        if payload:
            scan.exif.append(payload)
        width, height = struct.unpack_from("<II", head, 40 if modern else 28)
        return finish(scan, "x3f", width, height)
