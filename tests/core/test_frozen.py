"""``quick_init``: the same frozen dataclass instances, built without per-field lookups."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from veil.core.formats.base import Block, ContainerScan, Embedded
from veil.core.formats.jpeg_walk import Segment
from veil.core.frozen import quick_init
from veil.core.metadata.icc_tags import TagEntry
from veil.core.metadata.ifd import Entry
from veil.core.metadata.model import Metadata
from veil.core.model import ExportResult, FileReport, Finding, Tag


@dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()


@quick_init
@dataclass(frozen=True, slots=True)
class _Quick:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()


@quick_init
@dataclass(frozen=True, slots=True)
class _Made:
    a: int
    d: dict[str, int] = field(default_factory=dict)


def test_same_values_defaults_and_keywords_as_the_dataclass_init() -> None:
    for args, kwargs in (((1,), {}), ((1, "y"), {}), ((1,), {"c": (2,)}), ((), {"a": 3})):
        plain, quick = _Plain(*args, **kwargs), _Quick(*args, **kwargs)
        assert dataclasses.astuple(plain) == dataclasses.astuple(quick)
        assert repr(quick) == repr(plain).replace("_Plain", "_Quick")
    assert _Quick(1) == _Quick(1) and hash(_Quick(1)) == hash(_Quick(1))
    assert _Quick(1) != _Quick(2)


def test_still_frozen_picklable_and_replaceable() -> None:
    q = _Quick(1, "y", (3,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.a = 2  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(q)) == q
    assert dataclasses.replace(q, b="z") == _Quick(1, "z", (3,))


def test_a_default_factory_makes_a_fresh_value_each_time() -> None:
    one, two = _Made(1), _Made(1)
    assert one.d == {} and one.d is not two.d and one == two
    given = {"k": 1}
    assert _Made(2, given).d is given and _Made(2, d=given) == _Made(2, given)
    assert dataclasses.replace(one, a=3) == _Made(3)


def test_wrong_calls_fail_like_the_dataclass() -> None:
    with pytest.raises(TypeError):
        _Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Quick(1, "y", (), 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Quick(1, d=2)  # type: ignore[call-arg]


def test_refuses_what_a_plain_store_would_get_wrong() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclass(frozen=True, slots=True)
    class Post:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True)
    class KwOnly:
        a: int = field(kw_only=True)

    @dataclass(frozen=True, slots=True)
    class NoInit:
        a: int = field(init=False, default=1)

    for cls in (NoSlots, NotFrozen, Post, KwOnly, NoInit):
        with pytest.raises(TypeError):
            quick_init(cls)


def test_the_hot_classes_use_it_and_build_what_they_did() -> None:
    for cls in (Block, Segment, Entry, TagEntry, Tag, ContainerScan, Embedded, Metadata,
                Finding, FileReport, ExportResult):
        assert cls.__init__.__module__ == cls.__module__
        assert "_set_" in cls.__init__.__code__.co_names[0]
    block = Block("APP1", "exif", 2, 30)
    assert (block.known, block.note) == (True, "")
    assert Segment(0xE1, 2, 30).payload == b""
    scan = ContainerScan("jpeg", width=4, blocks=(block,))
    assert (scan.height, scan.blocks, scan.complete, scan.video) == (None, (block,), True, None)
    assert dataclasses.replace(scan, complete=False).blocks == (block,)
