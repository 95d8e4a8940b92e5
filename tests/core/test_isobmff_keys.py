"""The QuickTime ``keys`` reader shared by motion-photo videos and movies."""

from __future__ import annotations

import struct

import pytest

from veil.core.errors import CorruptFile
from veil.core.formats.isobmff import iter_boxes, quicktime_keys


def keys_box(*entries: bytes) -> bytes:
    body = b"\0\0\0\0" + struct.pack(">I", len(entries)) + b"".join(entries)
    return struct.pack(">I", 8 + len(body)) + b"keys" + body


def entry(name: str) -> bytes:
    raw = name.encode()
    return struct.pack(">I", 8 + len(raw)) + b"mdta" + raw


BAD = struct.pack(">I", 4) + b"mdta"  # an entry shorter than its own header


def test_names_in_order() -> None:
    buf = keys_box(entry("com.apple.quicktime.make"), entry("com.apple.quicktime.model"))
    (box,) = iter_boxes(buf, 0, len(buf))
    for strict in (False, True):
        assert quicktime_keys(buf, box, strict=strict) == [
            "com.apple.quicktime.make",
            "com.apple.quicktime.model",
        ]


def test_a_bad_entry_ends_the_list_or_refuses() -> None:
    buf = keys_box(entry("com.apple.quicktime.location.ISO6709"), BAD, entry("after"))
    (box,) = iter_boxes(buf, 0, len(buf))
    assert quicktime_keys(buf, box, strict=False) == ["com.apple.quicktime.location.ISO6709"]
    with pytest.raises(CorruptFile, match="impossible size"):
        quicktime_keys(buf, box, strict=True)
