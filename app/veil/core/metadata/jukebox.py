"""JRiver Media Center's "Media Jukebox" block (JPEG APP9): the tags its library wrote into
the photo, as XML after the signature: "Media Jukebox\\0", two bytes, then
``<MJMD><People>...</People><Places>...</Places>...</MJMD>`` (ExifTool's JPEG MediaJukebox
table: Album, Caption, Keywords, Name, People, Places, Tool_Name, Tool_Version, Date).

People and places are lists separated by ";" as Media Center writes them; Date counts days
(with a fraction) from 30 December 1899, as ExifTool converts it. Any other element is kept
as text, so the whole block is read.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

from veil.core.metadata.model import Collector, Person

#: The note :mod:`veil.core.formats.jpeg_app` gives these blocks.
NOTE = "Media Jukebox data"
SIGNATURE = b"Media Jukebox\0"
#: Elements read at most (a real block holds ~8).
MAX_ELEMENTS = 200
_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]{0,40})>([^<]{0,4000})</\1>")
_GROUP = "MediaJukebox"
_EPOCH = datetime(1899, 12, 30)


def decode_jukebox(p: bytes, col: Collector) -> None:
    """Lift the people, places, date, tool and texts of one APP9 payload ``p`` into ``col``."""
    tool: dict[str, str] = {}
    for n, match in enumerate(_ELEMENT.finditer(p)):
        if n >= MAX_ELEMENTS:
            col.warnings.append("the Media Jukebox block holds too many tags; the rest was "
                                "not read")
            col.incomplete = True
            return
        name = match.group(1).decode("ascii")
        value = unescape(match.group(2).decode("utf-8", "replace")).strip()
        if not value:
            continue
        text = col.tag(_GROUP, name, value)
        if name == "People":
            for person in filter(None, (v.strip() for v in text.split(";"))):
                col.people.append(Person(person, "Media Jukebox"))
        elif name == "Places":
            for place in filter(None, (v.strip() for v in text.split(";"))):
                col.place("Media Jukebox Places", place)
        elif name == "Date":
            _date(text, col)
        elif name in ("Tool_Name", "Tool_Version"):
            tool[name] = text
        else:
            col.text(f"Media Jukebox {name}", text)
    if tool:
        col.soft("Media Jukebox Tool", " ".join(tool[k] for k in ("Tool_Name", "Tool_Version")
                                                if k in tool))


def _date(text: str, col: Collector) -> None:
    try:
        days = float(text)
    except ValueError:
        col.text("Media Jukebox Date", text)
        return
    if not 1.0 <= days <= 110_000.0:  # 1899 to 2200: anything else is not a date
        return
    when = _EPOCH + timedelta(days=days)
    col.when("Media Jukebox Date", when.strftime("%Y:%m:%d %H:%M:%S"))
