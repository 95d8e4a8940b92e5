"""What a HEIF/HEIC/AVIF's clean copy keeps, decided before a byte is written: the items
reachable from the primary image, the allowlisted properties (a colour profile
neutralised), and what is dropped, by kind, for the result.

Split from :mod:`veil.core.formats.heif_clean` (whose docstring is the allowlist's
contract) because the decision and the writing answer different questions: this reads and
vets the source's ``meta`` (anything it can't vet raises before a copy is started), the
cleaner lays the kept bytes out; :mod:`.heif_build` serializes the plan's ``meta``.
"""

from __future__ import annotations

from typing import BinaryIO

from veil.core.errors import CorruptFile, Unsupported
from veil.core.formats import heif_data as hd
from veil.core.formats import heif_items as hi
from veil.core.formats import heif_props as hp
from veil.core.formats.isobmff import Box, iter_file_boxes, printable
from veil.core.model import ExportOptions

__all__ = ["ALLOWED_PROPS", "Plan", "plan_copy"]

#: Properties that describe coding, geometry or colour only; everything else is dropped.
ALLOWED_PROPS = frozenset(
    {
        "hvcC",
        "av1C",
        "avcC",
        "vvcC",
        "jpgC",
        "j2kH",
        "uncC",
        "cmpd",
        "ispe",
        "colr",
        "irot",
        "imir",
        "clap",
        "pixi",
        "auxC",
        "pasp",
        "clli",
        "mdcv",
        "cclv",
        "amve",
        "a1op",
        "a1lx",
        "lsel",
        "rloc",
    }
)
#: Reference types followed from kept items to the items they are built from.
_FOLLOW = ("dimg", "tbas")


class Plan:
    """What to write: the parsed source meta, kept item ids, new property list."""

    def __init__(self) -> None:
        self.ftyp = b""
        self.meta = hi.HeifMeta()
        self.buf = b""
        self.size = 0
        self.kept: list[int] = []
        self.props: list[hi.Prop] = []
        self.assoc: dict[int, list[tuple[int, bool]]] = {}
        self.removed: set[str] = set()
        self.kept_kinds: list[str] = []


def plan_copy(f: BinaryIO, size: int, options: ExportOptions) -> Plan:
    """What the clean copy of the HEIF in ``f`` (``size`` bytes) keeps: the allowlist
    decisions of :mod:`veil.core.formats.heif_clean`, all made before anything is written.

    Raises:
        Unsupported: the picture can't be rewritten safely (see heif_clean).
        CorruptFile: the container is damaged.
    """
    plan = Plan()
    plan.size = size
    meta_box: Box | None = None
    try:
        for box in iter_file_boxes(f, 0, size):
            if box.type == "ftyp" and box.offset == 0:
                if box.size > 4096:
                    raise CorruptFile("implausibly large ftyp box")
                f.seek(box.offset)
                plan.ftyp = f.read(box.size)
            elif box.type == "ftyp":  # a second file glued on (motion photo video): dropped
                plan.removed.add("motion_video")
                break
            elif box.type == "meta" and meta_box is None:
                meta_box = box
            elif box.type == "moov":
                raise Unsupported("animated HEIF/AVIF (image sequences) can't be cleaned yet")
            elif box.type in ("uuid", "jumb"):
                c2pa = box.type == "jumb" or box.uuid == _c2pa()
                plan.removed.add("c2pa" if c2pa else "unknown")
            elif box.type == "mpvd":
                plan.removed.add("motion_video")
            elif box.type not in ("mdat", "free", "skip", "wide", "meta"):
                plan.removed.add("unknown")
    except CorruptFile:
        if not plan.ftyp or meta_box is None:
            raise
        # Bytes after the metadata that are not boxes are dropped with everything else not
        # on the allowlist; if the picture itself lay there, the extent check below fails.
        plan.removed.add("trailer")
    if not plan.ftyp or meta_box is None:
        raise CorruptFile("not a HEIF still image (no ftyp or meta box)")
    if meta_box.size > 16 * 1024 * 1024:
        raise CorruptFile("HEIF meta box is implausibly large")
    f.seek(meta_box.offset)
    plan.buf = f.read(meta_box.size)
    meta = plan.meta = hi.parse_meta(plan.buf, Box("meta", 0, meta_box.size, meta_box.header))
    if meta.damaged:  # the scan salvages a damaged meta box; a copy of it is never made
        raise CorruptFile(f"the HEIF metadata is damaged ({meta.damaged[0]})")
    if meta.handler != "pict" or meta.primary not in meta.items:
        raise CorruptFile("HEIF file names no valid primary image")
    _choose_items(plan)
    _choose_props(plan, options)
    return plan


