"""Make the README screenshots from fixtures the repo can ship (run from the repo root).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/make_screenshots.py

Writes docs/screenshots/review.png (a risky photo selected, faces covered as the copy will
have them, the People & marks list with its counts) and docs/screenshots/export.png (the
export results with a failure first and its full reason in the details line). The photos
are generated here from the public-domain astronaut portrait in tests/data (licence in
tests/data/LICENSES.txt). One photo is moved away after checking (a card pulled out
mid-export) so the results show what a failure looks like.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "app")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from tests.factories.faces import group_photo  # noqa: E402


def _exif(make: str, model: str, serial: str | None, owner: str | None, gps: tuple) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0132] = "2024:07:14 18:42:05"
    exif.get_ifd(0x8769)[0x9003] = "2024:07:14 18:42:05"
    if owner:
        exif[0x013B] = owner
    if serial:
        exif.get_ifd(0x8769)[0xA431] = serial
    if gps:
        lat, lon = gps
        exif.get_ifd(0x8825).update(
            {
                1: "N" if lat >= 0 else "S",
                2: _dms(abs(lat)),
                3: "E" if lon >= 0 else "W",
                4: _dms(abs(lon)),
            }
        )
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    return float(d), float(m), round(((value - d) * 60 - m) * 60, 2)


def make_fixtures(folder: Path) -> None:
    """A small camera roll: a group photo with GPS and a serial, a few others, a non-image."""
    group, _ = group_photo((1200, 800), [(120, 200, 150), (520, 160, 170), (900, 230, 140)])
    group.save(
        folder / "beach-day.jpg",
        quality=90,
        exif=_exif("Google", "Pixel 7", "28161FDH2003JE", "Sam Rivera", (43.2965, 5.3698)),
    )
    portrait, _ = group_photo((900, 1200), [(300, 380, 260)], seed=3)
    portrait.save(
        folder / "IMG_2044.jpg",
        quality=90,
        exif=_exif("Apple", "iPhone 13", None, None, (48.8584, 2.2945)),
    )
    landscape = Image.linear_gradient("L").resize((1200, 800)).convert("RGB")
    landscape.save(
        folder / "sunset.jpg", quality=90, exif=_exif("Canon", "EOS R6", "034021001234", None, ())
    )
    Image.new("RGB", (800, 600), (236, 233, 226)).save(folder / "drawing.png")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not a photo\n")


def main() -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from veil.gui.app import make_app
    from veil.gui.main_window import MainWindow

    out_dir = ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    app = make_app()
    with tempfile.TemporaryDirectory(prefix="veil-shots-") as tmp:
        photos = Path(tmp) / "Camera roll"
        photos.mkdir()
        make_fixtures(photos)
        window = MainWindow()
        window.resize(1280, 800)
        window.show()

        def wait(signal, timeout_ms: int = 120_000) -> None:  # type: ignore[no-untyped-def]
            loop = QEventLoop()
            signal.connect(loop.quit)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()

        window.add_paths([photos])
        wait(window.session.audits_finished)
        for r in range(window.proxy.rowCount()):
            if window.proxy.index(r, 1).data() == "beach-day.jpg":
                window.table.selectRow(r)
        if not window.detail.canvas.has_picture:
            wait(window.session.picture_ready, 10_000)
        window.detail.canvas.select_box(0)
        window.detail.findings.select_box(0)
        QTimer.singleShot(300, app.quit)
        app.exec()
        window.grab().save(str(out_dir / "review.png"))

        clean = Path(tmp) / "Cleaned"
        clean.mkdir()
        window.export_pane.set_destination(clean)
        window.detail.tabs.setCurrentWidget(window.export_pane)
        (photos / "sunset.jpg").rename(Path(tmp) / "sunset.jpg")  # the card was pulled out
        window.export_pane.ask_large = lambda _n: "export"
        window.export_pane.start("all")
        wait(window.exporter.finished)
        table = window.export_pane.results.table
        table.selectRow(0)
        table.setCurrentIndex(table.model().index(0, 0))
        QTimer.singleShot(300, app.quit)
        app.exec()
        window.grab().save(str(out_dir / "export.png"))
        window.close()
    print(f"wrote {out_dir / 'review.png'} and {out_dir / 'export.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
