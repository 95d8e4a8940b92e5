"""The model of Veil's metadata readers: the frozen :class:`Metadata` detectors read and the
mutable :class:`Collector` the EXIF/XMP/IPTC/sidecar readers fill.

A leaf module: every decoder in this package imports it and none of the others' types, so
readers stay independent of one another. Each receives the same :class:`Collector` and adds
what it found, tagged with where it came from; ``reader.decode`` then freezes it.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veil.core.formats.base import ContainerScan, Embedded
from veil.core.frozen import quick_init
from veil.core.model import Tag
from veil.core.scoped import ScopedFlag


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


@quick_init
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
    # (tag, value) device names besides ``make``/``model``: another block's camera model (a
    # Canon CIFF block in a Fujifilm JPEG), a GoPro's GPMF device name.
    devices: tuple[tuple[str, str], ...] = ()


#: Tag group (and datetime tag prefix) of what a motion photo's hidden video says.
VIDEO_GROUP = "Embedded video"
#: ``GeoPoint.source`` of a position read from the hidden video, not from the picture.
VIDEO_SOURCE = "embedded video"
#: The source of what a movie's cover picture says on its own (its EXIF/XMP).
COVER_SOURCE = "cover picture"

#: Formats whose display orientation comes from the container (irot/imir), not EXIF.
CONTAINER_ORIENTED = ("heic", "heif", "avif")
#: Formats where Pillow reads one particular EXIF/XMP block of several (``pillow_orientation``).
PILLOW_PICKED = ("jpeg", "mpo", "png", "webp")
#: Formats shown as stored whatever their metadata says (no viewer, nor Pillow, turns them).
NOT_TURNED = ("gif",)


#: Longest value kept for display/detail: metadata is hostile and may hold megabytes of text.
MAX_VALUE = 500
#: Most tags kept per file for the "All metadata" tab (a hostile file may hold millions).
MAX_TAGS = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: Any, limit: int = MAX_VALUE) -> str:
    """``value`` as a display-safe string: no control/bidi characters, at most ``limit`` chars."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    text = str(value)
    # isprintable() is False for control, format (bidi) and separator characters: the
    # common clean case skips the regex.
    text = (text if text.isprintable() else _CONTROL.sub(" ", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


_UNSHOWN = ScopedFlag("veil_metadata_unshown")


def unshown() -> contextlib.AbstractContextManager[None]:
    """Within this block (this thread), nobody will see an audit's tag list or its findings'
    details: ``veil clean`` audits each source only for the kinds of its findings (its
    ``removed`` list). Readers then list no tags (``Collector.tag`` still returns and
    records each value the detectors read) and findings carry an empty detail; their kind,
    severity, summary and source are what they are outside."""
    return _UNSHOWN.raised()


def shown() -> bool:
    """False inside :func:`unshown`."""
    return not _UNSHOWN.is_raised()


@dataclass
class Collector:
    """Everything readers have found so far for one file (and its sidecars).

    Lists hold ``(tag name, value)`` pairs with values already cleaned by :func:`clean_text`.
    """

    tags: list[Tag] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    gps: list[Any] = field(default_factory=list)  # GeoPoint
    datetimes: list[tuple[str, str]] = field(default_factory=list)
    make: str | None = None
    model: str | None = None
    lens: str | None = None
    serials: list[tuple[str, str]] = field(default_factory=list)
    software: list[tuple[str, str]] = field(default_factory=list)
    owners: list[tuple[str, str]] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)  # Person
    places: list[tuple[str, str]] = field(default_factory=list)  # City, Country...: as text
    texts: list[tuple[str, str]] = field(default_factory=list)  # captions, comments, keywords
    devices: list[tuple[str, str]] = field(default_factory=list)  # see Metadata.devices
    maker_note: str | None = None
    thumbnail: bytes | None = None
    thumbnail_size: tuple[int, int] | None = None
    orientation: int | None = None  # EXIF IFD0 Orientation, when 1..8
    exif_orientation_tag: bool = False  # EXIF has an Orientation tag (valid or not)
    xmp_orientation: int | None = None  # tiff:Orientation of the embedded XMP, when 1..8
    xmp_history: list[tuple[str, str]] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)  # "motion_photo", "aae_edits", ...
    # Pictures found inside metadata blocks (FLIR thermal/visible images): added to the
    # scan's ``embedded`` by ``reader.decode`` so the hidden-content check sees them.
    embedded: list[Embedded] = field(default_factory=list)
    sidecars: list[Any] = field(default_factory=list)  # Path of each sidecar read
    sidecar_values: dict[str, Any] = field(default_factory=dict)  # file name -> what it says
    warnings: list[str] = field(default_factory=list)
    incomplete: bool = False  # a block could not be decoded: the file can't be called clean
    listed: bool = field(default_factory=shown)  # tags are listed for display (see unshown)

    def tag(self, group: str, name: str, value: Any) -> str:
        """Record one value for display (and in ``values``); returns the cleaned text."""
        text = clean_text(value)
        if self.listed and len(self.tags) < MAX_TAGS:
            self.tags.append(Tag(group, clean_text(name, 100), text))
        self.values.setdefault(f"{group}:{name}", text)
        return text

    @staticmethod
    def _add(target: list[tuple[str, str]], name: str, value: str) -> None:
        if value and (name, value) not in target:
            target.append((name, value))

    def serial(self, name: str, value: Any) -> None:
        """A serial number or unique id (blank or placeholder values are ignored)."""
        text = clean_text(value, 100)
        if text and text.strip("0 -") and text.lower() not in _PLACEHOLDERS:
            self._add(self.serials, name, text)

    def owner(self, name: str, value: Any) -> None:
        """An owner/artist/creator/copyright value that may name a person. A program's own
        name there (Picasa writes "Picasa" as the IPTC By-line) is software, not a person."""
        text = clean_text(value, 200)
        if text and _PROGRAM.fullmatch(text):
            self.soft(name, text)
        elif text and text.lower() not in _PLACEHOLDERS:
            self._add(self.owners, name, text)

    def when(self, name: str, value: Any) -> None:
        """A date/time as written (normalized later by the time detector)."""
        text = clean_text(value, 60)
        if text and text.strip("0: -") and not text.startswith("    "):
            self._add(self.datetimes, name, text)

    def soft(self, name: str, value: Any) -> None:
        """Software / editing tool."""
        text = clean_text(value, 200)
        if text:
            self._add(self.software, name, text)

    def text(self, name: str, value: Any) -> None:
        """Free text someone wrote (caption, comment, keywords)."""
        text = clean_text(value)
        if text and text.lower() not in _PLACEHOLDERS:
            self._add(self.texts, name, text)

    def device(self, name: str, value: Any) -> None:
        """A device named besides the camera in ``make``/``model``."""
        text = clean_text(value, 200)
        if text and text.lower() not in _PLACEHOLDERS:
            self._add(self.devices, name, text)

    def place(self, name: str, value: Any) -> None:
        """A place written as text (city, country, sub-location)."""
        text = clean_text(value, 200)
        if text:
            self._add(self.places, name, text)


#: Photo programs that write their own name where a person's belongs, alone or with a
#: version ("Picasa", "GIMP 2.10"): exactly these, so "Jane Picasa" stays a person.
_PROGRAM = re.compile(
    r"(?:picasa|gimp|adobe photoshop(?: lightroom)?|photoshop|lightroom|windows photo editor|"
    r"microsoft windows photo viewer|irfanview|acdsee|paint\.net|snapseed|google photos)"
    r"(?:\s+v?\d[\w.]*)?", re.IGNORECASE)
#: Values cameras write when nothing was set; they identify nobody.
_PLACEHOLDERS = frozenset(
    {"unknown", "none", "n/a", "null", "default", "owner", "copyright", "(c)", "ascii",
     "user comments", "olympus digital camera", "digital camera", "<unknown>", "-"}
)
