"""Stale previews by content: does a preview kept in the file show what the photo shows?

A thumbnail is "stale" by shape when its aspect differs (``hidden.stale_reason``). A photo
cropped to the same ratio, or edited in place (a face painted over, a background blurred),
keeps its old preview with the same shape; only the pixels tell. Each preview (EXIF IFD1,
JFXX/APPn previews, MPF large previews, HEIF thumbnail items) is compared with the main
picture on a small grey grid, orientation applied, after a brightness/contrast
normalisation (so recompression or a tone edit is not "stale"):

- correlation high everywhere: it matches;
- correlation high but one area differs strongly: part of the picture was changed;
- low, but a zoomed-in part of the preview matches: the photo was cropped after it;
- low otherwise: the preview shows a different picture.

This needs the main picture decoded, which a metadata-only scan never does (decoding costs
more than the whole metadata read: ~6 ms a JPEG even at 1/8 scale), so it runs with the
pixel checks; the metadata-only thumbnail finding says ``content_checked: false``.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from veil.core.detectors.stale_crop import CROP_GRID, CROP_SAME, best_part, textured_outside
from veil.core.metadata import Metadata
from veil.core.model import Finding, FindingKind, Severity
from veil.core.pixels.guard import check_decode_size

#: Side of the comparison grid (both pictures are brought to GRID x GRID grey pixels).
GRID = 32
#: Correlation above which two pictures show the same thing (real previews: > 0.95).
SAME = 0.88
#: A cell differing by more than this (in standard deviations) is changed content.
CHANGED = 1.1
#: Changed cells (of GRID*GRID, after a 3x3 smoothing) that make an area "edited".
CHANGED_CELLS = 6
#: Share of the preview's textured cells whose texture is gone from the photo (blurred or
#: smoothed over) that makes it "edited".
LOST = 0.15
#: Grey-level spread below which a picture is flat (nothing to compare).
FLAT = 2.0
#: Share of a preview's side that a flat bar may take (a 1:2 portrait padded to 160x120
#: is 31% bar on each side).
BAR_SHARE = 0.45
#: Previews kept or read at most (bytes): larger MPF images are skipped, not read.
MAX_PREVIEW = 4 * 1024 * 1024
_LARGE_MPF = ("large thumbnail (VGA)", "large thumbnail (full HD)")
#: Orientation (EXIF 1..8) -> the transpose that turns the stored pixels upright.
_TURN = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
         4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
         6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
         8: Image.Transpose.ROTATE_90}


def _grey(image: Image.Image, side: int = GRID) -> np.ndarray:
    return np.asarray(image.convert("L").resize((side, side), Image.Resampling.BOX),
                      dtype=np.float32)


def _norm(a: np.ndarray) -> np.ndarray:
    std = float(a.std())
    return (a - a.mean()) / std if std > 1e-3 else a - a.mean()


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    return float((_norm(a) * _norm(b)).mean())


def strip_bars(image: Image.Image) -> Image.Image:
    """The preview without the flat bars DCF writers pad a 160x120 preview with (up to
    :data:`BAR_SHARE` of a side each: a tall photo's preview is mostly bars)."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    h, w = grey.shape
    rows = grey.std(axis=1) < 4
    cols = grey.std(axis=0) < 4
    top, bottom, left, right = 0, h, 0, w
    while top < h * BAR_SHARE and rows[top]:
        top += 1
    while h - bottom < h * BAR_SHARE and bottom - 1 > top and rows[bottom - 1]:
        bottom -= 1
    while left < w * BAR_SHARE and cols[left]:
        left += 1
    while w - right < w * BAR_SHARE and right - 1 > left and cols[right - 1]:
        right -= 1
    return image.crop((left, top, right, bottom)) if (left, top, right, bottom) != (
        0, 0, w, h) else image


def texture_lost(main: Image.Image, preview: Image.Image) -> float:
    """Share of the preview's textured 8x8 cells that are smooth in the photo (compared at
    the preview's size): what a blurred or smudged area looks like."""
    pw, ph = preview.size
    p = np.asarray(preview.convert("L"), dtype=np.float32)
    m = np.asarray(main.convert("L").resize((pw, ph), Image.Resampling.LANCZOS),
                   dtype=np.float32)
    h, w = (ph // 8) * 8, (pw // 8) * 8
    if h < 16 or w < 16:
        return 0.0

    def cells(a: np.ndarray) -> np.ndarray:
        return a[:h, :w].reshape(h // 8, 8, w // 8, 8).std(axis=(1, 3))

    ps, ms = cells(p), cells(m)
    textured = ps > 6
    if int(textured.sum()) < 10:
        return 0.0
    return float(((ms < 0.4 * ps) & textured).sum() / textured.sum())


def _shape_differs(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return abs(a[0] / a[1] - b[0] / b[1]) / (a[0] / a[1]) > 0.06


def verdict(main: Image.Image, preview: Image.Image) -> str | None:
    """None when ``preview`` shows what ``main`` shows (both upright), else why not:
    "cropped", "edited" or "different".

    A preview of another shape is compared twice: without the flat bars a DCF writer pads
    it with, and as it is (some writers squeeze the picture into 160x120 instead, and a
    squeezed picture's own flat rows are not bars). If neither matches and its shape still
    differs, it may be the picture before a crop to another shape (a 4:3 photo cut square
    keeps its 4:3 preview): a part of the preview with the photo's shape that matches better
    than the squeezed whole says so."""
    mw, mh = main.size
    if min(mw, mh) < GRID or min(preview.size) < 8:
        return None  # too small to compare on the grid
    stripped = strip_bars(preview) if _shape_differs(main.size, preview.size) else preview
    # a padded DCF preview: compare what it shows (and, should its "bars" be the picture's
    # own flat edges, the preview as it is)
    candidates = [stripped, preview] if stripped is not preview else [preview]
    a = _grey(main)
    if min(float(a.std()), float(_grey(preview).std())) < FLAT:
        return None  # a flat picture (all black...) has no content to compare
    matched = [c for c in candidates if _corr(a, _grey(c)) >= SAME]
    if matched:  # the same picture: changed in one area, unless one reading shows none
        seen = [_edited(main, c, a, _grey(c)) for c in matched]
        return None if None in seen else seen[0]
    preview = stripped
    if _shape_differs(main.size, preview.size):
        # Compared on the same coarse grid as the parts: a finer grid scores lower, and a
        # squeezed preview must not lose to one of its own parts by that alone.
        squeezed = _corr(_grey(main, CROP_GRID), _grey(preview, CROP_GRID))
        part, box, pixels = best_part(main, preview, 1.0,
                                       enough=max(CROP_SAME, squeezed + 0.01))
        if part >= CROP_SAME and part > squeezed and box is not None:
            # What the photo lost must show something: flat all round is padding (bars a
            # DCF writer added, wider than :func:`strip_bars` dares to cut), not a crop.
            return "cropped" if textured_outside(pixels, box) else None
        return None  # another shape and no part of it matches: left to the shape check
    return "cropped" if best_part(main, preview, 0.95, enough=CROP_SAME)[0] >= CROP_SAME \
        else "different"


def _edited(main: Image.Image, preview: Image.Image, a: np.ndarray, b: np.ndarray) -> str | None:
    """"edited" when a matching preview still differs strongly in one area or shows texture
    the photo has lost (blurred, smudged), else None."""
    diff = np.abs(_norm(a) - _norm(b))
    smooth = sum(np.roll(np.roll(diff, dy, 0), dx, 1)
                 for dy in (-1, 0, 1) for dx in (-1, 0, 1)) / 9.0
    inner = smooth[1:-1, 1:-1]  # the wrap-around rows of np.roll are not data
    if int((inner > CHANGED).sum()) >= CHANGED_CELLS or texture_lost(main, preview) >= LOST:
        return "edited"
    return None


def _open(data: bytes, max_side: int = 512) -> Image.Image | None:
    try:
        image = Image.open(io.BytesIO(data))
        image.draft("L", (max_side, max_side))
        check_decode_size(image)  # a preview can be a decompression bomb too
        image.load()
    except Exception:  # a damaged preview is not a finding here; the shape check remains
        return None
    return image


def previews(meta: Metadata, path: Path) -> list[tuple[str, Image.Image, bool]]:
    """(where, picture, stored like the main picture) of every preview Veil can decode."""
    out: list[tuple[str, Image.Image, bool]] = []
    if meta.thumbnail and meta.thumbnail[:2] == b"\xff\xd8":
        image = _open(meta.thumbnail)
        if image is not None:
            out.append(("EXIF", image, True))
    for e in meta.scan.embedded:
        data = e.data
        if e.kind == "mpf_image" and e.detail.get("type") in _LARGE_MPF \
                and 0 < e.length <= MAX_PREVIEW:
            try:
                with open(path, "rb") as f:
                    f.seek(e.offset)
                    data = f.read(e.length)
            except OSError:
                continue
        elif e.kind != "thumbnail" or e.detail.get("source") == "EXIF IFD1":
            continue
        if data and data[:2] == b"\xff\xd8":
            image = _open(data)
            if image is not None:
                out.append((e.note or e.kind, image, True))
    if meta.scan.format in ("heic", "heif", "avif"):
        out.extend(_heif_thumbnails(path))
    return out


def _heif_thumbnails(path: Path) -> list[tuple[str, Image.Image, bool]]:
    try:
        import pillow_heif

        primary = pillow_heif.open_heif(str(path))[0]
        out = []
        for i in range(min(4, len(primary.info.get("thumbnails") or []))):
            thumb = primary.get_thumbnail(i)
            out.append(("HEIF thumbnail", thumb.to_pillow(), False))
        return out
    except Exception:  # pillow-heif refuses what it can't decode; nothing to compare then
        return []


_SAY = {
    "cropped": "the preview shows more than the photo: it was cropped after the preview "
               "was made",
    "edited": "part of the preview differs from the photo: something was painted over, "
              "blurred or removed after the preview was made",
    "different": "the preview shows a different picture from the photo",
}


def check(meta: Metadata, path: Path, main: Image.Image,
          findings: list[Finding]) -> list[Finding]:
    """``findings`` with the preview finding raised to high when a preview's content shows
    something the (upright) ``main`` picture no longer shows."""
    stale: list[tuple[str, str]] = []
    for where, image, like_main in previews(meta, path):
        turned = image.transpose(_TURN[meta.orientation]) if (
            like_main and meta.orientation in _TURN) else image
        seen = verdict(main, turned)
        if seen and turned is not image and verdict(main, image) is None:
            seen = None  # a writer that stored the preview upright already
        if seen:
            stale.append((where, seen))
    out = []
    for f in findings:
        if f.kind is FindingKind.THUMBNAIL:
            detail = {**dict(f.detail), "content_checked": True}
            if stale and not detail.get("stale"):
                where, seen = stale[0]
                detail.update(label="Old preview", stale=True, reason=_SAY[seen],
                              stale_by="content", stale_previews=[w for w, _ in stale])
                f = replace(f, severity=Severity.HIGH, detail=detail,
                            summary="The small preview inside the file doesn't match the "
                                    "photo: it may show what was cropped or painted out")
            else:
                f = replace(f, detail=detail)
        out.append(f)
    if stale and not any(f.kind is FindingKind.THUMBNAIL for f in findings):
        out.append(Finding(FindingKind.THUMBNAIL, Severity.HIGH,
                           "The preview inside the file doesn't match the photo: it may "
                           "show what was cropped or painted out", stale[0][0],
                           {"label": "Old preview", "stale": True, "stale_by": "content",
                            "reason": _SAY[stale[0][1]], "content_checked": True}))
    return out


def upright(image: Image.Image) -> Image.Image:
    """``image`` turned by its own EXIF orientation (for callers holding a raw decode)."""
    return ImageOps.exif_transpose(image) or image
