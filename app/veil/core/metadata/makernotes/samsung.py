"""Samsung "Type2" MakerNotes: body and lens serials, and the name the owner gave a face the
camera recognises (FaceName 0x0123, ExifTool's Samsung Type2 table)."""

from __future__ import annotations

from veil.core.metadata.ifd import fixed_base, guess_order, read_ifd, text
from veil.core.metadata.makernotes.common import Found


def read(buf: bytes, note: int, bo: str, found: Found) -> None:
    """Samsung "Type2" notes: a bare IFD whose offsets are absolute on some models and
    relative to the note on others, so try both (ExifTool processes them as Unknown)."""
    bo = guess_order(buf, note, bo)
    for base in (0, note, fixed_base(buf, note, 0, bo)):
        tags = read_ifd(buf, note, base, bo)
        got = [(name, text(buf, tags[tag])) for tag, name in
               ((0xA002, "SerialNumber"), (0xA005, "InternalLensSerialNumber")) if tag in tags]
        good = [(n, v) for n, v in got if len(v) >= 5 and v.replace("-", "").isalnum()]
        if good:
            found.extend(good)
            break
    else:
        tags = read_ifd(buf, note, 0, bo)
    face = text(buf, tags[0x0123]) if 0x0123 in tags and tags[0x0123].type == 2 else ""
    if face and face.isprintable():
        found.append(("FaceName", face))
