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
