"""What a Content Credentials (C2PA) manifest says about people, places and the file.

A manifest is a tree of JUMBF boxes (ISO 19566-5); its assertions are JSON or CBOR boxes:
``stds.schema-org.CreativeWork`` names the author, older CAI manifests keep
``cai.rights`` (copyright) and ``cai.location.broad`` (a place), the claim holds the
file's title and instance ID and the software that signed it. Those values are lifted into
the collector (owner, place, text, software, IDs) so the scan says who and where, not only
that a manifest is there. Signatures, hashes and thumbnails are not read.

In a JPEG the manifest is split over APP11 segments: "JP", the box instance (2 bytes), the
packet sequence (4 bytes), then the box; later packets repeat the box header, and their
content continues the first's. In HEIF/AVIF (and MP4) files the store sits in a top-level
``uuid`` box (C2PA's BMFF embedding, :func:`bmff_store`) or in a ``jumb`` box or item.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Iterator
from typing import Any

from veil.core.metadata.cbor import CborError, decode
from veil.core.metadata.model import Collector

__all__ = ["bmff_store", "decode_jpeg_c2pa", "decode_jumbf"]

MAX_BOXES = 10_000
MAX_DEPTH = 16
#: Keys (compared lower-case, after any "prefix:") whose values name a person.
_OWNER = frozenset({"author", "creator", "copyright", "copyrightholder", "copyrightnotice",
                    "copyrightowner", "artist", "photographer", "credittext"})
#: Keys that hold a place.
_PLACE = frozenset({"location", "locationcreated", "contentlocation", "city", "country",
                    "address", "streetaddress", "addresslocality", "addressregion"})
#: Keys that hold words someone wrote (the claim's dc:title is the file's name at signing).
_TEXT = frozenset({"title", "description", "headline", "caption"})
_IDS = frozenset({"instanceid", "documentid", "originaldocumentid"})
_SOFTWARE = frozenset({"claim_generator", "softwareagent"})


def decode_jpeg_c2pa(segments: Iterable[bytes], col: Collector) -> None:
    """Lift what the JUMBF boxes of a JPEG's APP11 ``segments`` (payloads, in file order)
    say into ``col``. Never raises: a damaged manifest adds a warning."""
    boxes: dict[bytes, list[tuple[int, bytes]]] = {}
    for p in segments:
        if len(p) >= 16 and p[:2] == b"JP":
            boxes.setdefault(p[2:4], []).append((struct.unpack(">I", p[4:8])[0], p[8:]))
    for packets in boxes.values():
        packets.sort(key=lambda sz: sz[0])
        first = packets[0][1]
        header = 16 if first[:4] == b"\0\0\0\1" else 8
        whole = first + b"".join(p[header:] for _, p in packets[1:])
        decode_jumbf(whole, col)


def bmff_store(content: bytes) -> bytes | None:
    """The manifest store inside the content of a C2PA ``uuid`` box (after its 16-byte
    type): version and flags (4 bytes), a NUL-ended purpose, and for the "manifest" purpose
    an 8-byte Merkle offset, then the store's JUMBF boxes. None for other purposes ("merkle"
    holds hashes of a fragmented movie, nothing personal) or a box too short to hold one."""
    end = content.find(b"\0", 4, 260)
    if end < 0 or content[4:end] != b"manifest" or len(content) < end + 9 + 8:
        return None
    return content[end + 9 :]


def decode_jumbf(data: bytes, col: Collector) -> None:
    """Lift what the JUMBF box tree in ``data`` says into ``col``. Never raises."""
    try:
        for kind, payload in _contents(data, 0):
            value = json.loads(payload) if kind == b"json" else decode(payload)
            _lift(value, "", col, 0)
    except (ValueError, CborError, RecursionError):  # JSONDecodeError is a ValueError
        col.warnings.append("part of the Content Credentials record is damaged and was not read")


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, content) of each box laid end to end in ``data``; stops at a broken one."""
    pos = count = 0
    while pos + 8 <= len(data) and count < MAX_BOXES:
        count += 1
        size, kind = struct.unpack(">I", data[pos : pos + 4])[0], data[pos + 4 : pos + 8]
        start = pos + 8
        if size == 1 and pos + 16 <= len(data):
            size, start = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], pos + 16
        elif size == 0:
            size = len(data) - pos
        if size < start - pos or pos + size > len(data):
            raise ValueError("a C2PA box claims more bytes than there are")
        yield kind, data[start : pos + size]
        pos += size


def _contents(data: bytes, depth: int) -> Iterator[tuple[bytes, bytes]]:
    """Every JSON and CBOR box in the tree, depth first."""
    if depth > MAX_DEPTH:
        raise ValueError("C2PA boxes nest too deep")
    for kind, content in _boxes(data):
        if kind == b"jumb":
            yield from _contents(content, depth + 1)
        elif kind in (b"json", b"cbor"):
            yield kind, content


def _lift(value: Any, key: str, col: Collector, depth: int) -> None:
    """Walk a decoded assertion; ``key`` is the lower-case name the value sits under."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            name = str(k).rsplit(":", 1)[-1].lower()
            if key in _OWNER | _PLACE | _SOFTWARE and name == "name":
                name = key  # {"author": [{"@type": "Person", "name": "..."}]}
            _lift(v, name, col, depth + 1)
    elif isinstance(value, list):
        for item in value[:1000]:
            _lift(item, key, col, depth + 1)
    elif isinstance(value, str) and value.strip():
        _add(key, value.strip(), col)


def _add(key: str, text: str, col: Collector) -> None:
    label = f"C2PA {key}"
    if key in _OWNER:
        col.owner(label, col.tag("C2PA", key, text))
    elif key in _PLACE:
        col.place(label, col.tag("C2PA", key, text))
    elif key in _TEXT:
        col.text(label, col.tag("C2PA", key, text))
    elif key in _SOFTWARE:
        col.soft(label, col.tag("C2PA", key, text))
    elif key in _IDS:
        col.xmp_history.append((f"c2pa:{key}", col.tag("C2PA", key, text)))
