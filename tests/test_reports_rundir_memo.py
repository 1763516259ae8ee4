"""A long-lived process reads a scenario or rubric file once per version: an edited file is
read again, an unchanged one is not."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from reports.rundir import rubric_named
from scoring.rulebook import RUBRICS_DIR, load_rubric

BUNDLED = RUBRICS_DIR / "national-2011.yaml"


def _bump_mtime(path: Path) -> None:
    """Move the file's mtime on by a second: a coarse clock may not tell two writes apart."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_rubric_file_edited_on_disk_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "house.yaml"
    shutil.copyfile(BUNDLED, path)
    first = rubric_named(path)
    assert rubric_named(str(path)) is first  # same file, same version: read once

    text = path.read_text(encoding="utf-8")
    edited = text.replace("en: Initial report within the limit for the level", "en: Edited")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    _bump_mtime(path)

    second = rubric_named(path)
    assert second is not first
    assert second.criteria[0].name is not None and second.criteria[0].name.en == "Edited"
    assert first.criteria[0].name is not None and first.criteria[0].name.en != "Edited"
    assert second == load_rubric(path)


def test_a_bundled_rubric_is_read_once_by_its_id() -> None:
    assert rubric_named("national-2011") is rubric_named("national-2011")
