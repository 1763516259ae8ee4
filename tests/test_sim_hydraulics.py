"""Reach hydraulics from a scenario: which velocity and dispersion the plume model uses."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from scenarios.schema import Reach
from sim.hydraulics import resolve_reach
from sim.interventions import FlowRelease, Storage

# Jobson (1996) Example 3, the Rhine from km 59 to Birsfelden (PLUME.md §2).
RHINE = {
    "id": "rhine",
    "length_km": 104.8,
    "discharge_m3s": 1068.0,
    "mean_annual_discharge_m3s": 730.0,
    "drainage_area_km2": 48_000.0,
    "jurisdiction": "ch",
}


def test_a_reach_known_only_by_jobson_inputs_reproduces_his_unit_peak() -> None:
    spec = resolve_reach(Reach.model_validate(RHINE))
    assert spec.velocity_mps == pytest.approx(1.01, rel=0.02)
    # Jobson: C_up = 71.9, so σ_t = 10⁶/(C_up·√(2π)) s and K = σ_t²·u³/(2L) ≈ 150 m²/s.
    sigma_s = 1e6 / (71.9 * math.sqrt(2 * math.pi))
    expected = sigma_s**2 * spec.velocity_mps**3 / (2 * 104_800.0)
    assert spec.dispersion_m2s == pytest.approx(expected, rel=0.03)
    assert 120 < spec.dispersion_m2s < 180


def test_a_given_dispersion_wins_over_jobson() -> None:
    spec = resolve_reach(Reach.model_validate({**RHINE, "dispersion_m2s": 42.0}))
    assert spec.dispersion_m2s == 42.0


def test_geometry_gives_dispersion_from_the_scenario_formula_not_jobson() -> None:
    geometric = {**RHINE, "width_m": 200.0, "depth_m": 5.0}
    spec = resolve_reach(Reach.model_validate(geometric))
    assert spec.velocity_mps == pytest.approx(1068.0 / 1000.0)
    assert not 120 < spec.dispersion_m2s < 180


@pytest.mark.parametrize(
    "build",
    [
        lambda: FlowRelease("a", 0.0, -100.0),
        lambda: FlowRelease("a", 0.0, 0.0),
        lambda: Storage("pond", 0.0, rate_m3s=0.0),
        lambda: Storage("pond", 0.0, volume_m3=-5.0),
    ],
)
def test_interventions_that_would_create_mass_or_divide_by_zero_are_refused(
    build: Callable[[], object],
) -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        build()
