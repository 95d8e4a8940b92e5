"""The export's shortcuts keep every guarantee: what a faster path skips must not matter."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageFile, PngImagePlugin

from tests.factories.basic import gps_serial_exif, make_jpeg
from veil.core.audit import load_metadata
from veil.core.export import decoded
from veil.core.export.verify import verify_output
from veil.core.model import FileReport

_TAKEOUT = {"geoData": {"latitude": 48.8584, "longitude": 2.2945, "altitude": 35.0}}


def test_copy_verification_ignores_files_next_to_it(tmp_path: Path) -> None:
    """A copy carries no sidecar: one lying next to it (a photo of the same name in the
    output folder) neither fails its verification nor makes it list the folder."""
    copy = make_jpeg(tmp_path / "IMG_1.jpg")
    (tmp_path / "IMG_1.jpg.json").write_text(json.dumps(_TAKEOUT))
    with_sidecars = load_metadata(copy)
    assert not isinstance(with_sidecars, FileReport) and with_sidecars.sidecars  # it is found
    without = load_metadata(copy, sidecars=False)
    assert not isinstance(without, FileReport) and not without.sidecars
    report, problem = verify_output(copy, expected_size=(64, 48), kept=())
    assert problem is None, problem
    assert report is not None and not report.findings


def _webp(path: Path, colour: tuple[int, int, int] = (10, 20, 30)) -> Path:
    # Noise, so the IDAT is long enough to damage without touching the header.
    import random

    rng = random.Random(sum(colour))
    img = Image.new("RGB", (64, 64), colour)
    img.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(64 * 64)]
    )
    img.save(path, "WEBP", lossless=True)
    return path


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = ImageFile.ImageFile.load

    def load(self: ImageFile.ImageFile):  # type: ignore[no-untyped-def]
        calls.append(str(self.format))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


def test_identical_copy_is_decoded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A byte-identical copy of one that decoded in this process is not decoded again; a
    copy whose bytes differ in one byte is."""
    decoded.forget_all()
    first = _webp(tmp_path / "a.webp")
    second = tmp_path / "b.webp"
    second.write_bytes(first.read_bytes())
    other = _webp(tmp_path / "c.webp", (30, 20, 11))
    calls = _count_loads(monkeypatch)
    for path in (first, second, other):
        assert verify_output(path, expected_size=(64, 64), kept=())[1] is None
    assert calls == ["WEBP", "WEBP"]  # first and other; second is first's bytes


def test_a_failed_decode_is_never_remembered(tmp_path: Path) -> None:
    """A copy that does not decode fails every time, even right after its good twin."""
    decoded.forget_all()
    good = _webp(tmp_path / "good.webp")
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 40] = b"\xff" * 40  # coded data broken, RIFF intact
    bad = tmp_path / "bad.webp"
    bad.write_bytes(bytes(data))
    assert verify_output(good, expected_size=(64, 64), kept=())[1] is None
    for _ in range(2):
        problem = verify_output(bad, expected_size=(64, 64), kept=())[1]
        assert problem is not None and "does not decode" in problem


def test_remembered_digests_are_bounded() -> None:
    decoded.forget_all()
    for n in range(decoded.MAX_REMEMBERED + 10):
        decoded.remember_decoded(n.to_bytes(32, "big"), "PNG")
    assert not decoded.seen_decoding((0).to_bytes(32, "big"), "PNG")  # oldest forgotten
    assert decoded.seen_decoding((decoded.MAX_REMEMBERED + 9).to_bytes(32, "big"), "PNG")
    assert not decoded.seen_decoding((decoded.MAX_REMEMBERED + 9).to_bytes(32, "big"), "TIFF")
    decoded.forget_all()


def _remember_in_child(digest: bytes) -> None:
    decoded.remember_decoded(digest, "HEIF")


