"""Made-up training images for the mark CNN (dev tool): composited marks and warm textures.

Marks follow the recipe of ``../shared/marks``'s README (line-art, symbols, short text,
filled shapes in blue-black / green / red at opacity 0.45-0.9 with a slight blur, 2-8 % of
the long side; soft brown birthmarks of 1-3 %), drawn here with this tool's own seed on the
skin of *training* photos, never on or from ``../shared/marks`` images. Textures are the
false alarms of a "dark marks on warm colours" detector: foliage, brick, soil, tiger
stripes, fur, leopard spots, wood grain.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

INKS = ((35, 40, 60), (25, 30, 45), (50, 55, 85), (30, 85, 60), (150, 35, 40), (20, 20, 25))
SYMBOLS = ("star", "heart", "anchor", "crescent", "cross", "arrow", "infinity", "diamond",
           "circle", "triangle", "lines", "text", "dots")


def skin_mask(rgb: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Skin (bool) to place marks on: a YCrCb + hue rule, narrowed to the faces' own skin
    colour when faces were found (the generic rule alone takes in jackets and walls)."""
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb).astype(np.float32)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    y, cr, cb = ycc[..., 0], ycc[..., 1], ycc[..., 2]
    hue, sat = hsv[..., 0], hsv[..., 1]
    rule = ((cr >= 132) & (cr <= 180) & (cb >= 75) & (cb <= 132) & (y >= 35)
            & ((hue <= 22) | (hue >= 165)) & (sat >= 25) & (sat <= 170))
    pts = []
    for x0, y0, x1, y1 in faces.astype(int):
        qw, qh = (x1 - x0) // 4, (y1 - y0) // 4
        sl = (slice(max(0, y0 + qh), max(0, y1 - qh)), slice(max(0, x0 + qw), max(0, x1 - qw)))
        keep = rule[sl]
        if keep.sum() >= 20:
            pts.append(np.stack([cr[sl][keep], cb[sl][keep]], axis=1))
    if not pts:
        return rule
    p = np.concatenate(pts)
    mean, inv = p.mean(axis=0), np.linalg.inv(np.cov(p.T) + np.eye(2) * 4.0)
    d0, d1 = cr - mean[0], cb - mean[1]
    maha = inv[0, 0] * d0 * d0 + 2 * inv[0, 1] * d0 * d1 + inv[1, 1] * d1 * d1
    return rule & (maha < 5.0)


def _symbol(d: ImageDraw.ImageDraw, kind: str, s: int, rng: np.random.Generator) -> None:
    """Draw one symbol in white on an s x s alpha canvas."""
    c, r = s / 2, s * 0.45
    lw = max(1, int(s * rng.uniform(0.04, 0.1)))
    fill = 255 if rng.random() < 0.4 else None
    if kind == "star":
        pts = [(c + (r if i % 2 == 0 else r * 0.4) * np.cos(-np.pi / 2 + i * np.pi / 5),
                c + (r if i % 2 == 0 else r * 0.4) * np.sin(-np.pi / 2 + i * np.pi / 5))
               for i in range(10)]
        d.polygon(pts, fill=fill, outline=255, width=lw)
    elif kind == "heart":
        d.ellipse((c - r, c - r * 0.6, c, c), fill=255)
        d.ellipse((c, c - r * 0.6, c + r, c), fill=255)
        d.polygon([(c - r * 0.98, c - r * 0.2), (c + r * 0.98, c - r * 0.2), (c, c + r)], fill=255)
    elif kind == "anchor":
        d.line((c, c - r, c, c + r), fill=255, width=lw)
        d.line((c - r * 0.5, c - r * 0.5, c + r * 0.5, c - r * 0.5), fill=255, width=lw)
        d.arc((c - r, c - r * 0.2, c + r, c + r), 20, 160, fill=255, width=lw)
        d.ellipse((c - r * 0.2, c - r * 1.0, c + r * 0.2, c - r * 0.6), outline=255, width=lw)
    elif kind == "crescent":
        d.ellipse((c - r, c - r, c + r, c + r), fill=255)
        d.ellipse((c - r * 0.5, c - r * 1.1, c + r * 1.3, c + r * 0.8), fill=0)
    elif kind == "cross":
        d.line((c, c - r, c, c + r), fill=255, width=lw * 2)
        d.line((c - r * 0.6, c - r * 0.35, c + r * 0.6, c - r * 0.35), fill=255, width=lw * 2)
    elif kind == "arrow":
        d.line((c - r, c, c + r, c), fill=255, width=lw)
        d.line((c + r, c, c + r * 0.6, c - r * 0.35), fill=255, width=lw)
        d.line((c + r, c, c + r * 0.6, c + r * 0.35), fill=255, width=lw)
    elif kind == "infinity":
        d.ellipse((c - r, c - r * 0.4, c, c + r * 0.4), outline=255, width=lw)
        d.ellipse((c, c - r * 0.4, c + r, c + r * 0.4), outline=255, width=lw)
    elif kind == "diamond":
        d.polygon([(c, c - r), (c + r * 0.6, c), (c, c + r), (c - r * 0.6, c)], fill=fill,
                  outline=255, width=lw)
    elif kind == "circle":
        d.ellipse((c - r, c - r, c + r, c + r), fill=fill, outline=255, width=lw)
    elif kind == "triangle":
        d.polygon([(c, c - r), (c + r, c + r * 0.7), (c - r, c + r * 0.7)], fill=fill,
                  outline=255, width=lw)
    elif kind == "lines":  # free line-art: a random smooth curve and a few strokes
        pts = [(c + r * rng.uniform(-1, 1), c + r * rng.uniform(-1, 1)) for _ in range(6)]
        d.line(pts, fill=255, width=lw, joint="curve")
    elif kind == "text":
        word = "".join(rng.choice(list("ABCDEFGHIJKLMNOPRSTUVWYabcdefghilmnorstuvy"), 4))
        try:
            font = ImageFont.load_default(size=max(8, int(s * 0.35)))
        except TypeError:  # Pillow without FreeType: the small bitmap font
            font = ImageFont.load_default()
        d.text((s * 0.05, c - s * 0.2), word, fill=255, font=font)
    else:  # dots
        for _ in range(int(rng.integers(3, 7))):
            x, y, q = c + r * rng.uniform(-0.8, 0.8), c + r * rng.uniform(-0.8, 0.8), lw * 1.5
            d.ellipse((x - q, y - q, x + q, y + q), fill=255)


