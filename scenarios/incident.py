"""What goes wrong: the substances released, the spills, and the incident's stated impact."""

from __future__ import annotations

from pydantic import Field, model_validator

from scenarios.types import BiText, Duration, Frozen, Id


class Substance(Frozen):
    """A pollutant with the limit the drill measures exceedance against."""

    id: Id
    name: BiText
    cas: str | None = None
    standard_mg_l: float = Field(gt=0)
    standard: str = Field("GB 3838-2002", description="which standard sets the limit")
    heavy_metal: bool = False
    decay_per_day: float = Field(0.0, ge=0, le=100)
    notes: BiText | None = None


class Spill(Frozen):
    """A release of a substance into the river. Give ``site`` or ``reach`` + ``km``."""

    id: Id | None = None
    substance: Id
    site: Id | None = None
    reach: Id | None = None
    km: float | None = Field(None, ge=0)
    mass_kg: float | None = Field(None, gt=0)
    rate_kg_h: float | None = Field(None, gt=0)
    start: Duration = Field(0.0, ge=0)
    duration: Duration = Field(0.0, ge=0, description="0 means instantaneous")

    @model_validator(mode="after")
    def _located_and_sized(self) -> Spill:
        if self.site is None and (self.reach is None or self.km is None):
            raise ValueError("give site, or reach and km")
        if self.site is not None and (self.reach is not None or self.km is not None):
            raise ValueError("give site or reach+km, not both")
        if (self.mass_kg is None) == (self.rate_kg_h is None):
            raise ValueError("give exactly one of mass_kg or rate_kg_h")
        if self.rate_kg_h is not None and self.duration <= 0:
            raise ValueError("rate_kg_h needs a duration > 0")
        return self

    @property
    def total_mass_kg(self) -> float:
        """Mass released over the whole spill."""
        if self.mass_kg is not None:
            return self.mass_kg
        assert self.rate_kg_h is not None
        return self.rate_kg_h * self.duration / 60.0


class Impact(Frozen):
    """Human and economic impact, where the scenario states it (for the incident level)."""

    deaths: int = Field(0, ge=0)
    injured: int = Field(0, ge=0)
    evacuated: int = Field(0, ge=0)
    direct_loss_cny: float = Field(0.0, ge=0)
