"""Answers remembered by the exact bytes given: equal bytes, same answer, computed once."""

from __future__ import annotations

import pytest

from veil.core.by_content import by_content
from veil.core.errors import CorruptFile


def test_equal_bytes_are_answered_once_other_bytes_and_failures_each_time() -> None:
    calls: list[bytes] = []

    @by_content(max_len=8, max_bytes=12)
    def size(data: bytes) -> int:
        calls.append(data)
        if data == b"bad":
            raise CorruptFile("bad")
        return len(data)

    assert size(b"abcd") == 4 and size(bytes(bytearray(b"abcd"))) == 4
    assert calls == [b"abcd"]  # the second, equal but another object, was remembered
    assert size(b"abce") == 4 and len(calls) == 2  # one byte differs: worked out
    for _ in range(2):
        with pytest.raises(CorruptFile):
            size(b"bad")
    assert calls.count(b"bad") == 2  # failures are never remembered
    size(b"123456789")  # longer than max_len: never kept
    size(b"123456789")
    assert calls.count(b"123456789") == 2
    size(b"12345678")  # 4 + 4 + 8 > 12: the memory is emptied first
    size(b"abcd")
    assert calls.count(b"abcd") == 2
    size.forget()  # type: ignore[attr-defined]
    size(b"12345678")
    assert calls.count(b"12345678") == 2


def test_icc_answers_are_the_same_remembered_or_not() -> None:
    """A neutral profile and a profile's texts are pure functions of its bytes."""
    from tests.factories import icc as fi
    from veil.core.metadata import icc

    profile = fi.display_profile()
    icc.neutral_icc.forget()  # type: ignore[attr-defined]
    icc.icc_texts.forget()  # type: ignore[attr-defined]
    first = (icc.neutral_icc(profile), icc.icc_texts(profile))
    again = (icc.neutral_icc(bytes(bytearray(profile))), icc.icc_texts(bytes(bytearray(profile))))
    assert first == again and first[0] is again[0]  # the remembered answer itself
    assert first[1].texts and first[0] != profile  # it names someone; the copy does not
    fresh = (icc.neutral_icc.__wrapped__(profile), icc.icc_texts.__wrapped__(profile))  # type: ignore[attr-defined]
    assert fresh == first
