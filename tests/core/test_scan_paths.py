"""expand_paths: folders walked once, in order, sidecars and hidden files left out."""

from __future__ import annotations

from pathlib import Path

from veil.core.cancel import CancelToken
from veil.core.errors import Cancelled
from veil.core.scan import Skipped, expand_paths, expand_resolved, is_sidecar


def _touch(p: Path) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(b"x")
    return p


def test_walks_in_order_and_skips_sidecars_and_hidden(tmp_path: Path) -> None:
    _touch(tmp_path / "b.jpg")
    _touch(tmp_path / "a.jpg")
    _touch(tmp_path / "a.jpg.json")
    _touch(tmp_path / "a.xmp")
    _touch(tmp_path / ".hidden.jpg")
    _touch(tmp_path / "sub" / "c.png")
    top = [p.name for p in expand_paths([tmp_path], recursive=False)]
    assert top == ["a.jpg", "b.jpg"]
    deep = [p.name for p in expand_paths([tmp_path], recursive=True)]
    assert deep == ["a.jpg", "b.jpg", "c.png"]


def test_same_file_given_twice_is_yielded_once(tmp_path: Path) -> None:
    f = _touch(tmp_path / "a.jpg")
    (tmp_path / "link.jpg").symlink_to(f)
    out = list(expand_paths([f, tmp_path, f]))
    assert out == [f]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    (item,) = list(expand_paths([tmp_path / "gone"]))
    assert isinstance(item, Skipped) and "no such" in item.reason


def test_cancel_stops_the_walk(tmp_path: Path) -> None:
    for i in range(5):
        _touch(tmp_path / f"{i}.jpg")
    token = CancelToken()
    token.cancel()
    try:
        list(expand_paths([tmp_path], cancel=token))
    except Cancelled:
        return
    raise AssertionError("walk went on after cancel")


def test_sidecar_names() -> None:
    assert is_sidecar(Path("x.jpg.json")) and is_sidecar(Path("X.XMP"))
    assert not is_sidecar(Path("x.jpg"))


def test_expand_resolved_pairs_each_file_with_its_resolved_path(tmp_path: Path) -> None:
    real = _touch(tmp_path / "photos" / "a.jpg")
    _touch(tmp_path / "photos" / "b.jpg")
    (tmp_path / "link").symlink_to(tmp_path / "photos")
    pairs = list(expand_resolved([tmp_path / "link"]))
    assert pairs == [
        (tmp_path / "link" / "a.jpg", real.resolve()),
        (tmp_path / "link" / "b.jpg", (tmp_path / "photos" / "b.jpg").resolve()),
    ]
    # expand_paths is the same walk without the resolved paths.
    assert list(expand_paths([tmp_path / "link"])) == [p for p, _ in pairs]
    (tmp_path / "dangling.jpg").symlink_to(tmp_path / "gone.jpg")
    (item,) = list(expand_resolved([tmp_path / "dangling.jpg"]))
    assert isinstance(item, Skipped) and "broken" in item.reason


def test_a_walk_keys_plain_files_by_their_folder_and_still_checks_the_rest(
    tmp_path: Path,
) -> None:
    """Plain files are keyed by the resolved folder plus their name (no resolve or stat of
    their own); a link, a pipe and a folder reached twice are still looked at one by one."""
    import os

    real = _touch(tmp_path / "photos" / "a.jpg")
    (tmp_path / "photos" / "b.jpg").symlink_to(real)  # the same photo again: once
    os.mkfifo(tmp_path / "photos" / "c.jpg")
    (tmp_path / "again").symlink_to(tmp_path / "photos")
    out = list(expand_resolved([tmp_path / "photos", tmp_path / "again"]))
    assert out[0] == (real, real.resolve())
    reasons = [i.reason for i in out[1:] if isinstance(i, Skipped)]
    assert len(out) == 3 and "not a regular file" in reasons[0] and "already" in reasons[1]


def test_the_real_file_is_listed_not_the_link_to_it_whatever_the_order(tmp_path: Path) -> None:
    """A link sorted before its target (or in an earlier folder, or given first) is the
    duplicate: the file itself is listed, once. A link to a file outside is still listed."""
    real = _touch(tmp_path / "meta_hostile.jpg")
    (tmp_path / "link_to_meta.jpg").symlink_to("meta_hostile.jpg")
    assert list(expand_paths([tmp_path])) == [real]
    assert list(expand_paths([tmp_path / "link_to_meta.jpg", real])) == [real]
    deep = _touch(tmp_path / "z" / "deep.jpg")
    (tmp_path / "a_link.jpg").symlink_to(deep)  # walked before folder z
    outside = _touch(tmp_path.parent / f"{tmp_path.name}_out.jpg")
    (tmp_path / "b_out.jpg").symlink_to(outside)
    assert list(expand_paths([tmp_path])) == [real, deep, tmp_path / "b_out.jpg"]
    assert list(expand_paths([tmp_path], recursive=False)) == [
        real,
        tmp_path / "a_link.jpg",  # its target's folder is not walked: the link is the file
        tmp_path / "b_out.jpg",
    ]


def test_a_linked_folder_is_the_duplicate_of_the_real_one(tmp_path: Path) -> None:
    real = _touch(tmp_path / "b_real" / "x.jpg")
    (tmp_path / "a_link").symlink_to(tmp_path / "b_real")
    out = list(expand_paths([tmp_path]))
    assert out[0] == real
    assert len(out) == 2 and isinstance(out[1], Skipped) and not out[1].is_error
