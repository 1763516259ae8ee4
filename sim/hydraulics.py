"""Hydraulics of a scenario reach: the velocity and dispersion coefficient the plume uses.

Velocity: ``velocity_mps``, else Q/(width·depth), else Jobson's (1996) peak velocity from the
drainage area. Dispersion: ``dispersion_m2s``, else the scenario's empirical formula
(``hydraulics.dispersion_formula``, Deng by default) from width, depth, velocity and shear
velocity (from the slope, else from Manning's n). A missing width or depth comes from
Q = U·B·H; with neither, a typical width for the discharge (an estimate, see
:func:`sim.dispersion.typical_width_m`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sim.dispersion import (
    DEFAULT_MANNING_N,
    DispersionFormula,
    jobson_peak_velocity_mps,
    longitudinal_dispersion_m2s,
    shear_velocity_mps,
    typical_width_m,
)
from sim.river import ReachSpec, SiteSpec

if TYPE_CHECKING:
    from scenarios.schema import Reach


def resolve_reach(
    reach: Reach,
    formula: DispersionFormula | str = DispersionFormula.deng,
    default_manning_n: float = DEFAULT_MANNING_N,
) -> ReachSpec:
    """Velocity and dispersion coefficient of a scenario reach.

    Velocity: ``velocity_mps``, else Q/(width·depth), else Jobson's peak velocity from the
    drainage area. Geometry for K: the missing one of width/depth from Q = U·B·H, or a typical
    width (:func:`sim.dispersion.typical_width_m`) when neither is given.
    """
    q = reach.discharge_m3s
    width, depth = reach.width_m, reach.depth_m
    if reach.velocity_mps is not None:
        u = reach.velocity_mps
    elif width is not None and depth is not None:
        u = q / (width * depth)
    elif reach.drainage_area_km2 is not None:
        u = jobson_peak_velocity_mps(
            q, reach.drainage_area_km2, reach.mean_annual_discharge_m3s, reach.slope
        )
    else:  # the schema rejects this; guard for hand-built models
        raise ValueError(f"reach {reach.id}: velocity cannot be derived")
    if reach.dispersion_m2s is not None:
        k_m2s = reach.dispersion_m2s
    else:
        if width is None and depth is None:
            width = typical_width_m(q)
        if width is None:
            assert depth is not None
            width = q / (u * depth)
        if depth is None:
            depth = q / (u * width)
        shear = shear_velocity_mps(
            depth,
            slope=reach.slope,
            velocity_mps=u,
            manning_n=reach.manning_n or default_manning_n,
        )
        k_m2s = float(longitudinal_dispersion_m2s(width, depth, u, shear, formula))
    return ReachSpec(
        id=reach.id,
        length_km=reach.length_km,
        discharge_m3s=q,
        velocity_mps=float(u),
        dispersion_m2s=float(k_m2s),
        decay_per_day=reach.decay_per_day,
        downstream=reach.downstream,
        joins_at_km=reach.joins_at_km,
        jurisdiction=reach.jurisdiction,
    )


def _site_spec(site: object) -> SiteSpec:
    """Copy the plume-relevant fields of any scenario site model (kinds differ in fields)."""

    def get(name: str) -> Any:
        return getattr(site, name, None)

    return SiteSpec(
        id=str(get("id")),
        reach=str(get("reach")),
        km=float(get("km")),
        kind=str(get("kind")),
        max_hold_min=get("max_hold"),
        pool_volume_m3=get("pool_volume_m3"),
        efficiency=get("efficiency"),
        build_time_min=get("build_time"),
        volume_m3=get("volume_m3"),
    )


def site_specs(sites: Iterable[object]) -> list[SiteSpec]:
    """:class:`SiteSpec` for every scenario site model."""
    return [_site_spec(s) for s in sites]
