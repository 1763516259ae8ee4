"""A text file read the careful way, and places in text counted the way ruamel counts them.

Refused with a one-line message: anything but a regular file (a device such as
``/dev/zero``, a pipe), files over 5 MB, and bytes that are not UTF-8.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from scenarios.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
"""Largest file read; a scenario is a few kB, so anything bigger is a mistake or an attack."""


def read_bounded(path: str | Path, name: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The size is what was read, not what ``stat`` says: a device such as ``/dev/zero`` reports
    0 bytes and never ends. Anything but a regular file is refused before it is opened (a
    named pipe would block the open).

    Raises:
        InputError: If the file is missing, unreadable, not a regular file or too big.
    """
    too_big = f"file is bigger than {limit // 2**20} MB; files over {limit // 2**20} MB are refused"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError.single(name, _NOT_REGULAR)
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced meanwhile
                raise InputError.single(name, _NOT_REGULAR)
            raw = handle.read(limit + 1)
    except OSError as error:
        raise InputError.single(name, f"cannot read: {error.strerror or error}") from None
    if len(raw) > limit:
        raise InputError.single(name, too_big)
    return raw


_NOT_REGULAR = "not a regular file (a device, pipe or directory); give a YAML file"


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark), naming the first bad byte's place."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8-sig", errors="replace")
        line, col = line_col(before, len(before))
        raise InputError.single(
            name,
            f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
            line=line,
            col=col,
        ) from None


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of character ``offset`` of ``text``, as ruamel counts."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings, counted as ruamel counts them.

    Only ``\n``, ``\r\n`` and a lone ``\r`` end a line (``str.splitlines`` also splits at
    form feeds and Unicode separators, which would shift every line number after them).
    """
    return _LINE.findall(text)
