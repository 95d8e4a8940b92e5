"""A HEIF copy proven to carry its source's own picture items, whose coded data walk sound,
is not decoded again; any other HEIF copy is decoded (libheif, no Pillow image) before it is
called verified; a batch loads only the decoders its photos need."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from veil.core.export import decode_check, export_clean
from veil.core.export import verify as export_verify
from veil.core.model import ExportOptions, ExportStatus


def _spy_decodes(monkeypatch: pytest.MonkeyPatch, *, fail: bool = False) -> list[object]:
    """Record (or forbid, ``fail``) every libheif decode of a copy."""
    decodes: list[object] = []
    real_decode = decode_check.decode_heif

    def decode_spy(out: Path, data: bytes | None = None) -> None:
        decodes.append(out)
        if fail:
            pytest.fail("a proven, sound HEIF copy was decoded")
        real_decode(out, data)

    monkeypatch.setattr(decode_check, "decode_heif", decode_spy)
    return decodes


def test_a_proven_sound_heif_copy_is_not_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof (its picture items are the source's bytes) and the walk of its coded data
    (~1 ms each for a 12 MP HEIC) stand in for libheif's decode (0.3-0.7 s)."""
    pytest.importorskip("pillow_heif")
    from tests.factories import export as fx
    from veil.core.export import decoded

    proofs: list[Path] = []
    real_proof = export_verify.proven_same_coding

    def proof_spy(source: Path, out: Path, data: bytes | None = None) -> bool:
        proofs.append(Path(source))
        return real_proof(source, out, data)

    monkeypatch.setattr(export_verify, "proven_same_coding", proof_spy)
    _spy_decodes(monkeypatch, fail=True)
    decoded.forget_all()
    src = fx.dirty_heic(tmp_path / "IMG_0001.HEIC")
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.verified and result.lossless
    assert proofs == [src] and not fx.leaked(result.output.read_bytes())  # type: ignore[union-attr]
    jpeg = tmp_path / "a.jpg"
    jpeg.write_bytes(fx.dirty_jpeg(trailer=False))
    assert export_clean(jpeg, tmp_path / "out3", ExportOptions()).verified
    assert proofs == [src, jpeg]


def test_the_proof_and_the_walk_share_one_parse_of_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy's meta box was parsed by the proof and again by heif_coded.walk_file
    (~1 ms each for a 12 MP HEIC): the walk now reads the proof's parse."""
    pytest.importorskip("pillow_heif")
    import sys

    from tests.factories import export as fx
    from veil.core.export import decoded
    from veil.core.formats import heif_coded
    from veil.core.formats import heif_items as hi

    parses: list[str] = []
    real_parse = hi.parse_meta

    def parse_spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        parses.append(sys._getframe(1).f_globals["__name__"])
        return real_parse(*args, **kwargs)

    walks: list[object] = []
    real_walk = heif_coded.walk_primary

    def walk_spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        walks.append(args[0])
        return real_walk(*args, **kwargs)

    monkeypatch.setattr(hi, "parse_meta", parse_spy)
    monkeypatch.setattr(heif_coded, "walk_primary", walk_spy)
    _spy_decodes(monkeypatch, fail=True)  # still proven and sound: not decoded
    decoded.forget_all()
    src = fx.dirty_heic(tmp_path / "IMG_0001.HEIC")
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.verified and result.lossless
    assert parses.count("veil.core.export.heif_proof") == 2  # the source, the copy
    assert parses.count("veil.core.formats.heif_coded") == 0  # ...and no third
    assert len(walks) == 1  # the copy's coded data are still walked


