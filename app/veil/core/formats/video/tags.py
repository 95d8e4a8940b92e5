"""Identity in a movie's metadata boxes: ``udta`` atoms, ``meta`` keys/ilst, XMP.

Each value becomes a :class:`Item` with a *role* the metadata layer maps onto its fields
(``"gps"``, ``"make"``, ``"model"``, ``"soft"``, ``"when"``, ``"owner"``, ``"text"``,
``"serial"``, ``"place"``, ``"thumbnail"`` for a cover picture, ``"maker"`` for a vendor box
not decoded, ``"info"`` for values that identify nobody). XMP packets are handed on whole
for the shared XMP reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from veil.core.errors import CorruptFile
from veil.core.formats.isobmff import Box, Reader, iter_boxes, printable, quicktime_keys

XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
_ISO6709 = re.compile(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")
_MAX_DEPTH = 8
_MAX_TEXT = 4096
#: Cover pictures kept for reading their own metadata (bytes); larger ones are cut.
MAX_COVER = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Item:
    """One metadata value: where it was (group, name), what it says, what it means."""

    group: str
    name: str
    value: str
    role: str
    #: A cover picture's own bytes (JPEG or PNG, up to :data:`MAX_COVER`): it may carry
    #: its own metadata (``metadata.video`` reads it).
    data: bytes = b""


#: QuickTime ©-atoms and iTunes/3GPP names: (display name, role).
ATOMS = {
    "\xa9xyz": ("GPSCoordinates", "gps"), "\xa9mak": ("Make", "make"),
    "\xa9mod": ("Model", "model"), "\xa9swr": ("Software", "soft"),
    "\xa9too": ("Encoder", "soft"), "\xa9enc": ("EncodedBy", "soft"),
    "\xa9day": ("ContentCreateDate", "when"), "\xa9nam": ("Title", "text"),
    "\xa9cmt": ("Comment", "text"), "\xa9des": ("Description", "text"),
    "\xa9inf": ("Information", "text"), "\xa9key": ("Keywords", "text"),
    "\xa9ART": ("Artist", "owner"), "\xa9aut": ("Author", "owner"),
    "\xa9cpy": ("Copyright", "owner"), "\xa9wrt": ("Composer", "owner"),
    "\xa9dir": ("Director", "owner"), "\xa9prd": ("Producer", "owner"),
    "\xa9prf": ("Performers", "owner"), "\xa9com": ("Composer", "owner"),
    "\xa9src": ("Source", "text"), "\xa9fmt": ("Format", "info"), "\xa9req": ("Requirements",
                                                                              "info"),
    "\xa9alb": ("Album", "text"), "\xa9gen": ("Genre", "text"), "\xa9lyr": ("Lyrics", "text"),
    "\xa9grp": ("Grouping", "text"), "\xa9ed1": ("Edit1", "text"), "\xa9arg": ("Arranger",
                                                                              "owner"),
    "\xa9mal": ("MakerURL", "soft"), "\xa9wrn": ("Warning", "info"), "\xa9url": ("URL", "text"),
    "desc": ("Description", "text"), "ldes": ("LongDescription", "text"), "cprt": ("Copyright",
                                                                                    "owner"),
    "aART": ("AlbumArtist", "owner"), "titl": ("Title", "text"), "auth": ("Author", "owner"),
    "dscp": ("Description", "text"), "perf": ("Performer", "owner"), "gnre": ("Genre", "text"),
    "kywd": ("Keywords", "text"), "albm": ("Album", "text"), "yrrc": ("Year", "when"),
    "clsf": ("Classification", "text"), "rtng": ("Rating", "info"), "loci": ("Location",
                                                                            "gps"),
    "manu": ("Make", "make"), "modl": ("Model", "model"), "date": ("Date", "when"),
    "name": ("Name", "text"), "tool": ("Software", "soft"), "covr": ("CoverArt", "thumbnail"),
}
#: Vendor boxes in udta, by the maker whose private data they are.
MAKER_BOXES = {"smta": "Samsung", "SDLN": "Samsung", "smrd": "Samsung", "svss": "Samsung",
               "sefd": "Samsung", "auth": "", "LOOP": "", "gsst": "Google", "gstd": "Google",
               "gstl": "Google", "gspm": "Google", "gspu": "Google", "LGEM": "LG", "lgem": "LG",
               "NCDT": "Nikon", "CNCV": "Canon", "CNTH": "Canon", "CNOP": "Canon",
               "PANA": "Panasonic", "MVTG": "Fujifilm", "FFMV": "Fujifilm", "TAGS": "",
               "GPMF": "GoPro", "FIRM": "GoPro", "LENS": "GoPro", "CAME": "GoPro",
               "SETT": "GoPro", "MUID": "GoPro", "HMMT": "GoPro", "BCID": "GoPro",
               "GUMI": "GoPro", "DJI ": "DJI", "djmd": "DJI", "dbgi": "DJI", "XMP_": "",
               "PENT": "Pentax", "OLYM": "Olympus", "MMV1": "Sony", "PROF": "Sony",
               "USMT": "Sony", "hmtp": "Samsung", "ccst": "", "cdec": "", "mdln": "Samsung"}


def _text(raw: bytes) -> str:
    """Bounded text of an atom value: UTF-16 with a BOM, else UTF-8, NULs trimmed."""
    raw = raw[:_MAX_TEXT]
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return raw.decode("utf-16", "replace").strip("\0 ")
    return raw.decode("utf-8", "replace").strip("\0 ")


def read_boxes(buf: bytes, boxes: list[Box], where: str) -> tuple[list[Item], list[bytes]]:
    """Every identifying value under ``boxes`` (udta/meta/uuid/XMP_ in ``buf``).

    Returns:
        (items, XMP packets). A box too damaged to read raises; the caller keeps going
        with the other boxes and marks the file incomplete.
    """
    items: list[Item] = []
    xmp: list[bytes] = []
    for box in boxes:
        _box(buf, box, where, items, xmp, 0)
    return items, xmp


def _box(buf: bytes, box: Box, where: str, items: list[Item], xmp: list[bytes],
         depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise CorruptFile("metadata boxes nest too deeply")
    if box.type == "udta":
        _udta(buf, box, where, items, xmp, depth)
    elif box.type == "meta":
        _meta(buf, box, where, items, xmp, depth)
    elif box.type == "XMP_":
        xmp.append(bytes(buf[box.body : box.end]))
    elif box.type == "uuid":
        if box.uuid == XMP_UUID:
            xmp.append(bytes(buf[box.body : box.end]))
        else:
            uid = (box.uuid or b"").hex()
            items.append(Item(where, f"uuid {uid}", f"{box.size} bytes", "maker"))


def _udta(buf: bytes, udta: Box, where: str, items: list[Item], xmp: list[bytes],
          depth: int) -> None:
    group = f"{where} UserData"
    for atom in iter_boxes(buf, udta.body, udta.end, depth + 1):
        kind = atom.type
        if kind in ("meta", "udta", "uuid", "XMP_"):
            _box(buf, atom, where, items, xmp, depth + 1)
        elif kind == "loci":
            items.extend(_loci(buf, atom, group))
        elif kind == "\xa9xyz":
            r = Reader(buf, atom.body, atom.end, "©xyz")
            n = r.uint(2)
            r.uint(2)
            items.append(Item(group, "GPSCoordinates", _text(r.bytes(min(n, r.left))), "gps"))
        elif kind in ATOMS and kind.startswith("\xa9"):
            items.extend(_qt_text(buf, atom, group))
        elif kind in ("titl", "auth", "dscp", "perf", "gnre", "kywd", "albm", "cprt", "clsf"):
            r = Reader(buf, atom.body + 6, atom.end, kind)  # full box + language
            name, role = ATOMS[kind]
            items.append(Item(group, name, _text(r.bytes(r.left)), role))
        elif kind == "yrrc":
            r = Reader(buf, atom.body + 4, atom.end, kind)
            items.append(Item(group, "Year", str(r.uint(2)), "when"))
        elif kind in ("name", "manu", "modl", "date", "tool"):
            name, role = ATOMS[kind]
            items.append(Item(group, name, _text(buf[atom.body : atom.end]), role))
        elif kind in ("free", "skip", "wide", "\0\0\0\0", "tags", "hinf", "hnti"):
            continue
        else:
            maker = MAKER_BOXES.get(kind, "")
            items.append(Item(group, printable(kind), f"{atom.size} bytes"
                              + (f" ({maker} data)" if maker else ""), "maker"))


def _qt_text(buf: bytes, atom: Box, group: str) -> list[Item]:
    """A QuickTime international text atom: (size, language, text) records."""
    name, role = ATOMS[atom.type]
    out: list[Item] = []
    r = Reader(buf, atom.body, atom.end, printable(atom.type))
    if r.left >= 8 and buf[atom.body + 4 : atom.body + 8] == b"data":
        return [Item(group, name, v, role) for v in _data_values(buf, atom)]
    while r.left >= 4 and len(out) < 16:
        n = r.uint(2)
        r.uint(2)
        out.append(Item(group, name, _text(r.bytes(min(n, r.left))), role))
    return out


def _loci(buf: bytes, box: Box, group: str) -> list[Item]:
    r = Reader(buf, box.body + 4, box.end, "loci")
    r.uint(2)
    place = r.cstring()
    r.uint(1)
    lon, lat, alt = (_fixed(r.uint(4)) for _ in range(3))
    out = [Item(group, "LocationName", place, "place")] if place.strip() else []
    if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0, 0):
        out.append(Item(group, "Location", f"{lat:+.6f}{lon:+.6f}{alt:+.1f}/", "gps"))
    return out


def _fixed(v: int) -> float:
    return (v - (1 << 32) if v & 0x80000000 else v) / 65536.0


def _meta(buf: bytes, meta: Box, where: str, items: list[Item], xmp: list[bytes],
          depth: int) -> None:
    # ISO 'meta' is a full box; QuickTime's is not: a child header follows directly then.
    skip = 4 if buf[meta.body : meta.body + 4] == b"\0\0\0\0" else 0
    keys: list[str] = []
    group = f"{where} Keys"
    for child in iter_boxes(buf, meta.body + skip, meta.end, depth + 1):
        if child.type == "keys":
            keys = quicktime_keys(buf, child, strict=True)
        elif child.type == "ilst":
            items.extend(_ilst(buf, child, keys, group, where))
        elif child.type in ("udta", "meta", "uuid", "XMP_"):
            _box(buf, child, where, items, xmp, depth + 1)
        elif child.type == "xml ":
            xmp.append(bytes(buf[child.body + 4 : child.end]))
        elif child.type not in ("hdlr", "free", "skip", "ilst", "keys", "pitm", "iinf", "iloc",
                                "dinf", "idat", "iref", "iprp"):
            items.append(Item(group, printable(child.type), f"{child.size} bytes", "maker"))


def _ilst(buf: bytes, box: Box, keys: list[str], group: str, where: str) -> list[Item]:
    out: list[Item] = []
    for item in iter_boxes(buf, box.body, box.end, 3):
        index = int.from_bytes(item.type.encode("latin-1"), "big")
        if keys and 1 <= index <= len(keys):
            key = keys[index - 1]
            last = key.rsplit(".", 1)[-1]
            name, role = _KEY_NAMES.get(last.lower(), last), key_role(key)
            if key.lower().endswith("android.version"):
                name = "AndroidVersion"  # exiftool's name; "version" alone says nothing
            grp = group
        elif item.type in ATOMS:
            name, role = ATOMS[item.type]
            grp = f"{where} ItemList"
        else:
            name, role, grp = printable(item.type), "maker", f"{where} ItemList"
        if role == "thumbnail":
            out += [Item(grp, name, f"{len(raw)} bytes of data", role, raw)
                    for raw in _pictures(buf, item)]
            continue
        for value in _data_values(buf, item):
            out.append(Item(grp, name, value, role))
    return out


def _pictures(buf: bytes, item: Box) -> list[bytes]:
    """The JPEG/PNG pictures (data types 13, 14) of a cover item, each cut at MAX_COVER."""
    out = []
    for data in iter_boxes(buf, item.body, item.end, 4):
        if data.type == "data" and data.end - data.body >= 8:
            kind = int.from_bytes(buf[data.body : data.body + 4], "big") & 0xFFFFFF
            raw = bytes(buf[data.body + 8 : min(data.end, data.body + 8 + MAX_COVER)])
            out.append(raw if kind in (13, 14) else b"")
    return out


def _data_values(buf: bytes, item: Box) -> list[str]:
    """Text of each ``data`` box under an ilst item (numbers as text, binary as a size)."""
    values: list[str] = []
    for data in iter_boxes(buf, item.body, item.end, 4):
        if data.type != "data" or data.end - data.body < 8:
            continue
        kind = int.from_bytes(buf[data.body : data.body + 4], "big") & 0xFFFFFF
        raw = bytes(buf[data.body + 8 : data.end])
        if kind in (1, 4):
            values.append(_text(raw))
        elif kind in (2, 5):
            values.append(raw[:_MAX_TEXT].decode("utf-16-be", "replace").strip("\0 "))
        elif kind in (21, 22) and 0 < len(raw) <= 8:
            signed = kind == 21
            values.append(str(int.from_bytes(raw, "big", signed=signed)))
        elif kind == 23 and len(raw) == 4:
            import struct

            values.append(f"{struct.unpack('>f', raw)[0]:g}")
        else:
            values.append(f"{len(raw)} bytes of data")
    return values


#: Endings of Apple/Android ``mdta`` key names and their roles (compared lower-case).
_KEY_ROLES = (("iso6709", "gps"), ("location.name", "place"), ("location.note", "place"),
              ("location.", "info"), ("make", "make"), ("manufacturer", "make"),
              ("lens_model", "model"), ("camera.identifier", "model"), ("model", "model"),
              ("software", "soft"), ("android.version", "soft"), ("creationdate", "when"),
              ("content.identifier", "serial"), ("identifier", "serial"), ("author", "owner"),
              ("artist", "owner"), ("copyright", "owner"), ("owner", "owner"),
              ("publisher", "owner"), ("displayname", "owner"), ("title", "text"),
              ("description", "text"), ("comment", "text"), ("keywords", "text"),
              ("information", "text"), ("collection", "text"), ("user", "owner"))


_KEY_NAMES = {"creationdate": "CreationDate", "iso6709": "GPSCoordinates", "make": "Make",
              "model": "Model", "software": "Software", "identifier": "ContentIdentifier"}


def key_role(key: str) -> str:
    """The role of an ``mdta`` key such as ``com.apple.quicktime.location.ISO6709``."""
    low = key.lower()
    for ending, role in _KEY_ROLES:
        if ending in low:
            return role
    return "info"


def iso6709(text: str) -> tuple[float, float, float | None] | None:
    """(lat, lon, altitude) of an ISO 6709 string such as ``+48.8584+002.2945+030.000/``."""
    m = _ISO6709.match(text.strip())
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    alt = float(m.group(3)) if m.group(3) else None
    if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0.0, 0.0):
        return lat, lon, alt
    return None
