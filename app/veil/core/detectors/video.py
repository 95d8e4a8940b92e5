"""``video``: what a movie carries besides its metadata tags: its sound, and tracks that
record where (GPS telemetry, drone/dashcam subtitles) or when (timecode) it was filmed.

Positions inside telemetry tracks are not decoded: the track itself is the finding.
"""

from __future__ import annotations

from veil.core.detectors.common import finding
from veil.core.metadata import Metadata
from veil.core.metadata.video import SOUND_KEY, TRACKS_KEY
from veil.core.model import Finding, FindingKind, Severity


def is_movie(meta: Metadata) -> bool:
    """True for a video file (its findings say "filmed", not "taken")."""
    return meta.scan.video is not None


def detect_video(meta: Metadata) -> list[Finding]:
    """The sound (medium) and each kind of revealing track (high for telemetry)."""
    out: list[Finding] = []
    sound = meta.values.get(SOUND_KEY)
    if isinstance(sound, float):
        out.append(finding(FindingKind.SOUND, Severity.MEDIUM,
                           f"Contains {sound:.1f} s of sound: voices and background noise "
                           "can tell who was there and where", "sound track",
                           {"label": "Sound", "seconds": sound}))
    tracks = meta.values.get(TRACKS_KEY)
    if not isinstance(tracks, tuple):
        return out
    kinds: dict[str, list[str]] = {}
    for role, what in tracks:
        kinds.setdefault(role, []).append(what)
    if "telemetry" in kinds:
        what = ", ".join(dict.fromkeys(kinds["telemetry"]))
        out.append(finding(FindingKind.LOCATION, Severity.HIGH,
                           f"A track records where it was filmed ({what})", "telemetry track",
                           {"label": "Location track", "tracks": kinds["telemetry"]}))
    if "text_track" in kinds:
        what = ", ".join(dict.fromkeys(kinds["text_track"]))
        out.append(finding(FindingKind.LOCATION, Severity.MEDIUM,
                           f"A text track may record where it was filmed ({what}); drones and "
                           "dashcams write their position there", "text track",
                           {"label": "Text track", "tracks": kinds["text_track"]}))
    if "timed_track" in kinds:
        what = ", ".join(dict.fromkeys(kinds["timed_track"]))
        out.append(finding(FindingKind.OTHER_METADATA, Severity.LOW,
                           f"A metadata track records camera data while filming ({what})",
                           "metadata track", {"label": "Metadata track",
                                              "tracks": kinds["timed_track"]}))
    if "timecode" in kinds:
        out.append(finding(FindingKind.TIME, Severity.LOW,
                           "A timecode track records the time of day it was filmed",
                           "timecode track", {"label": "Timecode", "tracks": kinds["timecode"]}))
    return out
