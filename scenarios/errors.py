"""The project's error type for bad input: every problem with its file, line and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows.

    ``line`` and ``col`` are 1-based; 0 means the location is the whole file.
    """

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InputError(Exception):
    """Bad input: a scenario, rubric, response log, judges' sheet or run directory.

    Carries every problem found, so a trainer fixes them all in one pass. The command line
    prints them one per line and exits 1; nobody sees a traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls, file: str, message: str, line: int = 0, col: int = 0, path: str = ""
    ) -> InputError:
        """An error with one problem."""
        return cls([Problem(file, line, col, path, message)])
