"""``veil bench clean``'s report on the copies both tools wrote: leaks exiftool still finds,
outputs upright like the original, lossless copies, identical JPEG pixels, colour profiles
kept.

Apart from :mod:`veil.bench.clean` (the timed runs) because it judges outputs, not time,
and runs after the clock; the checks themselves are :mod:`veil.bench.clean_checks`, shared
with the corpus tests.
"""

from __future__ import annotations

from pathlib import Path

from veil.bench.clean_checks import CATEGORIES, decodes, exiftool_leaks, same_upright, summarize

__all__ = ["report"]


def report(results: list[dict], staged: list[Path], out_e: Path) -> None:
    """Print what each tool's outputs are worth: ``results`` is veil's ``--json`` results
    for ``staged``, exiftool wrote its copies flat into ``out_e``."""
    cleaned = [r for r in results if r["status"] == "cleaned" and r["verified"]]
    refused = [r for r in results if r not in cleaned]
    print(f"clean: veil cleaned+verified {len(cleaned)}/{len(results)}, refused {len(refused)}")
    for r in refused:
        print(f"  refused {Path(r['source']).name}: {r['error']}")
    veil_pairs = [(Path(r["source"]), Path(r["output"])) for r in cleaned]
    exif_pairs = [(s, out_e / s.name) for s in staged if (out_e / s.name).exists()]
    for label, pairs in (("veil", veil_pairs), ("exiftool", exif_pairs)):
        leaks = exiftool_leaks([o for _, o in pairs])
        counts = summarize(leaks)
        text = ", ".join(f"{c} {counts[c]}" for c in CATEGORIES if counts[c]) or "none"
        upright = sum(same_upright(s, o) for s, o in pairs)
        broken = sum(not decodes(s) for s, o in pairs if not same_upright(s, o))
        why = f" ({broken} original(s) don't decode either)" if broken else ""
        icc_src = [(s, o) for s, o in pairs if _has_icc(s)]
        icc_kept = sum(_has_icc(o) for _, o in icc_src)
        print(
            f"clean: {label:<8} outputs {len(pairs)}  files with leaks {len(leaks)} ({text})  "
            f"upright {upright}/{len(pairs)}{why}  ICC kept {icc_kept}/{len(icc_src)}"
        )
        for path, found in list(leaks.items())[:5]:
            print(f"  {Path(path).name}: {'; '.join(found[:4])}")
    lossless = sum(bool(r["lossless"]) for r in cleaned)
    jpegs = [(s, o) for s, o in veil_pairs if o.suffix.lower() in (".jpg", ".jpeg", ".mpo")]
    same = 0
    for s, o in jpegs:
        try:
            same += _jpeg_pixels_equal(s, o)
        except Exception:
            continue
    print(
        f"clean: veil lossless {lossless}/{len(cleaned)}; JPEG pixels identical {same}/{len(jpegs)}"
    )


def _has_icc(path: Path) -> bool:
    from PIL import Image

    from veil.core.export.verify import quiet_pillow

    try:
        with quiet_pillow(), Image.open(path) as im:
            return bool(im.info.get("icc_profile"))
    except Exception:
        return False


def _jpeg_pixels_equal(a: Path, b: Path) -> bool:
    from PIL import Image

    from veil.core.export.verify import quiet_pillow

    with quiet_pillow(), Image.open(a) as x, Image.open(b) as y:
        return x.size == y.size and x.tobytes() == y.tobytes()