def mark_alpha(s: int, rng: np.random.Generator, birthmark: bool) -> np.ndarray:
    """An s x s float alpha (0..1) of one tattoo or birthmark."""
    if birthmark:
        a = np.zeros((s, s), np.float32)
        for _ in range(int(rng.integers(1, 3))):
            rx, ry = s * rng.uniform(0.2, 0.45), s * rng.uniform(0.2, 0.45)
            cx, cy = s / 2 + s * rng.uniform(-0.15, 0.15), s / 2 + s * rng.uniform(-0.15, 0.15)
            cv2.ellipse(a, (int(cx), int(cy)), (max(1, int(rx)), max(1, int(ry))),
                        float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
        return cv2.GaussianBlur(a, (0, 0), max(0.6, s * 0.12))
    canvas = Image.new("L", (s, s), 0)
    d = ImageDraw.Draw(canvas)
    _symbol(d, str(rng.choice(SYMBOLS)), s, rng)
    canvas = canvas.rotate(float(rng.uniform(-40, 40)), resample=Image.Resampling.BILINEAR)
    canvas = canvas.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.4, 1.2))))
    return np.asarray(canvas, np.float32) / 255.0


def composite(
    rgb: np.ndarray, faces: np.ndarray, rng: np.random.Generator, n: int,
    avoid: list[tuple[float, float, float, float]] | None = None,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, list[tuple[float, float, float, float, bool]]]:
    """``rgb`` with up to ``n`` marks on skin away from ``faces`` and the ``avoid`` boxes
    (a photo's own tattoos), and only where ``allowed`` (bool, same size) when given;
    (image, boxes of the new marks)."""
    h, w = rgb.shape[:2]
    skin = skin_mask(rgb, faces)
    if allowed is not None:
        skin &= allowed
    for x0, y0, x1, y1 in faces.astype(int):
        pw, ph = int(0.2 * (x1 - x0)), int(0.1 * (y1 - y0))
        skin[max(0, y0 - ph):y1 + ph, max(0, x0 - pw):x1 + pw] = False
    for x0, y0, x1, y1 in avoid or []:
        m = max(4, int(0.1 * max(x1 - x0, y1 - y0)))
        skin[max(0, int(y0) - m):int(y1) + m, max(0, int(x0) - m):int(x1) + m] = False
    integral = cv2.integral(skin.astype(np.uint8))
    out = rgb.astype(np.float32)
    boxes: list[tuple[float, float, float, float, bool]] = []
    long_side = max(h, w)
    birth_all = rng.random() < 0.3
    for _ in range(n):
        birthmark = birth_all or rng.random() < 0.15
        frac = rng.uniform(0.01, 0.035) if birthmark else rng.uniform(0.02, 0.09)
        s = max(5, int(frac * long_side))
        if s >= min(h, w) - 2:
            continue
        for _try in range(60):
            x, y = int(rng.integers(0, w - s)), int(rng.integers(0, h - s))
            area = (integral[y + s, x + s] - integral[y, x + s] - integral[y + s, x]
                    + integral[y, x])
            clash = any(x < b[2] and x + s > b[0] and y < b[3] and y + s > b[1] for b in boxes)
            if area >= 0.9 * s * s and not clash:
                break
        else:
            continue
        alpha = mark_alpha(s, rng, birthmark)
        alpha *= rng.uniform(0.35, 0.6) if birthmark else rng.uniform(0.45, 0.9)
        if birthmark:
            ink = np.array((110, 70, 50), np.float32) * rng.uniform(0.7, 1.2)
        else:
            ink = np.array(INKS[int(rng.integers(len(INKS)))], np.float32)
        patch = out[y:y + s, x:x + s]
        shade = patch.mean(axis=2, keepdims=True) / max(1.0, float(patch.mean()))
        new = patch * (1 - alpha[..., None]) + ink * shade * alpha[..., None]
        ys, xs = np.nonzero(alpha >= 0.08)
        if len(xs) == 0:
            continue
        change = float(np.abs(new - patch).mean(axis=2)[alpha >= 0.08].mean())
        out[y:y + s, x:x + s] = new
        boxes.append((x + xs.min(), y + ys.min(), x + xs.max() + 1, y + ys.max() + 1,
                      change < 10.0))
    return np.clip(out, 0, 255).astype(np.uint8), boxes


