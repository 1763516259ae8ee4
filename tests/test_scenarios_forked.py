"""Checking files on two CPUs gives the same results, in order, whatever happens to the child."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from riverdrill.cli import forked
from riverdrill.cli.forked import map_files

PARENT = os.getpid()


def describe(path: Path) -> list[str]:
    return [path.name, path.read_text(encoding="utf-8")]


def files(tmp_path: Path, count: int) -> list[Path]:
    made = []
    for i in range(count):
        path = tmp_path / f"f{i}.yaml"
        path.write_text("中文 " * (i * 7 % 5 + 1), encoding="utf-8")
        made.append(path)
    return made


def test_results_come_back_in_the_order_of_the_files(tmp_path: Path) -> None:
    paths = files(tmp_path, 7)
    assert map_files(describe, paths) == [describe(p) for p in paths]


def test_a_child_that_fails_is_made_good_by_the_parent(tmp_path: Path) -> None:
    def only_in_parent(path: Path) -> list[str]:
        if os.getpid() != PARENT:
            raise RuntimeError("child trouble")
        return describe(path)

    paths = files(tmp_path, 4)
    assert map_files(only_in_parent, paths) == [describe(p) for p in paths]


def test_without_fork_the_files_are_checked_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(forked.os, "fork")
    paths = files(tmp_path, 3)
    assert map_files(describe, paths) == [describe(p) for p in paths]
