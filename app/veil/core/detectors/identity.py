"""``identity``: owner/author/copyright names, contact details, and named people."""

from __future__ import annotations

import re

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

_LABELS = (("CreatorContactInfo", "contact details"), ("CameraOwnerName", "camera owner"),
           ("OwnerName", "camera owner"), ("dc:creator", "XMP creator"),
           ("dc:rights", "rights"), ("xmpRights:Owner", "owner"),
           ("AuthorsPosition", "job title"), ("By-lineTitle", "job title"),
           ("By-line", "IPTC by-line"), ("Writer-Editor", "caption writer"),
           ("CaptionWriter", "caption writer"), ("Contact", "contact"),
           ("Credit", "credit"), ("Copyright", "copyright"), ("XPAuthor", "author"),
           ("Artist", "artist"), ("Author", "author"), ("creator", "creator"))
#: Words that are boilerplate in copyright fields; a value made only of them names nobody.
_BOILERPLATE = re.compile(
    r"copyright|all rights reserved|rights reserved|\(c\)|©|[\d\s.,;:/\-_()&]+", re.IGNORECASE
)


def _label(tag: str) -> str:
    for key, words in _LABELS:
        if key.lower() in tag.lower():
            return words
    return "name"


def names_someone(value: str) -> bool:
    """False for values like "Copyright 2005" or "(C) 2010": no name left once cleaned."""
    return bool(_BOILERPLATE.sub("", value).strip())


def detect_identity(meta: Metadata) -> list[Finding]:
    """One finding for owner/author names, one for named people, one for unnamed faces."""
    out: list[Finding] = []
    owners = [(t, v) for t, v in meta.owners if names_someone(v)]
    if owners:
        tag, value = owners[0]
        names = list(dict.fromkeys(v for _, v in owners))
        summary = f"Names a person: {explain.quote(value)} ({_label(tag)})"
        if len(names) > 1:
            summary += f", and {len(names) - 1} more name{'s' if len(names) > 2 else ''}"
        out.append(finding(FindingKind.IDENTITY, Severity.HIGH, summary,
                           source_of(t for t, _ in owners),
                           {"label": "Owner name", "names": names, "tags": pairs(owners)}))
    people = list(dict.fromkeys(p.name for p in meta.people if p.name.strip()))
    if people:
        shown = explain.join_words([explain.quote(n, 40) for n in people[:3]])
        more = f" and {len(people) - 3} more" if len(people) > 3 else ""
        how = "tagged in the photo"
        summary = (f"Names the person in it: {shown} ({how})" if len(people) == 1
                   else f"Names {len(people)} people in it: {shown}{more} ({how})")
        regions = [{"name": p.name, "source": p.source, "box": list(p.box) if p.box else None}
                   for p in meta.people]
        out.append(finding(FindingKind.IDENTITY, Severity.HIGH, summary,
                           ", ".join(dict.fromkeys(p.source.split(" face")[0]
                                                   for p in meta.people)),
                           {"label": "Named people", "people": people, "regions": regions}))
    faces = meta.values.get("XMP:FaceRegions", 0)
    if isinstance(faces, int) and faces > len(people):
        count = "1 face" if faces == 1 else f"{faces} faces"
        out.append(finding(FindingKind.IDENTITY, Severity.MEDIUM,
                           f"Its tags mark where {count} {'is' if faces == 1 else 'are'}"
                           " in the picture", "XMP",
                           {"label": "Face tags", "face_regions": faces}))
    return out
