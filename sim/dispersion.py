"""Empirical river-mixing parameters: shear velocity, longitudinal dispersion, Jobson (1996).

Pure functions of reach geometry, vectorised over numpy arrays (scalars work too). SI units
throughout except where a name says otherwise (``drainage_area_km2``, ``t_peak_h``). The
formulas, their sources and their skill on measured data are in PLUME.md §2–3:

- :func:`longitudinal_dispersion_m2s` — Deng et al. (2001, default), Seo & Cheong (1998) or
  Fischer (1975), from width, depth, mean velocity and shear velocity.
- :func:`shear_velocity_mps` — ``u* = √(g·H·S)`` from the bed slope, else from Manning's n.
- ``jobson_*`` — USGS WRIR 96-4013 peak velocity (Eqs. 12–17), unit-peak concentration
  (Eq. 7), leading edge (Eq. 18) and time of passage (Eq. 19).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from scenarios.hydrology import jobson_peak_velocity_mps  # pure; the schema bounds it too
from scenarios.schema import DispersionFormula

G_MPS2 = 9.81
DEFAULT_MANNING_N = 0.035
"""Natural channel, clean and winding, some pools (Chow 1959 table 5-6 'normal' range)."""

LEADING_EDGE_FRACTION = 0.890
"""Jobson (1996) Eq. 18: the leading edge arrives at 0.89 of the travel time of the peak."""

Arr = TypeVar("Arr", float, NDArray[np.float64])

__all__ = [
    "DEFAULT_MANNING_N",
    "G_MPS2",
    "LEADING_EDGE_FRACTION",
    "DispersionFormula",
    "dispersion_deng",
    "dispersion_fischer",
    "dispersion_seo_cheong",
    "jobson_equivalent_dispersion_m2s",
    "jobson_leading_edge_h",
    "jobson_passage_h",
    "jobson_peak_velocity_mps",
    "jobson_unit_peak_concentration",
    "longitudinal_dispersion_m2s",
    "shear_velocity_mps",
    "typical_width_m",
]


def shear_velocity_mps(
    depth_m: Arr,
    *,
    slope: Arr | None = None,
    velocity_mps: Arr | None = None,
    manning_n: Arr | float = DEFAULT_MANNING_N,
) -> Arr:
    """Shear velocity of a wide channel.

    With a bed slope, ``u* = √(g·H·S)``. Without one, Manning's equation eliminates the slope:
    ``S = (n·U)² / H^(4/3)`` so ``u* = U·n·√g / H^(1/6)``.

    Args:
        depth_m: Mean depth H (m), used as the hydraulic radius.
        slope: Bed slope S (m/m); preferred when known.
        velocity_mps: Mean velocity U (m/s); needed when ``slope`` is None.
        manning_n: Manning roughness (s/m^(1/3)) used when ``slope`` is None.

    Returns:
        u* in m/s.

    Raises:
        ValueError: If neither ``slope`` nor ``velocity_mps`` is given.
    """
    if slope is not None:
        return np.sqrt(G_MPS2 * depth_m * slope)
    if velocity_mps is None:
        raise ValueError("shear velocity needs slope, or velocity_mps with manning_n")
    return velocity_mps * manning_n * np.sqrt(G_MPS2) / np.power(depth_m, 1.0 / 6.0)


def dispersion_deng(width_m: Arr, depth_m: Arr, velocity_mps: Arr, shear_mps: Arr) -> Arr:
    """Deng, Singh & Bengtsson (2001), J. Hydraul. Eng. 127(11):919–927."""
    aspect = np.divide(width_m, depth_m)
    ratio = np.divide(velocity_mps, shear_mps)
    eps_t0 = 0.145 + ratio * np.power(aspect, 1.38) / 3520.0
    return depth_m * shear_mps * (0.15 / (8.0 * eps_t0)) * ratio**2 * np.power(aspect, 5.0 / 3.0)


def dispersion_seo_cheong(width_m: Arr, depth_m: Arr, velocity_mps: Arr, shear_mps: Arr) -> Arr:
    """Seo & Cheong (1998), J. Hydraul. Eng. 124(1):25–32."""
    aspect = np.divide(width_m, depth_m)
    ratio = np.divide(velocity_mps, shear_mps)
    return 5.915 * depth_m * shear_mps * np.power(aspect, 0.620) * np.power(ratio, 1.428)


def dispersion_fischer(width_m: Arr, depth_m: Arr, velocity_mps: Arr, shear_mps: Arr) -> Arr:
    """Fischer (1975): ``K = 0.011·U²·B²/(H·u*)``."""
    return 0.011 * velocity_mps**2 * width_m**2 / (depth_m * shear_mps)


_FORMULAS = {
    DispersionFormula.deng: dispersion_deng,
    DispersionFormula.seo_cheong: dispersion_seo_cheong,
    DispersionFormula.fischer: dispersion_fischer,
}


def longitudinal_dispersion_m2s(
    width_m: Arr,
    depth_m: Arr,
    velocity_mps: Arr,
    shear_mps: Arr,
    formula: DispersionFormula | str = DispersionFormula.deng,
) -> Arr:
    """Longitudinal dispersion coefficient K (m²/s) from an empirical formula.

    Args:
        width_m: Top width B (m).
        depth_m: Mean depth H (m).
        velocity_mps: Mean velocity U (m/s).
        shear_mps: Shear velocity u* (m/s), see :func:`shear_velocity_mps`.
        formula: ``deng`` (default; best on the 71 Tayfur & Singh measurements),
            ``seo_cheong`` or ``fischer``.

    Returns:
        K in m²/s.

    Raises:
        ValueError: If ``formula`` is not one of the names above.
    """
    try:
        function = _FORMULAS[DispersionFormula(formula)]
    except ValueError:
        names = ", ".join(f.value for f in DispersionFormula)
        raise ValueError(f"dispersion formula(={formula!r}) must be one of {names}") from None
    return function(width_m, depth_m, velocity_mps, shear_mps)


def typical_width_m(discharge_m3s: float) -> float:
    """Channel width when a scenario gives neither width nor depth [estimate].

    Downstream hydraulic geometry ``B = a·Q^b`` with b = 0.5 (Leopold & Maddock 1953) and a
    typical a = 7.2 (m, with Q in m³/s; order of published basin-wide fits). Only a fallback so
    that K can be computed: scenarios for a real river should give ``width_m`` or
    ``dispersion_m2s``.
    """
    return 7.2 * float(np.sqrt(discharge_m3s))


# --- Jobson (1996), USGS WRIR 96-4013 ------------------------------------------------------


def jobson_unit_peak_concentration(t_peak_h: Arr, relative_discharge: float | None = None) -> Arr:
    """Jobson (1996) Eq. 7: unit-peak concentration ``C_up = 10⁶·C_p·Q/M`` (1/s).

    Args:
        t_peak_h: Travel time of the peak from the injection, hours.
        relative_discharge: Q/Q_a; without it the Q_a-free fit ``1025·T_p^-0.887`` is used.

    Returns:
        C_up in 1/s (so ``C_p = C_up·M/(10⁶·Q)`` in consistent units).
    """
    if relative_discharge is None:
        return 1025.0 * np.power(t_peak_h, -0.887)
    return 857.0 * np.power(t_peak_h, -0.760 * relative_discharge**-0.079)


def jobson_leading_edge_h(t_peak_h: Arr) -> Arr:
    """Jobson (1996) Eq. 18: travel time of the leading edge, ``0.89·T_p``."""
    return LEADING_EDGE_FRACTION * t_peak_h


def jobson_passage_h(unit_peak: Arr) -> Arr:
    """Jobson (1996) Eq. 19: leading edge until C falls to 10 % of the peak, ``2·10⁶/C_up`` s."""
    return 2e6 / unit_peak / 3600.0


def jobson_equivalent_dispersion_m2s(
    unit_peak: float, velocity_mps: float, length_m: float
) -> float:
    """Dispersion coefficient whose Gaussian-in-time peak matches Jobson's unit peak.

    ``C_p = M/(Q·σ_t·√(2π))`` and ``C_up = 10⁶·C_p·Q/M`` give ``σ_t = 10⁶/(C_up·√(2π))``;
    the single-reach variance ``σ_t² = 2·K·L/U³`` then gives K (PLUME.md §2).
    """
    sigma_s = 1e6 / (unit_peak * np.sqrt(2.0 * np.pi))
    return float(sigma_s**2 * velocity_mps**3 / (2.0 * length_m))