def _c2pa() -> bytes:
    from veil.core.formats.heif import C2PA_UUID

    return C2PA_UUID


def _choose_items(plan: Plan) -> None:
    from veil.core.formats.heif import IMAGE_TYPES

    meta = plan.meta
    assert meta.primary is not None
    keep: set[int] = set()
    todo = [meta.primary]
    while todo:
        item_id = todo.pop()
        if item_id in keep:
            continue
        if item_id not in meta.items:
            raise Unsupported(f"the image refers to a missing item {item_id}")
        keep.add(item_id)
        for ref in _FOLLOW:
            todo.extend(meta.refs_from(item_id, ref))
        for aux in meta.refs_to(item_id, "auxl"):
            urn = next((hp.aux_type(p) for p in meta.props_of(aux) if p.type == "auxC"), "")
            if hp.aux_kind(urn) == "alpha":
                todo.append(aux)
                plan.kept_kinds.append("alpha")
    for item_id in sorted(keep):
        item = meta.items[item_id]
        if item.type not in IMAGE_TYPES:
            raise Unsupported(f"the picture uses a '{printable(item.type)}' item Veil can't vet")
        if item.protected:
            raise Unsupported("the picture is encrypted (protected items)")
        if item_id in meta.locations:
            loc = meta.locations[item_id]
            if loc.data_ref not in meta.local_refs or loc.method not in (0, 1):
                raise Unsupported("the picture's data is stored in a way Veil can't rewrite")
            hd.extents(meta, item_id, plan.size)  # bounds check now, before writing anything
        elif item.type not in ("iden", "grid", "iovl"):
            raise CorruptFile(f"image item {item_id} has no data location")
    plan.kept = sorted(keep)
    for item in meta.items.values():
        if item.id in keep:
            continue
        plan.removed.add(_kind_of(meta, item))
    if hd.kept_bytes_overlap_dropped(meta, keep, plan.size, IMAGE_TYPES):
        # Real writers never do this; a crafted file could, and copying the picture would
        # then carry the Exif/XMP bytes along under another name.
        raise Unsupported(
            "the picture's bytes may overlap its metadata (broken item locations); "
            "Veil won't copy them"
        )


def _kind_of(meta: hi.HeifMeta, item: hi.Item) -> str:
    if item.type == "Exif":
        return "exif"
    if item.type == "mime":
        ctype = item.content_type.lower()
        return "xmp" if "xml" in ctype else ("c2pa" if "c2pa" in ctype else "metadata item")
    if meta.refs_from(item.id, "thmb"):
        return "thumbnail"
    if meta.refs_from(item.id, "auxl"):
        urn = next((hp.aux_type(p) for p in meta.props_of(item.id) if p.type == "auxC"), "")
        return f"aux_image ({hp.aux_kind(urn) or 'unknown'})"
    return "other item"


def _choose_props(plan: Plan, options: ExportOptions) -> None:
    """New ipco (first-use order) and ipma for the kept items, by allowlist."""
    new_index: dict[int, int] = {}
    # A grid's tiles share one colour property: neutralised once, not once per tile.
    neutralised: dict[int, hi.Prop | None] = {}
    for item_id in plan.kept:
        entries = []
        for index, essential in plan.meta.assoc.get(item_id, []):
            if not 1 <= index <= len(plan.meta.props):
                if index == 0:
                    continue  # 0 means "no property" by the spec
                raise CorruptFile(f"item {item_id} refers to a missing property {index}")
            prop = plan.meta.props[index - 1]
            has_icc = prop.type == "colr" and hp.icc_profile(prop) is not None
            # a kept profile's texts may name someone: neutralised (None: too damaged, drop)
            neutral: hi.Prop | None = prop
            if has_icc and options.keep_icc:
                if index not in neutralised:
                    neutralised[index] = hp.neutral_colr(prop)
                neutral = neutralised[index]
            dropped_icc = has_icc and (not options.keep_icc or neutral is None)
            if prop.type not in ALLOWED_PROPS or dropped_icc:
                if essential and not dropped_icc:
                    raise Unsupported(
                        f"the picture needs a '{printable(prop.type)}' property Veil can't vet"
                    )
                plan.removed.add("icc" if dropped_icc else f"property {printable(prop.type)}")
                continue
            if index not in new_index:
                # neutral is never None here (a None profile is dropped_icc, skipped above)
                plan.props.append(neutral or prop)
                new_index[index] = len(plan.props)
            entries.append((new_index[index], essential))
            if prop.type == "colr" and hp.icc_profile(prop):
                plan.kept_kinds.append("icc")
            elif prop.type in ("irot", "imir"):
                plan.kept_kinds.append("orientation")
        plan.assoc[item_id] = entries
