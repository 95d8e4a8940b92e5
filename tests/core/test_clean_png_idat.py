"""PNG IDAT data: bytes after the end of the zlib stream never reach a cleaned copy."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import png as fp
from veil.core.errors import CorruptFile
from veil.core.formats.base import CleanOutcome
from veil.core.formats.png import Png
from veil.core.formats.png_idat import raw_size
from veil.core.model import ExportOptions

SECRET = b"John Secretname, 12 Rue de la Paix"


def clean(tmp_path: Path, data: bytes) -> tuple[bytes, CleanOutcome]:
    src = tmp_path / "src.png"
    src.write_bytes(data)
    out = io.BytesIO()
    outcome = Png.write_clean(src, out, ExportOptions())
    return out.getvalue(), outcome


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.tobytes()


@pytest.mark.parametrize("own_chunk", [False, True])
@pytest.mark.parametrize("tail", [SECRET, zlib.compress(SECRET)])
def test_bytes_after_the_zlib_stream_are_cut(tmp_path: Path, tail: bytes,
                                             own_chunk: bool) -> None:
    base = fp.base_png()
    data = fp.with_idat_tail(base, tail, own_chunk=own_chunk)
    assert pixels(data) == pixels(base)  # decoders never read the tail
    out, outcome = clean(tmp_path, data)
    assert tail not in out and SECRET not in zlib.decompress(
        b"".join(raw[8:-4] for t, raw in fp.split(out) if t == "IDAT"))
    assert pixels(out) == pixels(base) and outcome.lossless and "trailer" in outcome.removed


def test_a_whole_stream_is_copied_verbatim(tmp_path: Path) -> None:
    base = fp.base_png()
    out, outcome = clean(tmp_path, base)
    assert dict(fp.split(out))["IDAT"] == dict(fp.split(base))["IDAT"]
    assert "trailer" not in outcome.removed


def test_a_cut_short_stream_is_refused(tmp_path: Path) -> None:
    base = fp.base_png()
    idat = dict(fp.split(base))["IDAT"][8:-4]
    data = fp.assemble(base).replace(fp.chunk("IDAT", idat), fp.chunk("IDAT", idat[:-8]))
    with pytest.raises(CorruptFile, match="image data"):
        clean(tmp_path, data)


def test_raw_size_follows_the_header() -> None:
    ihdr = (24).to_bytes(4, "big") + (16).to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    assert raw_size(ihdr) == 16 * (1 + 24 * 3)
    assert raw_size(ihdr[:12] + b"\x01") > raw_size(ihdr)  # Adam7 adds filter bytes


@pytest.mark.parametrize("tail", [b"", b"leftover" * 8])
def test_the_cleaner_trusts_only_the_readers_own_inflate_of_that_file(
    tmp_path: Path, tail: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the audit's read of a PNG whose IDAT stream ends exactly, the cleaner copies it
    without inflating it again; a trailing leftover is still inflated and cut, and without
    the audit's read the cleaner follows the stream itself."""
    from veil.core.formats import png_clean

    src = tmp_path / "src.png"
    src.write_bytes(fp.with_idat_tail(fp.base_png(), tail) if tail else fp.base_png())
    calls: list[int] = []
    real = png_clean.rebuilt_idat

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(png_clean, "rebuilt_idat", spy)
    for audited in (True, False):
        if audited:
            with open(src, "rb") as f:
                Png.read(f, src.stat().st_size)
        out = io.BytesIO()
        outcome = Png.write_clean(src, out, ExportOptions())
        assert ("trailer" in outcome.removed) is bool(tail)
        assert pixels(out.getvalue()) == pixels(fp.base_png())
        assert (tail or b"never") not in out.getvalue()
    assert len(calls) == (2 if tail else 0)


