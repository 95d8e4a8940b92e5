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
#: Correlation of a zoomed-in part of the preview that explains a crop (the part is
#: upscaled from few preview pixels, so less sharp than a whole-picture match).
CROP_SAME = 0.8
CROP_GRID = 12
#: Share of the preview's textured cells whose texture is gone from the photo (blurred or
#: smoothed over) that makes it "edited".
LOST = 0.15
#: Grey-level spread below which a picture is flat (nothing to compare).
FLAT = 2.0
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
    """The preview without the flat bars DCF writers pad a 160x120 preview with."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    h, w = grey.shape
    rows = [i for i in range(h) if grey[i].std() < 4]
    cols = [j for j in range(w) if grey[:, j].std() < 4]
    top = next((i for i in range(h // 4) if i not in rows), 0) if rows and rows[0] == 0 else 0
    bottom = h
    while bottom - 1 > top and bottom - 1 in rows and h - bottom < h // 4:
        bottom -= 1
    left = next((j for j in range(w // 4) if j not in cols), 0) if cols and cols[0] == 0 else 0
    right = w
    while right - 1 > left and right - 1 in cols and w - right < w // 4:
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

    A preview of another shape is first stripped of the flat bars a DCF writer pads it
    with. If its shape still differs, it is either the picture squeezed into 160x120 (some
    writers stretch rather than pad) or the picture before a crop to another shape (a
    4:3 photo cut square keeps its 4:3 preview): a part of the preview with the photo's
    shape matching better than the squeezed whole says which."""
    mw, mh = main.size
    if min(mw, mh) < GRID or min(preview.size) < 8:
        return None  # too small to compare on the grid
    if _shape_differs(main.size, preview.size):
        preview = strip_bars(preview)  # a padded DCF preview: compare what it shows
    other_shape = _shape_differs(main.size, preview.size)
    a, b = _grey(main), _grey(preview)
    if min(float(a.std()), float(b.std())) < FLAT:
        return None  # a flat picture (all black...) has no content to compare
    whole = _corr(a, b)
    if other_shape:
        part = _best_part(main, preview, 1.0, enough=max(CROP_SAME, whole + 0.01))
        if part >= CROP_SAME and part > whole:
            return "cropped"
    if whole >= SAME:
        diff = np.abs(_norm(a) - _norm(b))
        smooth = sum(np.roll(np.roll(diff, dy, 0), dx, 1)
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1)) / 9.0
        inner = smooth[1:-1, 1:-1]  # the wrap-around rows of np.roll are not data
        if int((inner > CHANGED).sum()) >= CHANGED_CELLS or texture_lost(main, preview) >= LOST:
            return "edited"
        return None
    if not other_shape and _best_part(main, preview, 0.95, enough=CROP_SAME) >= CROP_SAME:
        return "cropped"
    return "different"


def _best_part(main: Image.Image, preview: Image.Image, largest: float, *,
               enough: float) -> float:
    """The best correlation of ``main`` with a part of ``preview`` of ``main``'s shape,
    from ``largest`` (of the biggest such part) down to 0.4 of it; stops at ``enough``.
    Searched on a coarser grid, which forgives the few preview pixels a window is off by;
    windows at most ~2 preview pixels apart, so a narrow part sliding far is still met."""
    target = _norm(_grey(main, CROP_GRID)).ravel()
    grey = preview.convert("L")
    grey.thumbnail((96, 96), Image.Resampling.BOX)  # windows of a small copy cost little
    pixels = np.asarray(grey, dtype=np.float64)
    gh, gw = pixels.shape
    table = np.zeros((gh + 1, gw + 1))
    table[1:, 1:] = pixels.cumsum(0).cumsum(1)  # any box's sum in four look-ups
    ratio = main.size[0] / main.size[1]
    fw, fh = (gh * ratio, gh) if gh * ratio <= gw else (gw, gw / ratio)
    steps = np.arange(CROP_GRID + 1) / CROP_GRID
    best = -1.0
    for scale in np.arange(largest, 0.39, -0.05):
        cw, ch = fw * scale, fh * scale
        if min(cw, ch) < CROP_GRID:
            break
        xs = np.linspace(0.0, gw - cw, max(9, int((gw - cw) / 2) + 2))
        ys = np.linspace(0.0, gh - ch, max(9, int((gh - ch) / 2) + 2))
        bx = np.rint(xs[:, None] + cw * steps[None, :]).astype(int).clip(0, gw)
        by = np.rint(ys[:, None] + ch * steps[None, :]).astype(int).clip(0, gh)
        corner = table[by[:, :, None, None], bx[None, None, :, :]]  # (ny, 13, nx, 13)
        sums = corner[:, 1:, :, 1:] - corner[:, :-1, :, 1:] - corner[:, 1:, :, :-1] \
            + corner[:, :-1, :, :-1]
        area = np.diff(by, axis=1)[:, :, None, None] * np.diff(bx, axis=1)[None, None, :, :]
        cells = (sums / np.maximum(area, 1)).transpose(0, 2, 1, 3).reshape(
            len(ys) * len(xs), CROP_GRID * CROP_GRID)
        cells -= cells.mean(axis=1, keepdims=True)
        spread = cells.std(axis=1)
        corr = (cells @ target) / CROP_GRID ** 2 / np.where(spread > 1e-3, spread, np.inf)
        best = max(best, float(corr.max()))
        if best >= enough:
            break
    return best


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
