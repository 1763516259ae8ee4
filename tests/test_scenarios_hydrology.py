"""A reach whose velocity comes from its drainage area (Jobson 1996) is bounded like any other."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios import InputError, Scenario, load_text
from scenarios.hydrology import jobson_peak_velocity_mps
from scenarios.schema import MAX_VELOCITY_MPS, Reach

SMALL = Path(__file__).parent / "data" / "small-river.yaml"
TEXT = SMALL.read_text(encoding="utf-8")
UP = "discharge_m3s: 100, velocity_mps: 0.8,"


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_text(text, "x.yaml", Scenario)
    return [str(p) for p in caught.value.problems]


def reach(**fields: object) -> Reach:
    data = {"id": "r", "length_km": 10, "jurisdiction": "j", **fields}
    return Reach.model_validate(data)


def test_the_engine_runs_at_the_velocity_the_scenario_layer_checked() -> None:
    from sim import dispersion

    assert dispersion.jobson_peak_velocity_mps is jobson_peak_velocity_mps


def test_the_velocity_formula_needs_no_numeric_library() -> None:
    code = "import sys, scenarios.hydrology; assert 'numpy' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_jobson_reach_faster_than_any_river_is_refused_at_its_drainage_area() -> None:
    assert jobson_peak_velocity_mps(5000, 1) == pytest.approx(14.7, abs=0.05)
    text = TEXT.replace(UP, "discharge_m3s: 5000, drainage_area_km2: 1,")
    assert problems(text) == [
        "x.yaml:8:80: reaches[0].drainage_area_km2: Jobson's formula gives 14.7 m/s for "
        "5000 m³/s from 1 km², faster than any river (> 10 m/s); check drainage_area_km2 "
        "(in km²) or give velocity_mps"
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"discharge_m3s": 100, "drainage_area_km2": 5000},
        {"discharge_m3s": 100, "drainage_area_km2": 5000, "mean_annual_discharge_m3s": 80},
        {"discharge_m3s": 1068, "drainage_area_km2": 48000, "mean_annual_discharge_m3s": 730,
         "slope": 2e-4},
    ],
)  # fmt: skip
def test_a_plausible_jobson_reach_is_accepted(fields: dict[str, float]) -> None:
    assert reach(**fields).drainage_area_km2 == fields["drainage_area_km2"]


def test_a_given_velocity_or_geometry_is_used_before_the_drainage_area() -> None:
    assert reach(discharge_m3s=5000, drainage_area_km2=1, velocity_mps=2).velocity_mps == 2
    assert reach(discharge_m3s=5000, drainage_area_km2=1, width_m=500, depth_m=5)


def test_an_absurd_drainage_area_is_refused_not_a_crash() -> None:
    assert jobson_peak_velocity_mps(100, 1e300) == math.inf  # plain floats overflow: inf
    (found,) = problems(TEXT.replace(UP, "discharge_m3s: 100, drainage_area_km2: 1e300,"))
    assert "reaches[0].drainage_area_km2: Jobson's formula gives inf m/s" in found


def test_a_randomized_discharge_that_makes_a_jobson_reach_too_fast_is_refused() -> None:
    text = TEXT.replace(UP, "discharge_m3s: 100, drainage_area_km2: 0.01,").replace(
        "reaches[0].discharge_m3s: {choice: [80, 100]}",
        "reaches[0].discharge_m3s: {choice: [80, 119]}",
    )
    assert (
        jobson_peak_velocity_mps(100, 0.01) < MAX_VELOCITY_MPS < jobson_peak_velocity_mps(119, 0.01)
    )
    (found,) = problems(text)
    assert 'randomize["reaches[0].discharge_m3s"]: choice 119 is out of bounds: ' in found
    assert "reaches[0].drainage_area_km2: Jobson's formula gives" in found
