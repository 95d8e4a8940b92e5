"""The one normalized model every part of Veil speaks.

Everything here is frozen: reports cross threads in the GUI and are cached by the CLI, so
no consumer may mutate them. ``detail`` mappings are plain JSON-able dicts by convention;
treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from veil.core.frozen import quick_init


class Severity(StrEnum):
    """How much a single finding can identify someone."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """3 for high down to 1 for low; used to compute a file's risk."""
        return {"high": 3, "medium": 2, "low": 1}[self.value]


class Risk(StrEnum):
    """A file's overall risk.

    ``NONE`` is only ever given when every block of the file was read and understood and
    every required check ran. ``UNKNOWN`` is for unsupported, unreadable or partly parsed
    files: Veil never calls a file clean that it did not fully check.
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"
    UNKNOWN = "unknown"


class FindingKind(StrEnum):
    """What a finding is about. Stable strings: they are part of the JSON contract."""

    LOCATION = "location"
    TIME = "time"
    DEVICE = "device"
    IDENTITY = "identity"
    SOFTWARE = "software"
    THUMBNAIL = "thumbnail"
    EMBEDDED_MEDIA = "embedded_media"
    PROVENANCE = "provenance"
    MAKER_NOTES = "maker_notes"
    FILENAME = "filename"
    SIDECAR = "sidecar"
    OTHER_METADATA = "other_metadata"
    FACE = "face"
    TATTOO = "tattoo"
    SOUND = "sound"  # a video's own sound track (voices, places): content, not metadata


#: Kinds that come from the content (pixels, a video's sound) rather than metadata; export
#: covers faces and marks, it cannot strip any of them.
PIXEL_KINDS: frozenset[FindingKind] = frozenset(
    {FindingKind.FACE, FindingKind.TATTOO, FindingKind.SOUND})


class CheckStatus(StrEnum):
    """Whether one check (a detector, or the container parse) actually ran."""

    DONE = "done"
    SKIPPED = "skipped"  # asked not to run (e.g. --metadata-only)
    NOT_AVAILABLE = "not_available"  # backend missing: the report says "not checked"
    FAILED = "failed"  # crashed on this file; never read as "nothing found"


@dataclass(frozen=True, slots=True)
class Region:
    """A pixel box in the full-size, orientation-corrected (upright) image."""

    x: int
    y: int
    w: int
    h: int

    def as_list(self) -> list[int]:
        """``[x, y, w, h]`` as in the JSON contract."""
        return [self.x, self.y, self.w, self.h]


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the photo reveals, in plain words.

    Attributes:
        kind: what it is about.
        severity: how identifying it is.
        summary: one plain sentence a non-expert understands.
        source: the block it came from ("EXIF GPS", "XMP", "JPEG trailer", "pixels", ...).
        detail: structured values (JSON-able, read-only by convention).
        region: pixel box for pixel findings, else None.
        confidence: 0..1 for pixel findings, None for metadata.
    """

    kind: FindingKind
    severity: Severity
    summary: str
    source: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    region: Region | None = None
    confidence: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The finding as in the ``veil scan --json`` contract."""
        return {
            "kind": self.kind.value,
            "severity": self.severity.value,
            "summary": self.summary,
            "source": self.source,
            "region": self.region.as_list() if self.region else None,
            "confidence": self.confidence,
            "detail": dict(self.detail),
        }


@quick_init
@dataclass(frozen=True, slots=True)
class Tag:
    """One metadata value as read, for the "All metadata" view. ``value`` is untrusted text."""

    group: str
    name: str
    value: str

    def __reduce__(self) -> tuple[type[Tag], tuple[str, str, str]]:
        # Thousands per batch cross from worker processes: the dataclass default (state via
        # fields(), restored by setattr) made pickling a scan's reports twice as slow.
        return (Tag, (self.group, self.name, self.value))


@quick_init
@dataclass(frozen=True, slots=True)
class FileReport:
    """Everything Veil learned about one file. Frozen; safe to pass between threads.

    ``risk`` is derived by :func:`veil.core.audit.compute_risk`: the highest severity found;
    ``none`` only when the parse was complete and every required check is DONE;
    ``unknown`` otherwise.
    """

    path: Path
    status: str  # "ok" | "error"
    error: str | None
    format: str | None
    width: int | None
    height: int | None
    orientation: int | None
    risk: Risk
    findings: tuple[Finding, ...] = ()
    checks: Mapping[str, CheckStatus] = field(default_factory=dict)
    tags: tuple[Tag, ...] = ()
    notes: tuple[str, ...] = ()  # why a file is UNKNOWN, parse warnings, in plain words

    @property
    def ok(self) -> bool:
        """True when the file was read (it may still carry findings)."""
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        """The file entry of the ``veil scan --json`` contract (plus extra keys)."""
        return {
            "path": str(self.path),
            "status": self.status,
            "error": self.error,
            "format": self.format,
            "risk": self.risk.value,
            "width": self.width,
            "height": self.height,
            "orientation": self.orientation,
            "findings": [f.to_json() for f in self.findings],
            "checks": {k: v.value for k, v in self.checks.items()},
            "notes": list(self.notes),
        }


class ExportStatus(StrEnum):
    """Outcome of cleaning one file."""

    CLEANED = "cleaned"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How to write a cleaned copy.

    Attributes:
        rename: "keep" (default), "neutral" (photo-0001.jpg) or "random".
        bake_orientation: rotate pixels and write no EXIF at all (re-encodes; lossless=False).
        overwrite: replace an existing output that holds other content (never an
            original); without it such a name is refused in a batch (see
            ``veil.core.export.place`` for what a rerun does).
        redactions: boxes (upright full-size pixels) to cover with a solid opaque fill.
        redaction_padding: padding as a fraction of each box side.
        heic_to_jpeg: allow converting HEIC/AVIF to JPEG when container-level cleaning is
            not possible.
        keep_icc: keep the colour profile (it identifies nobody and keeps colours right).
        name_suffix: added to the output's stem (".clean" gives ``photo.clean.jpg``); with
            one, a copy may be saved in the photo's own folder (the original's name is never
            taken: a free name is chosen and originals are never replaced).
    """

    rename: str = "keep"
    bake_orientation: bool = False
    overwrite: bool = False
    redactions: tuple[Region, ...] = ()
    redaction_padding: float = 0.10
    heic_to_jpeg: bool = False
    keep_icc: bool = True
    name_suffix: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class ExportResult:
    """What happened when cleaning one file (the ``veil clean --json`` entry)."""

    source: Path
    output: Path | None
    status: ExportStatus
    error: str | None = None
    verified: bool = False
    lossless: bool = False
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    #: The output already held exactly this clean copy (a rerun): nothing was written.
    unchanged: bool = False
    #: Plain-words facts the user must know besides the status, e.g. that the original was
    #: already damaged (a copy "verified clean" is then no more complete than it).
    notes: tuple[str, ...] = ()
    #: What the copy's file name still gives away, in plain words (the source audit's
    #: file-name findings), when the copy kept the original's name; ``kept`` then lists
    #: ``"filename"``. Empty when the name was changed or gives nothing away.
    name_reveals: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The result entry of the ``veil clean --json`` contract."""
        return {
            "source": str(self.source),
            "output": str(self.output) if self.output else None,
            "status": self.status.value,
            "error": self.error,
            "verified": self.verified,
            "lossless": self.lossless,
            "removed": list(self.removed),
            "kept": list(self.kept),
            "unchanged": self.unchanged,
            "notes": list(self.notes),
            "name_reveals": list(self.name_reveals),
        }
