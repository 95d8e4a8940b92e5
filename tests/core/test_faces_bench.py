"""The face benchmark: its matching rule, an annotated folder scored, the dev set's targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.factories.faces import (
    ASTRONAUT_FACE,
    astronaut,
)
from veil.bench.common import Detection, Truth, match_image


def test_matching_rule_sets_aside_ignore_boxes() -> None:
    truths = [Truth((0, 0, 10, 10)), Truth((100, 100, 200, 200), ignore=True)]
    dets = [
        Detection((1, 1, 10, 10), 0.5),  # the face
        Detection((0, 0, 9, 9), 0.9),  # stronger duplicate takes the face first
        Detection((140, 140, 150, 150), 0.8),  # centre inside ignore box: set aside
        Detection((300, 300, 310, 310), 0.7),  # false alarm
    ]
    m = match_image(dets, truths)
    assert m.found == (True,)
    assert (m.hits, m.set_aside, m.false_alarms) == (1, 1, 2)


@pytest.mark.slow
def test_dev_set_scores_meet_targets(shared_dir: Path) -> None:
    from veil.bench import faces as bench

    folder = shared_dir / "faces"
    if not (folder / "annotations.json").is_file():
        pytest.skip("../shared/faces is not present")
    truths = bench.load_annotations(folder)
    photos = sorted((folder / "images").iterdir())
    tally, counts, _ = bench.score(photos, truths, bench.detect_faces)
    assert counts["failed"] == 0
    assert tally.recall >= 0.95, tally
    assert tally.precision >= 0.85, tally
    found, total = tally.tag_recall()["exif_rotated"]
    assert found == total


def test_bench_scores_an_annotated_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse
    import json

    from veil.bench import faces as bench

    images = tmp_path / "set" / "images"
    images.mkdir(parents=True)
    astronaut().save(images / "portrait.png")
    Image.new("RGB", (300, 200), (90, 120, 150)).save(images / "blank.png")
    annotations = {
        "portrait.png": {"faces": [{"box": list(ASTRONAUT_FACE), "ignore": False, "tags": ["x"]}]},
        "blank.png": {"faces": [], "negative": True},
        "missing.png": {"faces": [{"box": [0, 0, 10, 10], "ignore": False, "tags": []}]},
    }
    (tmp_path / "set" / "annotations.json").write_text(json.dumps(annotations))
    monkeypatch.setattr(bench, "_big_photo_ms", lambda: ((1.0, 1.0), (1.0, 1.0), "faces"))
    args = argparse.Namespace(paths=[tmp_path / "set"], shared=None)
    assert bench.run(args) == 0
    out = capsys.readouterr().out
    # The photo that is not there is not scored; the portrait's face is found, nothing else.
    assert "[detector alone]: recall=1.000 precision=1.000 found=1/1 false_alarms=0" in out
    assert "recall per tag: x=1/1" in out
    assert "negatives with a false alarm: 0/1" in out
    assert "1 annotated photo(s) absent, not scored" in out
