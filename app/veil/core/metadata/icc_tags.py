"""The ICC profile's binary layout: its tag table and its text elements, read and written.

What Veil does with them (which tags are colour, what a neutral copy is) is in
:mod:`veil.core.metadata.icc`; this module only knows the spec. Every read is bounded and
checked: a profile is hostile input.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from veil.core.errors import CorruptFile
from veil.core.frozen import quick_init

HEADER = 128
#: More tags than any real profile has (sRGB has ~17, a printer profile ~40).
MAX_TAGS = 1000
#: Longest text read from one tag: names are short; a 'targ' measurement text is not shown.
MAX_TEXT = 4096
#: Tag types that hold text.
TEXT_TYPES = frozenset({b"desc", b"mluc", b"text"})


@quick_init
@dataclass(frozen=True, slots=True)
class TagEntry:
    """One row of the tag table: signature, offset and size of its data element."""

    sig: bytes
    offset: int
    size: int


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
            raise CorruptFile(f"the colour profile's tag {sig_text(sig)} lies outside it")
        out.append(TagEntry(sig, offset, size))
    return out


def sig_text(sig: bytes) -> str:
    """A tag signature as text for messages and keys ("desc"), or its hex if not ASCII."""
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
                # English first: it is what the judgement reads (see icc_judge.judge_text).
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


def text_element(kind: bytes, text: str) -> bytes:
    """A tag data element of ``kind`` (desc/mluc/text) holding the ASCII ``text``."""
    raw = text.encode("ascii")
    if kind == b"text":
        return b"text\0\0\0\0" + raw + b"\0"
    if kind == b"mluc":
        body = text.encode("utf-16-be")
        return b"mluc\0\0\0\0" + struct.pack(">II2s2sII", 1, 12, b"en", b"US", len(body), 28) + body
    # v2 textDescriptionType: ASCII (with its NUL), empty Unicode and ScriptCode parts.
    return b"desc\0\0\0\0" + struct.pack(">I", len(raw) + 1) + raw + b"\0" + bytes(8 + 3 + 67)


def profile_id(profile: bytes) -> bytes:
    """The MD5 profile ID the ICC spec defines: over the whole profile with the flags
    (bytes 44-47), rendering intent (64-67) and the ID itself (84-99) set to zero."""
    import hashlib  # only a cleaned copy needs it: a scan never imports it (OpenSSL init)

    buf = bytearray(profile)
    buf[44:48] = bytes(4)
    buf[64:68] = bytes(4)
    buf[84:100] = bytes(16)
    return hashlib.md5(bytes(buf), usedforsecurity=False).digest()
