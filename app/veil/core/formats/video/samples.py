"""What a movie's samples say, read only as far as needed: whether the media data is fully
used by the tracks (nothing hidden in it, nothing cut off), and GoPro telemetry's first fix.
"""

from __future__ import annotations

from typing import BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats.video.movie import Movie
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


def telemetry_positions(f: BinaryIO, moov: bytes, movie: Movie, size: int) -> list[Item]:
    """The first GPS fix of each GoPro GPMF track (its first chunk, at most 64 KB, is read)."""
    from veil.core.formats.video.clean import track_chunks
    from veil.core.formats.video.gpmf import first_fix

    out: list[Item] = []
    for track in movie.tracks:
        if track.sample_format != "gpmd":
            continue
        try:
            chunks = track_chunks(moov, track)
        except (CorruptFile, Unsupported):
            continue  # reported by unused_media
        for offset, length in zip(chunks.offsets[:8], chunks.sizes[:8], strict=False):
            if offset + length > size:
                break
            f.seek(offset)
            point = first_fix(f.read(min(length, 64 * 1024)))
            if point:
                lat, lon, alt = point
                out.append(Item("GoPro GPMF", "GPSCoordinates",
                                f"{lat:+.6f}{lon:+.6f}" + (f"{alt:+.1f}/" if alt else "/"),
                                "gps"))
                break
    return out
