"""The HEIF equivalence proof: a cleaned copy whose picture items are the source's own is not
decoded again; any difference in what a decoder reads makes the proof fail."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.factories import isobmff as bmff
from tests.factories.export import SRGB_ICC
from tests.factories.isobmff import Item
from veil.core.export import decode_check, export_clean
from veil.core.export import verify as export_verify
from veil.core.export.heif_proof import _props_equivalent, heif_coding_identical
from veil.core.formats.heif import Heif
from veil.core.model import ExportOptions, ExportStatus

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


def test_export_decodes_a_heif_copy_without_asking_for_its_proof(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A HEIF copy is decoded whatever its proof would say, so the export does not compute
    one (~1 ms for a 12 MP HEIC); a JPEG copy's proof still spares its decode."""
    pytest.importorskip("pillow_heif")
    from tests.factories import export as fx
    from veil.core.export import decoded

    proofs: list[Path] = []
    real_proof = export_verify.proven_same_coding

    def proof_spy(source: Path, out: Path, data: bytes | None = None) -> bool:
        proofs.append(Path(source))
        return real_proof(source, out, data)

    decodes: list[object] = []
    real_decode = decode_check.decode_heif

    def decode_spy(out: Path, data: bytes | None = None) -> None:
        decodes.append(out)
        real_decode(out, data)

    monkeypatch.setattr(export_verify, "proven_same_coding", proof_spy)
    monkeypatch.setattr(decode_check, "decode_heif", decode_spy)
    monkeypatch.setattr(
        "veil.core.export.heif_proof.heif_coding_identical",
        lambda *_: pytest.fail("a HEIF copy's proof was computed"),
    )
    decoded.forget_all()
    src = fx.dirty_heic(tmp_path / "IMG_0001.HEIC")
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.verified and result.lossless
    no_icc = export_clean(src, tmp_path / "out2", ExportOptions(keep_icc=False))
    assert no_icc.status is ExportStatus.CLEANED and no_icc.verified
    assert proofs == [] and len(decodes) >= 1  # decoded (once: the second copy is a twin)
    jpeg = tmp_path / "a.jpg"
    jpeg.write_bytes(fx.dirty_jpeg(trailer=False))
    assert export_clean(jpeg, tmp_path / "out3", ExportOptions()).verified
    assert proofs == [jpeg]


def test_a_batch_loads_only_the_decoders_it_needs(tmp_path: Path) -> None:
    """No pillow-heif without a HEIF, and not all of Pillow's plugins for a WebP or TIFF."""
    import subprocess
    import sys

    from tests.factories import export as fx

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(fx.dirty_jpeg(trailer=False))
    fx.gradient((32, 24)).save(folder / "b.webp", format="WEBP", lossless=True)
    fx.dirty_tiff(folder / "c.tif")
    code = (
        "import sys; from pathlib import Path; from veil.core.export import export_batch; "
        "from veil.core.model import ExportOptions; "
        f"rs = list(export_batch([Path({str(folder)!r})], Path({str(tmp_path / 'out')!r}), "
        "ExportOptions())); "
        "print(len(rs), all(r.verified for r in rs), 'pillow_heif' in sys.modules, "
        "'PIL.XbmImagePlugin' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.split() == ["3", "True", "False", "False"], proc.stderr


def _undecodable_heic(path: Path) -> Path:
    """A HEIC whose container is sound but whose coded picture does not decode (the HEVC
    payload after the first NAL header overwritten)."""
    from tests.factories import export as fx

    fx.gradient((128, 96)).save(path, format="HEIF", quality=90)
    data = bytearray(path.read_bytes())
    mdat = data.find(b"mdat") + 4
    data[mdat + 8 :] = b"\xff" * (len(data) - mdat - 8)
    path.write_bytes(bytes(data))
    return path


def test_a_copy_whose_pixels_do_not_decode_is_never_verified(tmp_path: Path) -> None:
    pytest.importorskip("pillow_heif")
    from PIL import Image

    from veil.core.pixels import register_heif

    register_heif()
    src = _undecodable_heic(tmp_path / "broken.heic")
    with Image.open(src) as im:  # the header parses...
        assert im.size == (128, 96)
        with pytest.raises(Exception):  # noqa: B017 - ...but the pixels don't decode
            im.load()
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.FAILED and not result.verified
    assert "pixels" in (result.error or "") and "damaged" in (result.error or "")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


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


def test_a_heif_copy_is_decoded_by_libheif_without_a_pillow_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verification decodes a HEIC copy's primary picture once, with libheif (the
    plugin's own options), and never copies the pixels into a Pillow image; a copy whose
    pixels do not decode still fails, whether its bytes are read back or read from disk."""
    pillow_heif = pytest.importorskip("pillow_heif")
    from PIL import Image

    from tests.factories import export as fx
    from veil.core.export import decoded
    from veil.core.pixels import register_heif

    register_heif()
    decoded.forget_all()
    loads: list[tuple[int, int]] = []
    load = pillow_heif.HeifImage.load

    def counting(self):  # type: ignore[no-untyped-def]
        loads.append(self.size)
        return load(self)

    def no_pillow_copy(*args: object, **kwargs: object) -> None:
        raise AssertionError("the decoded pixels were copied into a Pillow image")

    monkeypatch.setattr(pillow_heif.HeifImage, "load", counting)
    monkeypatch.setattr(Image.Image, "frombytes", no_pillow_copy)
    src = tmp_path / "a.heic"
    fx.gradient((128, 96)).save(src, format="HEIF", quality=90)
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.verified, result.error
    assert loads == [(128, 96)]
    bad = _undecodable_heic(tmp_path / "bad.heic")
    data = bad.read_bytes()
    for given in (None, data):
        _, problem = export_verify.verify_output(bad, expected_size=(128, 96), kept=(),
                                                 data=given)
        assert problem is not None and "does not decode" in problem
    decoded.forget_all()
