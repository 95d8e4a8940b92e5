"""The Export table's Removed cell says the same before and after writing.

Looked at on screen (clip24): before writing a clip's row read "3: location, …", after it
"5: location, date and time, software, creation times, QuickTime user data (udta)" (a
tagged phone clip 5 then 8, a dirty JPEG 9 then 15): core's ``removed`` lists the finding
kinds and then the blocks they were in, and the cell named both. A user read that as the
copy doing something other than planned. The cell now names the plan's kinds in the plan's
words; the block names are in its tooltip and "Copy details". A motion photo's clip, "Hidden
video" in the findings, is "hidden video" in the plan (it was "hidden pictures or sound").

Real clips and a motion photo (a JPEG with an ffmpeg MP4 appended) are made at run time;
the tests skip without ffmpeg (and exiftool for the phone clip).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.factories import jpeg as fj
from tests.factories.export import dirty_jpeg
from tests.factories.video import PHONE_TAGS, make_clip, tag
from tests.gui.helpers import drop_paths, select, wait_idle
from tests.gui.test_copy_line import line
from tests.gui.test_export_caution import rows
from tests.gui.test_export_review import cell, export, show_export_tab
from tests.gui.test_video_export_words import PLACE_AND_TIME
from veil.core.model import Finding, FindingKind, Severity
from veil.gui.main_window import MainWindow
from veil.gui.models.export_plan import PlanRow
from veil.gui.models.export_results import COL_REMOVED, DETAIL_ROLE
from veil.gui.models.export_wording import removal_words, removed_words

TIP = Qt.ItemDataRole.ToolTipRole


def motion_photo(path: Path) -> Path:
    """A motion photo as phones write one: a JPEG with a 2.1 s MP4 (with sound) after it."""
    movie = make_clip(path.with_suffix(".mp4"), seconds=2.1)
    path.write_bytes(fj.encode() + movie.read_bytes())
    movie.unlink()
    return path


def removed_cells(window: MainWindow) -> dict[str, str]:
    """Each row's Removed cell, by photo name."""
    return {name: str(cell(window, at, COL_REMOVED)) for name, at in rows(window).items()}


def test_the_removed_cell_counts_and_names_the_same_before_and_after_writing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "beach.mp4", extra=PLACE_AND_TIME)
    photo = tmp_path / "dirty.jpg"
    photo.write_bytes(dirty_jpeg())  # GPS, serial, owner, C2PA, comment, a motion trailer
    moving = motion_photo(tmp_path / "motion.jpg")
    assert drop_paths(window.drop_zone, [clip, photo, moving])
    wait_idle(qtbot, window, 3)
    show_export_tab(qtbot, window)
    before = removed_cells(window)
    assert before["beach.mp4"] == "3: location, date and time, software"
    assert before["motion.jpg"] == "1: hidden video"
    assert before["dirty.jpg"].startswith("9: location, date and time, camera or phone, names")

    export(qtbot, window, tmp_path / "out")
    assert all(r.verified for r in window.exporter.results.results)
    assert removed_cells(window) == before
    # Where they were in the file is still said, in the tooltip and "Copy details".
    at = rows(window)
    tip = str(cell(window, at["beach.mp4"], COL_REMOVED, TIP))
    assert "location, date and time, software (in the file: creation times, QuickTime user" \
           " data (udta))" in tip, tip
    details = str(cell(window, at["dirty.jpg"], COL_REMOVED, DETAIL_ROLE))
    assert "(in the file: Exif block, XMP block" in details, details
    assert "data after the picture" in str(cell(window, at["motion.jpg"], COL_REMOVED, TIP))


def test_a_tagged_phone_clip_removes_what_its_plan_said(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    clip = tag(make_clip(tmp_path / "phone.mov", fmt="mov"), *PHONE_TAGS)
    assert drop_paths(window.drop_zone, [clip])
    wait_idle(qtbot, window, 1)
    show_export_tab(qtbot, window)
    planned = "5: location, date and time, camera or phone, names, software"
    assert removed_cells(window) == {"phone.mov": planned}
    export(qtbot, window, tmp_path / "out")
    assert removed_cells(window) == {"phone.mov": planned}  # it said 8, with "(meta)"


def test_a_motion_photos_plan_calls_its_clip_a_hidden_video(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    moving = motion_photo(tmp_path / "motion.jpg")
    assert drop_paths(window.drop_zone, [moving])
    wait_idle(qtbot, window, 1)
    select(window, "motion.jpg")
    said = line(window)
    assert said.endswith("Removed: hidden video."), said
    assert "pictures or sound" not in said


def test_hidden_pictures_beside_a_video_keep_their_own_words() -> None:
    def hidden(label: str) -> Finding:
        return Finding(FindingKind.EMBEDDED_MEDIA, Severity.MEDIUM, "…", "x", {"label": label})

    kind = FindingKind.EMBEDDED_MEDIA
    assert removal_words(kind, [hidden("Hidden video")]) == ("hidden video",)
    assert removal_words(kind, [hidden("Extra images")]) == ("hidden pictures or sound",)
    both = [hidden("Extra images"), hidden("Hidden video")]
    assert removal_words(kind, both) == ("hidden video", "hidden pictures or sound")


def test_a_kind_the_plan_did_not_list_is_said_plainly() -> None:
    plan = PlanRow("k", Path("p.jpg"), ("location",), (), 1, 0, 0.0, False,
                   removes_by_kind=((FindingKind.LOCATION, "location"),))
    # "device": the file changed between plan and copy; "thumbnail" is also a block name
    # (a preview that gave no finding): a block, not a kind the plan missed.
    plain, blocks = removed_words(("location", "device", "exif", "thumbnail"), plan)
    assert plain == ("location", "camera or phone (found while writing)")
    assert blocks == ("Exif block", "hidden thumbnail")
    assert removed_words(("time", "exif"), None) == (("date and time",), ("Exif block",))
