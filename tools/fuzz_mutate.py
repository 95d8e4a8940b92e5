"""Seeds and seeded mutations for ``tools/fuzz_files.py`` (a development tool, not shipped).

Seeds are small files the test factories build (JPEG, PNG, WebP, GIF, TIFF, HEIC, raws,
MP4 skeletons, an ffmpeg clip) plus, read-only, any folder of camera files. Mutations know
just enough of each container to hit its length fields: JPEG segments, PNG chunks, RIFF
chunks, ISOBMFF boxes and TIFF IFD entries, besides blind byte damage and truncation.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: Values a length/count/offset field is set to: the edges parsers forget.
EDGES = (0, 1, 2, 7, 8, 0x7F, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF)
#: Camera-file suffixes taken from a seed folder (smaller files first, this size at most).
SEED_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic", ".heif",
                 ".avif", ".mpo", ".dng", ".mp4", ".mov", ".cr3", ".crw", ".raf", ".orf"}


@dataclass(frozen=True)
class Unit:
    """One length-prefixed structure: where it starts and ends, and its length field."""

    start: int
    end: int
    field: int  # offset of the length field
    width: int  # 2 or 4 bytes
    big: bool  # big-endian


def factory_seeds() -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every factory-made seed that can be built here."""
    import io

    from PIL import Image
    from tests.factories import exif as ex
    from tests.factories import jpeg, mp4, png, raw, tiff, webp
    from tests.factories.basic import gps_serial_exif
    from tests.factories.export import dirty_jpeg
    from tests.factories.gif import dirty_gif
    from tests.factories.isobmff import encode_tile, simple_heif

    def gps_jpeg() -> bytes:
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 180, 160)).save(buf, "JPEG", exif=gps_serial_exif())
        return buf.getvalue()

    builders: dict[str, Callable[[], bytes]] = {
        "gps.jpg": gps_jpeg, "rich.jpg": jpeg.rich_jpeg, "dirty.jpg": dirty_jpeg,
        "mpo.jpg": lambda: jpeg.mpo(jpeg.encode(), jpeg.encode()),
        "dirty.png": png.dirty_png, "dirty.webp": webp.dirty_webp,
        "lossy.webp": lambda: webp.dirty_webp(lossless=False, orientation=6),
        "anim.webp": webp.animated_webp, "dirty.gif": lambda: dirty_gif(frames=2),
        "dirty.tif": tiff.make_tiff, "big.tif": lambda: tiff.make_tiff(big=True),
        "exif.tif": lambda: ex.tiff(ex.Ifd({0x010F: (ex.ASCII, "Canon")})),
        "simple.heic": lambda: simple_heif(encode_tile(), exif=gps_serial_exif(),
                                           xmp=b"<x:xmpmeta>Jane</x:xmpmeta>"),
        "skeleton.mp4": lambda: mp4.make_mp4(udta=mp4.xyz_atom("+48.8584+002.2945/")),
        "iiq.iiq": lambda: raw.iiq(), "cr3.cr3": lambda: raw.cr3(), "crw.crw": lambda: raw.crw(),
        "raf.raf": lambda: raw.raf(), "rw2.rw2": lambda: raw.rw2(), "mrw.mrw": lambda: raw.mrw(),
        "x3f.x3f": lambda: raw.x3f(), "orf.orf": lambda: raw.orf(),
    }
    for name, build in builders.items():
        try:
            yield name, build()
        except Exception as exc:  # a factory that needs what this machine lacks: skip it
            print(f"seed {name} not built: {type(exc).__name__}: {exc}")


def clip_seed(scratch: Path) -> Iterator[tuple[str, bytes]]:
    """A one-second ffmpeg clip with a location tag (none when ffmpeg is missing)."""
    try:
        from tests.factories.video import make_clip

        path = make_clip(scratch / "clip.mp4", seconds=1.0,
                         extra=("-metadata", "location=+48.8584+002.2945/"))
        yield "clip.mp4", path.read_bytes()
    except Exception as exc:  # noqa: BLE001 - ffmpeg missing or failing: no clip seed
        print(f"seed clip.mp4 not built: {type(exc).__name__}: {exc}")


def folder_seeds(folder: Path, max_size: int) -> Iterator[tuple[str, bytes]]:
    """Camera files under ``folder`` (read only), smallest first, at most ``max_size``."""
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SEED_SUFFIXES
             and p.stat().st_size <= max_size]
    for p in sorted(files, key=lambda p: p.stat().st_size):
        yield str(p.relative_to(folder)), p.read_bytes()


