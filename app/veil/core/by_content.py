"""Remember a pure function's answers by the exact bytes it was given.

Photos from one camera or phone carry the same small blocks again and again (the same
Display P3 colour profile in every iPhone photo): a function that depends on nothing but
those bytes need not work them out again. Answers are kept per process for inputs up to
``max_len`` bytes, at most ``max_bytes`` of inputs in all (everything is forgotten when
full, so a hostile batch of distinct blocks costs that much memory at most, plus the
answers); equal bytes are compared in full (a dict lookup), never by a hash alone.
Exceptions are not remembered: a damaged block fails every time, as before. Only for
functions whose answers are immutable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["by_content"]

T = TypeVar("T")


def by_content(
    max_len: int = 1 << 20, max_bytes: int = 8 << 20
) -> Callable[[Callable[[bytes], T]], Callable[[bytes], T]]:
    """Decorate ``fn(data: bytes) -> T`` (pure, immutable ``T``) to answer equal bytes from
    memory; ``.forget()`` empties it."""

    def wrap(fn: Callable[[bytes], T]) -> Callable[[bytes], T]:
        known: dict[bytes, T] = {}
        held = [0]  # bytes of the inputs kept

        @functools.wraps(fn)
        def remembered(data: bytes) -> T:
            if type(data) is not bytes or len(data) > max_len:
                return fn(data)
            try:
                return known[data]
            except KeyError:
                pass
            answer = fn(data)
            if held[0] + len(data) > max_bytes:
                forget()
            known[data] = answer
            held[0] += len(data)
            return answer

        def forget() -> None:
            known.clear()
            held[0] = 0

        remembered.forget = forget  # type: ignore[attr-defined]
        return remembered

    return wrap
