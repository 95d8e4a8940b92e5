"""One normalized view of a photo's metadata, decoded from a :class:`ContainerScan`.

Detectors read only :class:`Metadata`; they never touch bytes or containers. ``decode``
turns the raw payloads (EXIF TIFF blocks via exifread, XMP packets, IPTC) into the typed
fields below plus the flat ``tags`` list shown in the GUI's "All metadata" tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from veil.core.formats.base import ContainerScan
from veil.core.model import Tag


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A coordinate with the block it came from ("EXIF GPS", "XMP", "Takeout JSON")."""

    lat: float
    lon: float
    source: str
    altitude: float | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A named person (XMP MWG/MP region, Takeout people, IPTC PersonInImage)."""

    name: str
    source: str
    box: tuple[float, float, float, float] | None = None  # normalized x, y, w, h if known


@dataclass(frozen=True, slots=True)
class Metadata:
    """Everything decoded from one file (and its sidecars). Untrusted strings throughout.

    Typed fields carry what detectors need; ``tags`` is every value read, for display.
    ``values`` maps "Group:Name" (e.g. "EXIF:BodySerialNumber") to the decoded value for
    detectors that want something not lifted into a typed field.
    """

    path: Path
    scan: ContainerScan
    tags: tuple[Tag, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    orientation: int | None = None  # 1..8 as Pillow turns the pixels (see ``decode``)
    gps: tuple[GeoPoint, ...] = ()
    datetimes: tuple[tuple[str, str], ...] = ()  # (source/tag name, value as written)
    make: str | None = None
    model: str | None = None
    serials: tuple[tuple[str, str], ...] = ()  # (tag name, value) body/lens/internal/unique id
    lens: str | None = None
    software: tuple[tuple[str, str], ...] = ()  # (tag, value)
    owners: tuple[tuple[str, str], ...] = ()  # (tag, value): Artist, Copyright, OwnerName...
    people: tuple[Person, ...] = ()
    maker_note: str | None = None  # maker name when a MakerNote is present
    thumbnail: bytes | None = None  # EXIF IFD1 JPEG thumbnail bytes
    xmp_history: tuple[tuple[str, str], ...] = ()  # DocumentID, InstanceID, History entries
    sidecars: tuple[Path, ...] = ()  # sidecar files found next to the photo
    sidecar_values: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # Additions (optional, defaulted): what the readers lift besides the fields above.
    places: tuple[tuple[str, str], ...] = ()  # (tag, value) city/country written as text
    texts: tuple[tuple[str, str], ...] = ()  # (tag, value) captions, comments, keywords
    flags: frozenset[str] = frozenset()  # "motion_photo", "xmp_thumbnail", ...
    thumbnail_size: tuple[int, int] | None = None  # EXIF thumbnail width, height


#: Tag group (and datetime tag prefix) of what a motion photo's hidden video says.
VIDEO_GROUP = "Embedded video"
#: ``GeoPoint.source`` of a position read from the hidden video, not from the picture.
VIDEO_SOURCE = "embedded video"

#: Formats whose display orientation comes from the container (irot/imir), not EXIF.
CONTAINER_ORIENTED = ("heic", "heif", "avif")
#: Formats where Pillow reads one particular EXIF/XMP block of several (``pillow_orientation``).
PILLOW_PICKED = ("jpeg", "mpo", "png", "webp")


def decode(path: Path, scan: ContainerScan) -> Metadata:
    """Decode ``scan``'s payloads (and sidecars next to ``path``) into :class:`Metadata`.

    Never raises for bad metadata: an undecodable block adds a warning and marks the scan
    incomplete (so the file can't be reported clean).
    """
    from veil.core.formats.webp_exif import pillow_orientation
    from veil.core.metadecode import collect

    col = collect(path, scan)
    if col.incomplete and scan.complete:
        scan = replace(scan, complete=False)
    # Pillow's rule (and so our pixel path's): EXIF Orientation when the tag exists, else the
    # XMP tiff:Orientation - from the very blocks Pillow reads (for JPEG the first EXIF
    # block only, however many the file holds: see ``webp_exif``).
    if scan.format in PILLOW_PICKED:
        orientation = pillow_orientation(scan)
    else:
        orientation = col.orientation if col.exif_orientation_tag else col.xmp_orientation
    if scan.orientation is not None or scan.format in CONTAINER_ORIENTED:
        # HEIF viewers turn the picture by the container's irot/imir and ignore EXIF
        # Orientation, so the container's value (when the handler reports one) wins.
        if col.orientation is not None:
            col.tag("EXIF", "Orientation (not used by HEIF viewers)", str(col.orientation))
        orientation = scan.orientation if scan.orientation in range(1, 9) else None
    return Metadata(
        path=path,
        scan=scan,
        tags=tuple(col.tags),
        values=col.values,
        orientation=orientation,
        gps=tuple(col.gps),
        datetimes=tuple(col.datetimes),
        make=col.make,
        model=col.model,
        serials=tuple(col.serials),
        lens=col.lens,
        software=tuple(col.software),
        owners=tuple(col.owners),
        people=tuple(col.people),
        maker_note=col.maker_note,
        thumbnail=col.thumbnail,
        xmp_history=tuple(col.xmp_history[:200]),
        sidecars=tuple(col.sidecars),
        sidecar_values=col.sidecar_values,
        warnings=tuple(dict.fromkeys(col.warnings)),
        places=tuple(col.places),
        texts=tuple(col.texts),
        flags=frozenset(col.flags),
        thumbnail_size=col.thumbnail_size,
    )
