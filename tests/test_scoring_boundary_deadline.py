"""The downstream-notice deadline is set by the boundary where the plume leaves the cell's area."""

from __future__ import annotations

from pathlib import Path

from scenarios.load import load_scenario
from scoring.rulebook import load_rubric
from scoring.score import score_run
from scoring.topology import world_of
from sim.log import Kind
from sim.run import SimulatedTeamDriver, run_drill

WUJIANG = Path(__file__).resolve().parent.parent / "scenarios" / "library" / "wujiang-aniline.yaml"


def test_a_district_is_accountable_for_the_boundary_it_drains_into() -> None:
    world = world_of(load_scenario(WUJIANG))
    # Wulong drains into Fuling; the Guizhou and Pengshui boundaries lie upstream of it.
    assert world.boundaries_leaving("district") == frozenset({"wl-fl-boundary"})


def test_downstream_notice_limit_ends_two_hours_before_the_plume_leaves_the_district() -> None:
    scenario = load_scenario(WUJIANG)
    log = run_drill(scenario, scenario.seed, SimulatedTeamDriver("prompt"))
    arrivals = {r.data["site"]: r.t_min for r in log.of_kind(Kind.truth_arrival)}
    card = score_run(scenario, load_rubric("chongqing-2024"), log)
    line = next(item for _, item in card.lines() if item.id == "downstream-notice")
    assert line.start_min is not None and line.limit_min is not None
    # The Guizhou boundary is crossed long before the district hears of the incident; the
    # deadline must come from the Wulong–Fuling boundary, less the rubric's 2 h margin, or
    # from the rubric's own 1 h limit, whichever ends first.
    deadline = arrivals["wl-fl-boundary"] - 120.0 - line.start_min
    assert line.limit_min == min(60.0, deadline)
    # Measured against the Guizhou boundary the window would already be closed at the reveal.
    assert arrivals["gz-cq-boundary"] - 120.0 < line.start_min
    assert line.points_earned == line.points_max
