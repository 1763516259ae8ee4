"""The truth keeper: the plume under the interventions in force, and the level it reaches."""

from __future__ import annotations

from pathlib import Path

from scenarios.levels import Level
from scenarios.load import load_scenario
from sim.truth import TruthKeeper

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"


def test_the_baseline_grade_is_the_level_reached_by_the_time_asked() -> None:
    """Asking for an early baseline grade first does not fix the answer for later times."""
    scenario = load_scenario(FIXTURE)
    keeper = TruthKeeper(scenario, scenario.duration)
    assert keeper.grade(0.0, baseline=True).level is None  # nothing has reached a site yet
    assert keeper.grade(60.0, baseline=True).level is Level.IV
    assert keeper.grade(scenario.duration, baseline=True).level is Level.III
    assert keeper.grade(0.0, baseline=True).level is None
