"""HEIF / HEIC / AVIF container handler (ISOBMFF ``meta`` box with items).

Reading walks the top-level boxes (headers only), reads the meta box (capped) and the
payloads of metadata items (Exif, XMP) only: coded image data in ``mdat`` is never read.

Orientation note for the metadata layer: a HEIF image is turned upright by its ``irot`` /
``imir`` properties (reported in the "irot"/"imir" block notes); an EXIF Orientation tag
inside a HEIC is informational and must NOT be applied on top of them.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from veil.core.errors import CorruptFile
from veil.core.formats import heif_items as hi
from veil.core.formats import mp4
from veil.core.formats.base import (
    MAX_BLOCK,
    Block,
    CleanOutcome,
    ContainerScan,
    Embedded,
    ImageFormat,
)
from veil.core.formats.isobmff import Box, iter_file_boxes, printable
from veil.core.model import ExportOptions

HEVC_BRANDS = frozenset({"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"})
AVIF_BRANDS = frozenset({"avif", "avis"})
HEIF_BRANDS = HEVC_BRANDS | AVIF_BRANDS | {"mif1", "msf1", "mif2", "mif3"}
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
#: Item types that are (parts of) pictures.
IMAGE_TYPES = frozenset(
    {"hvc1", "av01", "jpeg", "j2k1", "unci", "vvc1", "avc1", "hvt1", "grid", "iden", "iovl", "tmap"}
)
#: Largest meta box we read; real ones are a few KB.
MAX_META = 16 * 1024 * 1024
#: Top-level boxes that hold nothing identifying by themselves.
_PLAIN_TOP = {
    "ftyp": "file type",
    "mdat": "media data",
    "free": "padding",
    "skip": "padding",
    "wide": "padding",
}
_XMP_TYPES = ("application/rdf+xml", "application/xmp+xml", "text/xml")


def brands(head: bytes) -> list[str]:
    """Major and compatible brands of the ``ftyp`` box at the start of ``head``."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return []
    size = struct.unpack(">I", head[:4])[0]
    stop = min(len(head), size if size >= 16 else 16)
    found = [head[8:12].decode("latin-1")]
    found += [head[i : i + 4].decode("latin-1") for i in range(16, stop - 3, 4)]
    return found


def format_of(found: list[str]) -> str:
    """ "avif", "heic" or "heif" from the brand list."""
    if AVIF_BRANDS & set(found):
        return "avif"
    if HEVC_BRANDS & set(found):
        return "heic"
    return "heif"


