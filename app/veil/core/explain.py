"""Plain words shared by the CLI and the GUI: value formatting, group headings, short labels.

Never imports Qt. Every function takes untrusted values and returns display text that still
has to be shown as plain text by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from veil.core.damage_words import COULD_NOT_LOOK, FILE_DAMAGED_LOOK
from veil.core.model import CheckStatus, FileReport, Finding, FindingKind, Risk, Severity

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WHEN = re.compile(
    r"(?P<y>\d{4})[:\-./](?P<mo>\d{1,2})[:\-./](?P<d>\d{1,2})"
    r"(?:[ T](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}:?\d{2})?"
)
#: An RFC 1123 / 2822 date: day, month name, four-digit year ("07 Dec 2026"), then maybe a
#: clock and a zone ("10:00:00 +0100", "GMT").
_MONTH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
               "dec")
_RFC_DATE = re.compile(r"\b(?P<d>\d{1,2})\s+(?P<mo>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|"
                       r"apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|"
                       r"nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<y>\d{4})\b", re.IGNORECASE)
_RFC_CLOCK = re.compile(r"\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
                        r"(?P<z>\s+(?:[+-]\d{4}|UT|GMT|Z|[ECMP][SD]T)\b)?", re.IGNORECASE)

#: Group headings for the GUI's findings pane, in display order.
HEADINGS: tuple[str, ...] = ("Where", "When", "Device", "Who", "Hidden inside the file",
                             "People & marks", "Other")
_HEADING = {
    FindingKind.LOCATION: "Where", FindingKind.TIME: "When", FindingKind.DEVICE: "Device",
    FindingKind.IDENTITY: "Who", FindingKind.THUMBNAIL: "Hidden inside the file",
    FindingKind.EMBEDDED_MEDIA: "Hidden inside the file",
    FindingKind.PROVENANCE: "Hidden inside the file",
    FindingKind.MAKER_NOTES: "Hidden inside the file", FindingKind.FACE: "People & marks",
    FindingKind.TATTOO: "People & marks", FindingKind.SOUND: "People & marks",
    FindingKind.SOFTWARE: "Other",
    FindingKind.FILENAME: "Other", FindingKind.SIDECAR: "Other",
    FindingKind.OTHER_METADATA: "Other",
}

#: Risk words for badges (never colour alone) and a one-line meaning for tooltips.
RISK_WORDS = {Risk.HIGH: "High", Risk.MEDIUM: "Medium", Risk.LOW: "Low",
              Risk.NONE: "None found", Risk.UNKNOWN: "Unknown"}
RISK_MEANING = {
    Risk.HIGH: "Reveals where you were, who you are or which device took it.",
    Risk.MEDIUM: "Reveals details such as when it was taken or the camera model.",
    Risk.LOW: "Carries minor details, such as the software used.",
    # Metadata is read in full; faces and marks are found by detectors that can miss them
    # (tattoo recall ~0.68): "none found" speaks for the metadata only (issue 13).
    Risk.NONE: "No identifying metadata found (every part of the file was read). No faces or "
               "marks detected, but automatic detection can miss tattoos, birthmarks and "
               "faces: look at the photo before sharing.",
    Risk.UNKNOWN: "Not fully checked: part of the file could not be read. It is not known to be "
                  "clean.",
}
#: A report with no finding and every check run: what was checked, not "nothing at all"
#: (a screenshot showing a name and an address said "Nothing identifying found"; Veil reads
#: no text drawn in the picture, see :data:`PICTURE_TEXT`). Metadata is read in full, but
#: faces and marks are only "not detected": a photo of several tattoos the detector missed
#: said "No identifying metadata, faces or marks found".
NONE_FOUND = ("No identifying metadata · no faces or marks detected (detection can miss them"
              " — look before sharing)")
#: What a pixel check that found nothing can still have missed, said where no face or mark
#: is listed (tattoo/mark detection is a question, never "no tattoos").
DETECTION_CAVEAT = ("Automatic detection can miss tattoos, birthmarks and faces: look at the "
                    "photo before sharing.")
#: Said once where "nothing found" is read before sharing (the window's findings pane, the
#: end of ``veil scan``): what Veil does not check at all.
PICTURE_TEXT = ("Veil doesn't read text shown in the picture itself, such as a name or an "
                "address on a screenshot: look at the picture before you share it.")
SEVERITY_WORDS = {Severity.HIGH: "High", Severity.MEDIUM: "Medium", Severity.LOW: "Low"}


def heading(kind: FindingKind) -> str:
    """The GUI group a finding of ``kind`` is listed under."""
    return _HEADING.get(kind, "Other")


#: What a sidecar file reveals decides where it is listed (most telling first): a Takeout
#: JSON with a GPS position is about *where*, not "Other".
_SIDECAR_HEADING = (("location", "Where"), ("places", "Where"), ("people", "Who"),
                    ("owners", "Who"), ("time", "When"), ("time_text", "When"))


def finding_heading(f: Finding) -> str:
    """The group ``f`` is listed under: its kind's, or for a sidecar, what it reveals."""
    if f.kind is FindingKind.SIDECAR:
        for key, title in _SIDECAR_HEADING:
            if f.detail.get(key):
                return title
    return heading(f.kind)


