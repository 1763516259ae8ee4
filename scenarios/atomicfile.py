"""Writing a file in one step, so that nothing is ever half-written.

Every file riverdrill writes (logs, scorecards, reports, scenarios, caches) goes through
:func:`write_atomic`. It lives in the lowest layer, on its own and without third-party imports,
so any module may use it at no cost.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(
    path: str | Path, data: str | bytes, *, encoding: str = "utf-8", fsync: bool = True
) -> None:
    """Write ``data`` to ``path`` in one step: readers see the old file or the new one.

    The temporary file has a unique name (``.NAME.*.tmp`` beside the target), so two processes
    writing the same file do not collide, and it is removed when the write fails.

    Args:
        path: The file to write.
        data: Its new content; ``str`` is encoded with ``encoding``.
        encoding: The encoding of text ``data``.
        fsync: Flush the content to disk before the rename, so that after a crash the file is
            the old one or the new one. A cache that is checked when read and recomputed when
            damaged can skip it and save the wait.

    Raises:
        OSError: If the directory is not writable; the target is then left untouched.
    """
    target = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):  # keep the old permissions where we can
                os.chmod(temp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
