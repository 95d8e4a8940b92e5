"""The structural walk of a HEIF's coded picture (formats.heif_coded, hevc_units, av1_obus):
sound files pass, and each kind of damage a decoder rejects is named."""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path

import pytest

from tests.factories.isobmff import Coded, Item, build_heif, encode_tile, ispe
from veil.core.formats.av1_obus import parse_av1c, walk_av1
from veil.core.formats.heif_coded import coded_damage, walk_coded
from veil.core.formats.hevc_units import HevcConfig, parse_hvcc, walk_hevc

pytest.importorskip("pillow_heif")

_SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.fixture(scope="module")
def tile() -> Coded:
    return encode_tile((64, 64))


def _heic(coded: Coded) -> bytes:
    return build_heif([Item(1, "hvc1", coded.data, list(coded.props))], 1)


def _with_data(coded: Coded, data: bytes) -> Coded:
    return replace(coded, data=data)


def test_an_encoders_heic_and_a_grid_walk_sound(tile: Coded) -> None:
    from tests.factories.heif_clean import grid_heif

    assert walk_coded(_heic(tile)).sound
    assert walk_coded(grid_heif(tile, 64, 3, 2, 10)).sound
    split = build_heif([Item(1, "hvc1", tile.data, list(tile.props), extents=3)], 1)
    assert walk_coded(split).sound  # a NAL unit may straddle extents


def test_a_nal_length_past_the_items_end_is_damage(tile: Coded) -> None:
    """As in exiftool's QuickTime.heic: libheif rejects it ("a NAL unit size is invalid")."""
    data = bytearray(tile.data)
    data[:4] = struct.pack(">I", len(data))  # 4 bytes too long: past the item's extent
    found = walk_coded(_heic(_with_data(tile, bytes(data))))
    assert not found.sound and found.damaged and "NAL unit size is invalid" in found.why


def test_a_cut_short_item_is_damage(tile: Coded) -> None:
    found = walk_coded(_heic(_with_data(tile, tile.data[: len(tile.data) // 2])))
    assert found.damaged and "runs past the end" in found.why


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda d: d[:4] + b"\x80" + d[5:], "forbidden bit"),
        (lambda d: d[:5] + bytes([d[5] & 0xF8]) + d[6:], "temporal id"),
        (lambda d: d[:40] + bytes(64) + d[104:], "zeroed or overwritten"),
        (lambda d: bytes(4) + d[4:], "empty"),
    ],
)
def test_broken_nal_units_are_damage(tile: Coded, damage, words: str) -> None:  # type: ignore[no-untyped-def]
    found = walk_coded(_heic(_with_data(tile, damage(tile.data))))
    assert found.damaged and words in found.why, found.why


def test_parameter_sets_and_slices_are_required(tile: Coded) -> None:
    config = parse_hvcc(tile.hvcc[8:])
    assert isinstance(config, HevcConfig) and {32, 33, 34} <= config.types
    no_sps = HevcConfig(config.length_size, config.types - {33})
    assert "missing (SPS)" in (walk_hevc(no_sps, tile.data, 0, len(tile.data)) or "")
    sei = b"\x4e\x01\x05\x01\x80"  # a prefix SEI unit: no slice data at all
    only_sei = struct.pack(">I", len(sei)) + sei
    assert "no slice" in (walk_hevc(config, only_sei, 0, len(only_sei)) or "")
    assert "cut short" in str(parse_hvcc(tile.hvcc[8:30]))
    assert "past its HEVC configuration" in str(parse_hvcc(tile.hvcc[8:-3]))


def test_a_grid_that_does_not_fit_its_tiles_is_damage(tile: Coded) -> None:
    from tests.factories.heif_clean import grid_heif

    good = grid_heif(tile, 64, 3, 2, 10)
    desc = bytes([0, 0, 1, 2]) + (192).to_bytes(2, "big") + (128).to_bytes(2, "big")
    assert walk_coded(good.replace(desc, bytes([0, 0, 2, 2]) + desc[4:])).damaged  # 9 for 6
    wider = bytes([0, 0, 1, 2]) + (300).to_bytes(2, "big") + desc[6:]
    assert "do not cover" in walk_coded(good.replace(desc, wider)).why


def test_items_the_walk_does_not_read_are_not_judged(tile: Coded) -> None:
    jpeg = build_heif([Item(1, "jpeg", b"\xff\xd8\xff\xd9", [ispe(8, 8)])], 1)
    found = walk_coded(jpeg)
    assert not found.sound and not found.damaged
    assert not walk_coded(b"not a heif at all").sound
    loop = build_heif([Item(1, "iden", b"", [ispe(64, 64)])], 1, [("dimg", 1, [1])])
    assert "built from itself" in walk_coded(loop).why


def test_an_avif_walks_sound_and_broken_obus_are_damage() -> None:
    from tests.factories.undecodable import avif_bytes

    good = avif_bytes()
    assert walk_coded(good).sound
    config = parse_av1c(b"\x81\x00\x0c\x00")
    assert config == frozenset()
    header = b"\x0a\x03\x00\x00\x00"  # a sequence header OBU of 3 bytes
    frame = b"\x32\x02\x10\x00"  # a FRAME OBU of 2 bytes
    assert walk_av1(config, header + frame, 0, 9) is None
    assert "running past" in (walk_av1(config, header + frame[:3], 0, 8) or "")
    assert "no frame" in (walk_av1(config, header, 0, 5) or "")
    assert "sequence header" in (walk_av1(config, frame, 0, 4) or "")
    assert "forbidden" in (walk_av1(config, b"\x8a" + header[1:] + frame, 0, 9) or "")
    assert "unreadable size" in (walk_av1(config, b"\x0a\xff\xff", 0, 3) or "")


def test_coded_damage_names_only_damage(tmp_path: Path, tile: Coded) -> None:
    bad = bytearray(tile.data)
    bad[:4] = struct.pack(">I", 1_013_216_621)
    (tmp_path / "bad.heic").write_bytes(_heic(_with_data(tile, bytes(bad))))
    (tmp_path / "good.heic").write_bytes(_heic(tile))
    (tmp_path / "empty.heic").write_bytes(b"")
    assert "NAL unit size is invalid" in (coded_damage(tmp_path / "bad.heic") or "")
    assert coded_damage(tmp_path / "good.heic") is None
    assert coded_damage(tmp_path / "empty.heic") is None
    assert coded_damage(tmp_path / "missing.heic") is None


@pytest.mark.skipif(not _SHARED.exists(), reason="../shared/corpus is not here")
def test_the_corpus_walks_sound_but_quicktime_heic() -> None:
    """Every real HEIF/AVIF walks sound; exiftool's QuickTime.heic, which libheif rejects
    ("NAL stream was rejected because a NAL unit size is invalid"), is damaged."""
    files = [p for p in _SHARED.rglob("*") if p.suffix.lower() in (".heic", ".heif", ".avif")]
    assert len(files) >= 5
    for path in files:
        found = walk_coded(path.read_bytes())
        if path.name == "QuickTime.heic":
            assert found.damaged and "NAL unit size is invalid" in found.why
        else:
            assert found.sound, (path, found)
