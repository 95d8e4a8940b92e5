"""TIFF / DNG fixtures written with Pillow (tags via ``tiffinfo``/``exif``) or by hand."""

from __future__ import annotations

import io
import struct
from typing import Any

from PIL import Image, TiffImagePlugin

from tests.factories.exif import iim
from tests.factories.jpeg import fake_icc, noise_image


def identifying_exif(orientation: int = 1) -> Image.Exif:
    """IFD0 make/model/artist/software/date + Exif serial + GPS (Pillow writes the sub-IFDs)."""
    exif = Image.Exif()
    exif[0x010F] = "Nikon"
    exif[0x0110] = "D850"
    exif[0x013B] = "Jane Doe"
    exif[0x0131] = "Lightroom"
    exif[0x0132] = "2023:11:05 14:30:12"
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0xA431] = "SERIAL-42"
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 30.24), 3: "E", 4: (2.0, 17.0, 40.2)})
    # Pillow's TIFF writer only writes sub-IFDs whose pointer tag is a key of the Exif.
    exif[0x8769] = exif.get_ifd(0x8769)
    exif[0x8825] = exif.get_ifd(0x8825)
    return exif


def make_tiff(
    *,
    size: tuple[int, int] = (40, 24),
    mode: str = "RGB",
    orientation: int = 1,
    xmp: bytes | None = b"<x:xmpmeta>creator Jane</x:xmpmeta>",
    iptc: bytes | None = iim(2, 80, b"Jane Doe"),
    icc: bytes | None = None,
    dng: bool = False,
    pages: int = 1,
    compression: str = "raw",
    big: bool = False,
    photoshop: bytes | None = None,
) -> bytes:
    """A TIFF carrying identifying metadata (each part optional; ``photoshop`` is the 8BIM
    resources of tag 34377)."""
    image = noise_image(size, mode if mode in ("RGB", "L", "CMYK") else "RGB")
    if mode not in ("RGB", "L", "CMYK"):
        image = image.convert(mode)
    exif = identifying_exif(orientation)
    if xmp is not None:
        exif[700] = xmp
    if dng:
        exif[50706] = b"\x01\x04\x00\x00"
    params: dict[str, Any] = {"exif": exif, "compression": compression}
    info = TiffImagePlugin.ImageFileDirectory_v2()
    if iptc is not None:
        info[33723] = iptc
        info.tagtype[33723] = 7
    if photoshop is not None:
        info[34377] = photoshop
        info.tagtype[34377] = 7
    if iptc is not None or photoshop is not None:
        params["tiffinfo"] = _merge(exif, info)
        del params["exif"]
    if icc is not None:
        params["icc_profile"] = icc
    if pages > 1:
        params["save_all"] = True
        params["append_images"] = [noise_image(size, "RGB", seed=i + 2) for i in range(pages - 1)]
    if big:
        params["big_tiff"] = True
    out = io.BytesIO()
    image.save(out, format="TIFF", **params)
    return out.getvalue()


def _merge(exif: Image.Exif, extra: TiffImagePlugin.ImageFileDirectory_v2) -> Image.Exif:
    for tag in extra:
        exif[tag] = extra[tag]
    return exif


def with_icc() -> bytes:
    """An RGB TIFF with an (opaque) ICC profile."""
    return make_tiff(icc=fake_icc(600))


def looping_tiff() -> bytes:
    """IFD0 whose next-IFD pointer points back to itself."""
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (273, 4, 1, 8), (279, 4, 1, 1)]
    body = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        body += struct.pack("<HHII", tag, typ, count, value)
    return b"II*\x00" + struct.pack("<I", 10) + b"\x00\x00" + body + struct.pack("<I", 10)


def crowded_tiff(entries: int = 10_000) -> bytes:
    """A valid 4x4 grey TIFF whose one directory lists ``entries`` tags (private ones after
    the structure tags), as some writers produce; Pillow opens it."""
    pixels = bytes(range(16))
    tags = [(256, 3, 4), (257, 3, 4), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 0),
            (277, 3, 1), (278, 3, 4), (279, 4, len(pixels))]
    tags += [(0xD000 + i, 3, 7) for i in range(entries - len(tags))]
    table = 2 + 12 * len(tags) + 4
    out = bytearray(b"II*\0" + struct.pack("<IH", 8, len(tags)))
    for tag, typ, value in tags:
        value = 8 + table if tag == 273 else value
        out += struct.pack("<HHII" if typ == 4 else "<HHIHH", tag, typ, 1, value,
                           *(() if typ == 4 else (0,)))
    return bytes(out + b"\0\0\0\0" + pixels)
