"""Running the metadata detectors on a decoded scan, for the detector tests: every finding
of every detector (each detail checked JSON-able), the findings of one kind, and a
:class:`Metadata` decoded from a scan built by :func:`tests.factories.exif.scan`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.factories.exif import scan
from veil.core.detectors.metadata_rules import DETECTORS
from veil.core.metadata import Metadata, decode
from veil.core.model import Finding, FindingKind


def jpeg_header(w: int, h: int) -> bytes:
    """A minimal JPEG header with a SOF0 of w x h (all the size reader needs)."""
    return (b"\xff\xd8\xff\xc0\x00\x11\x08" + h.to_bytes(2, "big") + w.to_bytes(2, "big")
            + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9")


THUMB_4_3 = jpeg_header(160, 120)


def run(meta: Metadata) -> list[Finding]:
    found = [f for _, detect in DETECTORS for f in detect(meta)]
    for f in found:
        json.dumps(f.to_json())  # every detail is JSON-able
    return found


def of(kind: FindingKind, found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.kind is kind]


def meta(path: str = "/nonexistent/photo.jpg", **kw: object) -> Metadata:
    return decode(Path(path), scan(**kw))  # type: ignore[arg-type]
