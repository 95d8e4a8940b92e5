"""``identity``: owner/author/copyright names, contact details, and named people."""

from __future__ import annotations

import re

from veil.core import explain
from veil.core.detectors.common import finding, pairs, source_of
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

_LABELS = (("CreatorContactInfo", "contact details"), ("CameraOwnerName", "camera owner"),
           ("OwnerName", "camera owner"), ("dc:creator", "creator"),
           ("dc:rights", "copyright"), ("xmpRights:Owner", "owner"),
           ("CopyrightOwner", "copyright"), ("ImageCreator", "creator"),
           ("AuthorsPosition", "job title"), ("By-lineTitle", "job title"),
           ("By-line", "photographer"), ("Writer-Editor", "caption writer"),
           ("CaptionWriter", "caption writer"), ("Contact", "contact"),
           ("Credit", "credit"), ("Copyright", "copyright"), ("XPAuthor", "author"),
           ("Artist", "artist"), ("Author", "author"), ("Photographer", "photographer"),
           ("creator", "creator"), ("Owner", "owner"), ("contributor", "contributor"),
           ("publisher", "publisher"))
#: Which labels best say who this is, first first: a job title or a caption writer is never
#: the headline when an artist or camera owner is known.
_PRIORITY = ("camera owner", "artist", "author", "photographer", "creator", "owner", "name",
             "copyright", "contributor", "publisher", "credit", "contact details", "contact",
             "caption writer", "job title")
#: Words that are boilerplate in copyright fields; a value made only of them names nobody.
_BOILERPLATE = re.compile(
    r"copyright|all rights reserved|rights reserved|\(c\)|©|[\d\s.,;:/\-_()&]+", re.IGNORECASE
)
_KEY_NOISE = re.compile(r"copyright|all rights reserved|rights reserved|\(c\)|©|"
                        r"\b(?:1[89]|2[01])\d\d\b|[\s.,;:/\-_()&]+", re.IGNORECASE)
_NOTICE = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
#: A web or e-mail address rather than a name.
_ADDRESS = re.compile(r"^\S*(?:www\.|https?://|@)\S*$|^\S+\.(?:com|org|net|de|fr|uk)/?$",
                      re.IGNORECASE)
#: Legal-entity words: the value names a company, not a private person.
_COMPANY = re.compile(
    r"\b(?:inc|ltd|llc|l\.l\.c|gmbh|corp|corporation|company|co\.|plc|limited|pty|s\.a\.|"
    r"s\.r\.l|b\.v|k\.k|studios?|entertainment|agency|newspapers?|press agency|"
    r"getty images|shutterstock|reuters|associated press)(?![\w])",
    re.IGNORECASE,
)


def _label(tag: str) -> str:
    for key, words in _LABELS:
        if key.lower() in tag.lower():
            return words
    return "name"


def names_someone(value: str) -> bool:
    """False for values like "Copyright 2005" or "(C) 2010": no name left once cleaned."""
    return bool(_BOILERPLATE.sub("", value).strip())


def is_company(value: str) -> bool:
    """True when ``value`` names a legal entity ("Sony Computer Entertainment Inc.")."""
    return bool(_COMPANY.search(value))


def _person_key(value: str) -> str:
    """``value`` without copyright words, years or punctuation, case-folded (other digits
    stay: "Photographer 1" and "Photographer 2" are two names)."""
    return " ".join(_KEY_NOISE.sub(" ", value).split()).casefold()


def _rank(item: tuple[str, str]) -> int:
    label = _label(item[0])
    return _PRIORITY.index(label) if label in _PRIORITY else len(_PRIORITY)


def detect_identity(meta: Metadata) -> list[Finding]:
    """One finding for owner/author names, one for named people, one for unnamed faces."""
    out: list[Finding] = []
    owners = sorted(((t, v) for t, v in meta.owners if names_someone(v)), key=_rank)
    if owners:
        out.append(_owner_finding(owners))
    people = list(dict.fromkeys(p.name for p in meta.people if p.name.strip()))
    if people:
        shown = explain.join_words([explain.quote(n, 40) for n in people[:3]])
        more = f" and {len(people) - 3} more" if len(people) > 3 else ""
        # Maker notes keep names the owner gave the camera (faces it recognises, a baby's
        # name): nobody tagged them after the shot.
        how = ("from the camera's own notes" if all(p.source == "MakerNote" for p in meta.people)
               else "tagged in the photo")
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


def _owner_finding(owners: list[tuple[str, str]]) -> Finding:
    """Owner/author/copyright names: high for a private person, medium when every name is a
    company's (a business is public; it still links the photo to its source)."""
    tag, value = owners[0]
    label = _label(tag)
    # "(c) 2026 Jane Doe" in Copyright is the Artist "Jane Doe" again, not "1 more name".
    first: dict[str, str] = {}
    for _, v in owners:
        first.setdefault(_person_key(v), v)
    names = list(first.values())
    companies = [n for n in names if is_company(n)]
    only_companies = len(companies) == len(names)
    if label == "copyright" or _NOTICE.search(value) or is_company(value):
        summary = f"Names the copyright holder: {explain.quote(value)}"
    elif _ADDRESS.search(value):
        summary = f"Points to its owner: {explain.quote(value)} ({label})"
    else:
        summary = f"Names a person: {explain.quote(value)} ({label})"
    if len(names) > 1:
        summary += f", and {len(names) - 1} more name{'s' if len(names) > 2 else ''}"
    detail = {"label": "Copyright holder" if only_companies else "Owner name", "names": names,
              "companies": companies, "tags": pairs(owners)}
    return finding(FindingKind.IDENTITY, Severity.MEDIUM if only_companies else Severity.HIGH,
                   summary, source_of(t for t, _ in owners), detail)
