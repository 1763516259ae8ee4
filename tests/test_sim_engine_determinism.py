"""Same scenario, seed and actions → byte-identical log; every run can be replayed."""

from __future__ import annotations

import gc
import weakref
from functools import cache
from pathlib import Path

import pytest

from scenarios.actions import ResponseLog
from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.actions import action_from_data
from sim.live import LiveSession
from sim.log import Kind, Log
from sim.run import (
    ResponseLogDriver,
    ScriptDriver,
    SimulatedTeamDriver,
    replay_commands,
    run_competition,
    run_drill,
)

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def paper_log() -> ResponseLogDriver:
    actions = (
        {"at": 35, "kind": "report", "to": "city-eeb", "channel": "phone", "level": "III"},
        {"at": 50, "kind": "request", "agency": "east-eeb", "task": "monitoring", "site": "intake",
         "every": "30min"},
        {"at": 50, "kind": "request", "agency": "hydro", "task": "operate_gate", "site": "gate"},
        {"at": 80, "kind": "request", "agency": "water", "task": "close_intake", "site": "mon1"},
        {"at": 95, "kind": "notify", "target": "west"},
        {"at": 120, "kind": "request", "agency": "fire", "task": "dosing", "site": "carbon"},
    )  # fmt: skip
    log = ResponseLog(
        team="a", cell="district", actions=tuple(action_from_data(a) for a in actions)
    )
    return ResponseLogDriver(log)


@pytest.mark.parametrize("profile", ["prompt", "average", "slow", "chaotic"])
def test_the_same_seed_gives_a_byte_identical_log(profile: str) -> None:
    first = run_drill(straight(), 11, SimulatedTeamDriver(profile)).to_jsonl()
    assert run_drill(straight(), 11, SimulatedTeamDriver(profile)).to_jsonl() == first


def test_a_response_log_run_is_byte_identical_every_time() -> None:
    assert (
        run_drill(straight(), 2, paper_log()).to_jsonl()
        == run_drill(straight(), 2, paper_log()).to_jsonl()
    )


def test_different_seeds_give_different_runs() -> None:
    logs = {
        run_drill(straight(), seed, SimulatedTeamDriver("average")).to_jsonl() for seed in range(4)
    }
    assert len(logs) == 4


def replayed(log: Log, scenario: Scenario, seed: int) -> str:
    start = log[0].data
    driver = ScriptDriver(replay_commands(log, scenario), start["driver"], start["team"])
    return run_drill(scenario, seed, driver).to_jsonl()


def test_a_response_log_run_replays_from_its_own_records() -> None:
    log = run_drill(straight(), 4, paper_log())
    assert log.of_kind(Kind.action_refused)  # refused actions are replayed too
    assert replayed(log, straight(), 4) == log.to_jsonl()


def test_a_live_drill_with_pauses_and_manual_injects_replays_byte_for_byte() -> None:
    session = LiveSession(straight(), 8)
    note = action_from_data({"kind": "note", "text": "开会"})
    request = action_from_data(
        {"kind": "request", "agency": "east-eeb", "task": "monitoring", "site": "mon1"}
    )
    for t in (5.5, 17.25, 31.123456, 31.123456, 60):
        session.advance_to(t)
    session.submit("district", request)
    session.advance_to(75.3)
    session.pause()
    session.advance_to(200)  # the clock does not move while paused
    assert session.clock_min == 75.3
    session.submit("city-cell", note)
    session.fire_manual("media-call")
    session.resume()
    session.advance_to(400.7)
    session.submit("district", action_from_data({"kind": "notify", "target": "west"}))
    session.advance_to(900)
    session.end()
    log = session.log
    assert log[len(log) - 1].data["reason"] == "ended_by_controller"
    kinds = [r.kind for r in log]
    assert Kind.clock_paused in kinds and Kind.clock_resumed in kinds
    assert replayed(log, straight(), 8) == log.to_jsonl()


def test_a_competition_gives_every_team_the_same_injects_at_the_same_times() -> None:
    teams = {name: SimulatedTeamDriver(name) for name in ("prompt", "slow")}
    teams["paper"] = paper_log()  # type: ignore[assignment]
    logs = run_competition(straight(), 6, teams)
    assert set(logs) == {"prompt", "slow", "paper"}

    def clock_injects(log: Log) -> dict[str, float]:
        timed = {"first-call", "city-hears", "west-asks"}
        return {r.data["inject"]: r.t_min for r in log.of_kind(Kind.inject_delivered)
                if r.data["inject"] in timed}  # fmt: skip

    assert clock_injects(logs["prompt"])["first-call"] == 30.0
    assert clock_injects(logs["prompt"])["city-hears"] == clock_injects(logs["slow"])["city-hears"]
    assert clock_injects(logs["paper"])["city-hears"] == clock_injects(logs["slow"])["city-hears"]
    assert [logs[t][0].data["team"] for t in ("prompt", "paper")] == ["prompt", "paper"]


def test_a_finished_run_leaves_nothing_behind() -> None:
    """A live server or a bundle runs drill after drill in one process: once nobody holds a
    session, its model (agents, log, truth) is freed. Mesa 3.3 kept every model alive
    through ``Agent._ids``; the engine's agents count their ids in ``sim.agentids.AGENT_IDS``."""
    session = LiveSession(straight(), 3, driver="team")
    SimulatedTeamDriver("average").drive(session)
    session.advance_to(session.end_min)
    model = weakref.ref(session.model)
    del session
    gc.collect()
    assert model() is None