def test_an_unproven_heif_copy_is_still_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No proof, no shortcut: a copy whose items can't be shown to be the source's own is
    decoded in full (here: the proof forced to fail, and a copy checked against another
    photo as its source)."""
    pytest.importorskip("pillow_heif")
    from tests.factories import export as fx
    from veil.core.export import decoded

    decodes = _spy_decodes(monkeypatch)
    decoded.forget_all()
    src = fx.dirty_heic(tmp_path / "IMG_0001.HEIC")
    real_proof = "veil.core.export.heif_proof.heif_proven_sound"
    with monkeypatch.context() as patched:
        patched.setattr(real_proof, lambda *_: False)
        first = export_clean(src, tmp_path / "out", ExportOptions())
    assert first.verified and first.output is not None
    assert len(decodes) == 1
    other = fx.dirty_heic(tmp_path / "IMG_0002.HEIC", fx.gradient((128, 96)).rotate(180))
    decoded.forget_all()
    _, problem = export_verify.verify_output(
        first.output, expected_size=(128, 96), kept=first.kept, source=other
    )
    assert problem is None and len(decodes) == 2
    _, problem = export_verify.verify_output(
        first.output, expected_size=(128, 96), kept=first.kept, source=src
    )
    assert problem is None and len(decodes) == 2  # its own source: proven, walked, no decode
    decoded.forget_all()


def _damaged_heic(path: Path, how: str) -> Path:
    """A HEIC whose container is sound but whose coded picture is damaged: ``"garbage"``
    overwrites everything after the first slice's first header bytes with 0xff (libheif
    fails to decode it), ``"length"`` makes the first NAL length point 50 bytes past the
    item's data (as in exiftool's QuickTime.heic)."""
    from tests.factories import export as fx
    from veil.core.pixels import register_heif

    register_heif()
    fx.gradient((128, 96)).save(path, format="HEIF", quality=90)
    data = bytearray(path.read_bytes())
    mdat = data.find(b"mdat") + 4
    if how == "garbage":
        data[mdat + 8 :] = b"\xff" * (len(data) - mdat - 8)
    else:
        length = struct.unpack(">I", data[mdat : mdat + 4])[0]
        data[mdat : mdat + 4] = struct.pack(">I", length + 50)
    path.write_bytes(bytes(data))
    return path


def test_a_copy_whose_nal_length_runs_past_its_data_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk finds the bad length, so the copy is decoded, and libheif's refusal says
    the original is damaged (exiftool's QuickTime.heic, with pillow-heif 1.9)."""
    pytest.importorskip("pillow_heif")
    from veil.core.export import decoded

    decoded.forget_all()
    decodes = _spy_decodes(monkeypatch)
    src = _damaged_heic(tmp_path / "long.heic", "length")
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.FAILED and not result.verified
    # What it means first (it said "not written: the original's pixels are damaged ..."),
    # libheif's reason still after it.
    assert (result.error or "").startswith(
        "the picture data is damaged, so Veil could not make a clean copy (")
    assert "NAL unit size is invalid" in (result.error or "")
    assert decodes  # the proof held, the walk did not: decoded
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_copy_exactly_as_damaged_as_its_original_is_not_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The honest limit: damage inside the coded content, with every NAL unit well framed,
    is seen by a full decode only. A copy proven to carry the original's own items is then
    exactly as damaged as the original (cleaning made it no worse), and is written; any copy
    not proven so is decoded, and refused."""
    pytest.importorskip("pillow_heif")
    from PIL import Image

    from veil.core.export import decoded
    from veil.core.export.heif_proof import heif_coding_identical

    decoded.forget_all()
    src = _damaged_heic(tmp_path / "broken.heic", "garbage")
    with Image.open(src) as im:  # the header parses...
        assert im.size == (128, 96)
        with pytest.raises(Exception):  # noqa: B017 - ...but the pixels don't decode
            im.load()
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED and result.output is not None
    assert heif_coding_identical(src, result.output)
    monkeypatch.setattr("veil.core.export.heif_proof.heif_proven_sound", lambda *_: False)
    refused = export_clean(src, tmp_path / "out2", ExportOptions())
    assert refused.status is ExportStatus.FAILED and not refused.verified
    assert "pixels" in (refused.error or "") and "damaged" in (refused.error or "")
    assert not (tmp_path / "out2").exists() or not any((tmp_path / "out2").iterdir())


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
    monkeypatch.setattr("veil.core.export.heif_proof.heif_proven_sound", lambda *_: False)
    result = export_clean(src, tmp_path / "out", ExportOptions())  # unproven: decoded
    assert result.verified, result.error
    assert loads == [(128, 96)]
    bad = _damaged_heic(tmp_path / "bad.heic", "garbage")
    data = bad.read_bytes()
    for given in (None, data):
        _, problem = export_verify.verify_output(bad, expected_size=(128, 96), kept=(),
                                                 data=given)
        assert problem is not None and "does not decode" in problem
    decoded.forget_all()
