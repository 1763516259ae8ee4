"""Who acts in a drill, and where: jurisdictions, agencies, and the cells people play.

A jurisdiction is notified and reports upward; an agency acts (played by a cell or
simulated by the engine, ``sim/agencies.py``); a cell is a part a group of people plays.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from scenarios.river import Place
from scenarios.types import BiText, Capability, Duration, Frozen, Id


class JurisdictionLevel(StrEnum):
    nation = "nation"
    province = "province"
    city = "city"
    district = "district"
    county = "county"
    township = "township"


class Jurisdiction(Frozen):
    """An administrative area: the unit that must be notified and that reports upward."""

    id: Id
    name: BiText
    level: JurisdictionLevel
    parent: Id | None = None


class Triangle(Frozen):
    """A triangular distribution of a delay (minimum, most likely, maximum)."""

    min: Duration = Field(ge=0)
    mode: Duration = Field(ge=0)
    max: Duration = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Triangle:
        if not self.min <= self.mode <= self.max:
            raise ValueError(
                f"need min <= mode <= max (got {self.min:g}, {self.mode:g}, {self.max:g} min)"
            )
        return self


class AgencyKind(StrEnum):
    eco_env_bureau = "eco_env_bureau"
    water_resources = "water_resources"
    fire_rescue = "fire_rescue"
    police = "police"
    emergency_management = "emergency_management"
    transport = "transport"
    maritime = "maritime"
    water_supply = "water_supply"
    hydropower = "hydropower"
    enterprise = "enterprise"
    government = "government"
    media = "media"
    health = "health"
    expert = "expert"
    neighbour_province = "neighbour_province"
    other = "other"


class Agency(Frozen):
    """An organisation that acts in the drill; played by a cell or simulated."""

    id: Id
    name: BiText | None = None
    kind: AgencyKind
    jurisdiction: Id
    capabilities: tuple[Capability, ...] = ()
    respond: Triangle = Triangle(min=10, mode=20, max=45)
    base: Place | None = None
    travel_kmh: float = Field(40.0, gt=0, le=300)
    capacity: int = Field(1, ge=1, le=100, description="tasks it can run at once")
    refuse_probability: float = Field(0.0, ge=0, le=1)


class Cell(Frozen):
    """A part people play: a bureau, a water plant, a command post."""

    id: Id
    name: BiText
    plays: tuple[Id, ...] = Field(min_length=1, description="agencies this cell acts as")
    jurisdiction: Id | None = Field(None, description="defaults to its first agency's")
