"""``other_metadata``: free text (captions, comments, keywords, PNG text) and named colour
profiles. A standard profile (sRGB, Display P3...) identifies nobody and is not reported."""

from __future__ import annotations

import re

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

#: Profile names that point at a specific device (a camera, phone, scanner or screen).
#: Standard working spaces (sRGB, Display P3, Adobe RGB, ColorMatch...) name nobody.
_DEVICE_ICC = re.compile(
    r"canon|nikon|epson|sony|samsung|iphone|ipad|macbook|imac|pixel \d|galaxy|huawei|xiaomi|"
    r"olympus|fuji|panasonic|leica|pentax|hasselblad|phase one|scanner|printer|lcd|monitor|"
    r"dell|lenovo|benq|eizo|\bhp\b|\bmodel\b|\bserial\b",
    re.IGNORECASE,
)
_STANDARD_ICC = re.compile(r"srgb|display p3|adobe rgb|prophoto|generic|camera rgb profile",
                           re.IGNORECASE)


#: Descriptions cameras fill in by themselves; they identify nobody.
_CAMERA_TEXT = ("dcf 1.0", "exif_jpeg_picture", "sony dsc", "minolta digital camera",
                "kodak digital still camera", "leica digital camera", "samsung digital camera",
                "nikon digital camera", "casio digital camera", "sanyo digital camera",
                "vivitar digital camera", "default", "image", "picture", "photo")
#: Tag names in plain words ("ImageDescription" -> "description").
_TEXT_WORDS = (("caption-abstract", "caption"), ("imagedescription", "description"),
               ("description", "description"), ("usercomment", "comment"),
               ("comment", "comment"), ("objectname", "title"), ("title", "title"),
               ("headline", "headline"), ("hierarchicalsubject", "keywords"),
               ("keywords", "keywords"), ("xpsubject", "subject"), ("subject", "keywords"),
               ("instructions", "instructions"), ("artist", "artist"),
               ("genre", "genre"), ("label", "label"))


def _what(tag: str) -> str:
    """The kind of text a tag holds, in words; else the tag's own last name."""
    low = tag.lower()
    for key, words in _TEXT_WORDS:
        if key in low:
            return words
    return tag.split(" ")[-1].split(":")[-1].split("[")[0].split("/")[-1]


def _device_profile(desc: str) -> bool:
    return bool(_DEVICE_ICC.search(desc)) and not _STANDARD_ICC.search(desc)


def detect_other(meta: Metadata) -> list[Finding]:
    """One low finding for written text; one for a device-specific colour profile."""
    out: list[Finding] = []
    # A camera that copies its own model name into the description says nothing new.
    model = (meta.model or "").strip().lower()
    texts = [(t, v) for t, v in meta.texts if v.strip().lower() not in (model, *_CAMERA_TEXT)]
    if texts:
        tag, value = texts[0]
        summary = f"Carries text written into it: \"{explain.quote(value, 60)}\" ({_what(tag)})"
        if len(texts) > 1:
            summary += f", and {len(texts) - 1} more"
        out.append(finding(FindingKind.OTHER_METADATA, Severity.LOW, summary,
                           source_of(t for t, _ in texts),
                           {"label": "Text", "texts": pairs(texts)}))
    desc = meta.values.get("ICC:Description")
    if isinstance(desc, str) and desc and _device_profile(desc):
        out.append(finding(FindingKind.OTHER_METADATA, Severity.LOW,
                           f"Its colour profile is named \"{explain.quote(desc, 60)}\", which "
                           "may name the device", "ICC profile",
                           {"label": "Colour profile", "icc": desc}))
    return out
