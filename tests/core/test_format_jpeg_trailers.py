"""JPEG / MPO reading: what follows the picture (MPF images, motion photos, trailers) is
found and named."""

from __future__ import annotations

import pytest

from tests.factories import exif as ex
from tests.factories import jpeg as fj
from tests.factories.jpeg import read_jpeg, thumb_jpeg
from tests.factories.mp4 import make_mp4


def test_mpo_lists_the_extra_image() -> None:
    data = fj.mpo(fj.encode(), fj.encode(fj.noise_image(seed=3)))
    scan = read_jpeg(data)
    assert scan.format == "mpo"
    extra = [e for e in scan.embedded if e.kind == "mpf_image"]
    assert len(extra) == 1
    assert data[extra[0].offset : extra[0].offset + 3] == b"\xff\xd8\xff"
    assert extra[0].offset + extra[0].length == len(data)
    assert not [e for e in scan.embedded if e.kind == "trailer"]


def test_motion_photo_video_after_eoi() -> None:
    movie = make_mp4(duration=2800, audio=True)
    data = fj.encode() + movie
    scan = read_jpeg(data)
    videos = [e for e in scan.embedded if e.kind == "motion_video"]
    assert len(videos) == 1
    v = videos[0]
    assert v.offset == len(data) - len(movie) and v.length == len(movie)
    assert v.detail.get("duration_s") == pytest.approx(2.8)
    assert v.detail.get("has_audio") is True


def test_gain_map_padding_and_video_after_eoi() -> None:
    movie = make_mp4(duration=1000, audio=False)
    data = fj.mpo(fj.encode(), fj.encode(fj.noise_image((16, 12), "L"))) + b"\x00" * 7 + movie
    scan = read_jpeg(data)
    assert [e.kind for e in scan.embedded] == ["mpf_image", "motion_video"]
    assert scan.embedded[1].offset == len(data) - len(movie)
    assert scan.embedded[1].detail.get("has_audio") is False


def test_samsung_trailer_with_motion_photo() -> None:
    movie = make_mp4(duration=1500, audio=False)
    sef = fj.samsung_trailer({"Image_UTC_Data": b"1699195812000", "MotionPhoto_Data": movie})
    scan = read_jpeg(fj.encode() + sef)
    kinds = {e.kind: e for e in scan.embedded}
    assert "Image_UTC_Data" in kinds["trailer"].detail["entries"]
    assert kinds["trailer"].detail["values"]["Image_UTC_Data"] == "1699195812000"
    assert kinds["motion_video"].detail.get("has_audio") is False


def test_cropped_leftover_and_appended_jpeg_and_padding() -> None:
    original = fj.encode(fj.noise_image((128, 96), seed=5))
    leftover = read_jpeg(fj.encode() + fj.scan_tail(original))
    assert [e.kind for e in leftover.embedded] == ["cropped_leftover"]
    second = fj.encode(fj.noise_image((16, 16), seed=9))
    appended = read_jpeg(fj.encode() + second)
    (emb,) = appended.embedded
    assert emb.kind == "trailer" and emb.data == second
    padded = read_jpeg(fj.encode() + b"\x00" * 300)
    assert padded.embedded == () and padded.complete


def test_unknown_trailer_and_unknown_app_are_reported() -> None:
    scan = read_jpeg(fj.insert(fj.encode(), fj.segment(0xE9, b"Mystery\x00data")) + b"secret bytes")
    (emb,) = scan.embedded
    assert emb.kind == "trailer" and emb.length == len(b"secret bytes")
    unknown = [b for b in scan.blocks if not b.known]
    assert {b.name for b in unknown} == {"APP9", "trailer"}
    assert not scan.complete  # an APPn Veil can't read means the file can't be called clean


def test_afcp_and_fotostation_trailers_give_their_iptc_and_thumbnails() -> None:
    iptc = ex.iim(2, 80, b"Jane Doe")
    base = fj.encode()
    for trailer in (fj.afcp_trailer(iptc, thumb_jpeg(), len(base)),
                    fj.fotostation_trailer(iptc, thumb_jpeg())):
        scan = read_jpeg(base + trailer)
        assert scan.iptc == (iptc,)
        kinds = sorted(e.kind for e in scan.embedded)
        assert kinds == ["thumbnail", "trailer"]
        assert next(e for e in scan.embedded if e.kind == "thumbnail").data == thumb_jpeg()


@pytest.mark.parametrize("tail", [b"CANON OPTIONAL DATA\x00" + b"\x00" * 44, b"xxQDIOBS",
                                  b"\x00\x00\x00\x00\x00\x00/NIKON APP"])
def test_known_metadata_trailers_are_named(tail: bytes) -> None:
    scan = read_jpeg(fj.encode() + b"payload" + tail)
    (emb,) = scan.embedded
    assert emb.kind == "trailer" and "unknown" not in emb.note
    assert all(b.known for b in scan.blocks)


def test_broken_ftyp_box_is_one_damaged_movie() -> None:
    scan = read_jpeg(fj.encode() + b"\x00\x00\x00\x04ftypisom" + b"\x00" * 40)
    assert [e.kind for e in scan.embedded] == ["motion_video"]
