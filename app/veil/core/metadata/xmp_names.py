"""Names the XMP reader uses: namespace URIs -> the usual prefixes, and which properties
hold owners, serials, times, places, texts and edit history (``xmp.decode_xmp`` lifts them).
"""

from __future__ import annotations

import re

#: Namespace URI -> prefix (the packet's own prefixes are not trusted: any may be used).
NS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf", "adobe:ns:meta/": "x",
    "http://www.w3.org/XML/1998/namespace": "xml",
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
    "http://www.digikam.org/ns/1.0/": "digiKam",
    "http://www.metadataworkinggroup.com/schemas/keywords/": "mwg-kw",
}

OWNER_KEYS = ("dc:creator", "dc:rights", "xmpRights:Owner", "photoshop:AuthorsPosition",
               "photoshop:Credit", "aux:OwnerName", "exifEX:CameraOwnerName",
               "Iptc4xmpCore:CreatorContactInfo", "photoshop:CaptionWriter", "dc:contributor",
               "dc:publisher", "plus:CopyrightOwner", "plus:ImageCreator", "tiff:Artist",
               "pdf:Author")
#: Property names that hold a person's name whatever namespace a writer put them in (some
#: write EXIF's Artist/Copyright as exif:Copyright, which no schema defines).
OWNER_NAMES = frozenset({"Artist", "Copyright", "OwnerName", "CameraOwnerName"})
SERIAL_KEYS = {"aux:SerialNumber": "SerialNumber", "exifEX:BodySerialNumber": "BodySerialNumber",
                "aux:LensSerialNumber": "LensSerialNumber",
                "exifEX:LensSerialNumber": "LensSerialNumber",
                "exif:ImageUniqueID": "ImageUniqueID", "exifEX:ImageUniqueID": "ImageUniqueID",
                "MicrosoftPhoto:CameraSerialNumber": "CameraSerialNumber",
                "GettyImagesGIFT:CameraSerialNumber": "CameraSerialNumber",
                "drone-dji:DroneSerialNumber": "DroneSerialNumber",
                "drone-dji:CameraSerialNumber": "CameraSerialNumber"}
#: Signed decimal positions some writers keep outside exif:GPS* (DJI drones: exiftool's
#: XMP-drone-dji GPSLatitude/GPSLongitude, "Longtitude" as some firmware spells it).
DECIMAL_GPS = (("drone-dji:GpsLatitude", ("drone-dji:GpsLongitude", "drone-dji:GpsLongtitude")),
                ("drone-dji:Latitude", ("drone-dji:Longitude",)))
TIME_KEYS = ("photoshop:DateCreated", "xmp:CreateDate", "exif:DateTimeOriginal",
              "exif:DateTimeDigitized", "xmp:ModifyDate", "tiff:DateTime", "xmp:MetadataDate",
              "pdf:CreationDate", "pdf:ModDate")
PLACE_KEYS = ("photoshop:City", "photoshop:State", "photoshop:Country",
               "Iptc4xmpCore:Location", "Iptc4xmpCore:CountryCode",
               "Iptc4xmpExt:LocationShown", "Iptc4xmpExt:LocationCreated")
TEXT_KEYS = ("dc:description", "dc:title", "dc:subject", "photoshop:Headline",
              "photoshop:Instructions", "lr:hierarchicalSubject", "exif:UserComment",
              "tiff:ImageDescription", "xmpDM:artist", "Iptc4xmpCore:IntellectualGenre",
              "pdf:Title", "pdf:Subject", "pdf:Keywords",
              "crs:RawFileName",  # Camera Raw's note of the raw file it developed
              "digiKam:TagsList", "MicrosoftPhoto:LastKeywordXMP",
              "MicrosoftPhoto:LastKeywordIPTC", "mwg-kw:Keywords")
#: The words of each text layer Photoshop keeps in photoshop:TextLayers (a letter's "Dear Mr
#: ..." stays there, layer hidden or not); the layers' names repeat their first words.
TEXT_LAYER = "photoshop:LayerText"
#: Keyword trees whose paths name a person: a tag "People/Jane Doe" (digiKam, Windows
#: Photo Gallery) or "People|Jane Doe" (Lightroom) is a face someone named.
TAG_TREES = ("lr:hierarchicalSubject", "digiKam:TagsList", "MicrosoftPhoto:LastKeywordXMP",
             "mwg-kw:Keywords")
HISTORY_KEYS = ("xmpMM:DocumentID", "xmpMM:InstanceID", "xmpMM:OriginalDocumentID",
                 "xmpMM:History", "xmpMM:DerivedFrom", "photoshop:DocumentAncestors",
                 "xmpMM:Ingredients", "xmpMM:PreservedFileName")
#: A keyword-tree path under a "people" branch, and the name at its end.
_PEOPLE_TAG = re.compile(r"^(?:people|persons?|personen|personnes|personas|faces)"
                         r"\s*[/|](?:.*[/|])?([^/|]+)$", re.IGNORECASE)


def tagged_person(base: str, text: str) -> str | None:
    """The person a keyword-tree property's value names ("People/Jane Doe" -> "Jane Doe"),
    or None (another property, or a tag outside a people branch)."""
    found = _PEOPLE_TAG.match(text) if base in TAG_TREES else None
    return found.group(1).strip() or None if found else None
