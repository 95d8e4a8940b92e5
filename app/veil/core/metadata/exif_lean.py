"""The lean EXIF decode: only the tags a finding depends on (an export's source audit).

``veil clean`` audits each source only to say which kinds of findings its copy no longer
has (the ``removed`` list); nobody sees that audit's tag list. exifread builds an
``IfdTag`` (values, printable text, a debug ``repr``) for every tag of every IFD, ~60 in a
camera photo, of which ``decode_exif``'s lifts and the detectors read ~30. Inside
:func:`lean` the decode runs exifread's own code on exactly those tags (by exifread's names,
in any IFD), every tag of the GPS IFD, and the pointers it follows to other IFDs; the rest
is skipped. What is read is therefore exifread's very own answer; the findings are the full
decode's (tests/core/test_metadata_exif_lean.py compares both on every file of
../shared/corpus and ../shared/faces). Only for the exifread release this was checked
against (``CHECKED_VERSION``); any other keeps the full decode.
"""

from __future__ import annotations

import contextlib
from typing import Any, BinaryIO

import exifread
from exifread.core import exif_header
from exifread.core.exceptions import ExifNotFound, InvalidExif
from exifread.core.find_exif import determine_type, get_endian_str

from veil.core.metadata.exif_numbers import CHECKED_VERSION
from veil.core.scoped import ScopedFlag

_LEAN = ScopedFlag("veil_exif_lean")

#: exifread's tag names (without the IFD's name) that ``decode_exif``'s lifts, the GeoTIFF
#: lift and the detectors read (``values`` keys such as EXIF:Make, EXIF:ExifImageWidth), and
#: what exifread's own thumbnail extraction reads.
WANTED = frozenset({
    "Make", "Model", "LensModel", "BodySerialNumber", "LensSerialNumber", "ImageUniqueID",
    "CameraSerialNumber", "RawDataUniqueID", "Tag 0xC62F", "Artist", "Copyright",
    "CameraOwnerName", "Software", "HostComputer", "ProcessingSoftware", "ImageDescription",
    "DateTimeOriginal", "OffsetTimeOriginal", "SubSecTimeOriginal", "DateTimeDigitized",
    "OffsetTimeDigitized", "SubSecTimeDigitized", "DateTime", "OffsetTime", "SubSecTime",
    "Orientation", "ExifOffset", "ExifImageWidth", "ExifImageLength", "ImageWidth",
    "ImageLength", "Compression", "JPEGInterchangeFormat", "JPEGInterchangeFormatLength",
    "StripOffsets", "StripByteCounts", "SubIFDs",
    "Tag 0x8482", "Tag 0x85D8", "Tag 0x830E", "Tag 0x87AF", "Tag 0x87B1",  # GeoTIFF
})


def available() -> bool:
    """True when the lean decode may be used (the checked exifread release)."""
    return getattr(exifread, "__version__", None) == CHECKED_VERSION


def active() -> bool:
    """True inside :func:`lean` (and the lean decode is available)."""
    return _LEAN.is_raised() and available()


def lean() -> contextlib.AbstractContextManager[None]:
    """Within this block (this thread), EXIF blocks are decoded lean (see module doc)."""
    return _LEAN.raised()


class _LeanHeader(exif_header.ExifHeader):
    """exifread's header reader, processing only the wanted tags (and IFD pointers)."""

    def _process_tag(  # noqa: PLR0913 - exifread's own signature
        self, ifd: int, ifd_name: str, tag_entry: Any, entry: int, tag: int, tag_name: str,
        relative: bool, stop_tag: str,
    ) -> None:
        follows = bool(tag_entry) and isinstance(tag_entry[1], tuple)  # a pointer to an IFD
        if ifd_name == "GPS" or follows or tag_name in WANTED:
            super()._process_tag(ifd, ifd_name, tag_entry, entry, tag, tag_name, relative,
                                 stop_tag)


def process(fh: BinaryIO) -> dict[str, Any]:
    """``exifread.process_file(fh, details=False)`` (3.5.1's steps) on the wanted tags.

    Raises:
        Whatever exifread raises on the same data.
    """
    fh.seek(0)
    try:
        offset, endian_bytes, fake_exif = determine_type(fh)
    except (ExifNotFound, InvalidExif):
        return {}
    endian, _ = get_endian_str(endian_bytes)
    hdr = _LeanHeader(fh, endian, offset, fake_exif, False, False, False, True)
    thumb_ifd = 0
    for ctr, ifd in enumerate(hdr.list_ifd()):
        if ctr == 1:
            thumb_ifd = ifd
        name = "Image" if ctr == 0 else "Thumbnail" if ctr == 1 else f"IFD {ctr}"
        hdr.dump_ifd(ifd=ifd, ifd_name=name)
    exif_off = hdr.tags.get("Image ExifOffset")
    if exif_off:
        hdr.dump_ifd(ifd=exif_off.values[0], ifd_name="EXIF")
    if thumb_ifd:
        hdr.extract_tiff_thumbnail(thumb_ifd)
        hdr.extract_jpeg_thumbnail()
    return hdr.tags
