"""A movie's metadata items (``formats.video``) into the shared :class:`Collector`.

Every item is shown as a tag; its role puts it where the detectors look (GPS points, make,
model, software, dates, owners, serials, places, written text, vendor data). Tracks that carry
positions or text and the movie's sound are left in ``values`` for the detectors.
"""

from __future__ import annotations

from typing import Any

from veil.core.metadata.model import Collector

#: ``values`` keys the video detectors read.
TRACKS_KEY = "Video:Tracks"  # ((role, what), ...) of telemetry / text / timecode tracks
SOUND_KEY = "Video:SoundSeconds"  # float, or absent when silent
#: Creation times before this year are unset fields or Unix times in a 1904 field.
_FIRST_YEAR = 1995


def collect_video(facts: Any, col: Collector) -> None:
    """Lift ``facts`` (a :class:`veil.core.formats.video.read.VideoFacts`) into ``col``."""
    from veil.core.explain import parse_when
    from veil.core.formats.video.tags import iso6709
    from veil.core.metadata.model import GeoPoint

    if facts.duration_s is not None:
        col.tag("Video", "Duration", f"{facts.duration_s:.1f} s")
    col.tag("Video", "FileSize", f"{facts.bytes} bytes")
    col.tag("Video", "Tracks", ", ".join(f"{t.role} ({t.sample_format or t.handler})"
                                         for t in facts.tracks) or "none")
    if facts.rotation:
        col.tag("Video", "Rotation", f"{facts.rotation}°")
    sound = facts.audio_s
    if sound is not None:
        col.values[SOUND_KEY] = float(sound)
    tracks: list[tuple[str, str]] = []
    makers: list[str] = []
    for item in facts.items:
        name = f"{item.group} {item.name}"
        text = col.tag(item.group, item.name, item.value)
        role = item.role
        if role == "gps":
            point = iso6709(text)
            if point:
                col.gps.append(GeoPoint(round(point[0], 7), round(point[1], 7), item.group,
                                        point[2]))
        elif role == "make":
            col.make = col.make or text
        elif role == "model":
            col.model = col.model or text
        elif role == "soft":
            # Android writes its bare version ("14"): "Names the software used: 14" says
            # nothing to a person.
            android = item.name == "AndroidVersion" and text[:1].isdigit()
            col.soft(name, f"Android {text}" if android else text)
        elif role == "when":
            when = parse_when(text)
            if when and int(when["y"]) >= _FIRST_YEAR:
                col.when(name, text)
        elif role == "owner":
            col.owner(name, text)
        elif role == "serial":
            col.serial(name, text)
        elif role == "place":
            col.place(name, text)
        elif role == "text":
            col.text(name, text)
        elif role in ("telemetry", "text_track", "timecode", "timed_track"):
            tracks.append((role, text))
        elif role == "maker":
            makers.append(f"{item.group} {item.name}")
        elif role == "thumbnail" and item.data:
            _cover(item.data, col)
    if tracks:
        col.values[TRACKS_KEY] = tuple(tracks)
    if makers and not col.maker_note:
        col.maker_note = _maker(facts, col) or "camera"
        col.values.setdefault("MakerNote:MakerNote", ", ".join(makers[:10]))


def _cover(data: bytes, col: Collector) -> None:
    """What a cover picture says on its own (a JPEG's EXIF/XMP: where, who): kept apart
    from the movie's own tags by :data:`COVER_SOURCE`. A picture Veil can't read is left to
    the preview finding."""
    import io

    from veil.core import formats
    from veil.core.metadata.exif import decode_exif
    from veil.core.metadata.model import COVER_SOURCE, GeoPoint
    from veil.core.metadata.xmp import decode_xmp

    handler = formats.detect(data[:64])
    if handler is None or handler.name not in ("jpeg", "png"):
        return
    try:
        scan = handler.read(io.BytesIO(data), len(data))
        own = Collector()
        for payload in scan.exif:
            decode_exif(payload, own)
        for payload in scan.xmp:
            decode_xmp(payload, own)
    except Exception:  # a damaged cover: the movie's own tags still stand
        col.warnings.append("the cover picture's own metadata could not be read")
        return
    for p in own.gps:
        col.gps.append(GeoPoint(p.lat, p.lon, COVER_SOURCE, p.altitude))
    for name, value in own.owners:
        col.owner(f"{COVER_SOURCE} {name}", value)
    for name, value in own.serials:
        col.serial(f"{COVER_SOURCE} {name}", value)


def _maker(facts: Any, col: Collector) -> str | None:
    from veil.core.formats.video.tags import MAKER_BOXES

    for item in facts.items:
        if item.role == "maker" and MAKER_BOXES.get(item.name):
            return MAKER_BOXES[item.name]
    return col.make
