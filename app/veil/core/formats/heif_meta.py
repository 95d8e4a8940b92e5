"""What a HEIF ``meta`` box says, parsed (:func:`veil.core.formats.heif_items.parse_meta`):
its items, where their bytes are, the references between them and their properties.

Apart from the parser because every HEIF module reads these (the scan, the cleaner and its
plan, the proof, the data extents) and only one writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from veil.core.formats.isobmff import Box

__all__ = ["HeifMeta", "Item", "Location", "Prop", "Ref"]


@dataclass(slots=True)
class Item:
    """One ``infe`` entry."""

    id: int
    type: str  # "hvc1", "av01", "grid", "Exif", "mime", "uri " ...
    name: str = ""
    content_type: str = ""
    hidden: bool = False
    protected: bool = False


@dataclass(slots=True)
class Location:
    """One ``iloc`` entry: where an item's bytes are. Extents are (offset, length)."""

    item_id: int
    method: int  # 0 file offset, 1 idat, 2 item offset
    data_ref: int
    base: int
    extents: list[tuple[int, int]]
    has_index: bool = False

    @property
    def length(self) -> int:
        """Total bytes of the item (0-length extents count as unknown here: 0)."""
        return sum(length for _, length in self.extents)


@dataclass(slots=True)
class Ref:
    """One ``iref`` entry: ``from_id`` --type--> each of ``to_ids``."""

    type: str
    from_id: int
    to_ids: list[int]


@dataclass(slots=True)
class Prop:
    """One property in ``ipco`` (1-based index in ``HeifMeta.props``), raw box bytes."""

    type: str
    raw: bytes  # the whole property box, header included
    header: int


@dataclass(slots=True)
class HeifMeta:
    """Everything the meta box says, in parsed form."""

    handler: str = ""
    primary: int | None = None
    items: dict[int, Item] = field(default_factory=dict)
    locations: dict[int, Location] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)
    props: list[Prop] = field(default_factory=list)
    assoc: dict[int, list[tuple[int, bool]]] = field(default_factory=dict)  # id -> (idx, ess)
    idat: tuple[int, int] | None = None  # (offset, length) of idat data inside the meta buffer
    children: list[Box] = field(default_factory=list)  # meta's own child boxes
    iloc_version: int = 0
    #: Why parts of the meta box could not be parsed (salvaged: the rest is usable).
    damaged: list[str] = field(default_factory=list)
    #: data_reference_index values meaning "this file": 0, and self-contained dref entries.
    local_refs: set[int] = field(default_factory=lambda: {0})

    def props_of(self, item_id: int) -> list[Prop]:
        """The properties associated with ``item_id`` (invalid indices skipped)."""
        found = []
        for index, _ in self.assoc.get(item_id, []):
            if 1 <= index <= len(self.props):
                found.append(self.props[index - 1])
        return found

    _from: dict[tuple[str, int], list[int]] | None = None
    _to: dict[tuple[str, int], list[int]] | None = None

    def _index(self) -> None:
        # Indexed once so that thousands of items and references stay linear, not quadratic.
        self._from, self._to = {}, {}
        for r in self.refs:
            self._from.setdefault((r.type, r.from_id), []).extend(r.to_ids)
            for t in r.to_ids:
                self._to.setdefault((r.type, t), []).append(r.from_id)

    def refs_from(self, item_id: int, ref_type: str) -> list[int]:
        """Targets of ``ref_type`` references starting at ``item_id``."""
        if self._from is None:
            self._index()
        assert self._from is not None
        return self._from.get((ref_type, item_id), [])

    def refs_to(self, item_id: int, ref_type: str) -> list[int]:
        """Items whose ``ref_type`` reference points at ``item_id``."""
        if self._to is None:
            self._index()
        assert self._to is not None
        return self._to.get((ref_type, item_id), [])
