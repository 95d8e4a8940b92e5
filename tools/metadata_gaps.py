"""Identifying metadata exiftool reads that ``veil scan`` reports nowhere.

Runs ``exiftool -j -G1 -a -u -n -r`` and ``veil scan --json --metadata-only -r`` on the same
folder (default ../shared/corpus), picks exiftool's identifying items (serial numbers and
unique ids, people's names and copyright, GPS wherever it is stored, capture dates, camera
and lens names, software naming a person's computer) and looks each value up in Veil's
JSON for that file (findings' summaries and details). Prints "found N of M" and every
missed item, one per line, so a gap can be named and closed. A development tool: it is not
shipped and asserts nothing.

    python tools/metadata_gaps.py [folder] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: exiftool groups that describe the file system, exiftool itself or values it computed.
_SKIP_GROUPS = ("File", "System", "ExifTool", "Composite", "SourceFile")
#: (category, tag-name pattern) in order: the first that matches a tag name decides.
CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("serial", re.compile(r"Serial(Number)?$|SerialNo$|UniqueID$|^ImageUniqueID$|"
                          r"^(Camera|Device|Body|Owner|Unit)ID$|^InternalSerial", re.I)),
    ("unique id", re.compile(r"^(DocumentID|InstanceID|OriginalDocumentID|DerivedFrom"
                             r"(DocumentID|InstanceID|OriginalDocumentID)|HistoryInstanceID|"
                             r"ImageUID|ContentIdentifier|MediaGroupUUID|BurstUUID|ImageID|"
                             r"ImageCaptureReqestID)$")),
    ("person", re.compile(r"^(Artist|Author|AuthorName|Creator|By-line|OwnerName|"
                          r"CameraOwnerName|Copyright|CopyrightNotice|Rights|Credit|"
                          r"Writer-Editor|CaptionWriter|PersonInImage|PersonInImageName|"
                          r"RegionName|RegionPersonDisplayName|XPAuthor|Photographer|"
                          r"CopyrightOwnerName|ImageCreatorName|CreatorWorkEmail|"
                          r"CreatorWorkURL|Owner|UserName|AuthorsPosition|By-lineTitle|Contact)$")),
    ("gps", re.compile(r"^GPS(Latitude|Longitude|Position)$")),
    ("place", re.compile(r"^(City|Country|Country-PrimaryLocationName|Province-State|State|"
                         r"Sub-location|Location|LocationName|HometownCity|DestinationCity)$")),
    ("date", re.compile(r"^(DateTimeOriginal|CreateDate|DateCreated|DigitalCreationDate|"
                        r"SubSecDateTimeOriginal|GPSDateStamp|DateTimeCreated|ModifyDate|"
                        r"DateTimeDigitized|DateTime)$")),
    ("device", re.compile(r"^(Model|CameraModel|CameraModelName|KodakModel|DeviceName|"
                          r"LensModel|LensID|Lens|UniqueCameraModel|LocalizedCameraModel|"
                          r"HostComputer)$")),
    ("file name", re.compile(r"^(OriginalFileName|OriginalRawFileName|RawFileName)$")),
    ("text", re.compile(r"^(UserComment|ImageDescription|Caption-Abstract|Description|Title|"
                        r"Headline|ObjectName|XPComment|XPTitle|XPSubject|XPKeywords|"
                        r"Keywords|Comment)$")),
)
#: Values that name no one and nothing: camera defaults and empty placeholders (lower case).
PLACEHOLDERS = frozenset({"unknown", "copyright", "copyright, 2005", "olympus digital camera",
                          "none", "n/a", "default", "ascii", "unicode", "undefined", "dcf 1.0"})


#: Tags a name pattern catches that hold no place or person: Ricoh's road-sign survey form
#: (RMETA) answers "Location" from a list (Roundabout, Intersection...) about the sign.
NOT_IDENTIFYING = frozenset({"RMETA:Location"})


def identifying(entry: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(category, "Group:Tag", value) of each identifying item of one exiftool entry."""
    for key, value in entry.items():
        group, _, name = key.rpartition(":")
        if not group or group.startswith(_SKIP_GROUPS) or group.startswith("ICC") \
                or key in NOT_IDENTIFYING:
            continue
        for category, pattern in CATEGORIES:
            if pattern.search(name):
                # A list (keywords, an edit history's ids) is one item per element, a GPS
                # pair or a lens range is one item.
                whole = category in ("gps", "device") or not isinstance(value, list)
                if name == "HistoryInstanceID" and isinstance(value, list):
                    value = value[:1]  # a history's IDs: one item, said once for them all
                for item in [value] if whole else value:
                    text = (" ".join(map(str, item)) if isinstance(item, list) else str(item))
                    if _meaningful(category, text.strip()):
                        yield category, key, text.strip()
                break


