"""How commands talk to the user: problems one per line, no tracebacks for bad input."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

from scenarios.errors import InputError

# Piped output (CI logs, `| less`) gets a readable width instead of rich's 80 columns.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
errors = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 120)


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
