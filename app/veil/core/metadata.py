"""One normalized view of a photo's metadata, decoded from a :class:`ContainerScan`.

Detectors read only :class:`Metadata`; they never touch bytes or containers. ``decode``
turns the raw payloads (EXIF TIFF blocks via exifread, XMP packets, IPTC) into the typed
fields below plus the flat ``tags`` list shown in the GUI's "All metadata" tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    orientation: int | None = None
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


def decode(path: Path, scan: ContainerScan) -> Metadata:
    """Decode ``scan``'s payloads (and sidecars next to ``path``) into :class:`Metadata`."""
    return Metadata(path=path, scan=scan)
