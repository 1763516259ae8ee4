"""A live session steps the drill to the wall clock and takes actions as they come."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.actions import action_from_data
from sim.live import LiveSession
from sim.log import Kind

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def test_an_action_is_stamped_with_the_drill_clock() -> None:
    session = LiveSession(straight(), 1)
    assert session.advance_to(42.123456) == 42.1235
    record = session.submit("district", action_from_data({"kind": "note", "text": "到岗"}))
    assert (record.kind, record.t_min, record.visible_to) == (
        Kind.action_taken,
        42.1235,
        ("district",),
    )


def test_open_tasks_follow_a_request_from_acceptance_to_completion() -> None:
    session = LiveSession(straight(), 1)
    session.advance_to(10)
    seq = session.submit("district", action_from_data(
        {"kind": "request", "agency": "fire", "task": "dosing", "site": "carbon"})).seq  # fmt: skip
    (task,) = session.snapshot_for("district").open_tasks
    assert task == {"request_seq": seq, "agency": "fire", "task": "dosing", "site": "carbon",
                    "status": "accepted", "eta_min": 100.0}  # fmt: skip
    session.advance_to(50)
    assert session.snapshot_for("district").open_tasks[0]["status"] == "working"
    session.advance_to(101)
    assert session.snapshot_for("district").open_tasks == ()
    assert not session.snapshot_for("city-cell").open_tasks


def test_monitoring_stays_open_while_it_samples() -> None:
    session = LiveSession(straight(), 1)
    sample = {"kind": "request", "agency": "east-eeb", "task": "monitoring", "site": "mon1"}
    session.submit("district", action_from_data(sample))
    session.advance_to(100)
    view = session.snapshot_for("district")
    assert view.open_tasks[0]["status"] == "sampling"
    assert [r.data["site"] for r in view.results] == ["mon1"]


def test_a_paused_clock_stands_still_but_takes_actions() -> None:
    session = LiveSession(straight(), 1)
    session.advance_to(20)
    paused = session.pause()
    assert paused is not None and set(paused.visible_to) == {"district", "city-cell"}
    assert session.pause() is None
    assert session.advance_to(500) == 20.0
    record = session.submit("district", action_from_data({"kind": "note", "text": "暂停中"}))
    assert record.t_min == 20.0
    assert session.snapshot_for("district").paused
    session.resume()
    assert session.advance_to(35) == 35.0
    assert session.snapshot_for("district").inbox[0].data["inject"] == "first-call"


def test_the_drill_ends_at_its_duration_once() -> None:
    session = LiveSession(straight(), 1)
    session.advance_to(10_000)
    assert session.ended and session.clock_min == straight().duration
    session.advance_to(20_000)
    ends = session.log.of_kind(Kind.run_ended)
    assert [r.data["reason"] for r in ends] == ["duration"]
    late = session.submit("district", action_from_data({"kind": "note", "text": "迟到"}))
    assert late.kind is Kind.action_refused
    with pytest.raises(ValueError, match="ended"):
        session.fire_manual("media-call")


def test_the_controller_can_end_the_drill_early() -> None:
    session = LiveSession(straight(), 1)
    session.advance_to(300)
    record = session.end()
    assert (record.kind, record.t_min, record.data["reason"]) == (
        Kind.run_ended,
        300.0,
        "ended_by_controller",
    )
    assert session.log.of_kind(Kind.truth_level)


def test_a_snapshot_for_an_unknown_cell_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in the scenario"):
        LiveSession(straight(), 1).snapshot_for("spy")
