"""The ``riverdrill`` command line (the composition root's front door)."""

from __future__ import annotations

import sys

from riverdrill.cli.app import app

# Importing a command module registers its commands on ``app``. Each module imports its heavy
# libraries inside the command, so `riverdrill validate` starts fast.
from riverdrill.cli import (  # noqa: F401  isort: skip
    scenario_cmds,
    preview_cmd,
    run_cmds,
    score_cmd,
    report_cmd,
    demo_cmd,
)

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the console script.

    Bad input is reported by the commands themselves (``InputError``); a file the system
    refuses, here, as one line naming it (``PATH: cannot write: reason``, exit 1). Anything
    that still escapes is a bug: say so in one line and where to report it, not a traceback.
    """
    from riverdrill.cli.output import WriteFailed, errors, os_problem
    from scenarios.errors import InputError

    try:
        app()
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        sys.exit(1)
    except WriteFailed as failed:
        errors.print(str(failed), markup=False, soft_wrap=True)
        sys.exit(1)
    except OSError as error:  # outside `writing`: a file the command reads
        errors.print(os_problem(error, "read"), markup=False, soft_wrap=True)
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
