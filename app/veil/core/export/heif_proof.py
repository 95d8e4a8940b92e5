"""Prove a cleaned HEIF/HEIC/AVIF decodes exactly like its source, without decoding it.

The container cleaner copies the coded data of the picture byte for byte and rewrites only
the boxes around it. A decoder's output for the primary image depends on nothing but:

* the ``ftyp`` brands (they choose the decoding path),
* for the primary item and, recursively, every item it references (grid/overlay tiles,
  tile bases, ``prem``...) and every alpha plane attached to it (``auxl``): the item type,
  its coded bytes (``iloc`` extents, in ``mdat`` or ``idat``) and its properties (codec
  configuration, ``ispe``, ``clap``, ``irot``/``imir``, ``colr``, ``pixi``, ``auxC``...).

When all of these are equal in source and copy, the copy decodes to the same pixels at the
same upright size as the source, so decoding it again (0.3-0.7 s for a 12 MP HEIC) would
only repeat the source's decode. Anything this module does not recognise as equal - a
dropped colour profile, a property it does not know to be descriptive, a renumbered
reference - makes the proof fail, and the caller then decodes the copy as before.

Both files are parsed with the HEIF handler's own bounded readers; the source is hostile
input, so every failure to parse simply means "not proven". A verification also walks the
copy's coded data (:func:`heif_proven_sound`) from the very parse the proof made.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from veil.core.errors import CorruptFile
from veil.core.formats import heif_data as hd
from veil.core.formats import heif_items as hi
from veil.core.formats import heif_props as hp
from veil.core.formats.heif import IMAGE_TYPES, MAX_META
from veil.core.formats.isobmff import Box, iter_file_boxes
from veil.core.metadata.icc import neutral_icc

#: Properties that only describe an item (a user description, creation/modification times,
#: an accessibility text...): a copy may drop them, decoders never read them. Only
#: non-essential ones: an essential property, whatever it is, must survive unchanged.
DESCRIPTIVE_PROPS = frozenset({"udes", "crtt", "mdft", "altt", "ilce", "tsel", "free", "skip"})
#: References that say what an item describes, never what it is built from.
_DESCRIBING_REFS = frozenset({"thmb", "cdsc", "auxl"})
#: Most item pairs one proof compares (a 12 MP iPhone grid has ~50 items).
_MAX_PAIRS = 100_000

#: An item's properties: (type, raw box bytes, essential), in ``ipma`` order.
_PropList = list[tuple[str, bytes, bool]]


@dataclass(slots=True)
class _Side:
    """One parsed file: its ftyp bytes, meta, meta buffer (for idat) and mapped bytes."""

    ftyp: bytes
    meta: hi.HeifMeta
    buf: bytes
    size: int
    data: mmap.mmap


def _parse(path: Path) -> _Side | None:
    """The ``ftyp`` and ``meta`` of a HEIF file, or None when it has no readable pair."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            return None
        ftyp = meta_box = None
        for box in iter_file_boxes(f, 0, size):
            if box.type == "ftyp" and box.offset == 0 and box.size <= 4096:
                f.seek(0)
                ftyp = f.read(box.size)
            elif box.type == "ftyp":  # a second file glued on: what follows is not ours
                break
            elif box.type == "meta" and meta_box is None:
                meta_box = box
        if ftyp is None or meta_box is None or meta_box.size > MAX_META:
            return None
        f.seek(meta_box.offset)
        buf = f.read(meta_box.size)
        if len(buf) != meta_box.size:
            return None
        meta = hi.parse_meta(buf, Box("meta", 0, meta_box.size, meta_box.header))
        if meta.damaged:  # a partly readable meta box proves nothing
            return None
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return _Side(ftyp, meta, buf, size, data)


def _item_bytes(side: _Side, item_id: int) -> bytes | None:
    """The coded bytes of an item (None: it has no location, e.g. an ``iden`` item).

    Raises:
        CorruptFile: the location is unreadable (the proof then fails).
    """
    if item_id not in side.meta.locations:
        return None
    from_idat = side.meta.locations[item_id].method == 1
    source = side.buf if from_idat else side.data
    return b"".join(source[o : o + n] for o, n in hd.extents(side.meta, item_id, side.size))


def _props(side: _Side, item_id: int) -> _PropList | None:
    """(type, raw bytes, essential) of an item's properties in ``ipma`` order."""
    out = []
    for index, essential in side.meta.assoc.get(item_id, []):
        if index == 0:  # "no property" by the spec
            continue
        if not 1 <= index <= len(side.meta.props):
            return None
        prop = side.meta.props[index - 1]
        out.append((prop.type, prop.raw, essential))
    return out


def neutralised_colr(src_raw: bytes, out_raw: bytes) -> bool:
    """True when ``out_raw`` is the ``colr`` box ``src_raw`` with its ICC profile replaced by
    :func:`veil.core.metadata.icc.neutral_icc` of it: only the profile's texts differ, every colour
    tag is byte-identical, so decoders render the same colours."""
    if src_raw[4:12] != out_raw[4:12] or src_raw[4:8] != b"colr":
        return False
    if src_raw[8:12] not in (b"prof", b"rICC") or len(src_raw) < 13:
        return False
    return out_raw[12:] == _neutral(src_raw[12:])


@functools.lru_cache(maxsize=8)
def _neutral(profile: bytes) -> bytes | None:
    """:func:`neutral_icc` of ``profile`` (None: unreadable), once per profile: every tile
    of a grid photo has the same ``colr`` (an iPhone HEIC: 48 comparisons of one)."""
    try:
        return neutral_icc(profile)
    except CorruptFile:
        return None


