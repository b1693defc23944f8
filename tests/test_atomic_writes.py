"""Every file the library writes lands whole or not at all (issue 18, point 4)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import (
    Record,
    Timeline,
    datasets,
    export_jsonl,
    render_html,
    write_csv,
    write_jsonl,
    write_timelinejs,
)
from conflict_timeline import _export as export_module
from conflict_timeline._files import replacing

OLD = "the previous export, which must survive\n"


class BoomError(Exception):
    """Raised part-way through writing."""


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    t = Timeline()
    t.extend(datasets.karabakh_oct_2020())
    return t


def failing_records() -> Iterator[Record]:
    records = datasets.karabakh_oct_2020()
    yield from records[:5]
    raise BoomError


def leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def test_a_jsonl_write_that_fails_midway_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text(OLD, encoding="utf-8")
    with pytest.raises(BoomError):
        write_jsonl(failing_records(), target)
    assert target.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path, "out.jsonl") == []


def test_a_jsonl_write_that_fails_into_a_new_path_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(BoomError):
        write_jsonl(failing_records(), tmp_path / "new.jsonl")
    assert list(tmp_path.iterdir()) == []


def test_a_csv_write_that_fails_midway_leaves_the_old_file(
    tmp_path: Path, timeline: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text(OLD, encoding="utf-8")
    real = export_module.table_rows
    given: list[dict[str, Any]] = []

    def rows_then_fail(*args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        for row in real(*args, **kwargs):
            if len(given) == 3:
                raise BoomError
            given.append(row)
            yield row

    monkeypatch.setattr(export_module, "table_rows", rows_then_fail)
    with pytest.raises(BoomError):
        write_csv(timeline, target)
    assert len(given) == 3  # it had written rows when it failed
    assert target.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path, "out.csv") == []


Writer = Callable[[Timeline, Path], object]
WRITERS: dict[str, Writer] = {
    "jsonl": export_jsonl,
    "csv": write_csv,
    "timelinejs": write_timelinejs,
    "html": render_html,
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_writer_replaces_a_file_whole(tmp_path: Path, timeline: Timeline, kind: str) -> None:
    target = tmp_path / f"out.{kind}"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    inode = target.stat().st_ino
    WRITERS[kind](timeline, target)
    text = target.read_text(encoding="utf-8")
    assert text != OLD
    assert text.endswith("\n")
    # A new file was renamed into place (a truncate-and-write keeps the inode).
    assert target.stat().st_ino != inode
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path, target.name) == []


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_writer_refuses_a_folder_and_a_missing_folder(
    tmp_path: Path, timeline: Timeline, kind: str
) -> None:
    with pytest.raises(IsADirectoryError):
        WRITERS[kind](timeline, tmp_path)
    with pytest.raises(FileNotFoundError):
        WRITERS[kind](timeline, tmp_path / "missing" / "out")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_file_that_cannot_be_created_is_named_not_its_temporary(
    tmp_path: Path, timeline: Timeline, kind: str
) -> None:
    """The error names the file asked for: the hidden temporary file beside it
    (``.out.1a2b3c4d.tmp``) is the writer's own business, and was named instead."""
    target = tmp_path / "missing" / "out"
    with pytest.raises(FileNotFoundError) as info:
        WRITERS[kind](timeline, target)
    assert info.value.filename == str(target)
    assert ".tmp" not in str(info.value)
    assert str(info.value) == (f"[Errno 2] No such file or directory: '{target}'")


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_writer_keeps_a_read_only_file(tmp_path: Path, timeline: Timeline, kind: str) -> None:
    """A file its owner made read-only (``chmod a-w``) is not replaced, though the
    folder would let a rename do it (and root could write it): it stays as it was,
    and no temporary file is left."""
    target = tmp_path / f"kept.{kind}"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        WRITERS[kind](timeline, target)
    assert target.read_text(encoding="utf-8") == OLD
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert leftovers(tmp_path, target.name) == []
    target.chmod(0o644)  # writable by its owner only: replaced
    WRITERS[kind](timeline, target)
    assert target.read_text(encoding="utf-8") != OLD


def test_a_symlink_is_followed_and_kept(tmp_path: Path, timeline: Timeline) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    export_jsonl(timeline, link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") != OLD


def test_a_new_file_gets_the_umask_permissions(tmp_path: Path, timeline: Timeline) -> None:
    old = os.umask(0o027)
    try:
        export_jsonl(timeline, tmp_path / "new.jsonl")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o640


def test_a_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    with replacing("/dev/null") as stream:
        stream.write("discarded\n")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    del tmp_path
