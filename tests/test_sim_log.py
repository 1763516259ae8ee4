"""The event log: append-only, truth for control only, byte-stable JSON Lines."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.errors import InputError
from sim.log import CONTROL, Kind, Log


def test_truth_is_visible_to_control_only_whatever_the_caller_asks() -> None:
    log = Log()
    record = log.append(0, Kind.truth_arrival, visible_to=("district",), data={"site": "x"})
    assert record.visible_to == (CONTROL,)
    assert not log.visible_to("district") and log.visible_to(CONTROL) == [record]


def test_records_cannot_go_back_in_time() -> None:
    log = Log()
    log.append(10, Kind.run_started)
    with pytest.raises(ValueError, match="earlier"):
        log.append(9, Kind.run_ended)


def test_a_log_survives_the_round_trip_through_json_lines() -> None:
    log = Log()
    log.append(
        0, Kind.run_started, visible_to=("a",), data={"seed": np.int64(3), "x": np.float64(1 / 3)}
    )
    log.append(1.23456789, Kind.action_taken, cell="a", actor="a", visible_to=("a",),
               data={"action": {"kind": "note", "text": "苯胺"}})  # fmt: skip
    log.append(2, Kind.run_ended, data={"reason": "duration"})
    text = log.to_jsonl()
    assert '"x":0.333333' in text and "苯胺" in text and '"t_min":1.2346' in text
    again = Log.parse(text)
    assert again.to_jsonl() == text


def test_a_truncated_log_is_refused_with_its_line() -> None:
    log = Log()
    log.append(0, Kind.run_started)
    log.append(1, Kind.run_ended)
    log.append(2, Kind.run_ended)
    lines = log.to_jsonl().splitlines()
    with pytest.raises(InputError, match="sequence gap"):
        Log.parse("\n".join([lines[0], lines[2]]), "events.jsonl")
    headless = Log()
    headless.append(0, Kind.run_ended)
    with pytest.raises(InputError, match="run_started"):
        Log.parse(headless.to_jsonl())


def _finished() -> Log:
    log = Log()
    log.append(0, Kind.run_started, data={"scenario": "x"})
    log.append(5, Kind.action_taken, cell="a", actor="a", visible_to=("a",),
               data={"action": {"kind": "note", "text": "到岗"}})  # fmt: skip
    log.append(30, Kind.truth_arrival, data={"site": "s"})
    log.append(60, Kind.run_ended, visible_to=("a",), data={"reason": "duration"})
    return log


def _problem(text: str) -> str:
    with pytest.raises(InputError) as caught:
        Log.parse(text, "events.jsonl")
    (problem,) = caught.value.problems
    return str(problem)


def test_a_log_cut_at_a_line_boundary_is_refused_naming_its_last_line() -> None:
    """No half line gives it away: the missing ``run_ended`` does."""
    lines = _finished().to_jsonl().splitlines(keepends=True)
    problem = _problem("".join(lines[:3]))
    assert problem.startswith("events.jsonl:3:1: ")
    assert "no run_ended record: it was cut short" in problem


def test_a_record_earlier_than_the_one_before_is_refused_naming_its_line() -> None:
    lines = _finished().to_jsonl().splitlines(keepends=True)
    lines[2] = lines[2].replace('"t_min":30.0', '"t_min":4.0')
    problem = _problem("".join(lines))
    assert problem.startswith("events.jsonl:3:1: t_min: t_min(=4) is earlier than")


def test_only_refused_late_actions_may_follow_run_ended() -> None:
    """The engine refuses (and logs) an action submitted after the end; anything else after
    ``run_ended`` means the log was edited or two logs were joined."""
    log = _finished()
    late = {"action": {"kind": "note"}, "field": "kind", "reason": {"zh": "推演已结束"}}
    log.append(60, Kind.action_refused, cell="a", actor="a", visible_to=("a",), data=late)
    assert len(Log.parse(log.to_jsonl())) == 5
    log.append(61, Kind.action_taken, cell="a", actor="a", visible_to=("a",), data={})
    problem = _problem(log.to_jsonl())
    assert problem.startswith("events.jsonl:6:1: kind: action_taken after run_ended (line 4)")


def test_a_log_must_start_with_run_started() -> None:
    lines = _finished().to_jsonl().splitlines(keepends=True)
    text = "".join(lines[1:]).replace('"seq":1,', '"seq":0,', 1)
    assert "starts with action_taken, not run_started" in _problem(text)
    assert "empty" in _problem("\n")
