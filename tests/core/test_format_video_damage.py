"""Video audit of damaged and odd movies: one line for a broken one, never "none" where
bytes went unread, metadata salvaged from a cut one (which the cleaner refuses)."""

from __future__ import annotations

import struct
from pathlib import Path

from tests.factories.isobmff import box, ftyp
from tests.factories.mp4 import make_mp4, xyz_atom
from tests.factories.video import make_clip, summaries_by_kind
from veil.core.audit import audit_file
from veil.core.model import FindingKind, Risk


def _patched(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack(">I", value) + data[at + 4 :]


def test_bad_movies_one_line_reason(tmp_path: Path) -> None:
    data = make_mp4(brand="isom")
    moov_at = data.index(b"moov") - 4
    cases = {
        "huge_moov.mp4": _patched(data, moov_at, 0x7FFF_FFFF),
        "no_moov.mp4": ftyp("isom", "isom") + box("mdat", b"\0" * 32),
        "tiny_box.mp4": _patched(data, moov_at, 3),
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        report = audit_file(path, metadata_only=True)
        assert not report.ok, name
        assert report.error and "\n" not in report.error, name
        assert report.risk is Risk.UNKNOWN


def test_unknown_top_box_blocks_none(tmp_path: Path) -> None:
    path = tmp_path / "odd.mp4"
    path.write_bytes(make_mp4(brand="isom", audio=False) + box("zzzz", b"secret"))
    report = audit_file(path, metadata_only=True)
    assert report.ok
    assert report.risk is not Risk.NONE
    assert any("zzzz" in n for n in report.notes)


def test_padding_that_holds_data_blocks_none(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "tail.mp4", sound=False, extra=("-map_metadata", "-1",
                                                                 "-fflags", "+bitexact"))
    # Metadata only: a clip's frames are never checked, so a full scan is never "none".
    assert audit_file(clip, metadata_only=True).risk is Risk.NONE
    secret = b"OWNER=Jane Doe"
    with open(clip, "ab") as f:
        f.write(struct.pack(">I4s", 8 + len(secret), b"free") + secret)
    report = audit_file(clip, metadata_only=True)
    assert report.risk is Risk.UNKNOWN
    assert any("padding box holds" in n for n in report.notes)


def test_a_movie_cut_inside_its_media_still_shows_its_metadata(tmp_path: Path) -> None:
    """Hostile retest of issues 15/17 ("salvage, don't refuse"): a fast-start movie (moov
    first) cut inside mdat was an error ("box 'mdat' ... beyond its container's end") and hid
    the position exiftool still reads from it. Now: ok, the position, never "none", a note;
    the cleaner still refuses it."""
    from veil.core.export import export_clean
    from veil.core.model import ExportOptions, ExportStatus

    data = make_mp4(brand="isom", udta=xyz_atom("+48.8584+002.2945/"))
    assert data.index(b"moov") < data.index(b"mdat")
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: len(data) - 30])
    report = audit_file(path, metadata_only=True)
    assert report.ok, report.error
    assert report.risk is not Risk.NONE
    where = summaries_by_kind(report)[FindingKind.LOCATION]
    assert where[0].startswith("Shows where it was filmed: 48.8")
    assert any("could not be read" in n for n in report.notes), report.notes
    result = export_clean(path, tmp_path / "out", ExportOptions())
    assert result.status is not ExportStatus.CLEANED
    assert not list((tmp_path / "out").glob("*"))


def test_a_movie_cut_inside_its_movie_header_is_still_refused(tmp_path: Path) -> None:
    data = make_mp4(brand="isom")
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: data.index(b"moov") + 40])
    report = audit_file(path, metadata_only=True)
    assert not report.ok and report.error and "\n" not in report.error
