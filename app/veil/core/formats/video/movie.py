"""The ``moov`` box (already in memory) as tracks, creation times and handler names.

Box offsets here are relative to the ``moov`` buffer; :mod:`.chunks` adds the file's own
chunk offsets. Every read is bounded by :class:`veil.core.formats.isobmff.Reader`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from veil.core.errors import CorruptFile
from veil.core.formats.isobmff import Box, Reader, iter_boxes, printable

_MAC_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)
#: Track handlers and what they carry, in the words the findings use.
VIDEO, AUDIO, TELEMETRY, TEXT, TIMECODE, TIMED, OTHER = (
    "video", "audio", "telemetry", "text", "timecode", "timed", "other")
_ROLE_OF_HANDLER = {"vide": VIDEO, "soun": AUDIO, "text": TEXT, "sbtl": TEXT, "subt": TEXT,
                    "clcp": TEXT, "tmcd": TIMECODE, "meta": TELEMETRY, "camm": TELEMETRY,
                    "mdta": TELEMETRY}
#: Sample formats that are known telemetry, with the plain name the findings give.
TELEMETRY_FORMATS = {"gpmd": "GoPro GPMF telemetry", "mebx": "Apple timed metadata",
                     "camm": "camera motion metadata", "rtmd": "Sony real-time metadata",
                     "djmd": "DJI flight data", "tx3g": "timed text", "wvtt": "WebVTT text",
                     "stpp": "subtitles", "c608": "closed captions", "text": "timed text"}
#: Handler names written by common muxers: they say nothing about a device or person.
GENERIC_HANDLER_NAMES = frozenset({
    "", "videohandler", "soundhandler", "core media video", "core media audio",
    "core media metadata", "core media data handler", "datahandler", "dataHandler".lower(),
    "apple video media handler", "apple sound media handler", "apple alias data handler",
    "mainconcept video media handler", "mainconcept mp4 sound media handler", "video", "sound",
    "audio", "l-smash video handler", "l-smash audio handler", "timecodehandler",
    "subtitlehandler", "texthandler", "ambarella avc", "ambarella aac", "gpac isoff",
    "gpac isom video handler", "gpac isom audio handler", "bento4 video handler",
    "bento4 sound handler", "soundmediahandler", "videomediahandler", "handler", "media handler",
    "url", "alias", "mp4 video media handler", "mp4 sound media handler"})


@dataclass(slots=True)
class Track:
    """One ``trak``: its role, handler, first sample format and identifying times."""

    box: Box
    track_id: int = 0
    handler: str = ""
    handler_name: str = ""
    sample_format: str = ""
    duration_s: float | None = None
    width: float = 0.0
    height: float = 0.0
    matrix: tuple[int, ...] = ()
    times: list[tuple[str, int]] = field(default_factory=list)  # (box field, seconds since 1904)
    data_names: list[str] = field(default_factory=list)  # minf/hdlr names (data handlers)
    external: bool = False  # dref points at media in another file
    compressor: str = ""  # free text in a video sample entry ("Lavc59.37.100 libx264")
    meta_keys: list[str] = field(default_factory=list)  # keys of an Apple 'mebx' track

    @property
    def role(self) -> str:
        """VIDEO, AUDIO, TELEMETRY, TEXT, TIMECODE or OTHER."""
        if self.sample_format == "mebx":  # Apple: the keys say what it records
            located = any("location" in k.lower() for k in self.meta_keys)
            return TELEMETRY if located or not self.meta_keys else TIMED
        if self.sample_format in ("gpmd", "camm", "rtmd", "djmd"):
            return TELEMETRY
        if self.sample_format in ("tx3g", "wvtt", "stpp", "c608", "text") and \
                self.handler not in ("vide", "soun"):
            return TEXT
        return _ROLE_OF_HANDLER.get(self.handler, OTHER)


@dataclass(slots=True)
class Movie:
    """What ``moov`` says: header times, duration, tracks, and its other children."""

    timescale: int = 0
    duration_s: float | None = None
    times: list[tuple[str, int]] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    metadata_boxes: list[Box] = field(default_factory=list)  # udta, meta, uuid at any level
    unknown: list[str] = field(default_factory=list)  # boxes not understood, for warnings
    fragmented: bool = False


def mac_time(seconds: int) -> str | None:
    """ISO text of a QuickTime time (seconds since 1904), None when unset or impossible."""
    if not seconds:
        return None
    with contextlib.suppress(OverflowError, ValueError):
        return (_MAC_EPOCH + timedelta(seconds=seconds)).isoformat()
    return None


def _times(r: Reader, version: int, what: str, out: list[tuple[str, int]]) -> None:
    n = 8 if version == 1 else 4
    out.append((f"{what}CreateDate", r.uint(n)))
    out.append((f"{what}ModifyDate", r.uint(n)))


#: moov children understood besides tracks and metadata.
_MOOV_PLAIN = {"mvhd", "iods", "trak", "free", "skip", "wide", "prfl", "clip", "ctab", "mvex"}
#: Children of trak / mdia / minf / stbl that Veil understands (identity lives in none of them).
TRAK_PLAIN = frozenset({"tkhd", "edts", "mdia", "tref", "tapt", "load", "txas", "free", "skip"})
MDIA_PLAIN = frozenset({"mdhd", "hdlr", "minf", "elng", "free"})
MINF_PLAIN = frozenset({"vmhd", "smhd", "hmhd", "nmhd", "gmhd", "sthd", "hdlr", "dinf", "stbl",
                        "free"})
STBL_PLAIN = frozenset({"stsd", "stts", "ctts", "cslg", "stss", "stps", "stsc", "stsz", "stz2",
                        "stco", "co64", "sdtp", "sbgp", "sgpd", "subs", "padb", "stsh", "stdp",
                        "free"})
METADATA_BOXES = frozenset({"udta", "meta", "uuid", "XMP_"})


def parse_moov(buf: bytes) -> Movie:
    """Parse a whole ``moov`` box held in ``buf`` (starting at offset 0).

    Raises:
        CorruptFile: a box overruns its parent or a header field is cut short.
    """
    movie = Movie()
    top = Box("moov", 0, len(buf), 8)
    for child in iter_boxes(buf, 8, len(buf), 1):
        if child.type == "mvhd":
            _mvhd(buf, child, movie)
        elif child.type == "trak":
            movie.tracks.append(_trak(buf, child, movie))
        elif child.type in METADATA_BOXES:
            movie.metadata_boxes.append(child)
        elif child.type == "mvex":
            movie.fragmented = True
        elif child.type in ("free", "skip", "wide") and \
                buf[child.body : child.end].strip(b"\0"):
            movie.unknown.append(f"moov/{child.type} holding {child.size - child.header} bytes")
        elif child.type not in _MOOV_PLAIN:
            movie.unknown.append(f"moov/{printable(child.type)}")
    del top
    return movie


def _mvhd(buf: bytes, box: Box, movie: Movie) -> None:
    r = Reader(buf, box.body, box.end, "mvhd")
    version = r.uint(1)
    r.uint(3)
    _times(r, version, "", movie.times)
    movie.timescale = r.uint(4)
    duration = r.uint(8 if version == 1 else 4)
    all_ones = (1 << (64 if version == 1 else 32)) - 1
    if movie.timescale and duration != all_ones:
        movie.duration_s = round(duration / movie.timescale, 3)


def _trak(buf: bytes, trak: Box, movie: Movie) -> Track:
    track = Track(trak)
    for child in iter_boxes(buf, trak.body, trak.end, 2):
        if child.type == "tkhd":
            _tkhd(buf, child, track)
        elif child.type == "mdia":
            _mdia(buf, child, track, movie)
        elif child.type in METADATA_BOXES:
            movie.metadata_boxes.append(child)
        elif child.type not in TRAK_PLAIN:
            movie.unknown.append(f"trak/{printable(child.type)}")
    return track


def _tkhd(buf: bytes, box: Box, track: Track) -> None:
    r = Reader(buf, box.body, box.end, "tkhd")
    version = r.uint(1)
    r.uint(3)
    _times(r, version, "Track", track.times)
    track.track_id = r.uint(4)
    r.uint(4)
    r.uint(8 if version == 1 else 4)  # duration (in movie timescale)
    r.bytes(8 + 2 + 2 + 2 + 2)  # reserved, layer, alternate group, volume, reserved
    track.matrix = tuple(r.uint(4) for _ in range(9))
    track.width, track.height = r.uint(4) / 65536, r.uint(4) / 65536


def _mdia(buf: bytes, mdia: Box, track: Track, movie: Movie) -> None:
    for child in iter_boxes(buf, mdia.body, mdia.end, 3):
        if child.type == "mdhd":
            r = Reader(buf, child.body, child.end, "mdhd")
            version = r.uint(1)
            r.uint(3)
            _times(r, version, "Media", track.times)
            scale, duration = r.uint(4), r.uint(8 if version == 1 else 4)
            if scale and duration < (1 << 62):
                track.duration_s = round(duration / scale, 3)
        elif child.type == "hdlr":
            track.handler, track.handler_name = _hdlr(buf, child)
        elif child.type == "minf":
            _minf(buf, child, track, movie)
        elif child.type in METADATA_BOXES:
            movie.metadata_boxes.append(child)
        elif child.type not in MDIA_PLAIN:
            movie.unknown.append(f"mdia/{printable(child.type)}")


def _hdlr(buf: bytes, box: Box) -> tuple[str, str]:
    """(handler type, handler name) of a hdlr box (name: C string or Pascal string)."""
    r = Reader(buf, box.body, box.end, "hdlr")
    r.uint(4)
    r.uint(4)  # QuickTime component type ('mhlr'/'dhlr'), 0 in MP4
    handler = r.fourcc()
    r.bytes(12)
    raw = r.bytes(r.left)
    if raw and raw[0] == len(raw) - 1 and raw[0] > 0:  # QuickTime Pascal string
        raw = raw[1:]
    name = raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
    return handler, name


def _minf(buf: bytes, minf: Box, track: Track, movie: Movie) -> None:
    for child in iter_boxes(buf, minf.body, minf.end, 4):
        if child.type == "hdlr":
            name = _hdlr(buf, child)[1]
            if name:
                track.data_names.append(name)
        elif child.type == "dinf":
            track.external = track.external or _external(buf, child)
        elif child.type == "stbl":
            for sub in iter_boxes(buf, child.body, child.end, 5):
                if sub.type == "stsd" and sub.end - sub.body >= 16:
                    track.sample_format = buf[sub.body + 12 : sub.body + 16].decode("latin-1")
                    if track.sample_format == "mebx":
                        track.meta_keys = _mebx_keys(buf[sub.body : sub.end])
                    if track.handler == "vide" and sub.end - sub.body >= 8 + 82:
                        raw = buf[sub.body + 8 + 50 : sub.body + 8 + 82]
                        track.compressor = raw[1 : 1 + raw[0]].decode("latin-1", "replace") \
                            if raw[0] < 32 else ""
                elif sub.type in ("saiz", "saio", "senc"):
                    movie.unknown.append(f"stbl/{sub.type} (encrypted samples)")
                elif sub.type not in STBL_PLAIN:
                    movie.unknown.append(f"stbl/{printable(sub.type)}")
        elif child.type in METADATA_BOXES:
            movie.metadata_boxes.append(child)
        elif child.type not in MINF_PLAIN:
            movie.unknown.append(f"minf/{printable(child.type)}")


def _mebx_keys(stsd: bytes) -> list[str]:
    """Key names ("com.apple.quicktime.still-image-time") declared by 'keyd' boxes of an
    Apple timed-metadata sample entry; a loose, bounded scan (at most 64 keys)."""
    names: list[str] = []
    at = stsd.find(b"keyd")
    while at >= 4 and len(names) < 64:
        size = int.from_bytes(stsd[at - 4 : at], "big")
        if 12 <= size <= 1024 and at - 4 + size <= len(stsd):
            names.append(stsd[at + 8 : at - 4 + size].decode("utf-8", "replace"))
        at = stsd.find(b"keyd", at + 4)
    return names


def _external(buf: bytes, dinf: Box) -> bool:
    """True when a data reference is not "in this file" (flag 1 of its url/alis entry)."""
    for dref in iter_boxes(buf, dinf.body, dinf.end, 5):
        if dref.type != "dref":
            continue
        for entry in iter_boxes(buf, dref.body + 8, dref.end, 6):
            if entry.end - entry.body < 4:
                raise CorruptFile("a data reference entry is truncated")
            flags = int.from_bytes(buf[entry.body + 1 : entry.body + 4], "big")
            if not flags & 1:
                return True
    return False


def rotation(matrix: tuple[int, ...]) -> int:
    """Display rotation in degrees (0, 90, 180, 270) of a tkhd matrix; 0 if not a rotation."""
    if len(matrix) != 9:
        return 0
    a, b, _, c, d = matrix[:5]
    one, minus = 0x10000, 0xFFFF0000
    table = {(one, 0, 0, one): 0, (0, one, minus, 0): 90, (minus, 0, 0, minus): 180,
             (0, minus, one, 0): 270}
    return table.get((a, b, c, d), 0)
