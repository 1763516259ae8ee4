"""The scenario language: a drill as one tree of frozen pydantic models, ``Scenario`` at the top.

A scenario is the world (reaches, sites, jurisdictions, agencies, substances), what goes wrong
(spills, with ``randomize`` ranges for variants), who plays (cells) and what they are told when
(injects: the MSEL). Field names are a public file format (see DESIGN.md); every field that
holds a duration holds minutes (``Duration``). Checks that need more than one field of one
model live with that model; checks across the document (ids, the reach tree) live in
``crossref.py``.

The models live by concept, and every one is re-exported here, so
``from scenarios.schema import ...`` names any of them:

- ``river.py``: reaches, hydraulic defaults, a place on the river;
- ``sites.py``: the sites on it (their ``Site`` union is here);
- ``agencies.py``: jurisdictions, agencies and their response delays, cells;
- ``incident.py``: substances, spills, the stated impact;
- ``randomize.py``: the ``uniform`` and ``choice`` ranges of variants;
- ``injects.py``: injects, their triggers, the action filters and the action vocabulary.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from scenarios.agencies import (
    Agency,
    AgencyKind,
    Cell,
    Jurisdiction,
    JurisdictionLevel,
    Triangle,
)
from scenarios.incident import Impact, Spill, Substance
from scenarios.injects import (
    ActionFilter,
    ActionKind,
    AfterActionTrigger,
    AtTrigger,
    Channel,
    Exceedance,
    ExceedsTrigger,
    Inject,
    ManualTrigger,
    NoActionTrigger,
    PlumeReachesTrigger,
    Trigger,
)
from scenarios.randomize import Choice, Range, RangeEnd, Uniform
from scenarios.river import MAX_VELOCITY_MPS, DispersionFormula, Hydraulics, Place, Reach
from scenarios.sites import (
    BoundarySite,
    CityClass,
    GateSite,
    IntakeSite,
    InterceptionSite,
    MonitoringSite,
    SiteKind,
    SourceSite,
    StorageSite,
    TownSite,
)
from scenarios.types import BiText, Capability, Duration, Frozen, Id, format_duration

__all__ = [
    "MAX_VELOCITY_MPS",
    "MIN_DURATION_MIN",
    "ActionFilter",
    "ActionKind",
    "AfterActionTrigger",
    "Agency",
    "AgencyKind",
    "AtTrigger",
    "BoundarySite",
    "Capability",
    "Cell",
    "Channel",
    "Choice",
    "CityClass",
    "DispersionFormula",
    "Exceedance",
    "ExceedsTrigger",
    "GateSite",
    "Hydraulics",
    "Impact",
    "Inject",
    "IntakeSite",
    "InterceptionSite",
    "Jurisdiction",
    "JurisdictionLevel",
    "ManualTrigger",
    "MonitoringSite",
    "NoActionTrigger",
    "Place",
    "PlumeReachesTrigger",
    "Range",
    "RangeEnd",
    "Reach",
    "Scenario",
    "Site",
    "SiteKind",
    "SourceSite",
    "Spill",
    "StorageSite",
    "Substance",
    "TownSite",
    "Triangle",
    "Trigger",
    "Uniform",
]

MIN_DURATION_MIN = 30.0
"""Shortest drill: the first report is due 30 minutes after the call, so a shorter drill tests
nothing; ``duration: 24`` (a bare number is minutes) nearly always meant ``24h``."""


Site = Annotated[
    IntakeSite
    | MonitoringSite
    | BoundarySite
    | GateSite
    | InterceptionSite
    | StorageSite
    | TownSite
    | SourceSite,
    Field(discriminator="kind"),
]


class Scenario(Frozen):
    """A whole drill: the river, the incident, the players and the MSEL."""

    id: Id
    title: BiText
    description: BiText | None = None
    start: datetime
    duration: Duration = Field(ge=MIN_DURATION_MIN, le=30 * 1440)
    seed: int = Field(0, ge=0, strict=True)
    rubric: str | None = Field(None, description="rubric id or path")
    objectives: tuple[BiText, ...] = ()
    hydraulics: Hydraulics = Hydraulics()
    reaches: tuple[Reach, ...] = Field(min_length=1)
    sites: tuple[Site, ...] = ()
    jurisdictions: tuple[Jurisdiction, ...] = Field(min_length=1)
    agencies: tuple[Agency, ...] = ()
    substances: tuple[Substance, ...] = Field(
        (), description="added to (or overriding) scenarios/substances.yaml"
    )
    spills: tuple[Spill, ...] = Field(min_length=1)
    impact: Impact = Impact()
    randomize: dict[str, Range] = Field(default_factory=dict)
    cells: tuple[Cell, ...] = Field(min_length=1)
    injects: tuple[Inject, ...] = ()

    @field_validator("duration", mode="before")
    @classmethod
    def _not_hours_by_mistake(cls, value: Any) -> Any:
        # Before the Duration parser, so a bare number can be told from a written unit.
        bare = isinstance(value, int | float) and not isinstance(value, bool)
        if bare and 0 < value < MIN_DURATION_MIN:
            raise ValueError(
                f"a bare number is minutes: {value:g} is a {format_duration(value)} drill, "
                f"shorter than {format_duration(MIN_DURATION_MIN)}; did you mean {value:g}h?"
            )
        return value