def _inflates(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the IDAT stream follows that really inflate (not answered from memory)."""
    from veil.core.formats import png_idat

    calls: list[int] = []
    real = png_idat._follow

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(png_idat, "_follow", spy)
    monkeypatch.setattr(png_idat, "_clean", {})  # nothing remembered from other tests
    return calls


def _audit(data: bytes) -> list[str]:
    scan = Png.read(io.BytesIO(data), len(data))
    return [e.kind for e in scan.embedded]


def test_the_copys_stream_is_followed_once_but_other_bytes_always(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export's re-audit of its copy meets the stream the source's audit just followed to
    a clean end: the same bytes are not inflated again. A stream that differs by one byte,
    with the same size header, is inflated and its leftover still found."""
    calls = _inflates(monkeypatch)
    base = fp.base_png()
    assert _audit(base) == [] and len(calls) == 1
    out, _ = clean(tmp_path, base)  # the cleaner takes the reader's word only for its file
    assert _audit(out) == [] and len(calls) == 1  # the copy: the same stream, remembered
    tailed = fp.with_idat_tail(base, SECRET)
    assert _audit(tailed) == ["cropped_leftover"] and len(calls) == 2
    assert _audit(tailed) == ["cropped_leftover"] and len(calls) == 3  # never remembered
    idat = dict(fp.split(base))["IDAT"][8:-4]
    damaged = fp.assemble(base).replace(
        fp.chunk("IDAT", idat), fp.chunk("IDAT", idat[:-1] + bytes([idat[-1] ^ 1]))
    )
    scan = Png.read(io.BytesIO(damaged), len(damaged))
    assert len(calls) == 4 and not scan.complete  # its checksum fails: never "clean"
    assert any("damaged" in w for w in scan.warnings)
    assert _audit(base) == [] and len(calls) == 4  # still the last clean stream


def _split_by(data: bytes, between: bytes) -> bytes:
    """``data`` with its one IDAT cut in two and ``between`` (a whole chunk) in the gap."""
    idat = dict(fp.split(data))["IDAT"]
    body = idat[8:-4]
    half = fp.chunk("IDAT", body[:10]) + between + fp.chunk("IDAT", body[10:])
    return data.replace(idat, half)


@pytest.mark.parametrize("own_chunk", [False, True])
def test_a_stream_the_reader_found_bytes_after_is_inflated_once_by_the_cleaner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_chunk: bool
) -> None:
    """The reader (the audit's, or the cleaner's own parse) already followed the stream and
    found the leftover: the cleaner inflated it once more only to find that out again,
    then once to keep it (3 inflates for one export, now 2). When the reader has no answer
    for those chunks (an IDAT run cut by another chunk), it still finds out first."""
    from veil.core.formats import png_idat

    src = tmp_path / "src.png"
    tailed = fp.with_idat_tail(fp.base_png(), SECRET, own_chunk=own_chunk)
    kept: list[bool] = []
    real = png_idat._inflate

    def spy(f, idats, limit, keep):  # type: ignore[no-untyped-def]
        kept.append(keep)
        return real(f, idats, limit, keep)

    monkeypatch.setattr(png_idat, "_inflate", spy)
    for data, audited, inflates in [(tailed, True, [True]), (tailed, False, [True]),
                                    (_split_by(tailed, fp.chunk("prVt", b"x")), False,
                                     [False, True])]:
        src.write_bytes(data)
        kept.clear()
        if audited:
            with open(src, "rb") as f:
                Png.read(f, src.stat().st_size)
        out = io.BytesIO()
        outcome = Png.write_clean(src, out, ExportOptions())
        assert "trailer" in outcome.removed and SECRET not in out.getvalue()
        assert pixels(out.getvalue()) == pixels(fp.base_png())
        assert kept == inflates


def test_a_large_stream_deflated_again_keeps_the_very_scanlines(tmp_path: Path) -> None:
    """A photo-sized stream (over one 1 MB output chunk) with bytes after it: the copy's
    stream inflates to the source's filtered scanlines byte for byte, in several IDATs."""
    noise = Image.effect_noise((1200, 900), 60).convert("RGB")
    buf = io.BytesIO()
    noise.save(buf, "PNG")
    data = fp.assemble(buf.getvalue(), before_iend=[fp.chunk("IDAT", zlib.compress(SECRET))])

    def scanlines(png: bytes) -> bytes:
        return zlib.decompress(b"".join(raw[8:-4] for t, raw in fp.split(png) if t == "IDAT"))

    out, outcome = clean(tmp_path, data)
    idats = [raw for t, raw in fp.split(out) if t == "IDAT"]
    assert len(idats) > 1 and all(len(raw) - 12 <= 1 << 20 for raw in idats)
    assert scanlines(out) == scanlines(buf.getvalue()) and SECRET not in out
    assert pixels(out) == noise.tobytes() and outcome.lossless and "trailer" in outcome.removed
