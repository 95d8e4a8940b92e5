"""A HEIF copy is decoded before it is called verified (libheif, no Pillow image), never
merely proven to keep the source's picture items; a batch loads only the decoders its
photos need."""

from __future__ import annotations

from pathlib import Path

import pytest

from veil.core.export import decode_check, export_clean
from veil.core.export import verify as export_verify
from veil.core.model import ExportOptions, ExportStatus


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
