"""Generated photos for the benchmarks: many copies of one JPEG with GPS, make/model and serial."""

from __future__ import annotations

from pathlib import Path


def make_jpegs(folder: Path, count: int, *, size: tuple[int, int], per_dir: int) -> None:
    """Write ``count`` identical identifying JPEGs as ``d00/IMG_00000.jpg``... under ``folder``.

    The picture is a grey gradient (detectors have something to look at, find nothing); the
    metadata has GPS, make/model and a body serial, so every file has findings.
    """
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS 5D"
    exif.get_ifd(0x8769)[0xA431] = "0123456789"
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    seed = folder / "seed.jpg"
    Image.linear_gradient("L").resize(size).convert("RGB").save(seed, exif=exif, quality=85)
    data = seed.read_bytes()
    seed.unlink()
    for i in range(count):
        sub = folder / f"d{i // per_dir:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"IMG_{i:05d}.jpg").write_bytes(data)
