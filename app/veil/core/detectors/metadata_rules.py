"""Every metadata detector, in report order. (Filled in by the metadata-detector work.)"""

from __future__ import annotations

from veil.core.detectors import MetadataDetector

DETECTORS: tuple[tuple[str, MetadataDetector], ...] = ()
