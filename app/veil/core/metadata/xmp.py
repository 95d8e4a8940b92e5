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

MAX_XMP = 8 * 1024 * 1024
MAX_DEPTH = 40
MAX_ITEMS = 5000
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_NS = {
    RDF: "rdf", "adobe:ns:meta/": "x", "http://www.w3.org/XML/1998/namespace": "xml",
    "http://ns.adobe.com/exif/1.0/": "exif", "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop", "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://purl.org/dc/elements/1.1/": "dc", "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#": "stRef",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://ns.adobe.com/exif/1.0/aux/": "aux", "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://www.metadataworkinggroup.com/schemas/regions/": "mwg-rs",
    "http://ns.adobe.com/xmp/sType/Area#": "stArea",
    "http://ns.adobe.com/xmp/sType/Dimensions#": "stDim",
    "http://ns.microsoft.com/photo/1.2/": "MP",
    "http://ns.microsoft.com/photo/1.0/": "MicrosoftPhoto",
    "http://ns.microsoft.com/photo/1.2/t/RegionInfo#": "MPRI",
    "http://ns.microsoft.com/photo/1.2/t/Region#": "MPReg",
    "http://ns.google.com/photos/1.0/camera/": "GCamera",
    "http://ns.google.com/photos/1.0/container/": "Container",
    "http://ns.google.com/photos/1.0/container/item/": "Item",
    "http://ns.adobe.com/camera-raw-settings/1.0/": "crs",
    "http://ns.adobe.com/lightroom/1.0/": "lr", "http://ns.adobe.com/xap/1.0/g/img/": "xmpGImg",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/": "xmpDM",
    "http://ns.useplus.org/ldf/xmp/1.0/": "plus",
    "http://ns.adobe.com/xmp/note/": "xmpNote", "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/hdr-gain-map/1.0/": "hdrgm",
    "http://www.dji.com/drone-dji/1.0/": "drone-dji",
    "http://xmp.gettyimages.com/gift/1.0/": "GettyImagesGIFT",
}
_START = re.compile(rb"<(?:x:xmpmeta|x:xapmeta|rdf:RDF)\b")
_END = re.compile(rb"</(?:x:xmpmeta|x:xapmeta|rdf:RDF)>")
_FORBIDDEN = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _name(tag: str) -> str:
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        prefix = _NS.get(uri) or _guess_prefix(uri)
        return f"{prefix}:{local}"
    return tag


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


def _walk(el: ET.Element, path: str, depth: int) -> Iterator[tuple[str, str]]:
    """Yield leaves under ``el``; rdf containers and descriptions don't add path parts."""
    if depth > MAX_DEPTH:
        return
    for key, value in el.attrib.items():
        if not key.startswith("{" + RDF) and not key.startswith("{http://www.w3.org/XML"):
            yield _join(path, _name(key)), value
    for index, child in enumerate(el, 1):
        tag = _name(child.tag)
        if tag in ("rdf:Description", "rdf:Seq", "rdf:Bag", "rdf:Alt", "x:xmpmeta", "rdf:RDF"):
            yield from _walk(child, path, depth + 1)
            continue
        sub = f"{path}[{index}]" if tag == "rdf:li" else _join(path, tag)
        resource = child.get(f"{{{RDF}}}resource")
        if len(child) or any(not k.startswith("{" + RDF) for k in child.attrib):
            yield from _walk(child, sub, depth + 1)
        elif resource is not None:
            yield sub, resource
        if child.text and child.text.strip() and not len(child):
            yield sub, child.text.strip()


_NUM = r"(\d+(?:\.\d+)?)"
_COORD = re.compile(rf"^\s*(-?\d+(?:\.\d+)?)(?:,{_NUM})?(?:,{_NUM})?\s*([NSEWnsew])?\s*$")
_REGION = re.compile(r"^(.*?(?:mwg-rs:RegionList|MPRI:Regions)\[\d+\])/(.+)$")
_OWNER_KEYS = ("dc:creator", "dc:rights", "xmpRights:Owner", "photoshop:AuthorsPosition",
               "photoshop:Credit", "aux:OwnerName", "exifEX:CameraOwnerName",
               "Iptc4xmpCore:CreatorContactInfo", "photoshop:CaptionWriter", "dc:contributor",
               "dc:publisher", "plus:CopyrightOwner", "plus:ImageCreator", "tiff:Artist",
               "pdf:Author")
_SERIAL_KEYS = {"aux:SerialNumber": "SerialNumber", "exifEX:BodySerialNumber": "BodySerialNumber",
                "aux:LensSerialNumber": "LensSerialNumber",
                "exifEX:LensSerialNumber": "LensSerialNumber",
                "exif:ImageUniqueID": "ImageUniqueID", "exifEX:ImageUniqueID": "ImageUniqueID",
                "MicrosoftPhoto:CameraSerialNumber": "CameraSerialNumber",
                "GettyImagesGIFT:CameraSerialNumber": "CameraSerialNumber",
                "drone-dji:DroneSerialNumber": "DroneSerialNumber",
                "drone-dji:CameraSerialNumber": "CameraSerialNumber"}
#: Signed decimal positions some writers keep outside exif:GPS* (DJI drones: exiftool's
#: XMP-drone-dji GPSLatitude/GPSLongitude, "Longtitude" as some firmware spells it).
_DECIMAL_GPS = (("drone-dji:GpsLatitude", ("drone-dji:GpsLongitude", "drone-dji:GpsLongtitude")),
                ("drone-dji:Latitude", ("drone-dji:Longitude",)))
_TIME_KEYS = ("photoshop:DateCreated", "xmp:CreateDate", "exif:DateTimeOriginal",
              "exif:DateTimeDigitized", "xmp:ModifyDate", "tiff:DateTime", "xmp:MetadataDate",
              "pdf:CreationDate", "pdf:ModDate")
_PLACE_KEYS = ("photoshop:City", "photoshop:State", "photoshop:Country",
               "Iptc4xmpCore:Location", "Iptc4xmpCore:CountryCode",
               "Iptc4xmpExt:LocationShown", "Iptc4xmpExt:LocationCreated")
_TEXT_KEYS = ("dc:description", "dc:title", "dc:subject", "photoshop:Headline",
              "photoshop:Instructions", "lr:hierarchicalSubject", "exif:UserComment",
              "tiff:ImageDescription", "xmpDM:artist", "Iptc4xmpCore:IntellectualGenre",
              "pdf:Title", "pdf:Subject", "pdf:Keywords")
_HISTORY_KEYS = ("xmpMM:DocumentID", "xmpMM:InstanceID", "xmpMM:OriginalDocumentID",
                 "xmpMM:History", "xmpMM:DerivedFrom", "photoshop:DocumentAncestors",
                 "xmpMM:Ingredients", "xmpMM:PreservedFileName")


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
    return re.sub(r"\[\d+\]", "", path.split("/", 1)[0])


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
        if base in _OWNER_KEYS and not path.endswith("xml:lang"):
            col.owner(f"{group} {path}", text)
        elif base in _SERIAL_KEYS:
            col.serial(f"{group} {_SERIAL_KEYS[base]}", text)
        elif base in _TIME_KEYS:
            col.when(f"{group} {base}", text)
        elif base in _PLACE_KEYS:
            col.place(f"{group} {path}", text)
        elif base in _TEXT_KEYS:
            col.text(f"{group} {path}", text)
        elif base in _HISTORY_KEYS:
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
        m = _REGION.match(path)
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
    for lat_key, lon_keys in _DECIMAL_GPS:
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