def test_workers_share_what_decoded() -> None:
    """A copy decoded in one worker of a batch counts in the others (and in the parent),
    for the same format only; without the shared table nothing crosses processes."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    decoded.forget_all()
    digest = bytes(range(32))
    child = ctx.Process(target=_remember_in_child, args=(digest,))
    child.start()
    child.join()
    assert not decoded.seen_decoding(digest, "HEIF")  # no table: the child's own memory
    decoded.share(ctx.Lock())
    try:
        child = ctx.Process(target=_remember_in_child, args=(digest,))
        child.start()
        child.join()
        assert child.exitcode == 0
        assert decoded.seen_decoding(digest, "HEIF")
        assert not decoded.seen_decoding(digest, "AVIF")
        assert not decoded.seen_decoding(bytes(32), "HEIF")
    finally:
        decoded.unshare()
        decoded.forget_all()
    assert not decoded.seen_decoding(digest, "HEIF")


def test_shared_table_stops_when_full() -> None:
    import multiprocessing

    decoded.forget_all()
    decoded.share(multiprocessing.get_context("fork").Lock(), slots=2)
    try:
        for n in range(3):
            decoded.remember_decoded(bytes([n]) * 32, "HEIF")
        decoded.forget_all()  # only the shared table answers now
        assert decoded.seen_decoding(bytes([0]) * 32, "HEIF")
        assert decoded.seen_decoding(bytes([1]) * 32, "HEIF")
        assert not decoded.seen_decoding(bytes([2]) * 32, "HEIF")
    finally:
        decoded.unshare()


def _clean_bytes(handler: type, path: Path) -> tuple[bytes, tuple[str, ...]]:
    from veil.core.model import ExportOptions

    out = io.BytesIO()
    outcome = handler.write_clean(path, out, ExportOptions())
    return out.getvalue(), outcome.removed


def _read(handler: type, path: Path) -> None:
    with open(path, "rb") as f:
        handler.read(f, path.stat().st_size)


def test_cleaner_reuses_the_audits_parse_only_for_the_same_file(tmp_path: Path) -> None:
    """The reader's parse of the file just audited spares the cleaner a second parse, with
    the same copy as a fresh parse; a file rewritten since then is parsed again."""
    from veil.core.formats import memo
    from veil.core.formats.jpeg import Jpeg
    from veil.core.formats.png import Png

    jpeg = make_jpeg(tmp_path / "a.jpg", exif=gps_serial_exif())
    png = tmp_path / "a.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe")
    Image.new("RGB", (16, 16), (1, 2, 3)).save(png, pnginfo=info)
    for handler, path in ((Jpeg, jpeg), (Png, png)):
        fresh = _clean_bytes(handler, path)
        _read(handler, path)
        with open(path, "rb") as f:
            assert memo.take(f, handler.name) is not None  # left for the cleaner...
        _read(handler, path)
        assert _clean_bytes(handler, path) == fresh  # ...which makes the same copy with it
        with open(path, "rb") as f:
            assert memo.take(f, handler.name) is None  # taken once

    _read(Jpeg, jpeg)
    make_jpeg(jpeg, size=(80, 60))  # rewritten in place: no EXIF any more, other size
    cleaned, removed = _clean_bytes(Jpeg, jpeg)
    assert "exif" not in removed and "gps" not in removed
    assert Image.open(io.BytesIO(cleaned)).size == (80, 60)


def _png(path: Path, after_idat: bytes = b"") -> Path:
    """A 40x24 noise PNG; ``after_idat`` (whole chunks) goes between its IDAT and IEND."""
    import random

    rng = random.Random(3)
    img = Image.new("RGB", (40, 24))
    img.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                 for _ in range(40 * 24)])
    buf = io.BytesIO()
    img.save(buf, "PNG")
    data = buf.getvalue()
    path.write_bytes(data[:-12] + after_idat + data[-12:])
    return path


def test_a_tagless_png_copy_is_decoded_once_but_a_tagged_one_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PNG copy without any EXIF, XMP or text (by Veil's own full parse) needs no full
    decode just for Pillow to look for an eXIf after its image data, so an identical copy
    is decoded once. A copy with an eXIf after IDAT still has Pillow read it: orientation
    6 there makes it 24x40 upright, and the size check fails."""
    from tests.factories.png import chunk
    from veil.core.formats.webp_exif import orientation_exif

    decoded.forget_all()
    first = _png(tmp_path / "a.png")
    twin = tmp_path / "b.png"
    twin.write_bytes(first.read_bytes())
    calls = _count_loads(monkeypatch)
    for path in (first, twin):
        assert verify_output(path, expected_size=(40, 24), kept=())[1] is None
    assert calls == ["PNG"]
    turned = _png(tmp_path / "c.png", chunk("eXIf", orientation_exif(6)))
    problem = verify_output(turned, expected_size=(40, 24), kept=("orientation",))[1]
    assert problem is not None and "24x40 upright" in problem, problem
    decoded.forget_all()


def test_export_audits_its_source_without_naming_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``veil clean`` reads only the kinds of its source's findings: a GPS position is a
    location finding removed as before, with no town looked up for it; an audit outside the
    export still names the town."""
    from veil.core.audit import audit_file
    from veil.core.export import export_clean
    from veil.core.metadata import gazetteer
    from veil.core.model import ExportOptions

    src = make_jpeg(tmp_path / "a.jpg", exif=gps_serial_exif())
    looked_up: list[tuple[float, float]] = []
    nearest = gazetteer.nearest

    def counting(lat: float, lon: float):  # type: ignore[no-untyped-def]
        looked_up.append((lat, lon))
        return nearest(lat, lon)

    monkeypatch.setattr(gazetteer, "nearest", counting)
    result = export_clean(src, tmp_path / "out", ExportOptions())
    assert result.verified, result.error
    assert "location" in result.removed
    assert looked_up == []
    report = audit_file(src, metadata_only=True)
    (loc,) = [f for f in report.findings if f.kind.value == "location"]
    assert "near Paris, France" in loc.summary and len(looked_up) == 1
