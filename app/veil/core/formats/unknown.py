"""Why a file no handler accepts can't be checked, in words its owner recognises.

"Unrecognised content" leaves a person guessing whether Veil failed or the file is odd. A
WebM clip from a messenger, a PDF, a renamed text file: each is named, and the sentence says
that nothing in it was checked (the scan reports the file as unknown, never as clean).
"""

from __future__ import annotations

#: First bytes -> what the file is. Checked in order, against the first 64 bytes.
_KINDS: tuple[tuple[bytes, int, str], ...] = (
    (b"\x1aE\xdf\xa3", 0, "a WebM or MKV video, which Veil can't read yet"),
    (b"AVI ", 8, "an AVI video, which Veil can't read yet"),
    (b"WAVE", 8, "a sound file (WAV), not a picture"),
    (b"ID3", 0, "a sound file (MP3), not a picture"),
    (b"%PDF", 0, "a PDF document, not a picture"),
    (b"PK\x03\x04", 0, "a ZIP archive or an office document, not a picture"),
    (b"8BPS", 0, "a Photoshop document (PSD), which Veil can't read yet"),
    (b"\xff\x0a", 0, "a JPEG XL picture, which Veil can't read yet"),
    (b"\x00\x00\x00\x0cJXL ", 0, "a JPEG XL picture, which Veil can't read yet"),
)

#: The sizes a BMP's info header has (BITMAPCOREHEADER ... BITMAPV5HEADER).
_BMP_HEADERS = frozenset({12, 40, 52, 56, 64, 108, 124})


def why_unsupported(head: bytes) -> str:
    """The one-line reason for a file whose first bytes ``head`` no handler accepts."""
    for magic, at, words in _KINDS:
        if head[at:at + len(magic)] == magic and (at == 0 or head[:4] == b"RIFF"):
            return f"not a supported image: this is {words}; nothing in it was checked"
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADERS:
        return "not a supported image: this is a BMP picture, which Veil can't read yet; " \
            "nothing in it was checked"
    if head and _is_text(head):
        kind = "a web page" if b"<html" in head.lower() or b"<!doctype" in head.lower() \
            else "text"
        return f"not a supported image: this file holds {kind}, not a picture"
    return "not a supported image (unrecognised content)"


def _is_text(head: bytes) -> bool:
    """Printable UTF-8 (tabs and line breaks allowed): a text file, whatever its name."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:  # the 64 bytes may end inside a character
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return bool(text) and all(c.isprintable() or c in "\t\r\n" for c in text)
