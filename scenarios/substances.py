"""The substance library: bundled GB 3838-2002 limits plus a scenario's own additions."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field

from scenarios.schema import Scenario, Substance
from scenarios.types import Frozen

LIBRARY_PATH = Path(__file__).with_name("substances.yaml")


class SubstanceLibrary(Frozen):
    """The file format of ``substances.yaml``."""

    substances: tuple[Substance, ...] = Field(min_length=1)


@cache
def bundled_substances() -> dict[str, Substance]:
    """The bundled library, keyed by id (read once per process)."""
    from scenarios.load import load_model  # late: load imports the YAML parser

    library = load_model(LIBRARY_PATH, SubstanceLibrary)
    return {s.id: s for s in library.substances}


def substances_for(scenario: Scenario) -> dict[str, Substance]:
    """The substances a scenario can use: the library overlaid with its own entries."""
    table = dict(bundled_substances())
    table.update({s.id: s for s in scenario.substances})
    return table