def _same_prop(src: tuple[str, bytes, bool], out: tuple[str, bytes, bool]) -> bool:
    if out == src:
        return True
    return out[0] == src[0] == "colr" and out[2] == src[2] and neutralised_colr(src[1], out[1])


def _props_equivalent(src: _PropList, out: _PropList) -> bool:
    """True when ``out`` is ``src`` minus some non-essential descriptive properties, in order
    (a colour profile may have been neutralised, see :func:`neutralised_colr`)."""
    at = 0
    for prop in src:
        if at < len(out) and _same_prop(prop, out[at]):
            at += 1
        elif prop[2] or prop[0] not in DESCRIPTIVE_PROPS:
            return False
    return at == len(out)


def _outgoing(meta: hi.HeifMeta, item_id: int) -> dict[str, list[int]]:
    """References that make ``item_id``'s pixels depend on other items, by type."""
    found: dict[str, list[int]] = {}
    for ref in meta.refs:
        if ref.from_id == item_id and ref.type not in _DESCRIBING_REFS:
            found.setdefault(ref.type, []).extend(ref.to_ids)
    return found


def _alpha_planes(meta: hi.HeifMeta, item_id: int) -> list[int]:
    """Items attached to ``item_id`` as its alpha plane (``auxl`` + an alpha ``auxC``)."""
    planes = []
    for aux in meta.refs_to(item_id, "auxl"):
        urns = [hp.aux_type(p) for p in meta.props_of(aux) if p.type == "auxC"]
        if any(hp.aux_kind(u) == "alpha" for u in urns):
            planes.append(aux)
    return planes


class _Proof:
    """Pairwise comparison of the two item graphs, each pair compared once."""

    def __init__(self, src: _Side, out: _Side) -> None:
        self.src, self.out = src, out
        self.done: set[tuple[int, int]] = set()

    def same(self, s_id: int, o_id: int) -> bool:
        if (s_id, o_id) in self.done:
            return True  # already proven, or being proven higher up (a cycle adds nothing)
        if len(self.done) >= _MAX_PAIRS:
            return False
        self.done.add((s_id, o_id))
        s_item = self.src.meta.items.get(s_id)
        o_item = self.out.meta.items.get(o_id)
        if s_item is None or o_item is None or s_item.type != o_item.type:
            return False
        if s_item.type not in IMAGE_TYPES or s_item.protected or o_item.protected:
            return False
        s_props, o_props = _props(self.src, s_id), _props(self.out, o_id)
        if s_props is None or o_props is None or not _props_equivalent(s_props, o_props):
            return False
        if _item_bytes(self.src, s_id) != _item_bytes(self.out, o_id):
            return False
        s_refs, o_refs = _outgoing(self.src.meta, s_id), _outgoing(self.out.meta, o_id)
        if s_refs.keys() != o_refs.keys():
            return False
        for kind, s_targets in s_refs.items():
            o_targets = o_refs[kind]
            if len(s_targets) != len(o_targets):
                return False
            if not all(self.same(s, o) for s, o in zip(s_targets, o_targets, strict=True)):
                return False
        # Alpha planes are matched by item id (the cleaner keeps ids); any other pairing
        # only means "not proven".
        s_alpha, o_alpha = _alpha_planes(self.src.meta, s_id), _alpha_planes(self.out.meta, o_id)
        return s_alpha == o_alpha and all(self.same(a, a) for a in s_alpha)


def heif_coding_identical(source: Path, output: Path) -> bool:
    """True when ``output`` provably decodes exactly like ``source`` (see the module doc).

    Never raises: a file that can't be parsed, or any difference, gives False.
    """
    with _proven(source, output) as out:
        return out is not None


def heif_proven_sound(source: Path, output: Path) -> bool:
    """:func:`heif_coding_identical`, and the coded data of ``output``'s primary picture
    walk sound (:func:`veil.core.formats.heif_coded.walk_primary`): what spares a copy's
    decode. The walk reads the meta box the proof parsed (~1 ms a 12 MP HEIC saved).

    Never raises for a file the proof can't parse or tell apart (False).
    """
    from veil.core.formats.heif_coded import walk_primary

    with _proven(source, output) as out:
        # Outside the proof's own guard, as when the walk parsed the copy itself.
        return out is not None and walk_primary(out.meta, out.buf, out.data).sound


@contextlib.contextmanager
def _proven(source: Path, output: Path) -> Iterator[_Side | None]:
    """The parsed ``output`` while it is open, when it provably decodes exactly like
    ``source``; else None."""
    src = out = None
    try:
        try:
            src = _parse(source)
            out = _parse(output) if src is not None else None
            same = _same_primary(src, out) if src is not None and out is not None else False
        except (CorruptFile, OSError, ValueError, RecursionError):
            same = False
        yield out if same else None
    finally:
        for opened in (src, out):
            if opened is not None:
                opened.data.close()


def _same_primary(src: _Side, out: _Side) -> bool:
    """The proof over two parsed files.

    Raises:
        CorruptFile, ValueError, RecursionError: a location or reference the proof can't
            follow (not proven).
    """
    if src.ftyp != out.ftyp:
        return False
    s_primary, o_primary = src.meta.primary, out.meta.primary
    if s_primary is None or o_primary is None:
        return False
    if src.meta.handler != "pict" or out.meta.handler != "pict":
        return False
    return _Proof(src, out).same(s_primary, o_primary)
