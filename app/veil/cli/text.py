"""Safe terminal text and JSON for the CLI: file names and metadata are hostile input.

Text output: every control, format (bidi, zero-width), line/paragraph-separator and
undecodable character is shown as a visible escape (``\\n``, ``\\t``, ``\\u202e``, ``\\xff``),
so a name can neither colour the terminal, reorder the line, nor forge a second line.

JSON output: file names on Linux are bytes. Python reads an undecodable byte as a lone
surrogate ``U+DC80..U+DCFF`` (PEP 383), which is not Unicode text: written as ``\\udcXX``,
strict parsers reject the whole document (Perl's JSON::PP: "missing high surrogate
character in surrogate pair"; one odd name would lose a whole scan) and lenient ones (jq,
Node) read U+FFFD anyway. :func:`json_line` writes each such byte as U+FFFD (the name
stays readable, every parser accepts it) and :func:`with_bytes` adds the exact bytes as hex
beside such a path: the one lossless way to find the file (see docs/cli.md).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from typing import Any

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name: show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:  # \x80..\xff stay reserved for undecodable bytes
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _visible(text: str, *, escape_backslash: bool) -> str:
    out: list[str] = []
    for ch in text:
        if ch == "\\" and escape_backslash:
            out.append("\\\\")
        elif ch == " " or ch.isprintable():
            out.append(ch)
        else:  # Cc, Cf (bidi, zero-width), Zl, Zp, other spaces, Cs, Co, Cn
            out.append(_escape(ch))
    return "".join(out)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe(text: str, limit: int = 300) -> str:
    """``text`` (metadata, a reason) with every control/bidi character visibly escaped,
    cut to ``limit`` characters."""
    return _cut(_visible(text, escape_backslash=False), limit)


def safe_path(path: object, limit: int = 1000) -> str:
    """A file name for a text line: like :func:`safe`, and a literal backslash doubled so
    an escape in the output can only come from an escaped character."""
    return _cut(_visible(str(path), escape_backslash=True), limit)


def path_bytes(path: object) -> str | None:
    """The hex of ``path``'s bytes when they are not valid UTF-8 (else None)."""
    text = str(path)
    if not _SURROGATE.search(text):
        return None
    return os.fsencode(text).hex()


def with_bytes(entry: dict[str, Any], *keys: str) -> dict[str, Any]:
    """``entry`` plus ``<key>_bytes`` (hex) for each path key whose name is not UTF-8."""
    for key in keys:
        value = entry.get(key)
        raw = path_bytes(value) if isinstance(value, str) else None
        if raw is not None:
            entry[f"{key}_bytes"] = raw
    return entry


def json_line(obj: Any) -> str:
    """``obj`` as JSON text that any strict parser and any strict UTF-8 writer accept: lone
    surrogates (undecodable file-name bytes) become U+FFFD, other non-ASCII text is kept as
    is. When stdout is not UTF-8 (``PYTHONIOENCODING=ascii``), every non-ASCII character is
    a ``\\uXXXX`` escape: the stream's backslashreplace would write ``\\xe9``, not JSON."""
    # Dumped unescaped first so that a lone surrogate is one character here, never an
    # escape sequence that a literal backslash in a name could imitate.
    text = _SURROGATE.sub("\ufffd", json.dumps(obj, ensure_ascii=False))
    return text if _stdout_is_utf8() else _NON_ASCII.sub(_json_escape, text)


def _json_escape(m: re.Match[str]) -> str:
    """A non-ASCII character (only ever inside a JSON string) as JSON ``\\u`` escapes."""
    code = ord(m.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _stdout_is_utf8() -> bool:
    try:
        return codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        return False
