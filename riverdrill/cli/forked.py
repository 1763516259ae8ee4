"""Checking several files on two CPUs: a forked child reads half of them.

Reading YAML is most of what ``riverdrill validate`` does once Python has started, and it is
pure Python, so a library of scenarios checks faster on two cores. The child is forked after
every import is done (nothing is loaded twice) and sends its results back through a pipe as
JSON lines. Where ``fork`` does not exist (Windows) or there is one CPU, or if the child dies,
the parent checks the files itself: the output is the same, in the same order.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def map_files(check: Callable[[Path], T], files: Sequence[Path]) -> list[T]:
    """``[check(f) for f in files]``, with about half of the files checked in a child process.

    ``check`` must return JSON-serialisable data (lists, not tuples, to compare equal after
    the trip through the pipe) and must not print.
    """
    if len(files) < 2 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return [check(f) for f in files]
    by_size = sorted(range(len(files)), key=lambda i: -_size(files[i]))
    mine, theirs = by_size[0::2], by_size[1::2]
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check its share, report, and leave without any clean-up
        status = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "w", encoding="utf-8") as out:
                for i in theirs:
                    out.write(json.dumps([i, check(files[i])], ensure_ascii=False) + "\n")
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    results: dict[int, Any] = {i: check(files[i]) for i in mine}
    with os.fdopen(read_fd, encoding="utf-8") as pipe:
        for line in pipe:
            index, result = json.loads(line)
            results[int(index)] = result
    os.waitpid(pid, 0)
    for i in theirs:
        if i not in results:  # the child failed: whatever went wrong shows here, as usual
            results[i] = check(files[i])
    return [results[i] for i in range(len(files))]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