def group_findings(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped under :data:`HEADINGS` (empty groups left out), highest first."""
    groups: dict[str, list[Finding]] = {h: [] for h in HEADINGS}
    for f in findings:
        groups[finding_heading(f)].append(f)
    return [(h, sorted(fs, key=lambda f: -f.severity.rank)) for h, fs in groups.items() if fs]


def coord(lat: float, lon: float) -> str:
    """48.8584 N, 2.2945 E."""
    return (f"{abs(lat):.4f} {'N' if lat >= 0 else 'S'}, "
            f"{abs(lon):.4f} {'E' if lon >= 0 else 'W'}")


def parse_when(text: str) -> dict[str, int | str] | None:
    """Parts of a written date/time (EXIF "2023:11:05 14:30:12", ISO, IPTC, and the RFC 1123
    "Mon, 07 Dec 2026 10:00:00 +0100" the PNG spec asks "Creation Time" to use); None if
    bogus."""
    m = _WHEN.search(text)
    if not m:
        return _parse_rfc(text)
    y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1800 < y < 2200):
        return None
    out: dict[str, int | str] = {"y": y, "mo": mo, "d": d}
    if m["h"] is not None and int(m["h"]) < 24 and int(m["mi"]) < 60:
        out["h"], out["mi"] = int(m["h"]), int(m["mi"])
        if m["s"] is not None:
            out["s"] = int(m["s"])
    if m["z"]:
        zone = f"{m['z'][:3]}:{m['z'][-2:]}"
        out["z"] = "UTC" if m["z"] == "Z" or zone in ("+00:00", "-00:00") else f"UTC{zone}"
    return out


def _parse_rfc(text: str) -> dict[str, int | str] | None:
    """An e-mail style date ("Mon, 07 Dec 2026 10:00:00 +0100", "7 Dec 2026"), or None."""
    m = _RFC_DATE.search(text)
    if m is None:
        return None
    y, mo, d = int(m["y"]), _MONTH_ABBR.index(m["mo"][:3].lower()) + 1, int(m["d"])
    if not (1 <= d <= 31 and 1800 < y < 2200):
        return None
    out: dict[str, int | str] = {"y": y, "mo": mo, "d": d}
    clock = _RFC_CLOCK.match(text, m.end())
    if clock and int(clock["h"]) < 24 and int(clock["mi"]) < 60:
        out["h"], out["mi"] = int(clock["h"]), int(clock["mi"])
        if clock["s"] is not None:
            out["s"] = int(clock["s"])
        parts = None
        if clock["z"]:
            # Imported here: email.utils brings socket, selectors and email's charsets
            # (~9 ms at every start of veil), and only a zoned e-mail date needs it.
            from email.utils import parsedate_tz

            parts = parsedate_tz(text[m.start():clock.end()])
        zone = parts[9] if parts else None
        if zone is not None:
            sign, minutes = ("-" if zone < 0 else "+"), abs(zone) // 60
            out["z"] = "UTC" if zone == 0 else f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return out


def when_words(text: str, *, nested: bool = False) -> str | None:
    """"5 November 2023, 14:30" (with "(time zone UTC+1)" when known); None if bogus.

    ``nested`` for words that go inside brackets already: ", time zone UTC+1" instead.
    """
    p = parse_when(text)
    if p is None:
        return None
    out = f"{p['d']} {_MONTHS[int(p['mo']) - 1]} {p['y']}"
    if "h" in p:
        out += f", {int(p['h']):02d}:{int(p['mi']):02d}"
    if "z" in p:
        zone = zone_words(str(p["z"]))
        out += f", time zone {zone}" if nested else f" (time zone {zone})"
    return out


def zone_words(zone: str) -> str:
    """"UTC+01:00" -> "UTC+1", "UTC+05:30" -> "UTC+5:30", "UTC" stays (how people say it)."""
    m = re.fullmatch(r"UTC([+-])(\d\d):(\d\d)", zone)
    if m is None:
        return zone
    return f"UTC{m[1]}{int(m[2])}" + (f":{m[3]}" if m[3] != "00" else "")


def when_iso(text: str) -> str | None:
    """The same value as ISO 8601 ("2023-11-05T14:30:12+01:00") for ``detail``."""
    p = parse_when(text)
    if p is None:
        return None
    out = f"{p['y']:04d}-{int(p['mo']):02d}-{int(p['d']):02d}"
    if "h" in p:
        out += f"T{int(p['h']):02d}:{int(p['mi']):02d}:{int(p.get('s', 0)):02d}"
        z = str(p.get("z", ""))
        out += "Z" if z == "UTC" else z[3:]
    return out


def quote(text: str, limit: int = 60) -> str:
    """A value cut to ``limit`` characters for a summary sentence."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def join_words(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def label(finding: Finding) -> str:
    """A short label for the file list ("Location", "Serial number", "Hidden video")."""
    text = finding.detail.get("label") if finding.detail else None
    if isinstance(text, str) and text:
        return text
    return {
        FindingKind.LOCATION: "Location", FindingKind.TIME: "Date & time",
        FindingKind.DEVICE: "Camera", FindingKind.IDENTITY: "Name",
        FindingKind.SOFTWARE: "Software", FindingKind.THUMBNAIL: "Preview image",
        FindingKind.EMBEDDED_MEDIA: "Hidden content", FindingKind.PROVENANCE: "Content Credentials",
        FindingKind.MAKER_NOTES: "Maker notes", FindingKind.FILENAME: "File name",
        FindingKind.SIDECAR: "Sidecar file", FindingKind.OTHER_METADATA: "Other metadata",
        FindingKind.FACE: "Face", FindingKind.TATTOO: "Mark", FindingKind.SOUND: "Sound",
    }[finding.kind]


def undetected(report: FileReport) -> str | None:
    """What the face and mark checks ran for and did not detect, for "no … detected (it
    can be missed)": "faces or marks" when neither was found, "tattoos or marks" beside a
    face; None when a mark is listed or a needed check did not run. The window's findings
    and ``veil scan``'s text both end with it (issue 13: a mark is a question)."""
    kinds = {f.kind for f in report.findings}
    needed = ("marks",) if FindingKind.FACE in kinds else ("faces", "marks")
    if not report.ok or FindingKind.TATTOO in kinds or any(
            report.checks.get(c) is not CheckStatus.DONE for c in needed):
        return None
    return "tattoos or marks" if FindingKind.FACE in kinds else "faces or marks"


def summary_line(report: FileReport, limit: int = 5) -> str:
    """"Location · Serial number · 2 faces · Hidden video" for the GUI's file list."""
    if not report.ok:
        return report.error or "Could not be read"
    faces = sum(1 for f in report.findings if f.kind is FindingKind.FACE)
    marks = sum(1 for f in report.findings if f.kind is FindingKind.TATTOO)
    labels: list[str] = []
    for f in sorted(report.findings, key=lambda f: -f.severity.rank):
        if f.kind is FindingKind.FACE:
            text = "1 face" if faces == 1 else f"{faces} faces"
        elif f.kind is FindingKind.TATTOO:
            # A question, as everywhere else ("Possible mark 1 — … check this area").
            text = "1 possible mark" if marks == 1 else f"{marks} possible marks"
        else:
            text = label(f)
        if text not in labels:
            labels.append(text)
    if not labels:
        return {Risk.NONE: NONE_FOUND}.get(report.risk, "Not fully checked")
    extra = len(labels) - limit
    shown = " · ".join(labels[:limit])
    return shown + (f" · +{extra} more" if extra > 0 else "")


#: Library and format jargon in notes and errors, and the plain words shown instead.
_JARGON: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE | re.DOTALL), words) for pattern, words in (
        # A picture no decoder reads: what it means first, the decoder's reason after (in
        # the plain words below); its preview's note says so once, not the reason again.
        (r"^pixels not checked: cannot decode the pixels: (its EXIF orientation is "
         r"unreadable.*)$", f"{FILE_DAMAGED_LOOK}; faces and marks were not checked (\\1)"),
        (r"^pixels not checked: cannot decode the pixels: (.+)$",
         f"{COULD_NOT_LOOK}; faces and marks were not checked (\\1)"),
        (r"^the preview's content was not compared with the photo: cannot decode the "
         r"pixels: .*$", "the preview stored in the file was not compared with the picture either"),
        (r"image file is truncated(?: \(\d+ bytes not processed\))?", "the file is cut short"),
        (r"truncated file read", "the file is cut short"),
        (r"broken data stream when reading image file", "the picture data is damaged"),
        (r"cannot identify image file[^;]*", "the picture data is not readable"),
        (r"cannot decode the pixels", "the picture could not be opened"),
        (r"^pixels not checked", "faces and marks not checked"),
        (r"unexpected bytes between JPEG segments", "unexpected bytes inside the file"),
        (r"(?:inside |in )?(?:the )?(?:JPEG )?(?:APP\d+|SOF\d+|DQT|DHT|SOS|COM) segment",
         "inside a metadata block"),
        (r"no end-of-image marker", "its end is missing"),
        (r"a JPEG segment", "a block of the file"),
        # Pillow's refusal to open a decompression bomb ("... could be decompression bomb DOS
        # attack."): the size is what a person needs.
        (r"Image size \((\d+) pixels\) exceeds limit of \d+ pixels, could be decompression "
         r"bomb DOS attack\.?", r"\1 pixels, more than Veil opens"),
        # libheif's and Pillow's own words, seen on the shared corpus
        (r"Invalid input: Unspecified: NAL stream was rejected because a NAL unit size is "
         r"invalid\.?", "the picture's coded data is damaged"),
        (r"Image appears to be a malformed MPO file, it will be interpreted as a base JPEG "
         r"file", "the list of extra pictures inside it is damaged; its main picture was read"),
        (r"Corrupt EXIF data\. Expecting to read \d+ bytes but only got \d+\.?",
         "a metadata block is damaged"),
    )
)


def plain_note(text: str) -> str:
    """A note or error with library jargon ("Truncated File Read", "APP0 segment") in plain
    words; anything not recognised is left as it is."""
    for pattern, words in _JARGON:
        text = pattern.sub(words, text)
    # "The picture data is damaged, so … (the picture's coded data is damaged)": the decoder's
    # reason, once in plain words, only said the first half again.
    return _REPEATED_DAMAGE.sub("", text) if text.startswith(COULD_NOT_LOOK) else text


_REPEATED_DAMAGE = re.compile(r" \(the picture(?:'s coded)? data is damaged\)$")

