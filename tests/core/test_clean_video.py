"""Video clean: lossless copies (ffmpeg's packet checksums match), nothing identifying left for
exiftool to find, playback boxes kept, revealing tracks dropped with their samples, and bad
movies failing alone with one line while the batch goes on."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from tests.factories.video import (
    PHONE_TAGS,
    exif_json,
    make_clip,
    packets,
    tag,
    telemetry_clip,
)
from veil.cli import main
from veil.core.audit import audit_file
from veil.core.export import export_batch, export_clean
from veil.core.formats.isobmff import iter_boxes
from veil.core.model import ExportOptions, ExportStatus, FindingKind, Region

#: exiftool groups that only metadata lives in.
_META_GROUPS = ("UserData", "Keys", "ItemList", "XMP", "GPS", "Composite:GPS")
#: exiftool tag names that identify (any group).
_IDENTIFYING = ("GPS", "Make", "Model", "Software", "Creator", "DisplayName", "Author",
                "Encoder", "HandlerDescription", "CompressorName", "VendorID")
_NO_DATE = "0000:00:00 00:00:00"


def _leaks(info: dict[str, object]) -> list[str]:
    bad = []
    for key, value in info.items():
        group, _, name = key.partition(":")
        metadata = group.startswith(_META_GROUPS) or any(w in name for w in _IDENTIFYING)
        dated = name.endswith("Date") and group != "System" and value not in (0, _NO_DATE)
        if metadata or dated:
            bad.append(f"{key}={value}")
    return bad


def _top_boxes(path: Path) -> list[str]:
    data = path.read_bytes()
    return [b.type for b in iter_boxes(data, 0, len(data))]


@pytest.mark.parametrize(("fmt", "name"), [("mov", "IMG_4821.MOV"), ("mp4", "PXL_1.mp4"),
                                           ("ipod", "clip.m4v"), ("3gp", "VID_1.3gp")])
def test_clean_copy_is_lossless_and_silent(tmp_path: Path, fmt: str, name: str) -> None:
    extra = ("-ar", "8000", "-ac", "1") if fmt == "3gp" else ()
    clip = tag(make_clip(tmp_path / name, fmt=fmt, extra=extra), *PHONE_TAGS)
    assert _leaks(exif_json(clip)), "the fixture must carry metadata to remove"
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.verified and result.lossless
    assert result.output is not None and result.output.name == name
    assert {"location", "device", "identity", "time"} <= set(result.removed)
    assert _leaks(exif_json(result.output)) == []
    assert packets(result.output) == packets(clip)
    assert _top_boxes(result.output) == ["ftyp", "moov", "mdat"]  # fast start
    again = audit_file(result.output)
    assert [f.kind for f in again.findings] == [FindingKind.SOUND]
    assert clip.read_bytes() != result.output.read_bytes()


@pytest.mark.parametrize("sound", [True, False])
def test_a_kept_sound_track_is_listed_as_kept(tmp_path: Path, sound: bool) -> None:
    # The copy keeps the clip's sound (voices, background noise) byte for byte; the result
    # said kept=[] and the CLI "verified clean", while the window's plan said "keeps the
    # sound". A silent clip keeps nothing.
    clip = tag(make_clip(tmp_path / "clip.mp4", fmt="mp4", sound=sound), *PHONE_TAGS)
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert ("sound" in result.kept) is sound
    assert result.verified and "location" in result.removed


def test_rotation_kept(tmp_path: Path) -> None:
    clip = tag(make_clip(tmp_path / "turned.mov", fmt="mov"), "-Rotation=270", *PHONE_TAGS)
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output is not None
    assert exif_json(result.output)["Composite:Rotation"] == 270
    assert packets(result.output) == packets(clip)


def test_pcm_sound_of_one_sample_size_is_copied_whole(tmp_path: Path) -> None:
    # QuickTime PCM sound gives every sample one size (stsz without a per-sample table):
    # its chunk lengths come from that size and the sound description, not from a table.
    clip = tag(make_clip(tmp_path / "pcm.mov", fmt="mov", extra=("-c:a", "pcm_s16le")),
               *PHONE_TAGS)
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.verified and result.lossless and "sound" in result.kept
    assert result.output is not None
    assert packets(result.output) == packets(clip)

def test_text_track_dropped_with_its_samples(tmp_path: Path) -> None:
    srt = tmp_path / "gps.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,500\nGPS 48.85841 2.29452 ALT 31m\n\n")
    clip = make_clip(tmp_path / "DJI_0001.mp4", inputs=("-i", str(srt)),
                     extra=("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "mov_text"))
    assert b"48.85841" in clip.read_bytes()
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output is not None
    assert "text track" in result.removed
    assert b"48.85841" not in result.output.read_bytes()
    assert packets(result.output) == packets(clip)  # the video and sound packets


def test_trailing_box_and_junk_are_not_copied(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "tail.mp4")
    secret = b"OWNER=Jane Doe, +48.85841+002.29452/"
    with open(clip, "ab") as f:
        f.write(struct.pack(">I4s", 8 + len(secret), b"free") + secret)
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output is not None and secret not in result.output.read_bytes()


def _bad_copies(clip: Path, folder: Path) -> dict[str, bytes]:
    data = clip.read_bytes()
    moov = data.index(b"moov") - 4
    stco = data.index(b"stco") - 4
    past = data[: stco + 16] + struct.pack(">I", len(data) + 1000) + data[stco + 20 :]
    return {
        "cut.mp4": data[: len(data) * 2 // 3],
        "moov_2gb.mp4": data[:moov] + struct.pack(">I", 0x7FFF_FFF0) + data[moov + 4 :],
        "offset_past_end.mp4": past,
        "huge_mdat.mp4": data + struct.pack(">I4sQ", 1, b"mdat", 1 << 40),
    }


def test_bad_movies_fail_alone(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    good = make_clip(tmp_path / "in" / "good.mp4")
    for name, raw in _bad_copies(good, tmp_path).items():
        (tmp_path / "in" / name).write_bytes(raw)
    out = tmp_path / "out"
    results = {r.source.name: r for r in export_batch([tmp_path / "in"], out, ExportOptions())}
    assert results["good.mp4"].status is ExportStatus.CLEANED, results["good.mp4"].error
    for name in ("cut.mp4", "moov_2gb.mp4", "offset_past_end.mp4", "huge_mdat.mp4"):
        r = results[name]
        assert r.status is ExportStatus.FAILED, name
        assert r.error and "\n" not in r.error, name
    assert sorted(p.name for p in out.rglob("*")) == ["good.mp4"]  # nothing half-written


def test_redaction_is_refused_for_videos(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "a.mp4", sound=False)
    result = export_clean(clip, tmp_path / "out", ExportOptions(redactions=(Region(0, 0, 8, 8),)))
    assert result.status is ExportStatus.SKIPPED
    assert "redact" in (result.error or "")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_clean_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = tag(make_clip(tmp_path / "c.mov", fmt="mov"), *PHONE_TAGS)
    code = main(["clean", str(clip), "--out", str(tmp_path / "out"), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    entry = data["results"][0] if "results" in data else data["files"][0]
    assert entry["status"] == "cleaned" and entry["lossless"] is True


def test_telemetry_track_dropped(tmp_path: Path) -> None:
    clip = telemetry_clip(tmp_path, gpmf=(51.500729, -0.124625, 20.0))
    assert b"GPS5l" in clip.read_bytes()
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output is not None
    assert "telemetry track" in result.removed
    assert "location" in result.removed
    assert b"GPS5l" not in result.output.read_bytes()
    assert packets(result.output) == packets(clip)


def test_overlapping_chunks_refused(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "a.mp4")
    data = clip.read_bytes()
    first = data.index(b"stco")
    second = data.index(b"stco", first + 4)
    video_first_chunk = data[first + 12 : first + 16]
    clip.write_bytes(data[: second + 12] + video_first_chunk + data[second + 16 :])
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.FAILED
    assert "overlap" in (result.error or "")
    assert not list((tmp_path / "out").iterdir())


def test_bytes_no_track_uses_are_found_and_not_copied(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "a.mp4", fmt="mp4", extra=("-movflags", "+faststart"))
    data = clip.read_bytes()
    mdat = data.rindex(b"mdat") - 4
    assert struct.unpack(">I", data[mdat : mdat + 4])[0] == len(data) - mdat  # mdat is last
    secret = b"an older cut of this video: Jane Doe, +48.85841+002.29452/"
    clip.write_bytes(data[:mdat] + struct.pack(">I", len(data) - mdat + len(secret))
                     + data[mdat + 4 :] + secret)
    report = audit_file(clip, metadata_only=True)
    assert any(f"{len(secret)} bytes of the media data belong to no track" in n
               for n in report.notes)
    result = export_clean(clip, tmp_path / "out", ExportOptions())
    assert result.status is ExportStatus.CLEANED, result.error
    assert result.output is not None and secret not in result.output.read_bytes()
    assert "unused media bytes" in result.removed
    assert packets(result.output) == packets(clip)


def test_past_4gb_layout_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The co64 / 64-bit mdat layout a >4 GB copy gets, forced on a small clip, plays the same
    and is read back (and cleaned again) like any other movie."""
    from veil.core.formats.video import clean

    clip = tag(make_clip(tmp_path / "a.mov", fmt="mov"), *PHONE_TAGS)
    monkeypatch.setattr(clean, "WIDE_OFFSETS_AT", 0)
    monkeypatch.setattr(clean, "LARGE_MDAT_AT", 0)
    first = export_clean(clip, tmp_path / "wide", ExportOptions())
    assert first.status is ExportStatus.CLEANED, first.error
    assert first.output is not None
    data = first.output.read_bytes()
    assert b"co64" in data and b"stco" not in data
    mdat = data.index(b"mdat") - 4
    assert struct.unpack(">I", data[mdat : mdat + 4])[0] == 1  # 64-bit size follows
    assert packets(first.output) == packets(clip)
    monkeypatch.undo()
    second = export_clean(first.output, tmp_path / "again", ExportOptions())
    assert second.status is ExportStatus.CLEANED, second.error
    assert second.output is not None and b"stco" in second.output.read_bytes()
    assert packets(second.output) == packets(clip)


def test_a_track_of_unknown_kind_refuses_the_movie(tmp_path: Path) -> None:
    """ffmpeg still plays a clip whose video handler reads '~ide'; a copy without that track
    would silently lose the picture, so the movie is refused, not cleaned to sound only."""
    (tmp_path / "in").mkdir()
    clip = make_clip(tmp_path / "in" / "odd.mp4")
    raw = clip.read_bytes()
    at = raw.index(b"hdlr") + 12  # size, 'hdlr', version/flags, pre_defined: the handler
    assert raw[at:at + 4] == b"vide"
    clip.write_bytes(raw[:at] + b"~ide" + raw[at + 4:])
    out = tmp_path / "out"
    results = list(export_batch([clip.parent], out, ExportOptions()))
    assert len(results) == 1 and results[0].status is not ExportStatus.CLEANED
    assert "track of a kind Veil does not know" in (results[0].error or "")
    assert "\n" not in (results[0].error or "")
    assert not out.exists() or not list(out.iterdir())
