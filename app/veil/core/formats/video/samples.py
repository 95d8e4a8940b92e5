"""What a movie's samples say, read only as far as needed: whether the media data is fully
used by the tracks (nothing hidden in it, nothing cut off), and the first position telemetry
or text tracks give.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.video.movie import TEXT, Movie
from veil.core.formats.video.tags import Item


def unused_media(moov: bytes, movie: Movie, media: list[tuple[int, int]],
                  size: int) -> str | None:
    """Why the media data is not fully accounted for by the tracks' samples, or None.

    Bytes in ``mdat`` that no track uses can hide anything (an earlier cut, another file), and
    samples past the end mean the file was cut short: either way it can't be called clean.
    """
    from veil.core.formats.video.clean import track_chunks

    used = 0
    try:
        for track in movie.tracks:
            chunks = track_chunks(moov, track)
            for offset, length in zip(chunks.offsets, chunks.sizes, strict=True):
                if offset + length > size:
                    return "some samples lie past the end of the file (it was cut short)"
                used += length
    except (CorruptFile, Unsupported) as exc:
        return f"the sample tables could not be read ({exc})"
    stored = sum(end - body for body, end in media)
    if used < stored:
        return f"{stored - used} bytes of the media data belong to no track"
    return None


#: "latitude: 48.8584 ... longitude: 2.2945" (DJI, dashcams): only labelled pairs are read,
#: since unlabelled "GPS(2.29, 48.85)" orders differ between makers. Not a word boundary
#: before the labels: a tx3g sample's 2-byte length prefix can be a letter or digit ("0" for
#: 48 bytes) glued to "latitude"; "not after a letter" still refuses "flat" or "salon".
_LABELLED = re.compile(r"(?<![A-Za-z])lat(?:itude)?\b\W{0,3}(-?\d{1,2}\.\d{3,}).{0,40}?"
                       r"(?<![A-Za-z])(?:lon(?:gitude)?|lng)\b\W{0,3}(-?\d{1,3}\.\d{3,})",
                       re.IGNORECASE | re.DOTALL)
_TEXT_FORMATS = ("tx3g", "text", "wvtt", "stpp")


def _gpmf(data: bytes) -> tuple[float, float, float | None] | None:
    from veil.core.formats.video.gpmf import first_fix

    return first_fix(data)


def _text(data: bytes) -> tuple[float, float, float | None] | None:
    m = _LABELLED.search(data.decode("utf-8", "replace"))
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    return (lat, lon, None) if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0, 0) \
        else None


def track_positions(f: BinaryIO, moov: bytes, movie: Movie, size: int) -> list[Item]:
    """The first position each telemetry (GoPro GPMF) or text track gives.

    Only the first chunks are read (at most 8, each capped at 64 KB): enough to say where
    filming started, never the whole track.
    """
    from veil.core.formats.video.clean import track_chunks

    out: list[Item] = []
    for track in movie.tracks:
        if track.sample_format == "gpmd":
            group, decode = "GoPro GPMF", _gpmf
        elif track.sample_format in _TEXT_FORMATS and track.role == TEXT:
            group, decode = "Text track", _text
        else:
            continue
        try:
            chunks = track_chunks(moov, track)
        except (CorruptFile, Unsupported):
            continue  # reported by unused_media
        for offset, length in zip(chunks.offsets[:8], chunks.sizes[:8], strict=False):
            if offset + length > size:
                break
            f.seek(offset)
            point = decode(f.read(min(length, 64 * 1024)))
            if point:
                lat, lon, alt = point
                out.append(Item(group, "GPSCoordinates",
                                f"{lat:+.6f}{lon:+.6f}" + (f"{alt:+.1f}/" if alt else "/"),
                                "gps"))
                break
    return out
