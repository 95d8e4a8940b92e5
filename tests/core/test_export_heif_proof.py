"""The HEIF equivalence proof (export.heif_proof): a cleaned copy whose picture items are
the source's own is proven so; any difference in what a decoder reads makes the proof fail.
The export itself decodes every HEIF copy instead (test_export_heif_decode)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.factories import isobmff as bmff
from tests.factories.export import SRGB_ICC
from tests.factories.isobmff import Item
from veil.core.export.heif_proof import _props_equivalent, heif_coding_identical
from veil.core.formats.heif import Heif
from veil.core.model import ExportOptions

HVCC = bmff.box("hvcC", b"\x01fake-config")
ALPHA = "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"
DEPTH = "urn:mpeg:hevc:2015:auxid:2"


def _colr() -> bytes:
    # A real (readable) profile: the cleaner keeps it neutralised; an unreadable one is dropped.
    return bmff.box("colr", b"prof" + SRGB_ICC)


def _grid_data(rows: int = 2, cols: int = 2, size: int = 128) -> bytes:
    return bytes([0, 0, rows - 1, cols - 1]) + size.to_bytes(2, "big") * 2


def _items(
    tiles: tuple[bytes, ...] = (b"tile-a", b"tile-b", b"tile-c", b"tile-d"),
    grid_props: tuple[bytes, ...] | None = None,
    alpha: bool = True,
) -> tuple[list[Item], list[tuple[str, int, list[int]]]]:
    """A phone-like grid HEIC: 4 tiles, alpha and depth planes, Exif, XMP and a thumbnail."""
    if grid_props is None:
        grid_props = (bmff.ispe(128, 128), bmff.irot(1), _colr(), bmff.box("udes", b"\0" * 8))
    items = [Item(1, "grid", _grid_data(), list(grid_props), in_idat=True)]
    items += [
        Item(2 + i, "hvc1", data, [HVCC, bmff.ispe(64, 64)], hidden=True, extents=2)
        for i, data in enumerate(tiles)
    ]
    items += [
        Item(6, "Exif", b"\0\0\0\6Exif\0\0MM\0*secret-gps"),
        Item(7, "mime", b"<x:xmpmeta>secret</x:xmpmeta>", content_type="application/rdf+xml"),
        Item(8, "hvc1", b"thumbnail", [HVCC, bmff.ispe(32, 32)]),
        Item(10, "hvc1", b"depth-map", [HVCC, bmff.ispe(64, 64), bmff.aux_c(DEPTH)], True),
    ]
    refs = [
        ("dimg", 1, list(range(2, 2 + len(tiles)))),
        ("cdsc", 6, [1]),
        ("cdsc", 7, [1]),
        ("thmb", 8, [1]),
        ("auxl", 10, [1]),
    ]
    if alpha:
        items.append(
            Item(9, "hvc1", b"alpha-plane", [HVCC, bmff.ispe(128, 128), bmff.aux_c(ALPHA)])
        )
        refs.append(("auxl", 9, [1]))
    return items, refs


def _heif(path: Path, **kwargs: object) -> Path:
    items, refs = _items(**kwargs)  # type: ignore[arg-type]
    return bmff.write(path, bmff.build_heif(items, 1, refs))


def _cleaned(src: Path, out: Path, options: ExportOptions | None = None) -> Path:
    buf = io.BytesIO()
    Heif.write_clean(src, buf, options or ExportOptions())
    out.write_bytes(buf.getvalue())
    return out


def test_container_cleaned_copy_is_proven_identical(tmp_path: Path) -> None:
    src = _heif(tmp_path / "src.heic")
    out = _cleaned(src, tmp_path / "out.heic")
    data = out.read_bytes()
    assert b"secret" not in data and b"thumbnail" not in data and b"depth-map" not in data
    assert b"udes" not in data  # a descriptive property was dropped: still proven
    assert heif_coding_identical(src, out)
    assert heif_coding_identical(src, src)


@pytest.mark.parametrize(
    "variant",
    [
        {"tiles": (b"tile-a", b"tile-b", b"tile-X", b"tile-d")},  # one coded byte differs
        {"tiles": (b"tile-b", b"tile-a", b"tile-c", b"tile-d")},  # tiles in another order
        {"grid_props": (bmff.ispe(128, 128), bmff.irot(3), _colr())},  # other rotation
        {"grid_props": (bmff.ispe(128, 128), bmff.irot(1))},  # colour profile gone
        {"grid_props": (bmff.ispe(256, 128), bmff.irot(1), _colr())},  # other size
        {"alpha": False},  # alpha plane gone
    ],
)
def test_any_difference_a_decoder_reads_fails_the_proof(
    tmp_path: Path, variant: dict[str, object]
) -> None:
    src = _heif(tmp_path / "src.heic")
    other = _cleaned(_heif(tmp_path / "other.heic", **variant), tmp_path / "out.heic")
    assert not heif_coding_identical(src, other)


def test_an_added_alpha_plane_fails_the_proof(tmp_path: Path) -> None:
    src = _heif(tmp_path / "src.heic", alpha=False)
    other = _cleaned(_heif(tmp_path / "other.heic"), tmp_path / "out.heic")
    assert not heif_coding_identical(src, other)


def test_dropped_icc_is_not_proven(tmp_path: Path) -> None:
    src = _heif(tmp_path / "src.heic")
    out = _cleaned(src, tmp_path / "out.heic", ExportOptions(keep_icc=False))
    assert SRGB_ICC[128:] not in out.read_bytes()
    assert not heif_coding_identical(src, out)


def test_other_brand_or_broken_files_are_not_proven_and_never_raise(tmp_path: Path) -> None:
    src = _heif(tmp_path / "src.heic")
    items, refs = _items()
    avif = bmff.write(tmp_path / "b.heic", bmff.build_heif(items, 1, refs, brands=("avif", "mif1")))
    assert not heif_coding_identical(src, avif)
    good = src.read_bytes()
    for name, data in (
        ("empty", b""),
        ("cut", good[: len(good) // 2]),
        ("jpeg", b"\xff\xd8\xff\xd9"),
        ("garbage", good[:40] + b"\xff" * 200),
    ):
        bad = bmff.write(tmp_path / f"{name}.heic", data)
        assert not heif_coding_identical(src, bad)
        assert not heif_coding_identical(bad, src)


def test_essential_properties_are_never_dropped() -> None:
    ispe = ("ispe", b"i", False)
    udes = ("udes", b"u", False)
    assert _props_equivalent([ispe, udes], [ispe])
    assert not _props_equivalent([ispe, ("udes", b"u", True)], [ispe])  # essential
    assert not _props_equivalent([ispe, ("zzzz", b"z", False)], [ispe])  # not known harmless
    assert not _props_equivalent([ispe], [ispe, udes])  # added
    assert not _props_equivalent([ispe, udes], [udes, ispe])  # reordered


def test_a_meta_box_parsed_moments_ago_is_not_parsed_again(tmp_path: Path) -> None:
    """Identical meta boxes (the audit's, the cleaner's and the proof's reads of one file, a
    roll's duplicates) share one parse; a box differing in one byte gets its own, and a
    proof against it still fails."""
    from veil.core.export.heif_proof import _parse

    src = _heif(tmp_path / "a.heic")
    twin = tmp_path / "b.heic"
    twin.write_bytes(src.read_bytes())
    first, again = _parse(src), _parse(twin)
    assert first is not None and again is not None and first.meta is again.meta
    out = _cleaned(src, tmp_path / "out.heic")
    assert heif_coding_identical(twin, out)
    data = bytearray(src.read_bytes())
    at = data.find(b"tile-b")  # coded bytes of one tile changed: the copy is not proven
    data[at] ^= 1
    other = tmp_path / "c.heic"
    other.write_bytes(bytes(data))
    assert not heif_coding_identical(other, out)
    rotated = _heif(tmp_path / "d.heic", grid_props=(bmff.ispe(128, 128), bmff.irot(2)))
    turned = _parse(rotated)
    assert turned is not None and turned.meta is not first.meta
    assert not heif_coding_identical(rotated, out)