def _noise(h: int, w: int, rng: np.random.Generator, octaves: int = 5) -> np.ndarray:
    """Fractal value noise in 0..1."""
    acc = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        gh, gw = max(2, h >> (octaves - o + 1)), max(2, w >> (octaves - o + 1))
        acc += amp * cv2.resize(rng.random((gh, gw), np.float32), (w, h),
                                interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= 0.55
    acc /= total
    return (acc - acc.min()) / max(1e-6, float(acc.max() - acc.min()))


def texture(kind: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """One warm, busy texture image (uint8 RGB) of the given kind."""
    n = _noise(h, w, rng)[..., None]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    jitter = (rng.uniform(0.75, 1.2) * rng.uniform(0.92, 1.08, 3)).astype(np.float32)
    if kind == "foliage":
        img = np.zeros((h, w, 3), np.float32) + np.array((60, 80, 30)) * jitter
        for _ in range(int(rng.integers(150, 500))):
            c = np.array(((70, 120, 40), (120, 140, 50), (40, 60, 25), (140, 110, 60),
                          (170, 150, 90))[int(rng.integers(5))], np.float64) * rng.uniform(0.6, 1.3)
            cv2.ellipse(img, (int(rng.integers(w)), int(rng.integers(h))),
                        (int(rng.integers(3, 25)), int(rng.integers(2, 10))),
                        float(rng.uniform(0, 180)), 0, 360, c.tolist(), -1)
        img *= 0.6 + 0.6 * n
    elif kind == "brick":
        bh, bw = int(rng.integers(12, 40)), int(rng.integers(30, 90))
        img = np.zeros((h, w, 3), np.float32) + np.array((190, 180, 165))
        for r in range(0, h, bh):
            off = (r // bh) % 2 * bw // 2
            for c0 in range(-bw, w, bw):
                col = np.array((150, 70, 50)) * rng.uniform(0.6, 1.2) * jitter
                cv2.rectangle(img, (c0 + off + 2, r + 2), (c0 + off + bw - 2, r + bh - 2),
                              col.tolist(), -1)
        img *= 0.75 + 0.4 * n
    elif kind == "stripes":  # tiger / zebra-like
        base = np.array((215, 130, 50)) * jitter
        warp = _noise(h, w, rng, 3) * rng.uniform(20, 60)
        f = rng.uniform(0.05, 0.15)
        band = np.sin((xx + warp) * f + np.sin(yy * 0.03) * 2) > rng.uniform(0.4, 0.8)
        img = np.zeros((h, w, 3), np.float32) + base
        img[band] = np.array((30, 20, 15)) * rng.uniform(0.6, 1.5)
        img *= 0.7 + 0.5 * n
    elif kind == "spots":  # leopard / jaguar rosettes
        img = np.zeros((h, w, 3), np.float32) + np.array((200, 150, 80)) * jitter
        for _ in range(int(rng.integers(60, 250))):
            cx, cy, r = int(rng.integers(w)), int(rng.integers(h)), int(rng.integers(4, 14))
            cv2.circle(img, (cx, cy), r, (35, 25, 15), max(1, r // 3))
        img *= 0.75 + 0.4 * n
    elif kind == "fur":
        streak = cv2.GaussianBlur(rng.random((h, w), np.float32), (0, 0), 1.0)
        streak = cv2.blur(streak, (1, int(rng.integers(9, 25))))
        col = np.array((170, 120, 80)) * jitter
        img = col * (0.5 + 0.8 * streak[..., None]) * (0.7 + 0.5 * n)
    elif kind == "wood":
        rings = np.sin((yy + _noise(h, w, rng, 3) * 80) * rng.uniform(0.1, 0.4))
        img = np.array((180, 120, 70)) * jitter * (0.75 + 0.2 * rings[..., None]) * (0.8 + 0.3 * n)
    else:  # soil / sand with pebbles
        img = np.array((150, 110, 75)) * jitter * (0.5 + 0.7 * n)
        for _ in range(int(rng.integers(40, 200))):
            g = rng.uniform(40, 200)
            cv2.circle(img, (int(rng.integers(w)), int(rng.integers(h))),
                       int(rng.integers(2, 9)), (g, g * 0.85, g * 0.7), -1)
    img += rng.normal(0, 4, img.shape)
    return np.clip(cv2.GaussianBlur(img.astype(np.float32), (0, 0), 0.7), 0, 255).astype(np.uint8)


TEXTURES = ("foliage", "brick", "stripes", "spots", "fur", "wood", "soil")
