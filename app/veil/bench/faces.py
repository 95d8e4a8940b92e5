"""``veil bench faces``: face detector scores and speed on ``../shared/faces`` (or given folders).

Two passes over the same photos:

1. the scan path: ``audit_file`` exactly as ``veil scan --json`` calls it (metadata, one
   decode, every pixel detector), scored by the set's README rule (IoU >= 0.3, greedy by
   confidence, ``ignore`` boxes neither hits nor false alarms; an errored file misses its
   faces). Its ms/photo is the end-to-end cost (faces + marks together, target <= 150 ms).
2. the face detector alone: ``load_upright`` at its working size + ``faces.detect``; its
   ms/photo is the face budget (target <= 60 ms). Scored the same way, so a gap between the
   two passes points at the scan path (a format handler error, orientation...).

Prints recall, precision, recall per tag, false alarms on negatives and ms/photo. Exit 0 when it
ran (numbers are reported, not asserted; the dev-set test asserts the targets), 2 when it could
not (no data, or no face backend).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from veil.bench.common import Detection, Tally, Truth, match_image, region_to_box
from veil.bench.common_paths import default_shared
from veil.core.audit import audit_file
from veil.core.cancel import NEVER
from veil.core.detectors import PixelContext, pixel_detectors
from veil.core.detectors.faces import DETECTOR
from veil.core.errors import VeilError
from veil.core.model import CheckStatus, Finding, FindingKind

TARGET_RECALL = 0.95
TARGET_PRECISION = 0.85
TARGET_FACES_MS = 60.0
TARGET_SCAN_MS = 150.0

#: photo name -> the face findings, or None when the file could not be scanned.
Scanner = Callable[[Path], list[Finding] | None]


def load_annotations(folder: Path) -> dict[str, list[Truth]]:
    """``name -> truths`` from ``annotations.json`` (the faces README format).

    Raises:
        OSError, ValueError: the file is missing or not valid JSON.
    """
    doc = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    return {name: [_truth(f) for f in entry.get("faces", [])] for name, entry in doc.items()}


def _truth(face: dict[str, Any]) -> Truth:
    x1, y1, x2, y2 = (float(v) for v in face["box"])
    return Truth((x1, y1, x2, y2), bool(face.get("ignore")), tuple(face.get("tags", ())))


def _scan_path(path: Path) -> list[Finding] | None:
    report = audit_file(path)
    if not report.ok or report.checks.get(DETECTOR.id) is not CheckStatus.DONE:
        return None
    return [f for f in report.findings if f.kind is FindingKind.FACE]


def detect_faces(path: Path) -> list[Finding] | None:
    """The face detector alone on one photo (decode at its working size); None if undecodable."""
    from veil.core.pixels import load_upright

    try:
        image = load_upright(path, DETECTOR.max_side)
    except VeilError:
        return None
    return DETECTOR.detect(image, NEVER, PixelContext())


def score(
    photos: Iterable[Path], truths: dict[str, list[Truth]], scanner: Scanner
) -> tuple[Tally, dict[str, int], tuple[float, float]]:
    """Run ``scanner`` over ``photos`` and match with ``truths``.

    Returns:
        The tally, counters (``photos``, ``failed``, ``negatives``, ``negatives_flagged``) and
        the mean milliseconds per photo as (wall clock, process CPU). CPU time is the steadier
        number on a shared machine; with one inference thread it is the wall time of an idle one.
    """
    tally = Tally()
    counts = {"photos": 0, "failed": 0, "negatives": 0, "negatives_flagged": 0}
    elapsed = cpu = 0.0
    for path in photos:
        start, start_cpu = time.perf_counter(), time.process_time()
        found = scanner(path)
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        counts["photos"] += 1
        expected = truths.get(path.name, [])
        if not any(not t.ignore for t in expected):
            counts["negatives"] += 1
        if found is None:
            counts["failed"] += 1
            tally.add_missed(expected)
            continue
        dets = [
            Detection(region_to_box(f.region.as_list()), f.confidence or 0.0)
            for f in found
            if f.region
        ]
        match = match_image(dets, expected)
        tally.add(match)
        if not any(not t.ignore for t in expected):
            counts["negatives_flagged"] += int(match.false_alarms > 0)
    n = max(1, counts["photos"])
    return tally, counts, (elapsed / n * 1000, cpu / n * 1000)


def _report(
    label: str, tally: Tally, counts: dict[str, int], ms: tuple[float, float], target_ms: float
) -> None:
    ok = tally.recall >= TARGET_RECALL and tally.precision >= TARGET_PRECISION
    print(
        f"faces [{label}]: recall={tally.recall:.3f} precision={tally.precision:.3f} "
        f"found={tally.found}/{tally.counted} false_alarms={tally.false_alarms} "
        f"set_aside={tally.set_aside} photos={counts['photos']} failed={counts['failed']} "
        f"({'meets' if ok else 'MISSES'} recall>={TARGET_RECALL} precision>={TARGET_PRECISION})"
    )
    tags = "  ".join(f"{t}={f}/{n}" for t, (f, n) in tally.tag_recall().items())
    print(f"faces [{label}]: recall per tag: {tags or '-'}")
    print(
        f"faces [{label}]: negatives with a false alarm: "
        f"{counts['negatives_flagged']}/{counts['negatives']}"
    )
    print(
        f"faces [{label}]: {ms[0]:.1f} ms/photo wall, {ms[1]:.1f} ms CPU "
        f"(target <= {target_ms:.0f})"
    )


def _photos(folder: Path, names: Iterable[str]) -> list[Path]:
    return [folder / n for n in sorted(names) if (folder / n).is_file()]


def run(args: argparse.Namespace) -> int:
    """Run the faces benchmark over ``args.paths`` (folders with annotations.json) or shared."""
    shared: Path | None = args.shared or default_shared()
    folders = [Path(p) for p in args.paths] or ([shared / "faces"] if shared else [])
    folders = [f for f in folders if (f / "annotations.json").is_file()]
    if not folders:
        print("bench faces: give a folder with images/ and annotations.json (or have ../shared)")
        return 2
    status = DETECTOR.available()
    if status is not CheckStatus.DONE:
        print(f"bench faces: the face detector is {status.value} (OpenCV or model missing)")
        return 2
    from veil.core.detectors.dnn import default_threads

    print(f"faces: CenterFace on OpenCV DNN, {default_threads()} inference thread(s)")
    for folder in folders:
        truths = load_annotations(folder)
        images = folder / "images" if (folder / "images").is_dir() else folder
        photos = _photos(images, truths)
        print(f"faces: {len(photos)} photos in {images}")
        if len(photos) < len(truths):
            print(f"faces: {len(truths) - len(photos)} annotated photo(s) absent, not scored")
        # Warm-up: the session load (~40 ms) is a once-per-process cost, not a per-photo one.
        if photos:
            detect_faces(photos[0])
        tally, counts, ms = score(photos, truths, _scan_path)
        _report("scan path", tally, counts, ms, TARGET_SCAN_MS)
        if counts["failed"]:
            _explain_failures(photos)
        tally, counts, ms = score(photos, truths, detect_faces)
        _report("detector alone", tally, counts, ms, TARGET_FACES_MS)
    scan_ms, faces_ms, checks = _big_photo_ms()
    print(
        f"faces [24 MP JPEG, EXIF-rotated]: scan path {scan_ms[0]:.1f} ms wall, "
        f"{scan_ms[1]:.1f} ms CPU (pixel checks run: {checks or 'none'}; "
        f"target <= {TARGET_SCAN_MS:.0f}); detector alone {faces_ms[0]:.1f} ms wall, "
        f"{faces_ms[1]:.1f} ms CPU (medians of 5)"
    )
    return 0


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median (wall, CPU) milliseconds of ``runs`` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def _big_photo_ms(runs: int = 5) -> tuple[tuple[float, float], tuple[float, float], str]:
    """(wall, CPU) ms of the scan path and of the face detector alone on a 6000x4000 JPEG,
    and the pixel checks the scan ran."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(24)
    # Smooth random texture: decodes like a photo (not a flat, trivially compressible image).
    base = rng.integers(0, 256, (80, 120, 3), dtype=np.uint8)
    photo = Image.fromarray(base).resize((6000, 4000), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x0112] = 6
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jpg"
        photo.save(path, quality=90, exif=exif)
        del photo
        report = audit_file(path)
        scan = _timed(lambda: audit_file(path), runs)
        faces = _timed(lambda: detect_faces(path), runs)
    pixel_ids = [d.id for d in pixel_detectors()]
    ran = ", ".join(i for i in pixel_ids if report.checks.get(i) is CheckStatus.DONE)
    return scan, faces, ran


def _explain_failures(photos: list[Path]) -> None:
    reasons: dict[str, int] = {}
    for path in photos:
        report = audit_file(path)
        if not report.ok:
            key = report.error or "error"
        elif report.checks.get(DETECTOR.id) is not CheckStatus.DONE:
            key = f"faces check {report.checks.get(DETECTOR.id)}: " + "; ".join(report.notes)
        else:
            continue
        reasons[key] = reasons.get(key, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:5]:
        print(f"faces [scan path]: {n} photo(s) not scanned: {reason}")
