"""JPEG marker bytes: which code the picture, and their names in words."""

from __future__ import annotations

__all__ = ["CODING_MARKERS", "EOI", "SOF_MARKERS", "SOI", "SOS", "STANDALONE", "marker_name",
           "plain_name"]

SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}
#: Segments that code the picture: SOFn, DHT, DAC, SOS, DQT, DNL, DRI, DHP, EXP.
CODING_MARKERS = frozenset({0xC4, 0xCC, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF}) | SOF_MARKERS
SOS, EOI, SOI = 0xDA, 0xD9, 0xD8
_NAMES = {0xC4: "DHT", 0xCC: "DAC", 0xD8: "SOI", 0xD9: "EOI", 0xDA: "SOS", 0xDB: "DQT",
          0xDC: "DNL", 0xDD: "DRI", 0xDE: "DHP", 0xDF: "EXP", 0xFE: "COM"}


def plain_name(marker: int) -> str:
    """What a marker's segment is, in words a user reads ("a comment", "a metadata block")."""
    if marker == 0xFE:
        return "a comment"
    if 0xE0 <= marker <= 0xEF:
        return "a metadata block"
    if marker in SOF_MARKERS:
        return "the picture's size header"
    if marker == SOS:
        return "the start of the picture data"
    if marker in CODING_MARKERS:
        return "the picture's coding tables"
    return "an unknown block"


def marker_name(marker: int) -> str:
    """Human name of a JPEG marker byte."""
    if marker == 0:
        return "scan"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    if marker in SOF_MARKERS:
        return f"SOF{marker - 0xC0}"
    if 0xD0 <= marker <= 0xD7:
        return f"RST{marker - 0xD0}"
    return _NAMES.get(marker, f"0x{marker:02X}")
