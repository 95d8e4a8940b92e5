"""The window names the system packages it lacks instead of letting Qt abort."""

from __future__ import annotations

import pytest

from veil.cli import gui, qt_libs


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({}, "darwin", False),
    ],
)
def test_uses_xcb(environ: dict[str, str], platform: str, expected: bool) -> None:
    assert qt_libs.uses_xcb(environ, platform) is expected


def test_missing_packages_names_debian_packages() -> None:
    absent = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    assert qt_libs.missing_packages(lambda so: so not in absent) == [
        "libxcb-cursor0",
        "libxcb-icccm4",
    ]
    assert qt_libs.missing_packages(lambda so: True) == []


def test_real_loader_finds_libc_not_nonsense() -> None:
    assert qt_libs._loadable("libc.so.6")
    assert not qt_libs._loadable("libveil-no-such-library.so.9")


def test_open_window_prints_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(qt_libs, "_loadable", lambda so: so != "libxcb-cursor.so.0")
    import veil.gui.app

    def must_not_start(*args: object, **kwargs: object) -> int:
        raise AssertionError("the window started although a library is missing")

    monkeypatch.setattr(veil.gui.app, "run_app", must_not_start)
    assert gui.open_window([]) == 2
    err = capsys.readouterr().err
    assert "sudo apt-get install libxcb-cursor0" in err
    assert err.count("\n") <= 3


def test_no_hint_offscreen() -> None:
    assert qt_libs.check_window_libraries({"QT_QPA_PLATFORM": "offscreen"}) is None
