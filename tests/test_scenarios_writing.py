"""write_atomic: a file is replaced whole or not at all, and no temporary file is left behind."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from scenarios import atomicfile
from scenarios.atomicfile import write_atomic


def test_write_atomic_replaces_the_file_whole_with_text_or_bytes(tmp_path: Path) -> None:
    """Text is written encoded, bytes as given; only the target is left in the folder."""
    target = tmp_path / "report.html"
    write_atomic(target, "第一版\n")
    assert target.read_bytes() == "第一版\n".encode()
    write_atomic(target, b"\x00second\r\n")
    assert target.read_bytes() == b"\x00second\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails before the rename leaves the old content and nothing else."""
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_a_target_that_cannot_be_replaced_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Renaming over a folder fails; the temporary file written beside it is removed."""
    (tmp_path / "report.html").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "report.html", "text")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_writers_of_one_file_do_not_share_a_temporary_file(tmp_path: Path) -> None:
    """Two processes writing one run directory: each write is whole, none fails."""
    target = tmp_path / "whatif.json"
    contents = [bytes([65 + i]) * 200_000 for i in range(4)]
    errors: list[BaseException] = []

    def write(content: bytes) -> None:
        try:
            for _ in range(10):
                write_atomic(target, content, fsync=False)
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=write, args=(c,)) for c in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert target.read_bytes() in contents
    assert [p.name for p in tmp_path.iterdir()] == ["whatif.json"]


def test_fsync_false_skips_the_flush_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache that is checked when read can skip the wait for the disk."""
    synced: list[int] = []
    monkeypatch.setattr(atomicfile.os, "fsync", synced.append)
    write_atomic(tmp_path / "cache.json", "{}", fsync=False)
    assert synced == []
    write_atomic(tmp_path / "card.json", "{}")
    assert len(synced) == 1
    assert (tmp_path / "cache.json").read_text() == "{}"


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    """The temporary file is private while written; the result is not."""
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.html", "x")
        assert (tmp_path / "new.html").stat().st_mode & 0o777 == 0o644
        old = tmp_path / "old.html"
        old.write_text("x")
        old.chmod(0o600)
        write_atomic(old, "y")
        assert old.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)
