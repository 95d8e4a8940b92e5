"""What hides inside the file: thumbnails (and stale ones), extra images, video, trailers,
C2PA records and maker notes."""

from __future__ import annotations

from veil.core import explain
from veil.core.detectors.common import brand, finding
from veil.core.formats.base import Embedded
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity

#: DCF thumbnails are 160x120 by rule, padded with bars, so their shape proves nothing.
_DCF = ((160, 120), (120, 160))
_TOLERANCE = 0.02


def _ratio(w: int, h: int) -> float:
    return w / h if h else 0.0


def _differs(a: tuple[int, int], b: tuple[int, int]) -> bool:
    ra, rb = _ratio(*a), _ratio(*b)
    return bool(ra and rb) and abs(ra - rb) / rb > _TOLERANCE


def _exif_dims(meta: Metadata) -> tuple[int, int] | None:
    """The size EXIF says the picture had when the camera wrote it."""
    try:
        w = int(str(meta.values.get("EXIF:ExifImageWidth", "")))
        h = int(str(meta.values.get("EXIF:ExifImageLength", "")))
    except ValueError:
        return None
    return (w, h) if w > 0 and h > 0 else None


def stale_reason(meta: Metadata) -> str | None:
    """Why the preview may not match the photo (shape differs), or None."""
    scan = meta.scan
    if not (scan.width and scan.height):
        return None
    main = (scan.width, scan.height)
    thumb = meta.thumbnail_size
    if thumb and thumb not in _DCF and _differs(thumb, main) and _differs(thumb, main[::-1]):
        return f"the preview is {thumb[0]}×{thumb[1]}, the photo {main[0]}×{main[1]}"
    exif = _exif_dims(meta)
    if exif and _differs(exif, main) and _differs(exif, main[::-1]):
        return (f"EXIF says the photo was {exif[0]}×{exif[1]} but it is now "
                f"{main[0]}×{main[1]} (cropped after the preview was made)")
    return None


def _item_size(e: Embedded) -> tuple[int, int] | None:
    w, h = e.detail.get("width"), e.detail.get("height")
    return (w, h) if isinstance(w, int) and isinstance(h, int) and w > 0 and h > 0 else None


def detect_thumbnail(meta: Metadata) -> list[Finding]:
    """EXIF/HEIF/DNG/XMP/Photoshop preview images; high when the EXIF preview looks stale."""
    exif_items = [e for e in meta.scan.embedded
                  if e.kind == "thumbnail" and e.detail.get("source") == "EXIF IFD1"]
    items = [e for e in meta.scan.embedded if e.kind == "thumbnail" and e not in exif_items]
    where: list[str] = []
    count = len(items)
    if meta.thumbnail or exif_items:
        where.append("EXIF")
        count += 1
    if items:
        where.append(meta.scan.format.upper())
    for flag, name in (("xmp_thumbnail", "XMP"), ("photoshop_thumbnail", "Photoshop"),
                       ("makernote_thumbnail", "Maker notes")):
        if flag in meta.flags:
            where.append(name)
            count += 1
    if not where:
        # An empty preview slot (IFD1 pointing at 0 bytes) shows nothing: not a finding.
        return []
    sizes = [s for s in [meta.thumbnail_size, *(_item_size(e) for e in items)] if s]
    size = max(sizes, key=lambda s: s[0] * s[1]) if sizes else None
    detail = {"label": "Preview image", "sources": where, "count": count,
              "size": list(size) if size else None,
              "bytes": len(meta.thumbnail) if meta.thumbnail else None,
              "items": [{"note": e.note, "length": e.length, **e.detail} for e in items],
              # the picture itself is compared with the previews only with the pixel checks
              # (``detectors.stale``), which set this True
              "content_checked": False}
    # Only a real picture can be stale (test files carry "<Dummy thumbnail image data>").
    real = meta.thumbnail is not None and meta.thumbnail[:2] in (b"\xff\xd8", b"II", b"MM")
    reason = stale_reason(meta) if real else None
    if reason:
        detail.update(label="Old preview", stale=True, reason=reason)
        return [finding(FindingKind.THUMBNAIL, Severity.HIGH,
                        "The small preview inside the file doesn't match the photo: it may "
                        "show the uncropped original", ", ".join(where), detail)]
    dims = f" ({size[0]}×{size[1]})" if size else ""
    what = "video" if meta.scan.video is not None else "photo"
    if count > 1:
        summary = f"Contains {count} preview copies of the {what}" + (
            f" (the largest {size[0]}×{size[1]})" if size else "")
    else:
        summary = f"Contains a small preview copy of the {what}{dims}"
    return [finding(FindingKind.THUMBNAIL, Severity.MEDIUM, summary, ", ".join(where), detail)]


def _video(items: list[Embedded], meta: Metadata) -> Finding:
    d = items[0].detail
    seconds, audio = d.get("duration_s"), d.get("has_audio")
    length = f"{float(seconds):.1f} s of video" if isinstance(seconds, int | float) else "a video"
    if audio:
        words, sev = f"Contains {length} with sound", Severity.HIGH
    elif audio is False:
        words, sev = f"Contains {length} (no sound)", Severity.MEDIUM
    else:
        words, sev = f"Contains {length}; it may include sound", Severity.HIGH
    detail = {"label": "Hidden video", "duration_s": seconds, "has_audio": audio,
              "bytes": sum(e.length for e in items), "offset": items[0].offset,
              "note": items[0].note}
    return finding(FindingKind.EMBEDDED_MEDIA, sev, words + " hidden inside the file",
                   items[0].note or "motion photo", detail)


