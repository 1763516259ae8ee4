"""The ``riverdrill`` command line (the composition root's front door)."""

from __future__ import annotations

import sys

from riverdrill.cli.app import app

# Importing a command module registers its commands on ``app``.
from riverdrill.cli import scenario_cmds  # noqa: E402,F401  isort: skip
from riverdrill.cli import preview_cmd  # noqa: F401  isort: skip
from riverdrill.cli import run_cmds  # noqa: F401  isort: skip
from riverdrill.cli import score_cmd  # noqa: E402,F401  isort: skip
from riverdrill.cli import report_cmd  # noqa: E402,F401  isort: skip
from riverdrill.cli import demo_cmd  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the console script.

    Bad input is reported by the commands themselves (``InputError``). Anything that still
    escapes is a bug: say so in one line and where to report it, rather than a traceback.
    """
    from scenarios.errors import InputError

    try:
        app()
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: one line, details on request
        import os

        if os.environ.get("RIVERDRILL_DEBUG"):
            raise
        print(
            f"riverdrill: internal error ({type(error).__name__}: {error}). "
            "Set RIVERDRILL_DEBUG=1 to see the details and please report them.",
            file=sys.stderr,
        )
        sys.exit(3)
