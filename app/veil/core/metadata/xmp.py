"""Parse XMP packets safely and lift what identifies a person, a place, a device or a time.

XMP is XML from a hostile file. ``xml.etree`` expands internal entities (billion laughs),
and defusedxml is not available, so any packet with a DOCTYPE or ENTITY declaration is
refused before parsing; real XMP never has one. Packets above ``MAX_XMP`` are not parsed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: N817 - the conventional alias
from collections.abc import Iterator

from veil.core.metadata.model import Collector, GeoPoint, Person
from veil.core.metadata.xmp_names import (
    DECIMAL_GPS,
    HISTORY_KEYS,
    NS,
    OWNER_KEYS,
    OWNER_NAMES,
    PLACE_KEYS,
    SERIAL_KEYS,
    TEXT_KEYS,
    TEXT_LAYER,
    TIME_KEYS,
    tagged_person,
)

MAX_XMP = 8 * 1024 * 1024
MAX_DEPTH = 40
MAX_ITEMS = 5000
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_START = re.compile(rb"<(?:x:xmpmeta|x:xapmeta|rdf:RDF)\b")
_END = re.compile(rb"</(?:x:xmpmeta|x:xapmeta|rdf:RDF)>")
_FORBIDDEN = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _name(tag: str) -> str:
    """``prefix:local`` of an ElementTree ``{uri}local`` name (remembered: packets of one
    roll repeat the same few hundred names)."""
    name = _NAMES.get(tag)
    if name is None:
        name = tag
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            prefix = NS.get(uri) or _guess_prefix(uri)
            name = f"{prefix}:{local}"
        if len(_NAMES) >= _MAX_NAMES:  # a hostile packet's made-up names stay bounded
            _NAMES.clear()
        _NAMES[tag] = name
    return name


_NAMES: dict[str, str] = {}
_MAX_NAMES = 4096


def _guess_prefix(uri: str) -> str:
    """A readable prefix for an unknown namespace: its last non-version path part."""
    parts = [p for p in re.split(r"[/#:]", uri) if p and not re.fullmatch(r"[\d.]+", p)]
    return parts[-1] if parts else "ns"


def _to_text(packet: bytes) -> bytes | None:
    """The XML part of a packet as UTF-8 bytes (xpacket wrapper and padding cut off)."""
    codec = None
    if packet[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16"
    elif packet[:1] == b"\0":
        codec = "utf-16-be"
    elif packet[1:2] == b"\0":
        codec = "utf-16-le"
    if codec:
        try:
            packet = packet.decode(codec).encode("utf-8")
        except UnicodeDecodeError:
            return None
    start = _START.search(packet)
    if start is None:
        return None
    ends = list(_END.finditer(packet, start.start()))
    if ends:
        return packet[start.start() : ends[-1].end()]
    # A self-closing <x:xmpmeta ... /> has no end tag: cut the xpacket trailer and padding.
    body = packet[start.start() :]
    trailer = body.find(b"<?xpacket end")
    return (body[:trailer] if trailer >= 0 else body).rstrip(b"\0 \r\n\t")


def flatten(packet: bytes, col: Collector) -> list[tuple[str, str]]:
    """(path, value) pairs of one packet, e.g. ("dc:creator[1]", "Jane").

    Refused or broken packets add a warning, mark ``col.incomplete`` and return [].
    """
    if len(packet) > MAX_XMP:
        col.warnings.append("an XMP block is too large to read")
        col.incomplete = True
        return []
    if _FORBIDDEN.search(packet):
        col.warnings.append("an XMP block declares XML entities; refused as unsafe")
        col.incomplete = True
        return []
    xml = _to_text(packet)
    if xml is None:
        if packet.strip(b"\0 \r\n\t"):
            col.warnings.append("an XMP block holds no readable XMP")
            col.incomplete = True
        return []
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        try:  # some writers emit Latin-1 without saying so
            root = ET.fromstring(xml.decode("latin-1").encode("utf-8"))
        except ET.ParseError:
            col.warnings.append("an XMP block is malformed XML and could not be read")
            col.incomplete = True
            return []
    out: list[tuple[str, str]] = []
    for item in _walk(root, "", 0):
        out.append(item)
        if len(out) >= MAX_ITEMS:
            col.warnings.append("an XMP block has too many values; the rest was not read")
            col.incomplete = True
            break
    return out


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


_RDF_NS = "{" + RDF
_XML_NS = "{http://www.w3.org/XML"
_RESOURCE = f"{{{RDF}}}resource"
#: Containers and descriptions: they add no part to a value's path.
_TRANSPARENT = frozenset(
    {"rdf:Description", "rdf:Seq", "rdf:Bag", "rdf:Alt", "x:xmpmeta", "rdf:RDF"})


def _walk(el: ET.Element, path: str, depth: int) -> Iterator[tuple[str, str]]:
    """Yield leaves under ``el``; rdf containers and descriptions don't add path parts."""
    if depth > MAX_DEPTH:
        return
    for key, value in el.attrib.items():
        if not key.startswith(_RDF_NS) and not key.startswith(_XML_NS):
            yield _join(path, _name(key)), value
    for index, child in enumerate(el, 1):
        tag = _name(child.tag)
        if tag in _TRANSPARENT:
            yield from _walk(child, path, depth + 1)
            continue
        sub = f"{path}[{index}]" if tag == "rdf:li" else _join(path, tag)
        resource = child.get(_RESOURCE)
        if len(child) or any(not k.startswith(_RDF_NS) for k in child.attrib):
            yield from _walk(child, sub, depth + 1)
        elif resource is not None:
            yield sub, resource
        if child.text and child.text.strip() and not len(child):
            yield sub, child.text.strip()


