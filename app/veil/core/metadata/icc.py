"""ICC colour profiles: read their text, and write a copy whose text names nobody.

A profile's description, copyright and device texts are free text: a display profile made
on someone's computer is often called "JohnS iMac 27" and a hand-made one carries
"(c) John Secretname 2024". :func:`icc_texts` reads every text-typed tag (bounded: the
profile is hostile input), and :func:`neutral_icc` returns a copy in which those texts are
neutral while every colour-relevant tag (curves, matrices, LUTs, white point, chad...) is
kept byte for byte, so colours stay exactly the same.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from veil.core.by_content import by_content
from veil.core.errors import CorruptFile
from veil.core.metadata.icc_tags import (
    HEADER,
    MAX_TEXT,
    TEXT_TYPES,
    decode_text,
    profile_id,
    sig_text,
    tag_table,
    text_element,
)

#: Tags dropped from a neutral copy: they describe the device or its maker in structures
#: (a dictionary, Apple's make-and-model with the display's serial, profile sequences with
#: nested device descriptions) and no colour transform reads them.
DROPPED_TAGS = frozenset({b"meta", b"mmod", b"pseq", b"psid"})
DROPPED_TYPES = frozenset({b"dict", b"mmod", b"pseq", b"psid"})
#: Tag types kept byte for byte in a neutral copy: numbers a colour transform (or a display
#: calibration loader: vcgt) reads. Any other type (a private tag, 'data' that may be ASCII,
#: named colours, colorant names, dates, a type Veil does not know) can hold any text, so the
#: scan reads its printable runs and the neutral copy drops it.
COLOUR_TYPES = frozenset({b"curv", b"para", b"XYZ ", b"sf32", b"mft1", b"mft2", b"mAB ",
                          b"mBA ", b"chrm", b"clro", b"meas", b"view", b"sig ", b"mpet",
                          b"cicp", b"vcgt", b"uf32", b"ui16", b"ui32", b"ui64", b"ui08",
                          b"ndin"})  # ndin: Apple's native display data, numbers and curves
#: What a neutral copy's description says; every other text tag becomes empty.
NEUTRAL_DESCRIPTION = "Colour profile"
#: Plain names of the text tags shown to people.
TEXT_TAG_NAMES = {
    b"desc": "description",
    b"cprt": "copyright",
    b"dmnd": "device maker",
    b"dmdd": "device model",
    b"vued": "viewing conditions",
    b"scrd": "screening",
    b"targ": "measurement target",
    b"dscm": "localised description",
}


@dataclass(frozen=True, slots=True)
class IccTexts:
    """The texts of a profile, by tag signature (decoded, stripped), in table order."""

    texts: tuple[tuple[str, str], ...]  # (tag signature as text, its text)

    def get(self, sig: str) -> str | None:
        """The text of tag ``sig`` ("desc", "cprt"...), or None."""
        for key, text in self.texts:
            if key == sig:
                return text
        return None


@by_content()  # a camera's profile is the same in every photo (and in every copy)
def icc_texts(profile: bytes) -> IccTexts:
    """Every text-typed tag of ``profile`` (desc, cprt, dmnd, dmdd and any other).

    Raises:
        CorruptFile: the profile or one of its text tags is damaged.
    """
    seen: list[tuple[str, str]] = []
    for entry in tag_table(profile):
        data = profile[entry.offset : entry.offset + entry.size]
        if data[:4] in COLOUR_TYPES:
            continue
        text = decode_text(data) if data[:4] in TEXT_TYPES else _printable(data[8:])
        if text:
            seen.append((sig_text(entry.sig), text))
    return IccTexts(tuple(seen))


def _pad4(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


@by_content()
def neutral_icc(profile: bytes) -> bytes:
    """A copy of ``profile`` whose texts name nobody, colours byte-for-byte the same.

    The description becomes "Colour profile"; the copyright, device maker/model and every
    other text-typed tag become empty (each in its own tag type, so v2 readers and v4
    readers both accept it); dictionary/make-and-model/profile-sequence tags are dropped.
    All other tags keep their exact bytes (tags sharing one data element still share it).
    The header's device maker/model and creator codes are blanked. The tag table, offsets,
    4-byte alignment and the header's size are rebuilt; the
    header's profile ID is recomputed when the original had one and stays zero otherwise.

    Raises:
        CorruptFile: ``profile`` is not a readable ICC profile (the caller must then drop
            it rather than keep it unchecked).
    """
    if profile[36:40] != b"acsp":
        raise CorruptFile("the colour profile is not an ICC profile")
    entries = tag_table(profile)
    kept: list[tuple[bytes, bytes, tuple[int, int] | None]] = []  # sig, data, shared key
    for e in entries:
        data = profile[e.offset : e.offset + e.size]
        kind = data[:4]
        if e.sig in DROPPED_TAGS or kind in DROPPED_TYPES:
            continue
        if kind not in TEXT_TYPES and kind not in COLOUR_TYPES:
            continue  # may hold anything (see COLOUR_TYPES); no colour transform reads it
        if kind in TEXT_TYPES:
            decode_text(data)  # a damaged text must not be waved through as "neutralised"
            text = NEUTRAL_DESCRIPTION if e.sig == b"desc" else ""
            kept.append((e.sig, text_element(kind, text), None))
        else:
            kept.append((e.sig, data, (e.offset, e.size)))
    table_end = HEADER + 4 + 12 * len(kept)
    body = bytearray()
    placed: dict[tuple[int, int], int] = {}
    rows: list[bytes] = []
    # Shared data elements first, in their original order, so a re-read looks familiar.
    for sig, data, key in kept:
        if key is not None and key in placed:
            offset = placed[key]
        else:
            offset = table_end + len(body)
            body += _pad4(data)
            if key is not None:
                placed[key] = offset
        rows.append(struct.pack(">4sII", sig, offset, len(data)))
    header = bytearray(profile[:HEADER])
    # Device manufacturer/model (48-55) and profile creator (80-83) are 4-letter codes such as
    # "APPL"/"iMac": they name the machine the profile was made on. 0 means "not given".
    header[48:56] = bytes(8)
    header[80:84] = bytes(4)
    out = header + struct.pack(">I", len(kept)) + b"".join(rows) + body
    out[0:4] = struct.pack(">I", len(out))
    had_id = any(profile[84:100])
    out[84:100] = bytes(16)
    if had_id:
        out[84:100] = profile_id(bytes(out))
    return bytes(out)


_ASCII_RUN = re.compile(rb"[\x20-\x7e]{5,}")
_UTF16_RUN = re.compile(rb"(?:\x00[\x20-\x7e]){5,}")


def loose_texts(blob: bytes, limit: int = 64) -> list[str]:
    """The texts of a profile too damaged to parse (its tag table is broken): every text
    element found by its type marker ("desc", "mluc", "text" followed by four zero bytes),
    so the names it holds can still be judged. A blob with no such element gives its
    printable runs (ASCII or UTF-16BE, 5+ characters) instead."""
    out: list[str] = []
    window = blob[: 1 << 20]
    for marker in (b"desc\0\0\0\0", b"mluc\0\0\0\0", b"text\0\0\0\0"):
        at = window.find(marker)
        while at >= 0 and len(out) < limit:
            try:
                text = decode_text(window[at : at + 64 * 1024])
            except (CorruptFile, struct.error):
                text = None
            if text and text not in out:
                out.append(text)
            at = window.find(marker, at + 4)
    if out:
        return out
    for rx, enc in ((_ASCII_RUN, "ascii"), (_UTF16_RUN, "utf-16-be")):
        for m in rx.finditer(window):
            text = m.group().decode(enc).strip()
            if text and text not in out:
                out.append(text)
            if len(out) >= limit:
                return out
    return out


def _printable(data: bytes) -> str:
    """The printable runs (ASCII or UTF-16BE, 5+ characters) of a tag of unknown type."""
    window = data[:MAX_TEXT]
    runs = [m.group().decode("ascii") for m in _ASCII_RUN.finditer(window)]
    runs += [m.group().decode("utf-16-be") for m in _UTF16_RUN.finditer(window)]
    # Binary numbers read as ASCII give runs like "Q%R3S=TEU": keep only text-like runs.
    return " ".join(r.strip() for r in runs if _WORDY.fullmatch(r.strip()))


_WORDY = re.compile(r"(?=(?:.*[A-Za-z]){3})[A-Za-z0-9 .,'@()&/_:+#-]{5,}")


def safe_icc(profile: bytes | None) -> bytes | None:
    """The profile a cleaned copy may carry: :func:`neutral_icc` of ``profile``, or None
    (drop it) when there is none or it is too damaged to neutralise. The one call a format
    cleaner makes before writing a kept profile.
    """
    if not profile:
        return None
    try:
        return neutral_icc(profile)
    except CorruptFile:
        return None


def is_neutral(profile: bytes) -> bool:
    """True when every text of ``profile`` is what :func:`neutral_icc` writes (or empty)."""
    try:
        texts = icc_texts(profile).texts
    except CorruptFile:
        return False
    return all(text in ("", NEUTRAL_DESCRIPTION) for _, text in texts)
