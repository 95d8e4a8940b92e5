"""QuickTime / ISO-BMFF video files (MOV, MP4, M4V, 3GP): sniff, audit and lossless clean.

Modules:
  * :mod:`.movie`  - the ``moov`` box parsed into tracks, times and handler names;
  * :mod:`.tags`   - identity in ``udta`` / ``meta`` (``keys``/``ilst``) / XMP, as role items;
  * :mod:`.read`   - the top-level walk into a :class:`ContainerScan` (with :class:`VideoFacts`);
  * :mod:`.samples` / :mod:`.gpmf` - media data fully used? GoPro telemetry's first GPS fix;
  * :mod:`.chunks` - sample tables as chunk (offset, size) lists, shared by clean and proof;
  * :mod:`.clean` / :mod:`.rebuild` - the rewrite: metadata and telemetry out, samples as is;
  * :mod:`.proof`  - verification that a copy's samples are the source's own bytes;
  * :mod:`.poster` - a poster frame for previews (OpenCV).

The movie header (``moov``) is read into memory (capped at :data:`.read.MAX_MOOV`); media data
(``mdat``) never is: cleaning streams it in bounded pieces.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.formats.base import CleanOutcome, ContainerScan, ImageFormat
from veil.core.model import ExportOptions

#: ``ContainerScan.format`` values this handler produces.
VIDEO_FORMATS = ("mov", "mp4", "m4v", "3gp")
#: ftyp brands (major or compatible) of movies, by prefix.
_MOVIE_BRANDS = ("qt  ", "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "mp71",
                 "avc1", "M4V", "M4A ", "3gp", "3g2", "mmp4", "MSNV", "f4v", "XAVC", "NDAS",
                 "caqv", "CAEP", "dby1", "hvc1")
#: Brands of stills and raws sharing the box structure: never taken for a movie.
_NOT_MOVIE = ("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1",
              "mif2", "mif3", "avif", "avis", "crx ", "jp2 ", "jpx ", "jpm ", "mjp2")
#: First boxes of old QuickTime movies written without ``ftyp``.
_OLD_MOV_FIRST = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def brands(head: bytes) -> list[str]:
    """Major and compatible brands of an ``ftyp`` box at the start of ``head`` (else [])."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return []
    size = struct.unpack(">I", head[:4])[0]
    stop = min(len(head), max(size, 16))
    found = [head[8:12].decode("latin-1")]
    found += [head[i : i + 4].decode("latin-1") for i in range(16, stop - 3, 4)]
    return found


def format_of(head: bytes) -> str:
    """"mov", "m4v", "3gp" or "mp4" for a movie's first bytes."""
    found = brands(head)
    if not found:
        return "mov"
    major = found[0]
    if major == "qt  ":
        return "mov"
    if major.startswith("M4V"):
        return "m4v"
    if major.startswith(("3gp", "3g2")):
        return "3gp"
    return "mp4"


def sniff_movie(head: bytes) -> bool:
    """True when ``head`` (first 64 bytes) starts a QuickTime / ISO-BMFF movie."""
    found = brands(head)
    if found:
        if any(b in _NOT_MOVIE for b in found):
            return False
        return any(b.startswith(_MOVIE_BRANDS) for b in found)
    if len(head) < 16 or head[4:8] not in _OLD_MOV_FIRST:
        return False
    size = struct.unpack(">I", head[:4])[0]
    # An old MOV: a plausible first box followed by another box header, or a big one.
    return size in (0, 1) or size >= 8


class Video(ImageFormat):
    """MOV, MP4, M4V and 3GP movies (not fragmented, media in the same file)."""

    name: ClassVar[str] = "video"
    extensions: ClassVar[tuple[str, ...]] = (".mp4", ".mov", ".m4v", ".3gp", ".3g2", ".qt")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for a movie ``ftyp`` brand, or an old MOV starting with moov/mdat/wide/free."""
        return sniff_movie(head)

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the top-level boxes, parse ``moov``; see :mod:`.read`.

        Raises:
            CorruptFile: a box overruns the file, no movie header, or it is too large.
        """
        from veil.core.formats.video.read import read_movie

        return read_movie(f, size)

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Rewrite ``src`` as ftyp + cleaned moov + the kept tracks' media, byte for byte.

        Raises:
            Unsupported: redaction asked (pixels), fragmented or externally referenced media.
            CorruptFile: the source is broken (offsets past the end, overlapping chunks...).
        """
        from veil.core.errors import Unsupported
        from veil.core.formats.video.clean import write_clean

        if pixels is not None or options.redactions:
            raise Unsupported("videos can't be redacted (only their metadata is removed)")
        return write_clean(src, dst)