def detect_embedded(meta: Metadata) -> list[Finding]:
    """One finding per kind of hidden content (video, extra images, trailers, leftovers...)."""
    by_kind: dict[str, list[Embedded]] = {}
    for e in meta.scan.embedded:
        by_kind.setdefault(e.kind, []).append(e)
    out: list[Finding] = []
    if "motion_video" in by_kind:
        out.append(_video(by_kind["motion_video"], meta))
    elif "motion_photo" in meta.flags:
        out.append(finding(FindingKind.EMBEDDED_MEDIA, Severity.MEDIUM,
                           "Its tags say it is a motion photo: a short video may travel with it",
                           "XMP", {"label": "Motion photo"}))
    texts = {
        "cropped_leftover": (Severity.HIGH, "Leftover data", "Holds leftover data from before it "
                             "was cropped or edited: it may still contain the original picture"),
        "mpf_image": (Severity.MEDIUM, "Extra images", "Contains {n} more image{s} inside the "
                      "file (for example a larger preview or a second view)"),
        "aux_image": (Severity.MEDIUM, "Extra images", "Contains {n} extra image layer{s} "
                      "inside the file: {plain}"),
        "trailer": (Severity.MEDIUM, "Hidden data", "Has {bytes} of extra data after the picture "
                    "({plain})"),
    }
    for kind, (sev, label, text) in texts.items():
        items = by_kind.get(kind)
        if not items:
            continue
        notes = ", ".join(dict.fromkeys(
            e.note.replace(" after the picture", "") for e in items if e.note
        )) or "unknown content"
        total = sum(e.length for e in items)
        plain = explain.join_words(list(dict.fromkeys(_plain(e) for e in items))[:4])
        summary = text.format(n=len(items), s="" if len(items) == 1 else "s",
                              plain=plain, bytes=_size(total))
        if kind == "mpf_image" and "gain_map" in meta.flags and len(items) == 1:
            summary = f"Contains 1 more image inside the file: {_AUX_WORDS['gain map']}"
        elif kind == "mpf_image" and all(e.detail.get("type") in _MPF_WORDS for e in items):
            words = list(dict.fromkeys(_MPF_WORDS[str(e.detail["type"])] for e in items))
            summary = (f"Contains {len(items)} more image{'' if len(items) == 1 else 's'} "
                       f"inside the file: {explain.join_words(words)}")
        out.append(finding(FindingKind.EMBEDDED_MEDIA, sev, summary, notes[:80] or kind,
                           {"label": label, "kind": kind, "count": len(items), "bytes": total,
                            "items": [{"offset": e.offset, "length": e.length, "note": e.note,
                                       **e.detail} for e in items]}))
    return out


#: What hidden items are, in plain words (the handlers' notes name formats, not meanings).
_AUX_WORDS = {"gain map": "a brightness map of the same scene (for extra-bright screens)",
              "depth": "a depth map (how far each point was from the camera)",
              "matte": "a cut-out mask of the people in it (portrait mode)",
              "alpha": "a transparency mask",
              "thermal image": "a heat (thermal) picture of the same scene",
              "visible image": "an ordinary photo taken beside the heat picture"}
_MPF_WORDS = {"large thumbnail (VGA)": "a larger preview of the photo",
              "large thumbnail (full HD)": "a larger preview of the photo",
              "panorama frame": "frames of a panorama",
              "disparity (3D) frame": "the other eye's view of a 3D photo",
              "multi-angle frame": "views from other angles"}
_TRAILER_WORDS = {
    "AFCP metadata trailer (IPTC)": "captions and tags added by photo software",
    "Photo Mechanic metadata trailer": "captions and tags added by Photo Mechanic",
    "FotoStation metadata trailer": "captions and tags added by FotoStation",
    "MIE metadata trailer": "extra metadata added by photo software",
    "Canon recipe data (VRD) trailer": "Canon editing settings",
    "Samsung trailer": "data added by Samsung's camera app",
    "Insta360 trailer": "data added by an Insta360 camera",
    "Nikon app trailer": "data added by a Nikon app",
    "another JPEG image appended after the picture": "another picture",
}


def _plain(e: Embedded) -> str:
    if e.kind == "aux_image":
        kind = str(e.detail.get("aux_type", ""))
        return _AUX_WORDS.get(kind, "an extra image layer")
    if e.note in _TRAILER_WORDS:
        return _TRAILER_WORDS[e.note]
    note = e.note.replace(" after the picture", "")
    if not note or note.endswith("of unknown data after the end of the image"):
        return "unknown content"  # the size is already in the sentence
    return _TRAILER_WORDS.get(note, note)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{max(1, round(n / 1024))} KB" if n >= 1024 else f"{n} bytes"


def detect_provenance(meta: Metadata) -> list[Finding]:
    """C2PA / JUMBF Content Credentials."""
    if not meta.scan.c2pa:
        return []
    return [finding(FindingKind.PROVENANCE, Severity.MEDIUM,
                    "Carries a Content Credentials (C2PA) record, which can name the creator "
                    "and the editing history", "C2PA", {"label": "Content Credentials"})]


def detect_maker_notes(meta: Metadata) -> list[Finding]:
    """Maker notes whose identifying parts we could not decode (serials are reported apart)."""
    if not meta.maker_note:
        return []
    if any(n.startswith("MakerNote") for n, _ in meta.serials + meta.owners):
        return []
    maker = brand(meta.maker_note)
    return [finding(FindingKind.MAKER_NOTES, Severity.LOW,
                    f"Contains private data from the {maker + ' ' if maker else ''}camera, "
                    "which can include settings and internal IDs", "MakerNote",
                    {"label": "Maker notes", "maker": meta.maker_note,
                     "note": meta.values.get("MakerNote:MakerNote")})]