_NUM = r"(\d+(?:\.\d+)?)"
_COORD = re.compile(rf"^\s*(-?\d+(?:\.\d+)?)(?:,{_NUM})?(?:,{_NUM})?\s*([NSEWnsew])?\s*$")
_REGION = re.compile(r"^(.*?(?:mwg-rs:RegionList|MPRI:Regions)\[\d+\])/(.+)$")
_INDEX = re.compile(r"\[\d+\]")
def parse_coord(text: str) -> float | None:
    """XMP GPS coordinate ("48,51.5N", "48,51,30N" or decimal) to signed degrees."""
    m = _COORD.match(text)
    if not m:
        return None
    deg = float(m.group(1))
    for part, scale in ((m.group(2), 60.0), (m.group(3), 3600.0)):
        if part:
            deg += float(part) / scale
    return -deg if (m.group(4) or "").upper() in ("S", "W") else deg


def _base(path: str) -> str:
    """The top property of a path: "dc:creator[1]" -> "dc:creator"."""
    top = path.split("/", 1)[0]
    return _INDEX.sub("", top) if "[" in top else top


def decode_xmp(packet: bytes, col: Collector, group: str = "XMP") -> None:
    """Add every value of one XMP ``packet`` to ``col`` and lift the identifying ones.

    ``group`` names the origin in tags and sources ("XMP", "XMP sidecar"). Never raises.
    """

    pairs = flatten(packet, col)
    values: dict[str, str] = {}
    regions: dict[str, dict[str, str]] = {}
    for path, value in pairs:
        text = col.tag(group, path, value)
        values.setdefault(path, text)
        base = _base(path)
        if (base in OWNER_KEYS or base.partition(":")[2] in OWNER_NAMES) \
                and not path.endswith("xml:lang"):
            col.owner(f"{group} {path}", text)
        elif base in SERIAL_KEYS:
            col.serial(f"{group} {SERIAL_KEYS[base]}", text)
        elif base in TIME_KEYS:
            col.when(f"{group} {base}", text)
        elif base in PLACE_KEYS:
            col.place(f"{group} {path}", text)
        elif base in TEXT_KEYS or path.endswith(TEXT_LAYER):
            col.text(f"{group} {path}", text)
            if person := tagged_person(base, text):
                col.people.append(Person(person, f"{group} people tag"))
        elif base in HISTORY_KEYS:
            col.xmp_history.append((path, text))
            if path.endswith("stEvt:softwareAgent"):
                col.soft(f"{group} xmpMM:History", text)
        elif base in ("xmp:CreatorTool", "tiff:Software", "pdf:Creator", "pdf:Producer") \
                or path.endswith("stEvt:softwareAgent"):
            col.soft(f"{group} {base}", text)
        elif base == "Iptc4xmpExt:PersonInImage" or (
            base == "Iptc4xmpExt:PersonInImageWDetails" and "PersonName" in path
        ):
            col.people.append(Person(text, group))
        elif (base in ("GCamera:MicroVideo", "GCamera:MotionPhoto") and text == "1") or (
            path.endswith("Item:Semantic") and text == "MotionPhoto"
        ):
            col.flags.add("motion_photo")
        elif path.endswith("Item:Semantic") and text == "GainMap":
            col.flags.add("gain_map")
        elif base == "xmp:Thumbnails":
            col.flags.add("xmp_thumbnail")
        elif base == "tiff:Orientation" and group == "XMP":
            _orientation(packet, text, col)
        m = _REGION.match(path) if "Region" in path else None  # both names hold "Region"
        if m:
            regions.setdefault(m.group(1), {})[m.group(2)] = text
    col.make = col.make or values.get("tiff:Make")
    col.model = col.model or values.get("tiff:Model")
    col.lens = col.lens or values.get("aux:Lens") or values.get("exifEX:LensModel")
    lat, lon = values.get("exif:GPSLatitude"), values.get("exif:GPSLongitude")
    if lat and lon:
        la, lo = parse_coord(lat), parse_coord(lon)
        if la is not None and lo is not None and abs(la) <= 90 and abs(lo) <= 180 \
                and (la, lo) != (0.0, 0.0):
            col.gps.append(GeoPoint(round(la, 7), round(lo, 7), group))
    _decimal_gps(values, group, col)
    faces = 0
    for fields in regions.values():
        name = fields.get("mwg-rs:Name") or fields.get("MPReg:PersonDisplayName")
        kind = fields.get("mwg-rs:Type", "Face")
        if kind.lower() not in ("face", "pet", ""):
            continue
        faces += 1
        if name:
            col.people.append(Person(name, f"{group} face region", _region_box(fields)))
    if faces:
        col.values[f"{group}:FaceRegions"] = faces


