"""MP4/QuickTime probe used for motion photos, and the ISOBMFF walker's hostile-input rules."""

from __future__ import annotations

import io
import json
import struct

import pytest

from tests.factories.isobmff import box, ftyp, full_box, large_box
from tests.factories.mp4 import loci_atom, make_mp4, xyz_atom
from veil.core.errors import CorruptFile
from veil.core.formats import isobmff, mp4


class CountingIO(io.BytesIO):
    """A BytesIO that counts the bytes handed out by read()."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, n: int | None = -1) -> bytes:  # type: ignore[override]
        chunk = super().read(n)
        self.bytes_read += len(chunk)
        return chunk


def _probe(data: bytes, offset: int = 0, length: int | None = None) -> dict:
    f = io.BytesIO(data)
    return mp4.probe(f, offset, len(data) - offset if length is None else length)


def test_looks_like_mp4_brands() -> None:
    assert mp4.looks_like_mp4(make_mp4(brand="isom")[:64])
    assert mp4.looks_like_mp4(make_mp4(brand="mp42")[:64])
    assert mp4.looks_like_mp4(make_mp4(brand="qt  ")[:64])
    assert not mp4.looks_like_mp4(ftyp("heic", "mif1", "heic") + b"\0" * 32)
    assert not mp4.looks_like_mp4(b"\xff\xd8\xff\xe0" + b"\0" * 60)
    assert not mp4.looks_like_mp4(b"")


def test_probe_duration_and_tracks() -> None:
    info = _probe(make_mp4(duration=2800, timescale=1000, audio=True, video=True))
    assert info["container"] == "mp4"
    assert info["duration_s"] == pytest.approx(2.8)
    assert info["has_audio"] is True and info["has_video"] is True
    assert info["complete"] is True
    assert "gps" not in info
    json.dumps(info)  # JSON-able for the report


def test_probe_silent_video_and_quicktime_brand() -> None:
    info = _probe(make_mp4(audio=False, brand="qt  ", duration=900, timescale=600))
    assert info["container"] == "quicktime"
    assert info["has_audio"] is False and info["has_video"] is True
    assert info["duration_s"] == pytest.approx(1.5)


def test_probe_64bit_mvhd() -> None:
    info = _probe(make_mp4(mvhd_version=1, duration=90_000 * 3, timescale=90_000))
    assert info["duration_s"] == pytest.approx(3.0)
    assert info["created"].startswith("20")


def test_probe_embedded_at_offset_reads_little() -> None:
    movie = make_mp4() + box("mdat", b"\0" * 4_000_000)  # a big sample payload
    jpeg_part = b"\xff\xd8" + b"x" * 5000 + b"\xff\xd9"
    f = CountingIO(jpeg_part + movie + b"trailing junk")
    info = mp4.probe(f, len(jpeg_part), len(movie))
    assert info["bytes"] == len(movie)
    assert info["duration_s"] == pytest.approx(2.8) and info["has_audio"] is True
    assert f.bytes_read < 64 * 1024  # headers only, never the samples


def test_probe_location_atoms() -> None:
    info = _probe(make_mp4(udta=xyz_atom("+48.8584+002.2945/")))
    assert info["gps"]["lat"] == pytest.approx(48.8584)
    assert info["gps"]["lon"] == pytest.approx(2.2945)
    info = _probe(make_mp4(udta=loci_atom(-33.8568, 151.2153)))
    assert info["gps"]["lat"] == pytest.approx(-33.8568, abs=1e-4)
    assert info["gps"]["lon"] == pytest.approx(151.2153, abs=1e-4)


def test_probe_apple_keys_location() -> None:
    key = b"com.apple.quicktime.location.ISO6709"
    keys = full_box(
        "keys", 0, 0, struct.pack(">I", 1) + struct.pack(">I", 8 + len(key)) + b"mdta" + key
    )
    value = b"+12.9603+077.7055+000.000/"
    data = box("data", struct.pack(">II", 1, 0) + value)
    ilst = box("ilst", box(struct.pack(">I", 1), data))
    meta = box("meta", full_box("hdlr", 0, 0, b"\0\0\0\0mdta" + b"\0" * 13) + keys + ilst)
    movie = make_mp4()
    moov_at = movie.index(b"moov") - 4
    moov_size = struct.unpack(">I", movie[moov_at : moov_at + 4])[0]
    moov = movie[moov_at : moov_at + moov_size]
    patched = struct.pack(">I", moov_size + len(meta)) + moov[4:] + meta
    movie = movie[:moov_at] + patched + movie[moov_at + moov_size :]
    info = _probe(movie)
    assert info["gps"] == {"lat": 12.9603, "lon": 77.7055, "source": "QuickTime ISO6709"}


def test_probe_truncated_movie_is_incomplete_not_an_error() -> None:
    movie = make_mp4()
    info = _probe(movie[: len(movie) // 2])
    assert info["complete"] is False
    info = _probe(movie[:30])
    assert info["complete"] is False and info["has_audio"] is None


def test_probe_hostile_sizes_never_hang() -> None:
    # 64-bit size far beyond the data, and a zero-size box (= to the end).
    info = _probe(ftyp("isom") + large_box("moov", b"", claimed=1 << 60))
    assert info["complete"] is False
    info = _probe(ftyp("isom") + struct.pack(">I4s", 0, b"mdat") + b"\0" * 100)
    assert info["complete"] is False  # no moov: nothing to report
    # udta nested 200 deep: the location search stops at its depth cap.
    nested = xyz_atom("+1.0+2.0/")
    for _ in range(200):
        nested = box("udta", nested)
    info = _probe(make_mp4(udta=nested))
    assert info["duration_s"] == pytest.approx(2.8)


def test_walker_rejects_bad_headers() -> None:
    with pytest.raises(CorruptFile):
        list(isobmff.iter_boxes(struct.pack(">I4s", 4, b"free"), 0, 8))  # smaller than header
    with pytest.raises(CorruptFile):
        list(isobmff.iter_boxes(box("free", b"abc") + b"\0\0\0", 0, 14))  # stray bytes
    with pytest.raises(CorruptFile):
        list(isobmff.iter_boxes(large_box("mdat", b"x", claimed=1 << 40), 0, 17))
    with pytest.raises(CorruptFile):
        list(isobmff.iter_boxes(b"", 0, 0, depth=isobmff.MAX_DEPTH + 1))
    zero = struct.pack(">I4s", 0, b"mdat") + b"payload"
    (only,) = isobmff.iter_boxes(zero, 0, len(zero))
    assert only.size == len(zero) and only.type == "mdat"
