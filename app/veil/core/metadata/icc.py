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
from veil.core.frozen import quick_init

HEADER = 128
#: More tags than any real profile has (sRGB has ~17, a printer profile ~40).
MAX_TAGS = 1000
#: Longest text read from one tag: names are short; a 'targ' measurement text is not shown.
MAX_TEXT = 4096
#: Tag types that hold text.
TEXT_TYPES = frozenset({b"desc", b"mluc", b"text"})
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


@quick_init
@dataclass(frozen=True, slots=True)
class TagEntry:
    """One row of the tag table: signature, offset and size of its data element."""

    sig: bytes
    offset: int
    size: int


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


def tag_table(profile: bytes) -> list[TagEntry]:
    """The profile's tag table, every entry checked to lie inside the profile.

    Raises:
        CorruptFile: not an ICC profile, or a table/tag outside the data.
    """
    # The 'acsp' signature is not required here: a profile a CMM would reject may still
    # carry readable names (neutral_icc checks it).
    if len(profile) < HEADER + 4:
        raise CorruptFile("the colour profile is not an ICC profile")
    declared = int.from_bytes(profile[0:4], "big")
    end = min(declared, len(profile)) if declared >= HEADER + 4 else len(profile)
    count = int.from_bytes(profile[HEADER : HEADER + 4], "big")
    if count > MAX_TAGS or HEADER + 4 + 12 * count > end:
        raise CorruptFile(f"the colour profile's tag table is damaged ({count} tags)")
    out: list[TagEntry] = []
    for i in range(count):
        at = HEADER + 4 + 12 * i
        sig, offset, size = struct.unpack_from(">4sII", profile, at)
        if offset < HEADER + 4 or size < 8 or offset + size > end:
            raise CorruptFile(f"the colour profile's tag {_sig_text(sig)} lies outside it")
        out.append(TagEntry(sig, offset, size))
    return out


def _sig_text(sig: bytes) -> str:
    return sig.decode("latin-1").strip() if sig.isascii() else sig.hex()


def decode_text(data: bytes) -> str | None:
    """The text of one tag data element (desc, mluc or text type), or None for other types.

    Raises:
        CorruptFile: a text element whose lengths point outside it.
    """
    kind = data[:4]
    if kind == b"text":
        return _ascii(data[8 : 8 + MAX_TEXT])
    if kind == b"desc":
        if len(data) < 12:
            raise CorruptFile("a colour profile text is cut short")
        n = int.from_bytes(data[8:12], "big")
        if 12 + n > len(data):
            raise CorruptFile("a colour profile text is longer than its tag")
        ascii_text = _ascii(data[12 : 12 + min(n, MAX_TEXT)])
        # The optional Unicode copy: some writers put the real name only there.
        at = 12 + n
        if ascii_text or at + 8 > len(data):
            return ascii_text
        chars = int.from_bytes(data[at + 4 : at + 8], "big")
        raw = data[at + 8 : at + 8 + min(2 * chars, 2 * MAX_TEXT)]
        return _utf16(raw)
    if kind == b"mluc":
        if len(data) < 16:
            raise CorruptFile("a colour profile text is cut short")
        records, rec_size = struct.unpack_from(">II", data, 8)
        if rec_size < 12 or 16 + records * rec_size > len(data):
            raise CorruptFile("a colour profile's translations point outside it")
        texts: list[str] = []
        for i in range(min(records, 64)):
            at = 16 + i * rec_size
            lang, length, offset = struct.unpack_from(">2s2xII", data, at)
            if offset + length > len(data):
                raise CorruptFile("a colour profile's translation lies outside it")
            text = _utf16(data[offset : offset + min(length, 2 * MAX_TEXT)])
            if text and text not in texts:
                # English first: it is what the judgement below reads (see judge_text).
                if lang == b"en":
                    texts.insert(0, text)
                else:
                    texts.append(text)
        return " / ".join(texts)
    return None


def _ascii(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("latin-1").strip()


def _utf16(raw: bytes) -> str:
    return raw[: len(raw) // 2 * 2].decode("utf-16-be", "replace").split("\0", 1)[0].strip()


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
            seen.append((_sig_text(entry.sig), text))
    return IccTexts(tuple(seen))


def _text_element(kind: bytes, text: str) -> bytes:
    """A tag data element of ``kind`` (desc/mluc/text) holding the ASCII ``text``."""
    raw = text.encode("ascii")
    if kind == b"text":
        return b"text\0\0\0\0" + raw + b"\0"
    if kind == b"mluc":
        body = text.encode("utf-16-be")
        return b"mluc\0\0\0\0" + struct.pack(">II2s2sII", 1, 12, b"en", b"US", len(body), 28) + body
    # v2 textDescriptionType: ASCII (with its NUL), empty Unicode and ScriptCode parts.
    return b"desc\0\0\0\0" + struct.pack(">I", len(raw) + 1) + raw + b"\0" + bytes(8 + 3 + 67)


def _pad4(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def profile_id(profile: bytes) -> bytes:
    """The MD5 profile ID the ICC spec defines: over the whole profile with the flags
    (bytes 44-47), rendering intent (64-67) and the ID itself (84-99) set to zero."""
    import hashlib  # only a cleaned copy needs it: a scan never imports it (OpenSSL init)

    buf = bytearray(profile)
    buf[44:48] = bytes(4)
    buf[64:68] = bytes(4)
    buf[84:100] = bytes(16)
    return hashlib.md5(bytes(buf), usedforsecurity=False).digest()


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
            kept.append((e.sig, _text_element(kind, text), None))
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
