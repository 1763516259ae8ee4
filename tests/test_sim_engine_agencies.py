"""Agencies do what they are asked, after their delays, or refuse with a reason.

Fixture ``straight.yaml``: hydro answers in exactly 20 min, fire in 30 min (capacity 1),
water in 15 min; the intake at km 9 is reached ~5 h after the spill.
"""

from __future__ import annotations

import statistics
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scenarios.actions import ResponseLog
from scenarios.load import load_scenario
from scenarios.schema import Reach, Scenario
from sim.actions import action_from_data
from sim.live import LiveSession
from sim.log import Kind, Log, Record
from sim.river import river_km_between
from sim.run import ResponseLogDriver, run_drill
from sim.truth import TruthKeeper

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"
SEED = 3


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def run(*actions: dict[str, Any], cell: str = "district") -> Log:
    log = ResponseLog(team="t", cell=cell, actions=tuple(action_from_data(a) for a in actions))
    return run_drill(straight(), SEED, ResponseLogDriver(log))


def request(
    at: float, agency: str, task: str, site: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {"at": at, "kind": "request", "agency": agency, "task": task, "site": site, **extra}


def only(log: Log, kind: Kind) -> Record:
    (record,) = log.of_kind(kind)
    return record


def peak(log: Log, site: str) -> float:
    (record,) = [r for r in log.of_kind(Kind.truth_peak) if r.data["site"] == site]
    return float(record.data["value_mg_l"])


def test_an_agency_without_the_capability_refuses() -> None:
    log = run(request(20, "hydro", "dosing", "carbon"))
    refused = only(log, Kind.request_refused)
    assert refused.t_min == 20.0 and refused.actor == "hydro"
    assert "dosing" in refused.data["reason"]["en"] and refused.data["reason"]["zh"]
    assert not log.of_kind(Kind.task_started)


def test_a_facility_that_is_no_longer_usable_is_refused() -> None:
    log = run(request(20, "fire", "build_dam", "old-pond"))
    assert "can no longer be used" in only(log, Kind.request_refused).data["reason"]["en"]


def test_an_agency_pushes_back_at_its_refuse_probability() -> None:
    log = run(request(20, "plant", "stop_source"))
    assert "committed elsewhere" in only(log, Kind.request_refused).data["reason"]["en"]


def test_an_agency_played_by_another_cell_refuses_and_names_it() -> None:
    log = run(request(20, "city-eeb", "monitoring", "mon1"))
    assert "city-cell" in only(log, Kind.request_refused).data["reason"]["en"]


def test_a_cell_directs_its_own_agency() -> None:
    log = run(request(20, "east-eeb", "monitoring", "mon1"))
    assert only(log, Kind.request_accepted).actor == "east-eeb"


@cache
def two_companies() -> Scenario:
    """The fixture with a second water company, hydropower station and fire brigade: each
    able to do the work, none running a facility of the river."""
    data = straight().model_dump(mode="json", by_alias=True)
    data["agencies"] += [
        {"id": "water2", "name": {"zh": "乙水务公司", "en": "Water Co. B"},
         "kind": "water_supply", "jurisdiction": "east",
         "capabilities": ["close_intake", "reopen_intake"]},
        {"id": "hydro2", "kind": "hydropower", "jurisdiction": "east",
         "capabilities": ["operate_gate"]},
        {"id": "fire2", "kind": "fire_rescue", "jurisdiction": "east",
         "capabilities": ["dosing"], "respond": {"min": 30, "mode": 30, "max": 30}},
    ]  # fmt: skip
    data["agencies"][[a["id"] for a in data["agencies"]].index("water")]["name"] = {
        "zh": "甲水务公司",
        "en": "Water Co. A",
    }
    return Scenario.model_validate(data)


def run_two(*actions: dict[str, Any]) -> Log:
    log = ResponseLog(
        team="t", cell="district", actions=tuple(action_from_data(a) for a in actions)
    )
    return run_drill(two_companies(), SEED, ResponseLogDriver(log))


def test_only_the_intakes_operator_closes_or_reopens_it() -> None:
    for task in ("close_intake", "reopen_intake"):
        log = run_two(request(20, "water2", task, "intake"))
        refused = only(log, Kind.request_refused)
        assert refused.actor == "water2" and refused.data["task"] == task
        assert refused.data["reason"] == {
            "zh": "取水口“intake”由“甲水务公司”（water）运营，请向其提出",
            "en": "intake 'intake' is run by Water Co. A (water); ask them",
        }
        assert not log.of_kind(Kind.task_started)
    assert only(run_two(request(20, "water", "close_intake", "intake")), Kind.request_accepted)


def test_only_the_dams_operator_works_its_gates() -> None:
    log = run_two(request(10, "hydro2", "operate_gate", "gate"))
    reason = only(log, Kind.request_refused).data["reason"]
    assert reason["zh"] == "闸坝“gate”由“hydro”运营，请向其提出"
    assert "'hydro'" in reason["en"]
    assert not log.of_kind(Kind.truth_intervention)


def test_any_agency_with_the_capability_may_set_up_an_interception() -> None:
    log = run_two(request(10, "fire2", "dosing", "carbon"))
    assert only(log, Kind.task_completed).data["effect"] == {"ready_min": 100.0, "efficiency": 0.5}


def test_a_site_that_does_not_suit_the_task_is_refused_without_playing_it() -> None:
    log = run(request(20, "water", "close_intake", "mon1"))
    refused = only(log, Kind.action_refused)
    assert refused.data["field"] == "site"
    assert "intake" in refused.data["reason"]["en"]
    assert not log.of_kind(Kind.action_taken)


def test_an_invalid_live_action_is_refused_not_raised() -> None:
    session = LiveSession(straight(), SEED)
    bad = action_from_data({"kind": "request", "agency": "nobody", "task": "monitoring"})
    record = session.submit("district", bad)
    assert record.kind is Kind.action_refused and record.data["field"] == "agency"
    stranger = session.submit("no-such-cell", action_from_data({"kind": "note", "text": "x"}))
    assert stranger.kind is Kind.action_refused and stranger.visible_to == ()


def test_a_gate_closes_after_the_response_delay_and_holds_at_most_max_hold() -> None:
    log = run(request(10, "hydro", "operate_gate", "gate", hold="10h"))
    done = only(log, Kind.task_completed)
    assert done.t_min == 30.0
    assert done.data["effect"] == {"hold_until_min": 30.0 + 240.0}
    accepted = only(log, Kind.request_accepted)
    assert accepted.data["eta_min"] == 30.0


def test_a_closed_gate_changes_the_downstream_truth() -> None:
    baseline = run()
    held = run(request(10, "hydro", "operate_gate", "gate"))
    intervention = only(held, Kind.truth_intervention)
    assert intervention.data["type"] == "GateHold"
    arrival = {
        log: next(r.t_min for r in log.of_kind(Kind.truth_arrival) if r.data["site"] == "intake")
        for log in (baseline, held)
    }
    # The hold (30 → 270 min) passes the plume on 240 min late: everything below is later.
    assert arrival[held] == pytest.approx(arrival[baseline] + 240.0, abs=10.0)
    upstream = [r.t_min for r in held.of_kind(Kind.truth_arrival) if r.data["site"] == "mon1"]
    assert upstream == [
        r.t_min for r in baseline.of_kind(Kind.truth_arrival) if r.data["site"] == "mon1"
    ]


def test_an_interception_in_place_before_the_plume_removes_its_share() -> None:
    baseline = run()
    dosed = run(request(10, "fire", "dosing", "carbon"))
    done = only(dosed, Kind.task_completed)
    assert done.t_min == 10.0 + 30.0 + 60.0  # response + build time
    assert done.data["effect"] == {"ready_min": 100.0, "efficiency": 0.5}
    assert peak(dosed, "intake") == pytest.approx(0.5 * peak(baseline, "intake"), rel=0.02)
    assert peak(dosed, "mon1") == pytest.approx(peak(baseline, "mon1"))


def test_a_busy_crew_takes_the_next_task_when_it_is_free() -> None:
    log = run(request(10, "fire", "dosing", "carbon"), request(11, "fire", "dosing", "carbon"))
    started = [r.t_min for r in log.of_kind(Kind.task_started)]
    assert started == [40.0, 100.0 + 30.0]  # the second waits for the crew, then responds
    failed = only(log, Kind.task_failed)
    assert "already in use" in failed.data["reason"]["en"]


def test_a_closed_intake_stops_delivering_polluted_water() -> None:
    baseline = run()
    closed = run(request(100, "water", "close_intake", "intake"))
    assert only(closed, Kind.task_completed).data["effect"] == {"closed": True}
    assert [r.data["phase"] for r in baseline.of_kind(Kind.truth_intake_polluted)] == [
        "start",
        "end",
    ]
    assert not closed.of_kind(Kind.truth_intake_polluted)
    # The river is the same: closing an intake does not change the plume.
    assert peak(closed, "intake") == peak(baseline, "intake")


def test_reopening_an_intake_during_the_plume_lets_polluted_water_in() -> None:
    log = run(
        request(100, "water", "close_intake", "intake"),
        request(270, "water", "reopen_intake", "intake"),
    )
    polluted = log.of_kind(Kind.truth_intake_polluted)
    assert polluted and polluted[0].data["phase"] == "start"
    assert polluted[0].t_min == pytest.approx(270.0 + 15.0)


def test_travel_time_follows_the_river_from_the_agency_base() -> None:
    log = run(request(0, "east-eeb", "monitoring", "border"))
    # 10 min to respond, then 36 km at 36 km/h.
    assert only(log, Kind.request_accepted).data["eta_min"] == pytest.approx(70.0)
    assert log.of_kind(Kind.task_started)[0].t_min == pytest.approx(70.0)


def test_river_distance_walks_down_both_branches_to_where_they_meet() -> None:
    reaches = {
        "main": Reach(id="main", length_km=50, discharge_m3s=100, velocity_mps=1, jurisdiction="a"),
        "trib": Reach(id="trib", length_km=10, discharge_m3s=10, velocity_mps=1,
                      jurisdiction="a", downstream="main", joins_at_km=20),
    }  # fmt: skip
    assert river_km_between(reaches, ("main", 5), ("main", 30)) == 25
    assert river_km_between(reaches, ("trib", 4), ("main", 30)) == 6 + 10
    assert river_km_between(reaches, ("main", 30), ("trib", 4)) == 16
    assert river_km_between(reaches, ("trib", 4), ("main", 5)) == 6 + 15


def test_stopping_a_leak_keeps_only_the_mass_already_released() -> None:
    data = straight().model_dump(mode="json", by_alias=True)
    data["spills"][0] |= {"mass_kg": 600.0, "duration": 60.0}
    keeper = TruthKeeper(Scenario.model_validate(data), 1440.0)
    assert keeper.stop_spills(20.0) == ["tanker"]
    (release,) = keeper.releases
    assert (release.mass_kg, release.duration_min) == (pytest.approx(200.0), pytest.approx(20.0))
    assert keeper.stop_spills(30.0) == []


def test_stopping_the_source_at_a_site_cuts_only_the_spills_there() -> None:
    data = straight().model_dump(mode="json", by_alias=True)
    data["spills"][0] |= {"mass_kg": 600.0, "duration": 60.0}
    keeper = TruthKeeper(Scenario.model_validate(data), 1440.0)
    assert keeper.stop_spills(20.0, "gate") == []  # 3.6 km away: not where it leaks
    assert keeper.stop_spills(20.0, "depot") == ["tanker"]  # 200 m from the spill


def test_response_delays_are_drawn_from_the_agencys_triangle(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    fixed = "respond: {min: 20min, mode: 20min, max: 20min}"
    assert text.count(fixed) == 1
    path = tmp_path / "triangle.yaml"
    path.write_text(text.replace(fixed, "respond: {min: 10min, mode: 20min, max: 60min}"), "utf-8")
    scenario = load_scenario(path)
    gate = ResponseLog(
        team="t",
        cell="district",
        actions=(action_from_data(request(10, "hydro", "operate_gate", "gate")),),
    )

    def delay(seed: int) -> float:
        log = run_drill(scenario, seed, ResponseLogDriver(gate))
        return only(log, Kind.task_started).t_min - 10.0  # hydro has no base: no travel

    delays = [delay(seed) for seed in range(40)]
    assert all(10.0 <= d <= 60.0 for d in delays)
    assert len({round(d, 3) for d in delays}) > 30  # drawn, not a constant
    assert statistics.mean(delays) == pytest.approx(30.0, abs=6.0)  # (10 + 20 + 60) / 3
    assert delay(7) == delays[7]  # the same seed draws the same delay