class Heif(ImageFormat):
    """HEIC, HEIF and AVIF still images."""

    name: ClassVar[str] = "heif"
    extensions: ClassVar[tuple[str, ...]] = (".heic", ".heif", ".hif", ".avif")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True for an ``ftyp`` box naming a HEIF/AVIF brand."""
        return bool(HEIF_BRANDS & set(brands(head)))

    @classmethod
    def read(cls, f: BinaryIO, size: int) -> ContainerScan:
        """Walk the boxes and items; see the module docstring.

        Raises:
            CorruptFile: no ftyp/meta box, or the meta box is malformed.
        """
        return _Reader(f, size).run()

    @classmethod
    def write_clean(
        cls, src: Path, dst: BinaryIO, options: ExportOptions, pixels: Any | None = None
    ) -> CleanOutcome:
        """Rewrite ``src`` without Exif/XMP/C2PA/thumbnail/depth items, image data untouched.

        With ``pixels`` (or when the container can't be rewritten) and
        ``options.heic_to_jpeg``, writes an upright JPEG instead (``kept`` then holds
        "converted_to_jpeg" so the caller names the file .jpg).

        Raises:
            Unsupported: the file can't be cleaned safely (reason in the message).
            CorruptFile: the source is broken.
        """
        from veil.core.formats.heif_clean import write_clean

        return write_clean(src, dst, options, pixels)


class _Reader:
    """One read of one file: accumulates what :class:`ContainerScan` needs."""

    def __init__(self, f: BinaryIO, size: int) -> None:
        self.f, self.size = f, size
        self.blocks: list[Block] = []
        self.exif: list[bytes] = []
        self.xmp: list[bytes] = []
        self.embedded: list[Embedded] = []
        self.warnings: list[str] = []
        self.complete = True
        self.c2pa = False
        self.icc: bytes | None = None
        self.width: int | None = None
        self.height: int | None = None
        self.fmt = "heif"
        self.orientation: int | None = None

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        self.complete = False

    def run(self) -> ContainerScan:
        self.f.seek(0)
        found = brands(self.f.read(64))
        if not found:
            raise CorruptFile("not a HEIF file: no ftyp box at the start")
        self.fmt = format_of(found)
        meta_box: Box | None = None
        try:
            for box in iter_file_boxes(self.f, 0, self.size):
                if box.type == "ftyp" and box.offset > 0:
                    self._appended(box.offset)  # a second file glued on: stop walking
                    break
                if box.type == "meta" and meta_box is None:
                    meta_box = box
                self._top(box)
        except CorruptFile as exc:
            if meta_box is None:
                raise
            self.warn(f"the file is damaged after its metadata: {exc}")
        if meta_box is None:
            raise CorruptFile("no HEIF meta box (not a still image, or truncated)")
        self._meta(meta_box)
        return ContainerScan(
            format=self.fmt,
            width=self.width,
            height=self.height,
            blocks=tuple(self.blocks),
            exif=tuple(self.exif),
            xmp=tuple(self.xmp),
            icc=self.icc,
            embedded=tuple(self.embedded),
            c2pa=self.c2pa,
            warnings=tuple(self.warnings),
            complete=self.complete,
            orientation=self.orientation,
        )

    def _appended(self, offset: int) -> None:
        """A whole second file (a motion photo's MP4) appended after the HEIF boxes."""
        length = self.size - offset
        self.f.seek(offset)
        if mp4.looks_like_mp4(self.f.read(64)):
            detail = mp4.probe(self.f, offset, length)
            note = "video appended after the picture (motion photo)"
            self.embedded.append(Embedded("motion_video", offset, length, note, None, detail))
            self.blocks.append(Block("ftyp", "trailer", offset, length, True, note))
        else:
            self.blocks.append(Block("ftyp", "unknown", offset, length, False, "appended file"))
            self.warn(f"an unrecognised file is appended at offset {offset}")

    def _top(self, box: Box) -> None:
        name = printable(box.type)
        if box.type in _PLAIN_TOP or box.type == "meta":
            self.blocks.append(
                Block(
                    name,
                    "structure",
                    box.offset,
                    box.size,
                    True,
                    _PLAIN_TOP.get(box.type, "HEIF metadata"),
                )
            )
        elif (box.type == "uuid" and box.uuid == C2PA_UUID) or box.type == "jumb":
            self.c2pa = True
            self.blocks.append(
                Block(name, "c2pa", box.offset, box.size, True, "C2PA content credentials")
            )
        elif box.type == "mpvd":  # Samsung motion photo: an MP4 after the image
            detail = mp4.probe(self.f, box.body, box.size - box.header)
            self.embedded.append(
                Embedded(
                    "motion_video",
                    box.body,
                    box.size - box.header,
                    "motion photo video (Samsung mpvd box)",
                    None,
                    detail,
                )
            )
            self.blocks.append(
                Block(name, "trailer", box.offset, box.size, True, "motion photo video")
            )
        elif box.type == "moov":
            self.blocks.append(
                Block(
                    name,
                    "structure",
                    box.offset,
                    box.size,
                    True,
                    "image sequence / animation track",
                )
            )
        else:
            self.blocks.append(
                Block(
                    name,
                    "unknown",
                    box.offset,
                    box.size,
                    False,
                    f"unrecognised top-level box '{name}'",
                )
            )
            self.warn(f"unrecognised box '{name}' at offset {box.offset} was not checked")

    def _meta(self, box: Box) -> None:
        if box.size > MAX_META:
            raise CorruptFile(f"HEIF meta box is implausibly large ({box.size} bytes)")
        self.f.seek(box.offset)
        buf = self.f.read(box.size)
        if len(buf) != box.size:
            raise CorruptFile("the file is truncated inside its HEIF meta box")
        local = Box("meta", 0, box.size, box.header)
        meta = hi.parse_meta(buf, local)
        for child in meta.children:
            self.blocks.append(
                Block(
                    f"meta/{printable(child.type)}",
                    "structure",
                    box.offset + child.offset,
                    child.size,
                )
            )
        if meta.handler != "pict":
            raise CorruptFile(f"HEIF meta handler is '{printable(meta.handler)}', not 'pict'")
        if meta.primary is None or meta.primary not in meta.items:
            raise CorruptFile("HEIF file names no valid primary image")
        self._primary(meta)
        for item in meta.items.values():
            self._item(meta, item, buf, box.offset)

    def _primary(self, meta: hi.HeifMeta) -> None:
        assert meta.primary is not None
        primary = meta.items[meta.primary]
        if primary.type == "av01":
            self.fmt = "avif"
        elif primary.type == "hvc1":
            self.fmt = "heic"
        props = meta.props_of(primary.id)
        for p in props:
            if p.type == "ispe" and self.width is None:
                dims = hi.ispe(p)
                if dims:
                    self.width, self.height = dims
            elif p.type == "colr" and self.icc is None:
                self.icc = hi.icc_profile(p)
            elif p.type == "clap" and self.width and self.height:
                # The clean aperture crops the coded picture: that is what viewers show.
                dims = hi.clap(p)
                if dims and dims[0] <= self.width and dims[1] <= self.height:
                    self.width, self.height = dims
        self.orientation = hi.orientation(props)
        for p in props:
            if p.type in ("irot", "imir"):
                note = f"display orientation {self.orientation} (EXIF numbering)"
                self.blocks.append(Block(p.type, "structure", 0, 0, True, note))

    def _item(self, meta: hi.HeifMeta, item: hi.Item, buf: bytes, meta_at: int) -> None:
        loc = meta.locations.get(item.id)
        at = loc.extents[0][0] if loc and loc.extents and loc.method == 0 else 0
        length = loc.length if loc else 0
        label = f"item {item.id} {printable(item.type)}"
        ctype = item.content_type.lower()
        if item.type == "Exif":
            self.blocks.append(Block(label, "exif", at, length, True, "EXIF"))
            payload = self._payload(meta, item, buf, meta_at)
            if payload is not None:
                self._exif(payload)
        elif item.type == "mime" and ctype.startswith(_XMP_TYPES):
            self.blocks.append(Block(label, "xmp", at, length, True, "XMP"))
            payload = self._payload(meta, item, buf, meta_at)
            if payload is not None:
                self.xmp.append(payload)
        elif (item.type == "mime" and "c2pa" in ctype) or item.type == "jumb":
            self.c2pa = True
            self.blocks.append(Block(label, "c2pa", at, length, True, "C2PA manifest item"))
        elif item.type in IMAGE_TYPES:
            self._image(meta, item, label, at, length)
        else:
            what = f"{label} ({item.content_type})" if item.content_type else label
            self.blocks.append(Block(label, "unknown", at, length, False, what))
            self.warn(f"HEIF {what} was not understood")

    def _image(self, meta: hi.HeifMeta, item: hi.Item, label: str, at: int, length: int) -> None:
        dims = next((hi.ispe(p) for p in meta.props_of(item.id) if p.type == "ispe"), None)
        detail: dict[str, Any] = {"item_id": item.id, "item_type": item.type}
        if dims:
            detail["width"], detail["height"] = dims
        if meta.refs_from(item.id, "thmb"):
            self.blocks.append(Block(label, "thumbnail", at, length, True, "preview image"))
            self.embedded.append(
                Embedded("thumbnail", at, length, "HEIF thumbnail item", None, detail)
            )
        elif meta.refs_from(item.id, "auxl"):
            urn = next((hi.aux_type(p) for p in meta.props_of(item.id) if p.type == "auxC"), "")
            detail["aux_type"] = hi.aux_kind(urn) if urn else "unknown"
            if urn:
                detail["urn"] = urn
            self.blocks.append(
                Block(label, "image", at, length, True, f"auxiliary image ({detail['aux_type']})")
            )
            self.embedded.append(
                Embedded(
                    "aux_image",
                    at,
                    length,
                    f"HEIF auxiliary image: {detail['aux_type']}",
                    None,
                    detail,
                )
            )
        else:
            role = "primary image" if item.id == meta.primary else "image part"
            self.blocks.append(Block(label, "image", at, length, True, role))

    def _payload(self, meta: hi.HeifMeta, item: hi.Item, buf: bytes, meta_at: int) -> bytes | None:
        """An item's bytes (capped at MAX_BLOCK), or None with a warning."""
        try:
            data = hi.read_item(self.f, self.size, meta, item.id, buf, cap=MAX_BLOCK)
        except CorruptFile as exc:
            self.warn(f"HEIF item {item.id} ({printable(item.type)}) unreadable: {exc}")
            return None
        return data

    def _exif(self, payload: bytes) -> None:
        if len(payload) < 4:
            self.warn("HEIF Exif item is too short")
            return
        skip = struct.unpack(">I", payload[:4])[0]
        tiff = payload[4 + skip :] if 4 + skip <= len(payload) else b""
        if tiff[:4] not in (b"II*\0", b"MM\0*"):
            # Some writers get the offset wrong: take the first TIFF header near the start.
            found = [
                p for p in (payload.find(b"II*\0", 4, 80), payload.find(b"MM\0*", 4, 80)) if p >= 0
            ]
            tiff = payload[min(found) :] if found else b""
        if tiff[:4] in (b"II*\0", b"MM\0*"):
            self.exif.append(tiff)
        else:
            self.warn("HEIF Exif item holds no TIFF header")
