"""``other_metadata``: free text (captions, comments, keywords, PNG text) and named colour
profiles. A standard profile (sRGB, Display P3...) identifies nobody and is not reported; a
profile whose texts look like a person's or a computer's name is an ``identity`` finding."""

from __future__ import annotations

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.metadata.icc import TEXT_TAG_NAMES
from veil.core.metadata.icc_judge import judge_text
from veil.core.model import Finding, FindingKind, Severity

#: Descriptions cameras fill in by themselves; they identify nobody.
_CAMERA_TEXT = ("dcf 1.0", "exif_jpeg_picture", "sony dsc", "minolta digital camera",
                "kodak digital still camera", "leica digital camera", "samsung digital camera",
                "nikon digital camera", "casio digital camera", "sanyo digital camera",
                "vivitar digital camera", "default", "image", "picture", "photo")
#: Tag names in plain words ("ImageDescription" -> "description").
_TEXT_WORDS = (("layertext", "a text layer"), ("filename", "original file name"),
               ("caption-abstract", "caption"), ("imagedescription", "description"),
               ("description", "description"), ("usercomment", "comment"),
               ("comment", "comment"), ("objectname", "title"), ("title", "title"),
               ("headline", "headline"), ("hierarchicalsubject", "keywords"),
               ("keywords", "keywords"), ("tagslist", "keywords"), ("lastkeyword", "keywords"),
               ("xpsubject", "subject"), ("subject", "keywords"),
               ("instructions", "instructions"), ("artist", "artist"),
               ("genre", "genre"), ("label", "label"),
               ("facebirthday", "birthday of a face the camera knows"))


def _what(tag: str) -> str:
    """The kind of text a tag holds, in words; else the tag's own last name."""
    low = tag.lower()
    for key, words in _TEXT_WORDS:
        if key in low:
            return words
    return tag.split(" ")[-1].split(":")[-1].split("[")[0].split("/")[-1]


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
    out.extend(_icc_findings(meta))
    return out


def _icc_findings(meta: Metadata) -> list[Finding]:
    """The colour profile's texts, judged by :func:`veil.core.metadata.icc_judge.judge_text`:
    a standard name ("sRGB IEC61966-2.1", "Copyright Apple Inc.") is silent; a device's name ("Canon
    EOS R5 profile") is low; any other word ("JohnS iMac 27", "(c) John Secretname 2024")
    may name a person or their computer, which is identity (medium: a guess from words)."""
    texts = meta.values.get("ICC:Texts")
    if not isinstance(texts, tuple):
        desc = meta.values.get("ICC:Description")
        texts = (("desc", desc),) if isinstance(desc, str) and desc else ()
    personal = [(sig, t) for sig, t in texts if judge_text(t) == "personal"]
    device = [(sig, t) for sig, t in texts if judge_text(t) == "device"]
    detail = {"label": "Colour profile", "icc_texts": [[s, t] for s, t in texts]}
    if personal:
        sig, text = personal[0]
        what = TEXT_TAG_NAMES.get(sig.encode("latin-1", "replace"), "text")
        summary = (f"Its colour profile's {what} reads \"{explain.quote(text, 60)}\", which "
                   "may name a person or their computer")
        if len(personal) > 1:
            more = len(personal) - 1
            summary += f", and {more} more such text{'s' if more > 1 else ''}"
        return [finding(FindingKind.IDENTITY, Severity.MEDIUM, summary, "ICC profile",
                        {**detail, "personal": [[s, t] for s, t in personal]})]
    if device:
        sig, text = device[0]
        return [finding(FindingKind.OTHER_METADATA, Severity.LOW,
                        f"Its colour profile is named \"{explain.quote(text, 60)}\", which "
                        "may name the device", "ICC profile",
                        {**detail, "icc": text})]
    return []
