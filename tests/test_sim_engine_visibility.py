"""Information is earned: a cell never sees the truth, a hidden inject or others' traffic."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.live import LiveSession
from sim.log import CONTROL, Kind, Log
from sim.run import SimulatedTeamDriver, run_drill

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"
PROFILES = ("prompt", "average", "slow", "chaotic")
ADDRESSED = {
    Kind.inject_delivered, Kind.message_delivered, Kind.action_taken, Kind.action_refused,
    Kind.request_accepted, Kind.request_refused, Kind.task_started, Kind.task_completed,
    Kind.task_failed, Kind.sample_taken, Kind.result_delivered,
}  # fmt: skip


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def assert_earned(log: Log, scenario: Scenario) -> None:
    """The property: what each cell can see of a whole log."""
    cells = [c.id for c in scenario.cells]
    for record in log:
        if record.kind.is_truth:
            assert record.visible_to == (CONTROL,), record
        if record.kind in ADDRESSED:
            assert record.visible_to in ((record.cell,), ()), record
    for cell in cells:
        seen = log.visible_to(cell)
        assert not [r for r in seen if r.kind.is_truth]
        assert all(r.cell in (cell, None) for r in seen)
        text = "".join(r.to_json() for r in seen)
        for inject in scenario.injects:
            if inject.notes is not None:
                assert inject.notes.zh not in text
        delivered = {r.data["inject"] for r in seen if r.kind is Kind.inject_delivered}
        assert delivered <= {i.id for i in scenario.injects if i.to == cell}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), profile=st.sampled_from(PROFILES))
def test_no_cell_ever_sees_truth_or_another_cells_traffic(seed: int, profile: str) -> None:
    assert_earned(run_drill(straight(), seed, SimulatedTeamDriver(profile)), straight())


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**31), stop=st.floats(0, 1440))
def test_a_cell_snapshot_holds_only_what_it_may_see(seed: int, stop: float) -> None:
    session = LiveSession(straight(), seed)
    session.advance_to(stop)
    for cell in ("district", "city-cell"):
        view = session.snapshot_for(cell)
        assert all(cell in r.visible_to for r in view.records)
        assert not [r for r in view.records if r.kind.is_truth]
        assert view.clock_min == session.clock_min


def test_an_inject_is_hidden_until_it_is_delivered() -> None:
    session = LiveSession(straight(), 1)
    session.advance_to(29.9)
    assert not session.snapshot_for("district").inbox
    session.advance_to(30.1)
    (call,) = session.snapshot_for("district").inbox
    assert call.data["inject"] == "first-call"
    assert not session.snapshot_for("city-cell").inbox


def test_the_run_start_tells_cells_nothing_of_the_variant() -> None:
    log = run_drill(straight(), 1, SimulatedTeamDriver("average"))
    start = log[0]
    assert start.kind is Kind.run_started and "variant" not in start.data
    assert set(start.visible_to) == {"district", "city-cell"}
    assert json.loads(log[1].to_json())["kind"] == "truth_variant"
