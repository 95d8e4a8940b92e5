"""The top-level walk of a movie file into a :class:`ContainerScan` with :class:`VideoFacts`.

Only box headers, ``moov`` (capped at :data:`MAX_MOOV`) and top-level metadata boxes are
read; media data never is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from veil.core.errors import CorruptFile
from veil.core.formats.base import Block, ContainerScan, Embedded
from veil.core.formats.byteio import read_exact
from veil.core.formats.heif import C2PA_UUID
from veil.core.formats.isobmff import Box, iter_file_boxes, printable
from veil.core.formats.video import format_of
from veil.core.formats.video.movie import (
    AUDIO,
    GENERIC_HANDLER_NAMES,
    OTHER,
    TELEMETRY,
    TELEMETRY_FORMATS,
    TEXT,
    TIMECODE,
    TIMED,
    VIDEO,
    Movie,
    mac_time,
    parse_moov,
    rotation,
)
from veil.core.formats.video.samples import track_positions, unused_media
from veil.core.formats.video.tags import Item, read_boxes
from veil.core.metadata.appdata import JUMBF_NOTE
from veil.core.metadata.c2pa import bmff_store

#: Largest movie header read (a two-hour phone video's is ~20 MB).
MAX_MOOV = 128 * 1024 * 1024
#: Largest top-level metadata box read (XMP, uuid, meta).
MAX_META = 16 * 1024 * 1024
#: Top-level boxes that carry media or nothing at all.
_PLAIN_TOP = {"ftyp": "file type", "mdat": "media data", "free": "padding", "skip": "padding",
              "wide": "padding", "moov": "movie header", "pnot": "preview reference",
              "PICT": "preview picture", "moof": "movie fragment", "mfra": "fragment index",
              "sidx": "segment index", "styp": "segment type", "ssix": "subsegment index",
              "prft": "reference time"}
#: A tkhd rotation as the EXIF orientation that turns the picture the same way.
_EXIF_TURN = {0: 1, 90: 6, 180: 3, 270: 8}
#: Item roles of tracks whose samples may say where or when (see ``metadata.video``).
_TRACK_ROLE = {TELEMETRY: "telemetry", TEXT: "text_track", TIMECODE: "timecode",
               TIMED: "timed_track"}


@dataclass(frozen=True, slots=True)
class TrackFacts:
    """One track as the audit shows it."""

    role: str
    handler: str
    sample_format: str
    name: str
    duration_s: float | None


@dataclass(frozen=True, slots=True)
class VideoFacts:
    """What a movie is (duration, sound, tracks) and what its metadata says (items)."""

    duration_s: float | None
    tracks: tuple[TrackFacts, ...]
    items: tuple[Item, ...]
    rotation: int = 0
    bytes: int = 0
    fragmented: bool = False

    @property
    def audio_s(self) -> float | None:
        """Seconds of the longest sound track (None when there is no sound)."""
        sound = [t.duration_s or self.duration_s or 0.0 for t in self.tracks if t.role == AUDIO]
        return max(sound) if sound else None


def read_movie(f: BinaryIO, size: int) -> ContainerScan:
    """Walk ``f`` (``size`` bytes); see the module docstring.

    Raises:
        CorruptFile: a box overruns the file, there is no movie header, or it is too large.
    """
    head = read_exact(f, 0, min(size, 64), "the file is truncated")
    blocks: list[Block] = []
    warnings: list[str] = []
    xmp: list[bytes] = []
    items: list[Item] = []
    complete = True
    movie: Movie | None = None
    embedded: list[Embedded] = []
    moov = b""
    media: list[tuple[int, int]] = []
    damage: list[str] = []
    c2pa: list[tuple[str, str, int, bytes]] = []  # Content Credentials stores, for metadata
    found_c2pa = False
    for box in _salvaged(iter_file_boxes(f, 0, size), damage):
        name = printable(box.type)
        if box.type == "moov":
            if movie is not None:
                raise CorruptFile("the file has two movie headers (moov)")
            if box.size > MAX_MOOV:
                raise CorruptFile(f"the movie header is too large ({box.size // 2**20} MB)")
            buf = moov = read_exact(f, box.offset, box.size, "the movie header is truncated")
            movie = parse_moov(buf)
            try:
                found, packets = read_boxes(buf, movie.metadata_boxes, "QuickTime")
            except CorruptFile as exc:
                found, packets = [], []
                warnings.append(f"a metadata box could not be read ({exc})")
                complete = False
            items += found
            xmp += packets
            blocks.append(Block("moov", "structure", box.offset, box.size))
            blocks += [Block(b.type, "metadata", box.offset + b.offset, b.size)
                       for b in movie.metadata_boxes]
        elif box.type == "uuid" and box.uuid == C2PA_UUID:
            # Content Credentials (C2PA's BMFF embedding): whom and where the manifest names
            # is read by metadata.c2pa, as in a JPEG or a HEIF.
            found_c2pa = True
            blocks.append(Block(name, "c2pa", box.offset, box.size,
                                note="C2PA content credentials"))
            if box.size <= MAX_META:
                data = read_exact(f, box.offset, box.size, "the C2PA box is truncated")
                store = bmff_store(data[box.header :])
                if store:
                    c2pa.append((name, JUMBF_NOTE, box.offset, store))
        elif box.type in ("meta", "uuid", "udta", "XMP_"):
            if box.size > MAX_META:
                raise CorruptFile(f"a '{name}' metadata box is too large ({box.size} bytes)")
            buf = read_exact(f, box.offset, box.size, f"the '{name}' box is truncated")
            local = Box(box.type, 0, box.size, box.header, box.uuid)
            try:
                found, packets = read_boxes(buf, [local], "QuickTime")
            except CorruptFile as exc:
                found, packets = [], []
                warnings.append(f"the '{name}' box could not be read ({exc})")
                complete = False
            items += found
            xmp += packets
            blocks.append(Block(name, "metadata", box.offset, box.size))
        elif box.type in ("free", "skip", "wide") and _holds_data(f, box):
            blocks.append(Block(name, "unknown", box.offset, box.size, known=False,
                                note="padding that holds data"))
            warnings.append(f"a '{name}' padding box holds {box.size - box.header} bytes of data")
            complete = False
        elif box.type == "mdat":
            media.append((box.body, box.end))
            blocks.append(Block(name, "structure", box.offset, box.size, note="media data"))
        elif box.type == "PICT":
            blocks.append(Block(name, "thumbnail", box.offset, box.size, note="preview picture"))
            embedded.append(Embedded("thumbnail", box.offset, box.size, "QuickTime preview"))
        elif box.type in _PLAIN_TOP:
            blocks.append(Block(name, "structure", box.offset, box.size, note=_PLAIN_TOP[box.type]))
        else:
            blocks.append(Block(name, "unknown", box.offset, box.size, known=False))
            warnings.append(f"a '{name}' box of {box.size} bytes was not understood")
            complete = False
    if movie is None:
        raise CorruptFile(damage[0] if damage else
                          "no movie header (moov): the file is cut short or not a movie")
    if damage:
        # Salvage (issue 15): the movie header was read whole, so what it says is reported;
        # the file can't be called clean, and the cleaner (its own walk) still refuses it.
        warnings.append(f"the file is damaged or cut short after its movie header ({damage[0]});"
                        " the rest could not be read")
        complete = False
    for what in movie.unknown:
        warnings.append(f"the movie box '{what}' was not understood")
        complete = False
    problem = unused_media(moov, movie, media, size)
    if problem:
        warnings.append(problem)
        complete = False
    for track in movie.tracks:
        if track.role == OTHER:
            warnings.append(f"a '{printable(track.handler)}' track was not understood")
            complete = False
    items += _movie_items(movie)
    items += track_positions(f, moov, movie, size)
    embedded += [Embedded("thumbnail", 0, 0, f"{i.group} {i.name}") for i in items
                 if i.role == "thumbnail"]
    tracks = tuple(TrackFacts(t.role, t.handler, t.sample_format, t.handler_name, t.duration_s)
                   for t in movie.tracks)
    video = next((t for t in movie.tracks if t.role == VIDEO and t.width), None)
    facts = VideoFacts(
        duration_s=movie.duration_s,
        tracks=tracks,
        items=tuple(items),
        rotation=rotation(video.matrix) if video else 0,
        bytes=size,
        fragmented=movie.fragmented,
    )
    return ContainerScan(
        format=format_of(head),
        width=round(video.width) if video else None,
        height=round(video.height) if video else None,
        blocks=tuple(blocks),
        xmp=tuple(xmp),
        embedded=tuple(embedded),
        warnings=tuple(warnings),
        complete=complete,
        orientation=_EXIF_TURN.get(facts.rotation, 1),
        video=facts,
        c2pa=found_c2pa,
        maker_data=tuple(c2pa),
    )


def _salvaged(boxes: Iterator[Box], damage: list[str]) -> Iterator[Box]:
    """``boxes`` until one is broken (overruns the file, impossible size...): then the walk
    stops and ``damage`` gets the reason, so what came before is still read."""
    while True:
        try:
            box = next(boxes)
        except StopIteration:
            return
        except CorruptFile as exc:
            damage.append(str(exc))
            return
        yield box


def _holds_data(f: BinaryIO, box: Box) -> bool:
    """True when a padding box holds anything but zeros (or is too big to look at whole)."""
    length = box.size - box.header
    if length > MAX_META:
        return True
    f.seek(box.body)
    while length > 0:
        piece = f.read(min(length, 1 << 20))
        if not piece or piece.strip(b"\0"):
            return bool(piece)
        length -= len(piece)
    return False


def _movie_items(movie: Movie) -> list[Item]:
    """Header times, handler names and track kinds as items."""
    out: list[Item] = []
    for name, seconds in movie.times:
        when = mac_time(seconds)
        if when:
            out.append(Item("QuickTime", name, when, "when"))
    for i, track in enumerate(movie.tracks, 1):
        group = f"Track{i}"
        for name, seconds in track.times:
            when = mac_time(seconds)
            if when:
                out.append(Item(group, name, when, "when"))
        for handler_name in [track.handler_name, *track.data_names]:
            role = "info" if handler_name.lower() in GENERIC_HANDLER_NAMES else "soft"
            if handler_name:
                out.append(Item(group, "HandlerDescription", handler_name, role))
        if track.role in _TRACK_ROLE:
            what = TELEMETRY_FORMATS.get(track.sample_format) or f"'{track.sample_format}' data"
            if track.meta_keys:
                what += ": " + ", ".join(k.rsplit(".", 1)[-1] for k in track.meta_keys[:8])
            out.append(Item(group, "TrackContent", what, _TRACK_ROLE[track.role]))
        if track.compressor:
            out.append(Item(group, "CompressorName", track.compressor, "info"))
        if track.external:
            out.append(Item(group, "DataReference", "media stored in another file", "info"))
    return out