def _meaningful(category: str, text: str) -> bool:
    """False for empty values, placeholders, binary stubs, lens/model codes (numbers only:
    exiftool's -n prints a table index, not a name) and impossible coordinates."""
    if not text.strip("0 -:.") or text.startswith("(Binary") or text.lower() in PLACEHOLDERS:
        return False
    if category == "device" and not re.search(r"[A-Za-z]", text):
        return False
    if category == "gps":
        try:
            return abs(float(text.split()[0])) <= 180
        except ValueError:
            return True
    return True


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def found(category: str, value: str, ours: dict[str, Any]) -> bool:
    """Whether Veil's report of the file (``ours``) carries this item."""
    blob = _norm(json.dumps(ours["findings"], ensure_ascii=False))
    if category == "gps":
        points = [f["detail"] for f in ours["findings"] if f["kind"] == "location"]
        try:
            number = float(value.split()[0])
        except ValueError:
            return bool(points)
        return any(abs(abs(p.get(k) or 0) - abs(number)) < 0.01
                   for p in points for k in ("lat", "lon"))
    if category == "date":
        digits = re.sub(r"\D", "", value)[:12]  # to the minute: formats differ after that
        return bool(digits) and digits in re.sub(r"\D", "", json.dumps(ours["findings"]))
    if category == "person" and not value.startswith("("):
        value = re.sub(r"\s*\(.*", "", value)  # "Name (Photographer)": the name is enough
    if category == "text":
        value = value[:60]  # long texts are shown cut short
    return bool(_norm(value)) and _norm(value) in blob


def _print_coded_places(exiftool: str, entries: list[dict[str, Any]]) -> None:
    """Replace place codes (-n gives a Pentax home city as its index, 11) by the names
    exiftool prints (Toronto), in place: a code would match any digits in Veil's report."""
    coded = {e["SourceFile"]: e for e in entries
             if any(cat == "place" and text.isdigit() for cat, _k, text in identifying(e))}
    if not coded:
        return
    printed = json.loads(subprocess.run([exiftool, "-j", "-G1", "-a", "-u", *coded],
                                        capture_output=True, check=False).stdout or b"[]")
    for entry in printed:
        mine = coded.get(entry["SourceFile"], {})
        for cat, key, text in list(identifying(mine)):
            if cat == "place" and text.isdigit() and key in entry:
                mine[key] = entry[key]


def compare(folder: Path) -> tuple[list[tuple[str, str, str, str]], int]:
    """(missed items as (file, category, tag, value), how many items exiftool had)."""
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        sys.exit("exiftool is not installed")
    theirs = json.loads(subprocess.run(
        [exiftool, "-j", "-G1", "-a", "-u", "-n", "-r", str(folder)],
        capture_output=True, check=False).stdout or b"[]")
    _print_coded_places(exiftool, theirs)
    veil = subprocess.run([sys.executable, "-m", "veil", "scan", "--json", "--metadata-only",
                           "-r", "-j", "1", str(folder)], capture_output=True, check=False)
    ours = {str(Path(f["path"]).resolve()): f for f in json.loads(veil.stdout)["files"]}
    missed, total = [], 0
    for entry in theirs:
        path = str(Path(entry["SourceFile"]).resolve())
        report = ours.get(path, {"findings": []})
        seen: set[tuple[str, str]] = set()
        for category, key, value in identifying(entry):
            if (category, _norm(value)) in seen:  # the same value in two places: one item
                continue
            seen.add((category, _norm(value)))
            total += 1
            if not found(category, value, report):
                missed.append((path, category, key, value))
    return missed, total


def main(argv: list[str] | None = None) -> int:
    """Print the comparison; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    parser.add_argument("--json", action="store_true", help="the missed items as JSON")
    args = parser.parse_args(argv)
    missed, total = compare(args.folder)
    if args.json:
        print(json.dumps([dict(zip(("file", "category", "tag", "value"), m, strict=True))
                          for m in missed], indent=1))
        return 0
    root = str(args.folder.resolve())
    for path, category, key, value in missed:
        print(f"{category:9} {path.removeprefix(root)[:60]:60} {key} = {value[:60]!r}")
    print(f"found {total - len(missed)} of {total} identifying items; missed by category:",
          dict(Counter(m[1] for m in missed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
