"""Metadata detectors: what else the file holds (previews, hidden video, extra images,
trailing data, Content Credentials)."""

from __future__ import annotations

from tests.factories.exif import (
    exif_payload,
)
from tests.factories.findings import THUMB_4_3, jpeg_header, meta, of, run
from veil.core.formats.base import Embedded
from veil.core.model import FindingKind, Severity


def test_thumbnail_present_medium_and_stale_high() -> None:
    ok = run(meta(width=4000, height=3000, exif=(exif_payload(thumbnail=THUMB_4_3),)))
    (thumb,) = of(FindingKind.THUMBNAIL, ok)
    assert thumb.severity is Severity.MEDIUM
    stale = run(meta(width=3000, height=3000,
                     exif=(exif_payload(thumbnail=jpeg_header(200, 100)),)))
    (thumb,) = of(FindingKind.THUMBNAIL, stale)
    assert thumb.severity is Severity.HIGH
    assert thumb.summary == ("The small preview inside the file doesn't match the photo: it may "
                             "show the uncropped original")


def test_an_empty_preview_slot_is_not_a_finding() -> None:
    """IFD1 pointing at a 0-byte preview reveals nothing (exiftool still lists the offset)."""
    found = run(meta(exif=(exif_payload(thumbnail=b""),)))
    assert not of(FindingKind.THUMBNAIL, found)


def test_dcf_thumbnail_shape_proves_nothing_but_cropped_exif_size_does() -> None:
    padded = run(meta(width=6000, height=4000, exif=(exif_payload(thumbnail=THUMB_4_3),)))
    assert of(FindingKind.THUMBNAIL, padded)[0].severity is Severity.MEDIUM
    cropped = run(meta(width=3000, height=3000,
                       exif=(exif_payload(thumbnail=THUMB_4_3, exif_size=(6000, 4000)),)))
    assert of(FindingKind.THUMBNAIL, cropped)[0].severity is Severity.HIGH


def test_rotated_photo_is_not_stale() -> None:
    found = run(meta(width=3000, height=4000,
                     exif=(exif_payload(thumbnail=jpeg_header(200, 150)),)))
    assert of(FindingKind.THUMBNAIL, found)[0].severity is Severity.MEDIUM


def test_several_previews_are_one_finding() -> None:
    items = (Embedded("thumbnail", 0, 10, "EXIF thumbnail", detail={"source": "EXIF IFD1"}),
             Embedded("thumbnail", 50, 900, "preview (SubIFD1, 1024x683)",
                      detail={"width": 1024, "height": 683}))
    found = run(meta("/x/a.dng", fmt="dng", embedded=items,
                     exif=(exif_payload(thumbnail=THUMB_4_3),)))
    (thumb,) = of(FindingKind.THUMBNAIL, found)
    assert thumb.summary == "Contains 2 preview copies of the photo (the largest 1024×683)"
    assert thumb.detail["count"] == 2


def test_motion_video_with_sound_is_high() -> None:
    video = Embedded("motion_video", 1000, 500_000, "motion photo video",
                     detail={"duration_s": 2.8, "has_audio": True})
    (emb,) = of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=(video,))))
    assert emb.severity is Severity.HIGH
    assert emb.summary.startswith("Contains 2.8 s of video with sound")
    silent = Embedded("motion_video", 1000, 500, detail={"duration_s": 1.0, "has_audio": False})
    assert of(FindingKind.EMBEDDED_MEDIA, run(meta(embedded=(silent,))))[0].severity is \
        Severity.MEDIUM


def test_mpf_trailer_leftover_and_c2pa() -> None:
    items = (Embedded("mpf_image", 10, 100, "MPF extra image"),
             Embedded("mpf_image", 200, 100, "MPF extra image"),
             Embedded("trailer", 300, 2048, "Samsung trailer"),
             Embedded("cropped_leftover", 400, 9000, "data after IEND"))
    found = run(meta(embedded=items, c2pa=True))
    summaries = {f.summary: f.severity for f in of(FindingKind.EMBEDDED_MEDIA, found)}
    assert summaries["Contains 2 more images inside the file (for example a larger preview or "
                     "a second view)"] is Severity.MEDIUM
    assert summaries["Has 2 KB of extra data after the picture (data added by Samsung's camera "
                     "app)"] is Severity.MEDIUM
    assert any(s.startswith("Holds leftover data") and v is Severity.HIGH
               for s, v in summaries.items())
    (prov,) = of(FindingKind.PROVENANCE, found)
    assert prov.summary.startswith("Carries a Content Credentials (C2PA) record")
