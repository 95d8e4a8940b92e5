"""A small, bounded CBOR (RFC 8949) decoder for the C2PA manifests Veil reads.

Only what a manifest's assertions and claim use is decoded: integers, byte and text
strings, arrays, maps, tags (their content is kept, the tag number dropped), booleans,
null and floats; definite and indefinite lengths. Hostile input is bounded by nesting
depth and item count, and raises :class:`CborError`, never anything else.
"""

from __future__ import annotations

import struct
from typing import Any

__all__ = ["CborError", "decode"]

MAX_DEPTH = 32
MAX_ITEMS = 100_000
_BREAK = object()


class CborError(ValueError):
    """The bytes are not well-formed CBOR, or exceed the decoder's bounds."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos, self.items = data, 0, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise CborError("CBOR data is cut short")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def argument(self, info: int) -> int | None:
        """The head's argument; None for an indefinite length (31)."""
        if info < 24:
            return info
        if info == 31:
            return None
        if info > 27:
            raise CborError(f"reserved CBOR additional information {info}")
        return int.from_bytes(self.take(1 << (info - 24)), "big")

    def item(self, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise CborError("CBOR nests too deep")
        self.items += 1
        if self.items > MAX_ITEMS:
            raise CborError("CBOR holds too many items")
        head = self.take(1)[0]
        major, info = head >> 5, head & 31
        if major == 7:
            return self._simple(info)
        arg = self.argument(info)
        if major == 0:
            return arg if arg is not None else self._bad()
        if major == 1:
            return -1 - arg if arg is not None else self._bad()
        if major in (2, 3):
            raw = self._chunks(major, depth) if arg is None else self.take(arg)
            return raw.decode("utf-8", "replace") if major == 3 else raw
        if major == 4:
            return self._many(arg, depth, lambda: self.item(depth + 1))
        if major == 5:
            pairs = self._many(arg, depth, lambda: (self.item(depth + 1), self.item(depth + 1)))
            return {_key(k): v for k, v in pairs}
        return self.item(depth + 1)  # major 6: a tag; its content is what matters here

    def _bad(self) -> Any:
        raise CborError("an indefinite-length integer")

    def _simple(self, info: int) -> Any:
        if info == 31:
            return _BREAK
        if info in (25, 26, 27):
            size = 1 << (info - 24)
            fmt = {2: ">e", 4: ">f", 8: ">d"}[size]
            return struct.unpack(fmt, self.take(size))[0]
        if info == 24:
            self.take(1)
            return None
        if info > 24:
            raise CborError(f"reserved CBOR additional information {info}")
        return {20: False, 21: True}.get(info)

    def _chunks(self, major: int, depth: int) -> bytes:
        out = bytearray()
        while True:
            if self.pos < len(self.data) and self.data[self.pos] == 0xFF:
                self.pos += 1
                return bytes(out)
            part = self.item(depth + 1)
            if not isinstance(part, bytes | str) or (major == 3) != isinstance(part, str):
                raise CborError("a broken indefinite-length string")
            out += part.encode() if isinstance(part, str) else part
            if len(out) > len(self.data):
                raise CborError("CBOR string longer than its data")

    def _many(self, count: int | None, depth: int, one: Any) -> list[Any]:
        out = []
        if count is not None:
            if count > len(self.data) - self.pos:  # each item takes at least one byte
                raise CborError("CBOR claims more items than it has bytes")
            return [one() for _ in range(count)]
        while not (self.pos < len(self.data) and self.data[self.pos] == 0xFF):
            out.append(one())
        self.pos += 1
        return out


def _key(key: Any) -> Any:
    """Map keys as Python allows them: lists and maps (legal in CBOR) become their text."""
    return key if isinstance(key, str | int | float | bool | bytes) or key is None else str(key)


def decode(data: bytes) -> Any:
    """The first CBOR item in ``data``.

    Raises:
        CborError: malformed, cut short, or beyond :data:`MAX_DEPTH` / :data:`MAX_ITEMS`.
    """
    value = _Reader(data).item()
    if value is _BREAK:
        raise CborError("a CBOR break outside an indefinite-length item")
    return value