def _decimal_gps(values: dict[str, str], group: str, col: Collector) -> None:
    for lat_key, lon_keys in DECIMAL_GPS:
        lat = values.get(lat_key)
        lon = next((values[k] for k in lon_keys if k in values), None)
        if not (lat and lon):
            continue
        try:
            la, lo = float(lat), float(lon)
        except ValueError:
            continue
        if abs(la) <= 90 and abs(lo) <= 180 and (la, lo) != (0.0, 0.0):
            col.gps.append(GeoPoint(round(la, 7), round(lo, 7), f"{group} (drone)"))
            return


def _orientation(packet: bytes, text: str, col: Collector) -> None:
    """Keep the embedded XMP's tiff:Orientation as Pillow reads it (``Image.getexif``).

    Pillow falls back to it when EXIF has no Orientation, and our pixel path turns the
    picture by it, so the report's upright size must too. Pillow finds it with a regex on
    the raw packet (first digit of ``tiff:Orientation="6"`` / ``>6<``): a packet that spells
    the prefix differently, or is UTF-16, is not turned by Pillow and is not used here.
    """
    if col.xmp_orientation is None and b"tiff:Orientation" in packet and text[:1] in "12345678" \
            and text[:1]:
        col.xmp_orientation = int(text[:1])


def _region_box(fields: dict[str, str]) -> tuple[float, float, float, float] | None:
    """Normalized (x, y, w, h) with x/y at the top-left, from MWG (centre) or MP areas."""
    try:
        if "mwg-rs:Area/stArea:w" in fields:
            w = float(fields["mwg-rs:Area/stArea:w"])
            h = float(fields["mwg-rs:Area/stArea:h"])
            x = float(fields["mwg-rs:Area/stArea:x"]) - w / 2
            y = float(fields["mwg-rs:Area/stArea:y"]) - h / 2
        elif "MPReg:Rectangle" in fields:
            x, y, w, h = (float(v) for v in fields["MPReg:Rectangle"].split(","))
        else:
            return None
    except (KeyError, ValueError):
        return None
    box = (x, y, w, h)
    return box if all(-0.01 <= v <= 1.01 for v in box) else None
