"""The river a report re-computes from a run's log is the river the engine played."""

from __future__ import annotations

import pytest
from test_reports_fixtures import WUJIANG, responses, run_log, tutorial

from reports.truth import run_truth
from reports.whatif import commands_of, rerun
from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.actions import action_from_data
from sim.log import Kind, Log
from sim.run import Command, SimulatedTeamDriver, run_drill

STOP_LEAK = {"kind": "request", "agency": "hazmat-haulier", "task": "stop_source"}
"""The haulier ordered to plug its tanker (Wujiang has no source site: every spill stops)."""


def _run(which: str) -> tuple[Scenario, Log]:
    if which == "tutorial, scripted team":
        scenario = tutorial()
        return scenario, run_log(scenario, responses())
    scenario = load_scenario(WUJIANG)
    log = run_drill(scenario, scenario.seed, SimulatedTeamDriver("average"))
    if which == "wujiang, average team":
        return scenario, log
    # The same run with the leak ordered stopped early: a StopSource record cuts the spill.
    commands = [c for _, c in commands_of(log, scenario)]
    stop = Command(45.0, "submit", "district", action_from_data(STOP_LEAK, 45.0))
    return scenario, rerun(scenario, log, sorted([*commands, stop], key=lambda c: c.t_min))


@pytest.mark.parametrize(
    "which",
    ["tutorial, scripted team", "wujiang, average team", "wujiang, leak stopped"],
)
def test_the_river_recomputed_from_the_log_peaks_as_the_engine_logged(which: str) -> None:
    """Peak time, peak value and mass passed at every site agree with the log's ``truth_peak``
    records (written at the end, under every intervention and stopped spill), so the report
    re-simulates the interventions the engine wrote as ``truth_intervention`` records.

    Arrivals are only checked to be reached: each is logged under the interventions in force
    at the time, and the plume model lets a later one (carbon upstream, a leak stopped after
    the front passed) move a first crossing by up to a minute.
    """
    scenario, log = _run(which)
    logged = [r.data["type"] for r in log.of_kind(Kind.truth_intervention)]
    assert logged
    assert ("StopSource" in logged) == (which == "wujiang, leak stopped")
    truth = run_truth(scenario, log).truth
    arrivals, peaks = log.of_kind(Kind.truth_arrival), log.of_kind(Kind.truth_peak)
    assert arrivals and peaks
    assert all(truth.sites[r.data["site"]].arrival_min is not None for r in arrivals)
    for record in peaks:
        seen = truth.sites[record.data["site"]]
        assert seen.peak_min == pytest.approx(record.data["at_min"], abs=1e-3)
        assert seen.peak_mg_l == pytest.approx(record.data["value_mg_l"], rel=1e-5)
        assert seen.mass_passed_kg == pytest.approx(record.data["mass_kg"], rel=1e-5)
