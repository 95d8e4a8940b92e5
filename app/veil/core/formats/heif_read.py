"""Reading a HEIF/HEIC/AVIF file into a :class:`ContainerScan` (see :mod:`.heif`)."""

from __future__ import annotations

import struct
from typing import Any, BinaryIO

from veil.core.errors import CorruptFile
from veil.core.formats import heif_data as hd
from veil.core.formats import heif_items as hi
from veil.core.formats import heif_known as hk
from veil.core.formats import heif_props as hp
from veil.core.formats import mp4
from veil.core.formats.base import MAX_BLOCK, ContainerScan, Embedded
from veil.core.formats.builder import TIFF_HEADERS, ScanBuilder
from veil.core.formats.byteio import read_exact
from veil.core.formats.heif import (
    C2PA_UUID,
    IMAGE_TYPES,
    MAX_META,
    PLAIN_TOP,
    XMP_TYPES,
    brands,
    format_of,
)
from veil.core.formats.isobmff import Box, iter_file_boxes, printable
from veil.core.metadata.appdata import JUMBF_NOTE
from veil.core.metadata.c2pa import bmff_store


class HeifReader(ScanBuilder):
    """One read of one file: accumulates what :class:`ContainerScan` needs."""

    # Every problem is listed, repeated ones too (as the HEIF reader always did).
    dedupe_warnings = False

    def __init__(self, f: BinaryIO, size: int) -> None:
        super().__init__()
        self.f, self.size = f, size
        self.width: int | None = None
        self.height: int | None = None
        self.fmt = "heif"
        self.orientation: int | None = None
        self.parts: set[int] = set()  # items that make up the displayed picture
        self.media: list[tuple[int, int]] = []  # (start, end) of each mdat's data

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
        return self.freeze(self.fmt, self.width, self.height, orientation=self.orientation)

    def _appended(self, offset: int) -> None:
        """A whole second file (a motion photo's MP4) appended after the HEIF boxes."""
        length = self.size - offset
        self.f.seek(offset)
        if mp4.looks_like_mp4(self.f.read(64)):
            detail = mp4.probe(self.f, offset, length)
            note = "video appended after the picture (motion photo)"
            self.embedded.append(Embedded("motion_video", offset, length, note, None, detail))
            self.add_block("ftyp", "trailer", offset, length, True, note)
        else:
            self.add_block("ftyp", "unknown", offset, length, False, "appended file")
            self.warn(f"an unrecognised file is appended at offset {offset}")

    def _top(self, box: Box) -> None:
        name, at, size = printable(box.type), box.offset, box.size
        if box.type == "mdat":
            self.media.append((box.body, box.end))
        if box.type in PLAIN_TOP or box.type == "meta":
            self.add_block(name, "structure", at, size, True,
                           PLAIN_TOP.get(box.type, "HEIF metadata"))
        elif (box.type == "uuid" and box.uuid == C2PA_UUID) or box.type == "jumb":
            self.c2pa = True
            self.add_block(name, "c2pa", at, size, True, "C2PA content credentials")
            self._c2pa_box(box)
        elif box.type == "mpvd":  # Samsung motion photo: an MP4 after the image
            detail = mp4.probe(self.f, box.body, size - box.header)
            self.embedded.append(Embedded("motion_video", box.body, size - box.header,
                                          "motion photo video (Samsung mpvd box)", None, detail))
            self.add_block(name, "trailer", at, size, True, "motion photo video")
        elif box.type == "moov":
            self.add_block(name, "structure", at, size, True, "image sequence / animation track")
        else:
            self.add_block(name, "unknown", at, size, False, f"unrecognised top-level box '{name}'")
            self.warn(f"unrecognised box '{name}' at offset {box.offset} was not checked")

    def _c2pa_box(self, box: Box) -> None:
        """Keep a top-level C2PA box's manifest store for metadata.c2pa (who and where it
        names); a store past MAX_BLOCK is left unread, as in PNG and WebP."""
        if box.size > MAX_BLOCK:
            return
        data = read_exact(self.f, box.offset, box.size, "the file is cut short inside its "
                          "Content Credentials box")
        store = data if box.type == "jumb" else bmff_store(data[box.header :])
        if store:
            self.maker_data.append((printable(box.type), JUMBF_NOTE, box.offset, store))

    def _meta(self, box: Box) -> None:
        if box.size > MAX_META:
            raise CorruptFile(f"HEIF meta box is implausibly large ({box.size} bytes)")
        buf = read_exact(self.f, box.offset, box.size,
                         "the file is truncated inside its HEIF meta box")
        local = Box("meta", 0, box.size, box.header)
        meta = hi.parse_meta(buf, local)
        for problem in meta.damaged:
            self.warn(f"part of the HEIF metadata is damaged ({problem}); that part could "
                      "not be read")
        for child in meta.children:
            self.add_block(f"meta/{printable(child.type)}", "structure",
                           box.offset + child.offset, child.size,
                           child.type in hk.META_CHILDREN)
        for part in hk.unknown_parts(meta):
            self.warn(f"a HEIF {part} was not understood")
        for prop in meta.props:
            if prop.type == "udes":  # a user description: name, description, tags
                self.text += hk.udes_texts(prop)
        if meta.handler != "pict":
            raise CorruptFile(f"HEIF meta handler is '{printable(meta.handler)}', not 'pict'")
        if meta.primary is None or meta.primary not in meta.items:
            raise CorruptFile("HEIF file names no valid primary image")
        self._primary(meta)
        self.parts = _picture_parts(meta)
        for item in meta.items.values():
            self._item(meta, item, buf, box.offset)
        unused = unused_media(meta, self.media)
        if unused:
            self.warn(f"{unused:,} bytes of the media data belong to no picture or metadata "
                      "item (they can hold anything); they were not read")

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
                dims = hp.ispe(p)
                if dims:
                    self.width, self.height = dims
            elif p.type == "colr" and self.icc is None:
                self.icc = hp.icc_profile(p)
            elif p.type == "clap" and self.width and self.height:
                # The clean aperture crops the coded picture: that is what viewers show.
                dims = hp.clap(p)
                if dims and dims[0] <= self.width and dims[1] <= self.height:
                    self.width, self.height = dims
        self.orientation = hp.orientation(props)
        for p in props:
            if p.type in ("irot", "imir"):
                note = f"display orientation {self.orientation} (EXIF numbering)"
                self.add_block(p.type, "structure", 0, 0, True, note)

    def _item(self, meta: hi.HeifMeta, item: hi.Item, buf: bytes, meta_at: int) -> None:
        loc = meta.locations.get(item.id)
        at = loc.extents[0][0] if loc and loc.extents and loc.method == 0 else 0
        length = loc.length if loc else 0
        label = f"item {item.id} {printable(item.type)}"
        ctype = item.content_type.lower()
        if item.type == "Exif":
            self.add_block(label, "exif", at, length, True, "EXIF")
            payload = self._payload(meta, item, buf, meta_at)
            if payload is not None:
                self._exif(payload)
        elif item.type == "mime" and ctype.startswith(XMP_TYPES):
            self.add_block(label, "xmp", at, length, True, "XMP")
            payload = self._payload(meta, item, buf, meta_at)
            if payload is not None:
                self.xmp.append(payload)
        elif (item.type == "mime" and "c2pa" in ctype) or item.type == "jumb":
            self.c2pa = True
            self.add_block(label, "c2pa", at, length, True, "C2PA manifest item")
            store = self._payload(meta, item, buf, meta_at)
            if store:  # who and where the manifest names: metadata.c2pa
                self.maker_data.append((label, JUMBF_NOTE, at, store))
        elif item.type in IMAGE_TYPES:
            self._image(meta, item, label, at, length)
        else:
            what = f"{label} ({item.content_type})" if item.content_type else label
            self.add_block(label, "unknown", at, length, False, what)
            self.warn(f"HEIF {what} was not understood")

    def _image(self, meta: hi.HeifMeta, item: hi.Item, label: str, at: int, length: int) -> None:
        dims = next((hp.ispe(p) for p in meta.props_of(item.id) if p.type == "ispe"), None)
        detail: dict[str, Any] = {"item_id": item.id, "item_type": item.type}
        if dims:
            detail["width"], detail["height"] = dims
        if meta.refs_from(item.id, "thmb"):
            self.add_block(label, "thumbnail", at, length, True, "preview image")
            self.embedded.append(
                Embedded("thumbnail", at, length, "HEIF thumbnail item", None, detail)
            )
        elif meta.refs_from(item.id, "auxl"):
            urn = next((hp.aux_type(p) for p in meta.props_of(item.id) if p.type == "auxC"), "")
            detail["aux_type"] = hp.aux_kind(urn) if urn else "unknown"
            if urn:
                detail["urn"] = urn
            aux = detail["aux_type"]
            self.add_block(label, "image", at, length, True, f"auxiliary image ({aux})")
            self.embedded.append(Embedded("aux_image", at, length,
                                          f"HEIF auxiliary image: {aux}", None, detail))
        elif item.id in self.parts:
            role = "primary image" if item.id == meta.primary else "image part"
            self.add_block(label, "image", at, length, True, role)
        else:
            # A whole picture nothing shows (no reference from the primary image): viewers
            # skip it, but it is in the file and may be an earlier version of the photo.
            self.add_block(label, "image", at, length, True, "extra image (not displayed)")
            self.embedded.append(Embedded("mpf_image", at, length, "HEIF extra image item",
                                          None, {**detail, "type": "extra image"}))

    def _payload(self, meta: hi.HeifMeta, item: hi.Item, buf: bytes, meta_at: int) -> bytes | None:
        """An item's bytes (capped at MAX_BLOCK), or None with a warning."""
        try:
            data = hd.read_item(self.f, self.size, meta, item.id, buf, cap=MAX_BLOCK)
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
        if tiff[:4] not in TIFF_HEADERS:
            # Some writers get the offset wrong: take the first TIFF header near the start.
            found = [
                p for p in (payload.find(b"II*\0", 4, 80), payload.find(b"MM\0*", 4, 80)) if p >= 0
            ]
            tiff = payload[min(found) :] if found else b""
        if tiff[:4] in TIFF_HEADERS:
            self.exif.append(tiff)
        else:
            self.warn("HEIF Exif item holds no TIFF header")


