"""Every metadata detector, in report order: where, when, device, who, hidden, other."""

from __future__ import annotations

from veil.core.detectors import MetadataDetector
from veil.core.detectors.device import detect_device
from veil.core.detectors.filename import detect_filename
from veil.core.detectors.hidden import (
    detect_embedded,
    detect_maker_notes,
    detect_provenance,
    detect_thumbnail,
)
from veil.core.detectors.identity import detect_identity
from veil.core.detectors.location import detect_location
from veil.core.detectors.other import detect_other
from veil.core.detectors.sidecar import detect_sidecars
from veil.core.detectors.software import detect_software
from veil.core.detectors.time import detect_time
from veil.core.detectors.video import detect_video

DETECTORS: tuple[tuple[str, MetadataDetector], ...] = (
    ("location", detect_location),
    ("time", detect_time),
    ("device", detect_device),
    ("identity", detect_identity),
    ("thumbnail", detect_thumbnail),
    ("embedded_media", detect_embedded),
    ("provenance", detect_provenance),
    ("maker_notes", detect_maker_notes),
    ("software", detect_software),
    ("sidecar", detect_sidecars),
    ("filename", detect_filename),
    ("other_metadata", detect_other),
    ("video", detect_video),
)
