"""The river a drill happens on: its reaches, how they are modelled, and a point on them.

Reaches form a tree through ``downstream``; the tree itself (no cycles, tributaries joining
within their downstream reach) is checked across the document in ``crossref.py``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from scenarios.hydrology import jobson_peak_velocity_mps
from scenarios.types import BiText, Frozen, Id, field_error

MAX_VELOCITY_MPS = 10.0
"""Faster than any natural river; a larger value is a typo (km/h or m/min)."""


class DispersionFormula(StrEnum):
    deng = "deng"
    seo_cheong = "seo_cheong"
    fischer = "fischer"


class Hydraulics(Frozen):
    """Scenario-wide defaults for how the river is modelled."""

    dispersion_formula: DispersionFormula = DispersionFormula.deng
    manning_n: float = Field(0.035, gt=0.005, lt=0.2)


class Reach(Frozen):
    """A stretch of river between two points, with one set of hydraulic parameters.

    Reaches form a tree through ``downstream``. A tributary joins its downstream reach at
    ``joins_at_km``; without it, the reach flows into the downstream reach's upstream end.
    """

    id: Id
    river: BiText | None = None
    name: BiText | None = None
    length_km: float = Field(gt=0, le=5000)
    discharge_m3s: float = Field(gt=0, le=200_000)
    velocity_mps: float | None = Field(None, gt=0, le=MAX_VELOCITY_MPS)
    width_m: float | None = Field(None, gt=0, le=50_000)
    depth_m: float | None = Field(None, gt=0, le=500)
    slope: float | None = Field(None, gt=0, lt=0.5, description="bed slope, m/m")
    manning_n: float | None = Field(None, gt=0.005, lt=0.2)
    dispersion_m2s: float | None = Field(None, gt=0, le=100_000)
    mean_annual_discharge_m3s: float | None = Field(None, gt=0)
    drainage_area_km2: float | None = Field(None, gt=0)
    decay_per_day: float | None = Field(None, ge=0, le=100)
    jurisdiction: Id
    downstream: Id | None = None
    joins_at_km: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _velocity_is_derivable(self) -> Reach:
        if self.velocity_mps is not None:
            return self
        if self.width_m is not None and self.depth_m is not None:
            velocity = self.discharge_m3s / (self.width_m * self.depth_m)
            if velocity > MAX_VELOCITY_MPS:
                raise ValueError(
                    f"discharge/(width*depth) gives {velocity:.1f} m/s, faster than any river "
                    f"(> {MAX_VELOCITY_MPS:g} m/s); check width_m and depth_m"
                )
            return self
        if self.drainage_area_km2 is not None:
            velocity = jobson_peak_velocity_mps(
                self.discharge_m3s,
                self.drainage_area_km2,
                self.mean_annual_discharge_m3s,
                self.slope,
            )
            if velocity > MAX_VELOCITY_MPS:
                raise field_error(
                    "drainage_area_km2",
                    f"Jobson's formula gives {velocity:.1f} m/s for {self.discharge_m3s:g} m³/s "
                    f"from {self.drainage_area_km2:g} km², faster than any river "
                    f"(> {MAX_VELOCITY_MPS:g} m/s); check drainage_area_km2 (in km²) or give "
                    "velocity_mps",
                )
            return self
        raise ValueError(
            "give velocity_mps, or width_m and depth_m, or drainage_area_km2 "
            "(with mean_annual_discharge_m3s) so the velocity can be computed"
        )


class Place(Frozen):
    """A point on the river: reach and km from its upstream end."""

    reach: Id
    km: float = Field(ge=0)