def _picture_parts(meta: hi.HeifMeta) -> set[int]:
    """The primary item and every item it is derived from (grid tiles, overlay layers,
    tone-map bases): what a viewer decodes to show the picture."""
    parts: set[int] = set()
    todo = [meta.primary] if meta.primary is not None else []
    while todo:
        item_id = todo.pop()
        if item_id not in parts:
            parts.add(item_id)
            todo.extend(meta.refs_from(item_id, "dimg") + meta.refs_from(item_id, "tbas"))
    return parts


#: Writers align item data; gaps this short hold nothing worth reporting.
MEDIA_SLACK = 64


def unused_media(meta: hi.HeifMeta, media: list[tuple[int, int]]) -> int:
    """Bytes inside ``media`` (mdat data ranges) that no item's file-offset extent covers
    (0 within :data:`MEDIA_SLACK`). The cleaner copies only items, so such bytes are dropped
    from a copy, but the scan must not call a file holding them clean."""
    covered: list[tuple[int, int]] = []
    for loc in meta.locations.values():
        if loc.method != 0:
            continue
        for start, length in loc.extents:
            covered.append((start, start + length if length else 1 << 62))
    covered.sort()
    unused = 0
    for lo, hi_ in media:
        pos = lo
        for start, end in covered:
            if end <= pos or start >= hi_:
                continue
            unused += max(0, start - pos)
            pos = max(pos, min(end, hi_))
        unused += max(0, hi_ - pos)
    return unused if unused > MEDIA_SLACK else 0
