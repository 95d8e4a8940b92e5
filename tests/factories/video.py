"""Small real movies made at test time with ffmpeg, tagged with exiftool like phones do.

Tests using these skip cleanly when ffmpeg or exiftool is not installed.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from veil.core.model import FileReport, FindingKind

#: What exiftool writes into a tagged clip: Apple Keys, QuickTime UserData and XMP.
PHONE_TAGS = (
    "-Keys:GPSCoordinates=48.8584, 2.2945, 30",
    "-UserData:GPSCoordinates=48.8584, 2.2945",
    "-Keys:Make=Apple",
    "-Keys:Model=iPhone 12",
    "-UserData:Make=Apple",
    "-UserData:Model=iPhone 12",
    "-Keys:Software=17.1",
    "-Keys:CreationDate=2023:05:01 10:00:00+02:00",
    "-Keys:DisplayName=Jane's phone",
    "-XMP-dc:Creator=Jane Doe",
    "-QuickTime:CreateDate=2023:05:01 08:00:00",
)


def need(tool: str) -> str:
    """The path of ``tool``, or skip the test."""
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed")
    return exe


def make_clip(path: Path, *, seconds: float = 2.0, sound: bool = True, fmt: str | None = None,
              extra: tuple[str, ...] = (), inputs: tuple[str, ...] = ()) -> Path:
    """A tiny H.264 clip (with AAC sound unless ``sound`` is False) at ``path``.

    ``fmt`` forces ffmpeg's muxer ("mov", "mp4", "3gp", "ipod"...); ``inputs`` adds input
    arguments (a subtitle file...) and ``extra`` output arguments (maps, codecs, metadata).
    """
    ffmpeg = need("ffmpeg")
    cmd = [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
           "testsrc=size=96x64:rate=10"]
    if sound:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000"]
    cmd += list(inputs)
    cmd += ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if sound:
        cmd += ["-c:a", "aac", "-b:a", "16k"]
    cmd += list(extra)
    if fmt:
        cmd += ["-f", fmt]
    subprocess.run([*cmd, str(path)], check=True, capture_output=True, timeout=60)
    return path


def tag(path: Path, *args: str) -> Path:
    """Write metadata into ``path`` in place with exiftool."""
    exiftool = need("exiftool")
    subprocess.run([exiftool, "-q", "-q", "-overwrite_original", *args, str(path)], check=True,
                   capture_output=True, timeout=60)
    return path


def exif_json(path: Path) -> dict[str, object]:
    """Everything exiftool reads in ``path`` (-G1 group names, duplicates kept)."""
    exiftool = need("exiftool")
    out = subprocess.run([exiftool, "-j", "-a", "-G1", "-n", str(path)], check=True,
                         capture_output=True, timeout=60)
    return json.loads(out.stdout)[0]


def packets(path: Path) -> list[str]:
    """ffmpeg's per-packet checksums of every stream, copied without decoding."""
    ffmpeg = need("ffmpeg")
    out = subprocess.run([ffmpeg, "-v", "error", "-i", str(path), "-map", "0:v?", "-map",
                          "0:a?", "-c", "copy", "-f", "framemd5", "-"], check=True,
                         capture_output=True, timeout=60)
    lines = out.stdout.decode().splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def gpmf_sample(lat: float, lon: float, alt: float) -> bytes:
    """A GoPro GPMF sample: DEVC { STRM { SCAL, GPSF = 3D fix, GPS5 } }."""
    def klv(key: str, kind: str, size: int, payload: bytes) -> bytes:
        repeat = len(payload) // size if size else 0
        return key.encode() + kind.encode() + struct.pack(">BH", size, repeat) + payload + \
            bytes(-len(payload) % 4)

    scal = klv("SCAL", "l", 4, struct.pack(">5i", 10_000_000, 10_000_000, 1000, 1000, 100))
    fix = klv("GPSF", "L", 4, struct.pack(">I", 3))
    gps5 = klv("GPS5", "l", 20, struct.pack(">5i", round(lat * 1e7), round(lon * 1e7),
                                            round(alt * 1000), 0, 0))
    strm = klv("STRM", "\0", 1, scal + fix + gps5)
    return klv("DEVC", "\0", 1, strm)


def telemetry_clip(tmp_path: Path, gpmf: tuple[float, float, float] | None = None) -> Path:
    """A clip whose subtitle track is turned into a GoPro GPMF telemetry track; with ``gpmf``
    its first sample is a real GPMF sample holding that (lat, lon, altitude) fix."""
    srt = tmp_path / "t.srt"
    text = "GPS5 48.85841 2.29452 " + "x" * 120
    srt.write_text(f"1\n00:00:00,000 --> 00:00:01,500\n{text}\n\n")
    clip = make_clip(tmp_path / "GX010001.MP4", inputs=("-i", str(srt)),
                     extra=("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "mov_text"))
    data = clip.read_bytes()
    assert data.count(b"tx3g") == 1 and data.count(b"sbtl") == 1
    data = data.replace(b"tx3g", b"gpmd").replace(b"sbtl", b"meta")
    if gpmf is not None:
        at = data.index(text.encode()) - 2  # the sample: 16-bit length + text
        sample = gpmf_sample(*gpmf)
        sample += bytes(2 + len(text) - len(sample))
        data = data[:at] + sample + data[at + len(sample) :]
    clip.write_bytes(data)
    return clip


def summaries_by_kind(report: FileReport) -> dict[FindingKind, list[str]]:
    """The summaries of ``report``'s findings, by kind, in order."""
    out: dict[FindingKind, list[str]] = {}
    for f in report.findings:
        out.setdefault(f.kind, []).append(f.summary)
    return out