def units(data: bytes) -> list[Unit]:
    """The length-prefixed structures of ``data`` this module recognises (may be empty)."""
    if data[:2] == b"\xff\xd8":
        return _jpeg_units(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _chunks(data, 8, header=8, field=0, width=4, big=True, pad=False)
    if data[:4] == b"RIFF":
        return _chunks(data, 12, header=8, field=4, width=4, big=False, pad=True)
    if data[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return _boxes(data, 0, len(data), depth=0)
    if data[:4] in (b"II*\0", b"MM\0*"):
        return _ifd_units(data)
    return []


def _jpeg_units(data: bytes) -> list[Unit]:
    out, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD9, 0xDA):
            break
        length = struct.unpack_from(">H", data, pos + 2)[0]
        out.append(Unit(pos, min(len(data), pos + 2 + length), pos + 2, 2, True))
        pos += 2 + length
    return out


def _chunks(data: bytes, pos: int, *, header: int, field: int, width: int, big: bool,
            pad: bool) -> list[Unit]:
    out = []
    fmt = (">" if big else "<") + "I"
    while pos + header <= len(data):
        length = struct.unpack_from(fmt, data, pos + field)[0]
        end = pos + header + length + (length & 1 if pad else 0) + (0 if pad else 4)
        out.append(Unit(pos, min(end, len(data)), pos + field, width, big))
        if end <= pos:
            break
        pos = end
    return out


#: Boxes whose payload is itself a list of boxes (a full box's 4 bytes first for "meta").
_CONTAINERS = {b"moov": 0, b"trak": 0, b"mdia": 0, b"minf": 0, b"stbl": 0, b"udta": 0,
               b"meta": 4, b"iprp": 0, b"ipco": 0, b"dinf": 0, b"edts": 0, b"uuid": -1}


def _boxes(data: bytes, pos: int, stop: int, depth: int) -> list[Unit]:
    out: list[Unit] = []
    while pos + 8 <= stop and depth < 8:
        size, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + size if size >= 8 else stop
        out.append(Unit(pos, min(end, stop), pos, 4, True))
        skip = _CONTAINERS.get(kind)
        if skip is not None and skip >= 0:
            out.extend(_boxes(data, pos + 8 + skip, min(end, stop), depth + 1))
        pos = end
    return out


def _ifd_units(data: bytes) -> list[Unit]:
    """Each IFD entry's count field (4 bytes) as a "unit" of 12 bytes (first IFD chain)."""
    big = data[:2] == b"MM"
    e = ">" if big else "<"
    out: list[Unit] = []
    ifd, seen = struct.unpack_from(e + "I", data, 4)[0], set()
    while 8 <= ifd < len(data) - 2 and ifd not in seen and len(seen) < 16:
        seen.add(ifd)
        count = struct.unpack_from(e + "H", data, ifd)[0]
        for i in range(min(count, 200)):
            at = ifd + 2 + 12 * i
            if at + 12 > len(data):
                break
            out.append(Unit(at, at + 12, at + 4, 4, big))
        nxt = ifd + 2 + 12 * count
        if nxt + 4 > len(data):
            break
        ifd = struct.unpack_from(e + "I", data, nxt)[0]
    return out


def _set_field(buf: bytearray, u: Unit, value: int) -> None:
    value &= (1 << (8 * u.width)) - 1
    buf[u.field:u.field + u.width] = value.to_bytes(u.width, "big" if u.big else "little")


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One mutant of ``data`` and a short description of what was done to it."""
    try:
        us = units(data)
    except struct.error:  # an earlier mutation cut a structure short: blind damage only
        us = []
    ops = ["flip", "bytes", "truncate", "edge32"]
    if us:
        ops += ["length"] * 4 + ["drop", "dup", "swap", "offset"]
    op = rng.choice(ops)
    buf = bytearray(data)
    if op == "flip":
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
    elif op == "bytes":
        for _ in range(rng.randint(1, 16)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    elif op == "truncate":
        cut = rng.randrange(1, len(buf))
        return bytes(buf[:cut]), f"truncate@{cut}"
    elif op == "edge32":  # any 4 aligned bytes become an edge value: offsets, counts
        i = rng.randrange(max(1, len(buf) - 4))
        buf[i:i + 4] = rng.choice(EDGES).to_bytes(4, rng.choice(("big", "little")))
        return bytes(buf), f"edge32@{i}"
    else:
        u = rng.choice(us)
        if op == "length":
            value = rng.choice(EDGES + (u.end - u.start + rng.randint(-16, 16),))
            _set_field(buf, u, value)
            return bytes(buf), f"length@{u.field}={value:#x}"
        if op == "offset":  # the 4 bytes after the field: a TIFF value offset, a box type
            at = min(u.field + u.width, len(buf) - 4)
            buf[at:at + 4] = rng.choice(EDGES).to_bytes(4, "big" if u.big else "little")
            return bytes(buf), f"offset@{at}"
        piece = bytes(buf[u.start:u.end])
        if op == "drop":
            del buf[u.start:u.end]
        elif op == "dup":
            buf[u.end:u.end] = piece
        else:
            v = rng.choice(us)
            if v.start >= u.end:
                buf = buf[:u.start] + buf[v.start:v.end] + buf[u.end:v.start] + piece \
                    + buf[v.end:]
        return bytes(buf), f"{op}@{u.start}"
    return bytes(buf), op
