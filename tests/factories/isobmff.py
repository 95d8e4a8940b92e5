"""Byte builders for ISOBMFF tests: boxes and hand-assembled HEIF files (small MP4 movies:
:mod:`tests.factories.mp4`).

The HEIF builder reuses the coded HEVC picture (``hvcC`` + bitstream) of a small image that
pillow-heif encodes, so every file it assembles really decodes: primary, grid, thumbnail,
depth/alpha auxiliary images, Exif/XMP items, ``idat`` items, split extents, C2PA boxes.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from veil.core.formats.base import ContainerScan
from veil.core.formats.heif import Heif

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")


XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>"
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def box(box_type: str | bytes, payload: bytes = b"") -> bytes:
    """A box with a 32-bit size."""
    code = box_type.encode("latin-1") if isinstance(box_type, str) else box_type
    return struct.pack(">I4s", 8 + len(payload), code) + payload


def large_box(box_type: str, payload: bytes, claimed: int | None = None) -> bytes:
    """A box with size 1 and a 64-bit largesize (``claimed`` overrides the real size)."""
    size = 16 + len(payload) if claimed is None else claimed
    return struct.pack(">I4sQ", 1, box_type.encode("latin-1"), size) + payload


def full_box(box_type: str, version: int, flags: int, payload: bytes = b"") -> bytes:
    """A full box (version + 24-bit flags)."""
    return box(box_type, struct.pack(">I", (version << 24) | flags) + payload)


def ftyp(major: str = "heic", *compatible: str) -> bytes:
    """An ``ftyp`` box."""
    brands = b"".join(b.encode("latin-1") for b in (compatible or ("mif1", major)))
    return box("ftyp", major.encode("latin-1") + b"\0\0\0\0" + brands)


# -- HEIF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coded:
    """One HEVC-coded picture taken from a pillow-heif file."""

    hvcc: bytes  # the whole hvcC property box
    data: bytes  # the bitstream (item payload)
    width: int  # the coded (ispe) size: the encoder pads to whole CTUs
    height: int
    props: tuple[bytes, ...]  # every property the encoder gave it (hvcC, ispe, colr, ...)


def encode_tile(size: tuple[int, int] = (64, 64), seed: int = 0, quality: int = 80) -> Coded:
    """Encode a picture with pillow-heif and cut out its properties and bitstream.

    Use sizes that are multiples of 64 when the picture becomes a grid tile (no clap).
    """
    import pillow_heif

    from veil.core.formats import heif_items as hi
    from veil.core.formats import heif_props as hp
    from veil.core.formats.isobmff import Box, iter_boxes

    img = Image.effect_noise(size, 30 + seed).convert("RGB")
    out = io.BytesIO()
    pillow_heif.from_pillow(img).save(out, quality=quality)
    raw = out.getvalue()
    meta_box = next(b for b in iter_boxes(raw, 0, len(raw)) if b.type == "meta")
    buf = raw[meta_box.offset : meta_box.end]
    meta = hi.parse_meta(buf, Box("meta", 0, len(buf), meta_box.header))
    assert meta.primary is not None
    props = meta.props_of(meta.primary)
    hvcc = next(p.raw for p in props if p.type == "hvcC")
    dims = next(hp.ispe(p) for p in props if p.type == "ispe")
    assert dims is not None
    data = b"".join(raw[o : o + n] for o, n in meta.locations[meta.primary].extents)
    return Coded(hvcc, data, dims[0], dims[1], tuple(p.raw for p in props))


def ispe(width: int, height: int) -> bytes:
    """An ``ispe`` property."""
    return full_box("ispe", 0, 0, struct.pack(">II", width, height))


def aux_c(urn: str) -> bytes:
    """An ``auxC`` property naming the auxiliary image type."""
    return full_box("auxC", 0, 0, urn.encode() + b"\0")


def irot(quarter_turns: int) -> bytes:
    """An ``irot`` property (anticlockwise quarter turns)."""
    return box("irot", bytes([quarter_turns & 3]))


def imir(axis: int) -> bytes:
    """An ``imir`` property (libheif: axis 0 flips top-bottom, 1 left-right)."""
    return box("imir", bytes([axis & 1]))


def clap(width: int, height: int) -> bytes:
    """A ``clap`` clean aperture of ``width`` x ``height``, centred."""
    return box("clap", struct.pack(">8I", width, 1, height, 1, 0, 1, 0, 1))


@dataclass
class Item:
    """One item for :func:`build_heif`."""

    id: int
    type: str
    data: bytes = b""
    props: list[bytes] = field(default_factory=list)
    hidden: bool = False
    content_type: str = ""
    in_idat: bool = False
    extents: int = 1  # split the data into this many extents


def exif_payload(exif: Image.Exif) -> bytes:
    """A HEIF Exif item payload: 4-byte offset to the TIFF header, "Exif\\0\\0", TIFF."""
    tiff = exif.tobytes()
    tiff = tiff[6:] if tiff.startswith(b"Exif\0\0") else tiff  # Pillow adds the prefix
    return struct.pack(">I", 6) + b"Exif\0\0" + tiff


def build_heif(
    items: list[Item],
    primary: int,
    refs: list[tuple[str, int, list[int]]] = (),  # type: ignore[assignment]
    *,
    brands: tuple[str, ...] = ("heic", "mif1", "heic"),
    iloc_version: int = 1,
    extra_top: bytes = b"",
    large_mdat: bool = False,
    iloc_layout: str = "plain",
    external_ref: bool | None = None,
) -> bytes:
    """Assemble ftyp + meta + mdat (+ ``extra_top`` boxes) from ``items``.

    ``iloc_layout``: "plain" (32-bit offsets/lengths), "base" (a 64-bit base offset per
    item, extents relative to it) or "wide" (64-bit offsets/lengths and a 32-bit extent
    index; iloc version 1 or 2 only). ``external_ref``: when not None, items use data
    reference 1, a "url " entry that is self-contained (False) or names another file (True).
    """
    wide_ids = iloc_version == 2
    idw = ">I" if wide_ids else ">H"
    props: list[bytes] = []
    assoc: list[bytes] = []
    infes = []
    for it in items:
        idx = []
        for p in it.props:
            if p not in props:
                props.append(p)
            essential = p[4:8] in (b"hvcC", b"av1C")
            idx.append((props.index(p) + 1) | (0x80 if essential else 0))
        if idx:
            assoc.append(struct.pack(idw, it.id) + bytes([len(idx)]) + bytes(idx))
        payload = struct.pack(idw, it.id) + b"\0\0" + it.type.encode("latin-1") + b"\0"
        if it.type == "mime":
            payload += it.content_type.encode() + b"\0"
        infes.append(full_box("infe", 3 if wide_ids else 2, 1 if it.hidden else 0, payload))
    iinf = full_box("iinf", 0, 0, struct.pack(">H", len(infes)) + b"".join(infes))
    iref = b"".join(
        box(t, struct.pack(">HH", f, len(to)) + b"".join(struct.pack(">H", x) for x in to))
        for t, f, to in refs
    )
    iprp = box(
        "iprp",
        box("ipco", b"".join(props))
        + full_box(
            "ipma", 1 if wide_ids else 0, 0, struct.pack(">I", len(assoc)) + b"".join(assoc)
        ),
    )
    idat = b"".join(it.data for it in items if it.in_idat)

    def meta_for(mdat_start: int) -> bytes:
        sizes = {"plain": (0x44, 0), "base": (0x44, 0x80), "wide": (0x88, 0x04)}[iloc_layout]
        body = struct.pack(">BB", *sizes) + struct.pack(idw, len(items))
        pos, ipos = mdat_start, 0
        for it in items:
            n = max(1, it.extents) if it.data else 0
            cuts = [len(it.data) * k // n for k in range(n + 1)] if n else []
            method = 1 if it.in_idat else 0
            body += struct.pack(idw, it.id)
            if iloc_version:
                body += struct.pack(">H", method)
            start = ipos if it.in_idat else pos
            body += struct.pack(">H", 0 if external_ref is None else 1)  # data reference
            if iloc_layout == "base":
                body += struct.pack(">Q", start)
            body += struct.pack(">H", n)
            for k in range(n):
                at = cuts[k] + (0 if iloc_layout == "base" else start)
                if iloc_layout == "wide":
                    body += struct.pack(">IQQ", k, at, cuts[k + 1] - cuts[k])
                else:
                    body += struct.pack(">II", at, cuts[k + 1] - cuts[k])
            if it.in_idat:
                ipos += len(it.data)
            else:
                pos += len(it.data)
        hdlr = full_box("hdlr", 0, 0, b"\0\0\0\0pict" + b"\0" * 13)
        pitm = full_box("pitm", 1 if wide_ids else 0, 0, struct.pack(idw, primary))
        if external_ref is not None:
            url = (
                full_box("url ", 0, 0, b"http://example.com/x\0")
                if external_ref
                else full_box("url ", 0, 1)
            )
            hdlr += box("dinf", full_box("dref", 0, 0, struct.pack(">I", 1) + url))
        parts = hdlr + pitm + iinf + (full_box("iref", 0, 0, iref) if refs else b"") + iprp
        parts += box("idat", idat) if idat else b""
        return full_box("meta", 0, 0, parts + full_box("iloc", iloc_version, 0, body))

    head = ftyp(brands[0], *brands[1:])
    mdat_data = b"".join(it.data for it in items if not it.in_idat)
    mdat_header = 16 if large_mdat else 8
    probe = meta_for(0)
    meta = meta_for(len(head) + len(probe) + mdat_header)
    mdat = large_box("mdat", mdat_data) if large_mdat else box("mdat", mdat_data)
    return head + meta + mdat + extra_top


def simple_heif(
    coded: Coded, *, exif: Image.Exif | None = None, xmp: bytes | None = None, **kwargs: object
) -> bytes:
    """A one-picture HEIC with optional Exif and XMP items (described by ``cdsc``)."""
    items = [Item(1, "hvc1", coded.data, list(coded.props))]
    refs: list[tuple[str, int, list[int]]] = []
    if exif is not None:
        items.append(Item(2, "Exif", exif_payload(exif)))
        refs.append(("cdsc", 2, [1]))
    if xmp is not None:
        items.append(Item(3, "mime", xmp, content_type="application/rdf+xml"))
        refs.append(("cdsc", 3, [1]))
    return build_heif(items, 1, refs, **kwargs)  # type: ignore[arg-type]


def c2pa_uuid_box(payload: bytes = b"\0" * 8 + b"c2pa manifest store") -> bytes:
    """A top-level ``uuid`` box with the C2PA extended type."""
    return box("uuid", C2PA_UUID + payload)


def c2pa_manifest_box(store: bytes) -> bytes:
    """A top-level C2PA ``uuid`` box as C2PA's BMFF embedding lays it out: version and flags
    (0), the purpose "manifest", an 8-byte Merkle offset (0: none), then the store."""
    return box("uuid", C2PA_UUID + b"\0\0\0\0manifest\0" + bytes(8) + store)


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and return the path."""
    path.write_bytes(data)
    return path


def read_heif(data: bytes) -> ContainerScan:
    """What Veil's HEIF reader finds in ``data``."""
    return Heif.read(io.BytesIO(data), len(data))
