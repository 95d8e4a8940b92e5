"""What a photo's file name gives away: capture date/time and the device or app that made it.

Names that contain a person's name can't be told apart from any other words, so we don't try.
A camera's dated name is found also after words someone put in front of it
("Anna_Schmidt_birthday_IMG_20240714_184210.jpg"): renaming a photo that way keeps its date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NameHint:
    """What the name reveals: ``when`` as "YYYY-MM-DD[ HH:MM[:SS]]", ``origin`` in words."""

    pattern: str
    when: str | None = None
    origin: str | None = None


_D = r"(?P<y>(?:19|20)\d\d)[-_.]?(?P<mo>[01]\d)[-_.]?(?P<d>[0-3]\d)"
_T = r"(?P<h>[0-2]\d)[-_.: ]?(?P<mi>[0-5]\d)(?:[-_.: ]?(?P<s>[0-5]\d))?"
#: A clock as people write it ("2.30.12 PM", "14.30.12"): macOS screenshots in 12-hour
#: locales, Dropbox camera uploads.
_CLOCK = r"(?P<h>[0-2]?\d)[.:](?P<mi>[0-5]\d)(?:[.:](?P<s>[0-5]\d))?(?:\s?(?P<ampm>[AP]M)\b)?"
#: (regex, pattern name, origin). First match wins; order from most to least specific.
_PATTERNS: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(rx, re.IGNORECASE), name, origin)
    for rx, name, origin in (
        (rf"^PXL_{_D}_{_T}", "PXL_date_time", "a Google Pixel phone"),
        (rf"^MVIMG_{_D}_{_T}", "MVIMG_date_time", "an Android phone (motion photo)"),
        (rf"^(?:IMG|VID)_{_D}_{_T}", "IMG_date_time", "an Android phone camera"),
        (rf"^IMG-{_D}-WA\d+", "IMG-date-WA", "WhatsApp"),
        (rf"^WhatsApp (?:Image|Video) {_D} at {_T}", "WhatsApp Image", "WhatsApp"),
        (rf"^signal-{_D}-{_T}", "signal-date-time", "Signal"),
        (rf"^photo_{_D}_{_T}", "photo_date_time", "Telegram"),
        (rf"^Screen ?Shot {_D} at {_CLOCK}", "Screen Shot date", "a Mac's screenshot tool"),
        (rf"^Screenshot[ _-]{_D}[ _-](?:at )?{_T}", "Screenshot_date_time", "a screenshot tool"),
        (rf"^{_D}_{_T}", "date_time", "a phone camera (Samsung style)"),
        (rf"^{_D} {_CLOCK}(?:[-_ ]\d+)?\.", "date time", "Dropbox's camera upload"),
        (r"^FB_IMG_\d{10,13}", "FB_IMG", "Facebook"),
        (r"^DJI_\d{3,}", "DJI_", "a DJI drone"),
        (r"^(?:GOPR|GP\d\d|GX\d\d|GH\d\d)\d{4}", "GOPR", "a GoPro camera"),
        (r"^DSCN\d{4}", "DSCN", "a Nikon Coolpix camera"),
        (r"^DSCF\d{4}", "DSCF", "a Fujifilm camera"),
        (r"^_?DSC[_0-9]\d{3}", "DSC_", "a Nikon or Sony camera"),
        (r"^P\d{7}", "P1000123", "a Panasonic camera"),
        (r"^_MG_\d{4}", "_MG_", "a Canon camera"),
        (r"^IMG_E\d{4}", "IMG_E", "an iPhone, when a photo is edited"),
        (r"^PANO_{_D}".replace("{_D}", _D), "PANO_date", "a phone's panorama mode"),
    )
)


def _valid(g: dict[str, str | None]) -> str | None:
    """The date/time as "YYYY-MM-DD HH:MM:SS" when its parts are plausible, else None."""
    y, mo, d = g.get("y"), g.get("mo"), g.get("d")
    if not (y and mo and d) or not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    out = f"{y}-{mo}-{d}"
    h, mi, s = g.get("h"), g.get("mi"), g.get("s")
    if h and mi and int(h) < 24:
        hour = int(h)
        ampm = g.get("ampm")
        if ampm:  # 12-hour clock: "2.30.12 PM" is 14:30, "12.05 AM" is 00:05
            if hour > 12:
                return out
            hour = hour % 12 + (12 if ampm.upper() == "PM" else 0)
        out += f" {hour:02d}:{mi}" + (f":{s}" if s else "")
    return out


#: The dated patterns again, unanchored: after words and a separator ("trip_", "Anna - ").
#: Only those with a date: an origin-only name ("P1000123", "DSC_0001") inside other words
#: is too easily a coincidence, and says little.
_INSIDE: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(r"(?<=[ _\-.(])" + rx.pattern.removeprefix("^"), re.IGNORECASE), name, origin)
    for rx, name, origin in _PATTERNS
    if "(?P<y>" in rx.pattern
)


def read_name(name: str) -> NameHint | None:
    """What the file ``name`` (without folder) reveals, or None for a neutral name."""
    for patterns, find in ((_PATTERNS, re.Pattern.match), (_INSIDE, re.Pattern.search)):
        for rx, pattern, origin in patterns:
            m = find(rx, name)
            if m:
                groups = m.groupdict()
                when = _valid(groups) if "y" in groups else None
                if "y" in groups and when is None:
                    continue  # digits that only look like a date (e.g. 20231399)
                return NameHint(pattern, when, origin)
    return None
