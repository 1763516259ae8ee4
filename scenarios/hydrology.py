"""River velocity from a reach's drainage area: Jobson (1996), USGS WRIR 96-4013.

A pure function of plain floats (no numpy), so the scenario layer can bound the velocity a
reach will run at when it is loaded, and the engine (``sim.dispersion``, which re-exports it)
runs at exactly that velocity. The formulas, their sources and their skill are in PLUME.md §2.
"""

from __future__ import annotations

import math

G_MPS2 = 9.81
"""Gravity in Jobson's dimensionless drainage area (the engine's ``sim.dispersion.G_MPS2``)."""


def jobson_peak_velocity_mps(
    discharge_m3s: float,
    drainage_area_km2: float,
    mean_annual_discharge_m3s: float | None = None,
    slope: float | None = None,
    *,
    maximum_probable: bool = False,
) -> float:
    """Velocity of the peak concentration from Jobson (1996).

    Uses Eq. 12 (with slope), Eq. 14 (no slope) or Eq. 16 (drainage area only, when the mean
    annual discharge is unknown); ``maximum_probable`` selects the envelope Eqs. 13/15/17
    (earliest arrival) instead of the regression.

    Args:
        discharge_m3s: Discharge at the time of the spill, Q.
        drainage_area_km2: Drainage area D_a.
        mean_annual_discharge_m3s: Mean annual discharge Q_a, if known.
        slope: Reach slope (m/m), if known; used only with Q_a.
        maximum_probable: Return the maximum probable velocity.

    Returns:
        V_p in m/s; ``inf`` when the inputs are so far out of range that it overflows.
    """
    try:
        return _jobson(
            discharge_m3s, drainage_area_km2, mean_annual_discharge_m3s, slope, maximum_probable
        )
    except OverflowError:  # numpy gave inf here; plain floats raise
        return math.inf


def _jobson(
    discharge_m3s: float,
    drainage_area_km2: float,
    mean_annual_discharge_m3s: float | None,
    slope: float | None,
    maximum_probable: bool,
) -> float:
    area_m2 = drainage_area_km2 * 1e6
    q_per_area = discharge_m3s / area_m2
    if mean_annual_discharge_m3s is None:
        d_area = area_m2**1.25 * math.sqrt(G_MPS2) / discharge_m3s  # D''_a, Eq. 16
        if maximum_probable:
            return float(0.2 + 40.0 * d_area**0.595 * q_per_area)
        return float(0.152 + 8.1 * d_area**0.595 * q_per_area)
    d_area = area_m2**1.25 * math.sqrt(G_MPS2) / mean_annual_discharge_m3s  # D'_a, Eq. 10
    q_rel = discharge_m3s / mean_annual_discharge_m3s
    if slope is None:
        if maximum_probable:
            return float(0.2 + 0.093 * d_area**0.821 * q_rel**-0.465 * q_per_area)
        return float(0.020 + 0.051 * d_area**0.821 * q_rel**-0.465 * q_per_area)
    # Exponent -0.469 for Q'_a follows USGS's own coefficient table (PLUME.md flag on Eq. 12).
    if maximum_probable:
        return float(0.25 + 0.02 * d_area**0.919 * q_rel**-0.469 * slope**0.159 * q_per_area)
    return float(0.094 + 0.0143 * d_area**0.919 * q_rel**-0.469 * slope**0.159 * q_per_area)
