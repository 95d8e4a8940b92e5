"""Read the few MakerNote tags that identify a camera (serials, owner) without exifread.

exifread's ``details=True`` decodes every MakerNote tag one byte at a time (a seek and a read
per byte), which costs ~10x the rest of the EXIF decode. Serials live in a handful of known
tags, so we walk the maker's IFD ourselves with ``struct`` on the bytes we already hold and
read only those. Offsets follow ExifTool's MakerNotes.pm (base and byte order per maker).
One module per maker family; this one only dispatches by the Make tag (Phase One and
Reconyx notes by their signature, whatever the Make).

Not decoded, and why: Sony's 0x9050 InternalSerialNumber for bodies exiftool 12.57 has no
layout for (DSC-RX, ZV-1, NEX-7/5N, newer ILCE), Kodak's IFD-style notes (KodakIFD
CameraInfo 0xfa04 / SubIFD0 0xfa19),
the Leica S2's Leica6 LensSerialNumber (exiftool itself did not decode it from a note built
to its table), Leica T/SL notes ("LEICA CAMERA AG", Subdir 0x3103), Ricoh SerialInfo,
Minolta A100 WBInfo, Nikon NCTG (video). Each is reported as maker notes, never "none".
"""

from __future__ import annotations

import contextlib
import struct

from veil.core.metadata.makernotes import (
    apple,
    canon,
    casio,
    fujifilm,
    hp,
    kodak,
    leica,
    nikon,
    nintendo,
    olympus,
    panasonic,
    pentax,
    phaseone,
    reconyx,
    ricoh,
    samsung,
    sony,
)
from veil.core.metadata.makernotes.common import ROLES, THUMBNAIL, Found, Reader, simple

__all__ = ["READERS", "ROLES", "THUMBNAIL", "Found", "maker_name", "maker_serials"]

#: Make (upper-case prefix) -> reader. Makers not listed keep no decodable serial.
READERS: tuple[tuple[str, Reader], ...] = (
    ("CANON", canon.read),
    ("NIKON", nikon.read),
    ("OLYMPUS", olympus.read),
    ("OM DIGITAL", olympus.read),
    ("PENTAX", pentax.read),
    ("RICOH IMAGING", pentax.read),
    ("ASAHI", pentax.read),
    ("FUJIFILM", fujifilm.read),
    ("NINTENDO", nintendo.read),
    ("PANASONIC", panasonic.read),
    ("LEICA", leica.read),
    ("SONY", sony.read),
    ("EASTMAN KODAK", kodak.read),
    ("KODAK", kodak.read),
    ("RICOH", ricoh.read),
    ("PENTAX RICOH", ricoh.read),
    ("SAMSUNG", samsung.read),
    ("APPLE", apple.read),
    ("HEWLETT-PACKARD", hp.read),
    ("HP", hp.read),
    ("SIGMA", simple(10, False, {0x0002: "SerialNumber"})),
    ("MOTOROLA", simple(8, True, {0x5501: "SerialNumber"})),
    ("CASIO", casio.read),
    ("CONCORD", casio.read),
)


def maker_serials(buf: bytes, note: int, length: int, make: str, bo: str,
                  model: str = "") -> Found:
    """Serials/owner found in the MakerNote at ``buf[note:note+length]`` for ``make``
    (``model``: the Model tag, which some makers' layouts depend on: Sony's 0x9050).

    ``buf`` is the whole TIFF payload (many makers point outside the note). Values that are
    empty are dropped. Never raises for malformed notes; returns what could be read.
    """
    if buf[note : note + 2] == b"\x01\xf1" or buf[note : note + 7] == b"RECONYX":
        return reconyx.read(buf, note)
    if phaseone.is_phaseone(buf[note : note + 8]):  # Phase One, Leaf, Mamiya: any Make
        with contextlib.suppress(struct.error):
            return [(n, v) for n, v in phaseone.read(buf, note, length) if v]
        return []
    upper = make.upper().strip()
    for prefix, reader in READERS:
        if upper.startswith(prefix):
            found: Found = []
            # a malformed note just yields what was read before the damage
            with contextlib.suppress(struct.error, IndexError, ValueError):
                if reader is canon.read:
                    canon.read(buf, note, bo, found, length)
                elif reader is sony.read:
                    sony.read(buf, note, bo, found, model)
                else:
                    reader(buf, note, bo, found)
            return [(n, v) for n, v in found if v]
    return []


def maker_name(make: str, note_head: bytes) -> str:
    """A readable maker name for the MakerNote (from its signature, else the Make tag)."""
    for sig, name in ((b"Apple iOS", "Apple"), (b"Nikon", "Nikon"), (b"OLYMP", "Olympus"),
                      (b"FUJIFILM", "Fujifilm"), (b"Panasonic", "Panasonic"),
                      (b"SONY", "Sony"), (b"AOC\0", "Pentax"), (b"SIGMA", "Sigma"),
                      (b"MOT\0", "Motorola"),
                      (b"\x01\xf1", "Reconyx"), (b"RECONYX", "Reconyx"), (b"RICOH", "Ricoh"),
                      (b"SAMSUNG", "Samsung"), (b"IIII", "Phase One"),
                      (b"MMMM", "Phase One")):
        if note_head.startswith(sig):
            return name
    return make.strip()
