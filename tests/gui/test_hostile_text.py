"""Metadata is hostile: markup is shown literally, huge values are capped, the UI stays usable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.factories.gui_photos import HOSTILE_ARTIST, hostile_jpeg, risky_jpeg
from tests.gui.helpers import drop_paths, select, wait_idle
from veil.gui.text import MAX_SHOWN, safe_text


def test_markup_in_tags_is_shown_literally_and_capped(qtbot, window, tmp_path: Path) -> None:
    hostile_jpeg(tmp_path / "evil.jpg")
    risky_jpeg(tmp_path / "other.jpg")
    drop_paths(window.drop_zone, [tmp_path])
    wait_idle(qtbot, window, rows=2)
    select(window, "evil.jpg")
    qtbot.waitUntil(lambda: window.detail.name.text() == "evil.jpg", timeout=5000)
    qtbot.waitUntil(lambda: len(window.detail.findings.texts()) > 1, timeout=5000)

    labels = window.findChildren(QLabel)
    assert labels
    for label in labels:  # nothing in the window interprets markup
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    # The artist is named literally, tags and all.
    findings = "\n".join(window.detail.findings.texts())
    assert "<a href" in findings or "click me" in findings
    # Every tag value is there literally, and none is longer than the cap (+ the elision).
    tags = window.detail.tags.model
    values = [tags.index(r, 2).data() for r in range(tags.rowCount())]
    assert any("<img src=x" in v for v in values)
    assert any(HOSTILE_ARTIST in v for v in values)
    assert max(len(v) for v in values) < MAX_SHOWN + 40
    # The window still works: the layout did not explode and another row can be shown.
    assert window.detail.width() < 1280
    assert window.grab().width() > 0
    select(window, "other.jpg")
    qtbot.waitUntil(lambda: window.detail.name.text() == "other.jpg", timeout=5000)


def test_safe_text_strips_controls_and_direction_overrides() -> None:
    assert safe_text("photo\u202egpj.exe") == "photogpj.exe"
    assert safe_text("a\x00b\x1bc") == "abc"
    assert safe_text("<b>x</b>") == "<b>x</b>"  # kept literally (shown as plain text)
    long = safe_text("x" * 10_000, 100)
    assert long.startswith("x" * 100) and "+9,900 characters" in long
