"""How commands talk to the user: problems one per line, no tracebacks for bad input.

Files the system refuses (a full disk, a read-only folder, an ``--out`` that is a file) are
reported by ``riverdrill.cli.main`` as one line, ``PATH: cannot write: reason`` for what a
command writes (inside :func:`writing`) and ``PATH: cannot read: reason`` otherwise.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from scenarios.errors import InputError

# Piped output (CI logs, `| less`) gets a readable width instead of rich's 80 columns.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
errors = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 120)


class Lang(StrEnum):
    """The language of a command's tables and reports (``--lang``)."""

    zh = "zh"
    en = "en"


def _lang(value: str | Lang) -> Lang:
    try:
        return Lang(value)
    except ValueError:
        raise typer.BadParameter(
            f"--lang(={value}) must be one of {', '.join(Lang)}", param_hint="'--lang'"
        ) from None


LangOption = Annotated[
    Lang, typer.Option("--lang", parser=_lang, metavar="zh|en", help="语言 · zh or en")
]
"""``--lang``, the same in every command: anything but zh or en is a usage error (exit 2)."""


def fail(error: InputError, exit_code: int = 1) -> NoReturn:
    """Print every problem of ``error`` on stderr and leave with ``exit_code``."""
    # One line per problem however long: editors and terminals jump to file:line:col.
    for problem in error.problems:
        errors.print(str(problem), markup=False, soft_wrap=True)
    raise typer.Exit(exit_code)


def fail_usage(message: str) -> NoReturn:
    """Leave with exit code 2 (a usage error), like click does for bad options."""
    errors.print(f"usage error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(2)


class WriteFailed(Exception):
    """The system refused to write ``path`` (an ``OSError`` inside :func:`writing`)."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(path, error)
        self.path = path
        self.error = error

    def __str__(self) -> str:
        return os_problem(self.error, "write", self.path)


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Mark what happens inside as writing ``path`` (a file, or a directory and what goes in
    it): an ``OSError`` there becomes :class:`WriteFailed`, which ``main()`` reports as
    ``PATH: cannot write: reason``. An error on another file (one read meanwhile) is left
    as it is."""
    try:
        yield
    except OSError as error:
        where = _written(path, error)
        if where is None:
            raise
        raise WriteFailed(where, error) from error


def _written(path: Path, error: OSError) -> Path | None:
    """The file to name when ``error`` happened writing ``path``; None when it did not."""
    if error.filename is None:
        return path
    named = Path(os.fsdecode(error.filename))
    full, target = named.absolute(), path.absolute()
    if full == target or target in full.parents:
        return named
    # A temporary file beside the target (scenarios.atomicfile.write_atomic, ``.NAME.*.tmp``).
    if full.parent == target.parent and target.name in full.name:
        return path
    return None


def os_problem(error: OSError, verb: str, path: Path | None = None) -> str:
    """One line for a file the system refused: ``out/run: cannot write: Not a directory``."""
    where = path if path is not None else error.filename
    reason = error.strerror or str(error)
    return f"{where}: cannot {verb}: {reason}" if where is not None else f"cannot {verb}: {reason}"


def check_output_dir(path: Path) -> None:
    """Refuse, before any work, a directory to write that cannot be made or written into.

    Nothing is created: a command that then fails on bad input leaves no empty directory.

    Raises:
        InputError: When ``path`` or the nearest existing folder above it is not a folder.
        WriteFailed: When this user may not write there.
    """
    if path.exists() and not path.is_dir():
        raise InputError.single(str(path), "exists and is not a directory; give a directory")
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        raise InputError.single(
            str(existing), f"is a file, not a directory, so {path} cannot be created"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(existing))
        raise WriteFailed(path, denied)
